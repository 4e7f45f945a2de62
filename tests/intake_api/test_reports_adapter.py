"""The adapter reads cases from the database into the report engine's records.

``store`` writes records through the real models (the inverse of the adapter), so a
round trip checks every field; one test drives a case through the lifecycle API instead,
so the adapter is checked against what the services really write. Runs on SQLite, and on
PostgreSQL with TEST_DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from flask import Flask

from intake_api.deadlines import add_working_days, working_days_between
from intake_api.models import (
    Case,
    CaseCause,
    CaseStage,
    Child,
    Complainant,
    TriageResult,
    db,
)
from intake_api.models import LearningAction as ActionRow
from intake_api.reports.adapter import OMBUDSMAN_DAYS, load_records
from intake_api.reports.engine import Period
from intake_api.reports.records import CaseRecord, Equality, LearningAction, StageRecord

EXTENDED_DAYS = {"stage_1": 20, "stage_2": 65}


def store(records: Iterable[CaseRecord]) -> None:
    """Write ``records`` as cases through the models (call inside an app context)."""
    rows = []
    for record in records:
        at = dt.datetime.combine(record.received, dt.time(10, 0), tzinfo=dt.timezone.utc)
        complainant = Complainant(
            type=record.complainant_type,
            detail=record.complainant_detail,
            anonymous=False,
            created_at=at,
        )
        case = Case(
            reference=record.reference,
            status="closed" if all(s.closed for s in record.stages) else "open",
            channel=record.channel,
            description="Stored for a report test.",
            complainant=complainant,
            created_at=at,
            kind="compliment" if record.is_compliment else "complaint",
            received_on=record.received,
            route=record.route,
            service_area=record.service_area,
            needs_review=False,
            stage=record.stages[-1].stage if record.stages else None,
            team=record.team,
            not_considered_reason=record.not_considered_reason,
            advocacy_offered=record.advocacy_offered,
            advocacy_taken_up=record.advocacy_taken_up,
        )
        case.triage_results.append(
            TriageResult(
                route=record.route,
                causes=list(record.causes),
                service_area=record.service_area,
                source="model",
                created_at=at,
            )
        )
        case.cause_rows.extend(CaseCause(cause=cause) for cause in record.causes)
        for stage in record.stages:
            paused = 0
            if stage.working_days_taken is not None and stage.closed is not None:
                paused = working_days_between(stage.opened, stage.closed) - stage.working_days_taken
            case.stages.append(
                CaseStage(
                    route=record.route,
                    stage=stage.stage,
                    opened_on=stage.opened,
                    due_on=stage.due,
                    extended_working_days=EXTENDED_DAYS.get(stage.stage, 1)
                    if stage.extended
                    else None,
                    paused_days=paused,
                    closed_on=stage.closed,
                    outcome=stage.outcome,
                    closed_reason="responded" if stage.closed else None,
                )
            )
        equality = record.equality
        if equality != Equality():
            case.child = Child(
                age_band=equality.age_band,
                gender=equality.gender,
                ethnicity=equality.ethnicity,
                disability=equality.disability,
            )
        for action in record.learning_actions:
            case.learning_actions.append(
                ActionRow(description=action.description, status=action.status)
            )
        rows.append(case)
    db.session.add_all(rows)
    db.session.commit()


YEAR = Period.financial_year(2023)
DAY = dt.date(2023, 6, 5)  # a Monday


def _varied() -> list[CaseRecord]:
    """Records using every field the contract has."""
    opened2 = add_working_days(DAY, 40)
    return [
        CaseRecord(
            reference="CSC-A0001",
            received=DAY,
            route="statutory",
            service_area="care_leavers",
            complainant_type="relative",
            complainant_detail="grandparent",
            channel="letter",
            team="Leaving Care",
            causes=("communication", "delay"),
            stages=(
                StageRecord(
                    "stage_1",
                    DAY,
                    add_working_days(DAY, 20),
                    add_working_days(DAY, 18),
                    "partly_upheld",
                    extended=True,
                ),
                StageRecord(
                    "stage_2",
                    opened2,
                    add_working_days(opened2, 30),
                    add_working_days(opened2, 29),
                    "upheld",
                    working_days_taken=24,
                ),
                StageRecord(
                    "stage_3", add_working_days(opened2, 50), add_working_days(opened2, 80)
                ),
            ),
            advocacy_offered=True,
            advocacy_taken_up=False,
            learning_actions=(
                LearningAction("Call back within two days.", "done", "care_leavers"),
                LearningAction("Train the duty desk.", "planned", "care_leavers"),
            ),
            equality=Equality("16_to_19", "female", "white_british", "not_disabled"),
        ),
        CaseRecord(
            reference="CSC-A0002",
            received=DAY + dt.timedelta(days=3),
            route="corporate",
            service_area="fostering",
            complainant_type="foster_carer",
            channel="email",
            causes=("finance",),
            not_considered_reason="court_proceedings",
        ),
        CaseRecord(
            reference="CSC-A0003",
            received=DAY + dt.timedelta(days=4),
            route="statutory",
            service_area="adoption",
            complainant_type="parent",
            channel="phone",
            is_compliment=True,
        ),
    ]


def _by_reference(records: Iterable[CaseRecord]) -> dict[str, CaseRecord]:
    return {record.reference: record for record in records}


def test_every_field_survives_the_database(app: Flask) -> None:
    records = _varied()
    with app.app_context():
        store(records)
        loaded = load_records(db.session)
    assert loaded.skipped == []
    assert _by_reference(loaded.records) == _by_reference(records)


def test_stage_detail_is_mapped(app: Flask) -> None:
    with app.app_context():
        store(_varied())
        record = _by_reference(load_records(db.session).records)["CSC-A0001"]
    first, second, third = record.stages
    assert first.extended and first.due == add_working_days(DAY, 20)
    assert second.working_days_taken == 24 and second.days_taken() == 24
    assert second.within_timescale()
    assert third.closed is None and third.within_timescale() is None
    assert [a.service_area for a in record.learning_actions] == ["care_leavers"] * 2


def test_window_leaves_out_cases_that_cannot_count(app: Flask) -> None:
    old = dt.date(2020, 5, 4)
    records = [
        # Received and finished long before the window: not read.
        CaseRecord(
            "CSC-OLD01",
            old,
            "statutory",
            "assessment",
            "parent",
            "email",
            stages=(StageRecord("stage_1", old, add_working_days(old, 10), old, "not_upheld"),),
        ),
        # Received long before, but a stage is still open: read.
        CaseRecord(
            "CSC-OLD02",
            old,
            "statutory",
            "assessment",
            "parent",
            "email",
            stages=(StageRecord("stage_1", old, add_working_days(old, 10)),),
        ),
        # Received after the window: not read.
        CaseRecord("CSC-NEW01", dt.date(2024, 4, 2), "statutory", "assessment", "parent", "email"),
        *_varied(),
    ]
    with app.app_context():
        store(records)
        loaded = load_records(db.session, YEAR.start, YEAR.end)
    assert sorted(_by_reference(loaded.records)) == [
        "CSC-A0001",
        "CSC-A0002",
        "CSC-A0003",
        "CSC-OLD02",
    ]


def test_untriaged_case_is_skipped_not_guessed(app: Flask) -> None:
    with app.app_context():
        store(_varied()[:1])
        case = db.session.query(Case).one()
        case.route = None
        case.triage_results.clear()
        db.session.commit()
        loaded = load_records(db.session)
    assert loaded.records == []
    assert loaded.skipped == [("CSC-A0001", "no route yet (not triaged)")]


def test_officer_route_wins_and_old_procedure_rows_are_history(app: Flask) -> None:
    with app.app_context():
        store(_varied()[1:2])  # corporate
        case = db.session.query(Case).one()
        case.not_considered_reason = None
        case.stages.append(
            CaseStage(
                route="corporate",
                stage="stage_1",
                opened_on=DAY,
                due_on=add_working_days(DAY, 10),
                closed_on=add_working_days(DAY, 2),
                closed_reason="rerouted",
                paused_days=0,
            )
        )
        case.stages.append(
            CaseStage(
                route="statutory",
                stage="stage_1",
                opened_on=add_working_days(DAY, 2),
                due_on=add_working_days(DAY, 12),
                paused_days=0,
            )
        )
        case.route = "statutory"  # the officer re-routed it; the model said corporate
        db.session.commit()
        (record,) = load_records(db.session).records
    assert isinstance(record, CaseRecord)
    assert record.route == "statutory"
    assert [(s.stage, s.opened) for s in record.stages] == [("stage_1", add_working_days(DAY, 2))]


def test_ombudsman_stage_without_due_date_gets_a_default(app: Flask) -> None:
    with app.app_context():
        store(_varied()[1:2])
        case = db.session.query(Case).one()
        case.not_considered_reason = None
        case.stages.append(
            CaseStage(route="corporate", stage="ombudsman", opened_on=DAY, paused_days=0)
        )
        db.session.commit()
        (record,) = load_records(db.session).records
    assert isinstance(record, CaseRecord)
    assert record.stages[0].due == add_working_days(DAY, OMBUDSMAN_DAYS)


MONDAY = dt.date(2024, 3, 4)


def test_case_worked_through_the_lifecycle_api(app: Flask, cases, set_today) -> None:  # type: ignore[no-untyped-def]
    set_today(MONDAY)
    reference = cases.new(
        "My social worker never calls me back.",
        complainant={"type": "relative", "anonymous": False},
    )
    cases.ok(reference, "extend", {"reason": "Complex: three services involved."})
    cases.ok(reference, "pause", {"reason": "The family asked to wait."})
    set_today(MONDAY + dt.timedelta(days=7))  # 5 working days paused
    cases.ok(reference, "resume", {"reason": "The family is ready."})
    set_today(MONDAY + dt.timedelta(days=14))
    cases.ok(reference, "record_outcome", {"outcome": "partly_upheld"})
    with app.app_context():
        loaded = load_records(db.session)
    assert loaded.skipped == []
    (record,) = loaded.records
    assert record.reference == reference
    assert record.received == MONDAY
    assert record.route == "statutory"  # the fake triager's
    assert record.service_area == "looked_after_children"
    assert record.causes == ("communication",)
    assert record.complainant_type == "relative"
    assert record.channel == "web_chat"
    (stage,) = record.stages
    assert stage.stage == "stage_1" and stage.extended
    assert stage.opened == MONDAY
    assert stage.due == add_working_days(MONDAY, 20 + 5)  # extension plus the pause
    assert stage.closed == MONDAY + dt.timedelta(days=14)
    assert stage.outcome == "partly_upheld"
    assert stage.working_days_taken == 10 - 5  # 10 working days open, 5 of them paused


def test_reading_in_batches_takes_few_queries(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import event

    from intake_api.reports import adapter

    monkeypatch.setattr(adapter, "BATCH", 25)
    base = _varied()[0]
    fields = {name: getattr(base, name) for name in base.__dataclass_fields__}
    records = [CaseRecord(**{**fields, "reference": f"CSC-M{i:04d}"}) for i in range(60)]
    with app.app_context():
        store(records)
        db.session.expunge_all()
        statements: list[str] = []

        def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            loaded = load_records(db.session, YEAR.start, YEAR.end)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert not db.session.identity_map  # plain rows, no ORM objects kept
    assert _by_reference(loaded.records) == _by_reference(records)
    # Three batches of cases, causes, stages and actions, then the empty fourth batch.
    assert len(statements) == 3 * 4 + 1


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_equality_answers_count_as_not_known(app: Flask, blank: str) -> None:
    with app.app_context():
        store(_varied()[:1])
        case = db.session.query(Case).one()
        case.child.gender = blank
        db.session.commit()
        (record,) = load_records(db.session).records
    assert isinstance(record, CaseRecord)
    assert record.equality.gender is None
