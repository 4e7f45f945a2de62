"""Read cases from the database and turn them into the report engine's ``CaseRecord``s.

The one place that knows both the models and the records contract. The engine stays
pure; this module does the reading. Reports read every case in a year, so it reads plain
rows, not ORM objects: cases in batches of ``BATCH`` by id (with their complainant and
child joined), then one query per batch each for causes, stages, learning actions and,
only for cases whose route or service area is not on the case, the latest triage. Nothing
is added to the session's identity map, and memory stays at one batch of rows.

Mapping choices (the contract asks for some things the models do not hold):

- ``route``: ``Case.route`` (kept current by the lifecycle, so an officer's override or
  re-route wins), else the latest triage result's route. A case with neither (triage
  failed and nobody has routed it yet) cannot be counted and is listed in ``skipped``.
- ``service_area``: ``Case.service_area``, else the latest triage's; neither: ``skipped``.
- ``received``: ``Case.received_on``, else the UK date of ``created_at``.
- ``stages``: the case's stage rows on its current route only (a re-route closes the old
  procedure's rows as ``rerouted`` and starts again, so the old rows are history, not
  stages of this complaint); if a stage appears twice the latest row wins. ``due`` is the
  row's effective ``due_on`` (extension and paused days included); the Ombudsman sets its
  own timescale, so a stage without a due date is given 65 working days (``OMBUDSMAN_DAYS``).
  ``working_days_taken`` is the working days from opening to closing minus the working
  days paused, and is only set when the stage was paused.
- ``learning_actions``: the model has no service area per action, so each action takes
  its case's service area.
- ``equality``: the child's ``age_band``, ``gender``, ``ethnicity``, ``disability``;
  blank answers count as not known. No age band is worked out from a date of birth
  (bands are the council's choice).
- a compliment (``kind == "compliment"``) carries no stages or not-considered reason.
- defensive defaults, so one odd row cannot stop the annual report: a complainant type
  outside the taxonomy counts as ``other``, a blank channel as ``not_recorded``, a stage
  name or outcome outside the contract is left out, and advocacy recorded as taken up
  but not offered counts as offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from intake_api.deadlines import add_working_days, working_days_between
from intake_api.models import (
    Case,
    CaseCause,
    CaseStage,
    Child,
    Complainant,
    TriageResult,
)
from intake_api.models import LearningAction as ActionRow
from intake_api.reports.records import (
    ACTION_STATUSES,
    NOT_CONSIDERED_REASONS,
    OUTCOMES,
    STAGES,
    CaseRecord,
    Equality,
    LearningAction,
    StageRecord,
)
from triage.types import CAUSES, COMPLAINANTS, ROUTES, SERVICE_AREAS

UK = ZoneInfo("Europe/London")
OMBUDSMAN_DAYS = 65
# Ids per IN (...) list: well inside every backend's limit on bound parameters.
BATCH = 500


@dataclass
class Loaded:
    """The records read, and the references of cases that could not be counted, with why."""

    records: list[CaseRecord] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _uk_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(UK).date()


def _text(value: str | None) -> str | None:
    """A stored answer, or None when blank."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _stage_record(row: Any) -> StageRecord | None:
    if row.stage not in STAGES:
        return None
    opened = row.opened_on
    due = max(row.due_on or add_working_days(opened, OMBUDSMAN_DAYS), opened)
    closed = row.closed_on
    if closed is not None and closed < opened:
        closed = opened
    outcome = row.outcome if row.outcome in OUTCOMES and closed is not None else None
    taken = None
    paused = row.paused_days or 0
    if closed is not None and paused > 0:
        taken = max(0, working_days_between(opened, closed) - paused)
    return StageRecord(
        stage=row.stage,
        opened=opened,
        due=due,
        closed=closed,
        outcome=outcome,
        extended=row.extended_working_days is not None,
        working_days_taken=taken,
    )


def _stages(rows: Sequence[Any], route: str) -> tuple[StageRecord, ...]:
    latest: dict[str, Any] = {}
    for row in rows:  # in id order: a later row of the same stage replaces an earlier one
        if row.route == route:
            latest[row.stage] = row
    made = [_stage_record(row) for row in latest.values()]
    kept = [record for record in made if record is not None]
    return tuple(sorted(kept, key=lambda record: STAGES.index(record.stage)))


@dataclass
class _CaseData:
    """One case's rows, as read."""

    case: Any
    causes: list[str] = field(default_factory=list)
    stages: list[Any] = field(default_factory=list)
    actions: list[Any] = field(default_factory=list)
    triage: Any = None


def _record(data: _CaseData) -> CaseRecord | str:
    """The record of one case, or why it cannot be counted."""
    case, triage = data.case, data.triage
    compliment = case.kind == "compliment"
    route = case.route or (triage.route if triage is not None else None)
    area = case.service_area or (triage.service_area if triage is not None else None)
    if compliment:
        # Compliments are not triaged (no procedure applies): counted all the same, under
        # the service area an officer gave, if any.
        route = route if route in ROUTES else "outside_procedure"
        area = area if area in SERVICE_AREAS else "other"
    if route not in ROUTES:
        return "no route yet (not triaged)"
    if area not in SERVICE_AREAS:
        return "no service area yet (not triaged)"
    reason = case.not_considered_reason
    if compliment or reason not in NOT_CONSIDERED_REASONS:
        reason = None
    offered, taken_up = case.advocacy_offered, case.advocacy_taken_up
    if taken_up and offered is False:
        offered = True  # taken up means it was offered; trust the later answer
    held = set(data.causes)
    return CaseRecord(
        reference=case.reference,
        received=case.received_on or _uk_date(case.created_at),
        route=route,
        service_area=area,
        complainant_type=(
            case.complainant_type if case.complainant_type in COMPLAINANTS else "other"
        ),
        channel=_text(case.channel) or "not_recorded",
        team=_text(case.team),
        causes=tuple(cause for cause in CAUSES if cause in held),
        complainant_detail=_text(case.complainant_detail),
        stages=() if compliment else _stages(data.stages, route),
        not_considered_reason=reason,
        advocacy_offered=offered,
        advocacy_taken_up=taken_up,
        is_compliment=compliment,
        learning_actions=tuple(
            LearningAction(action.description, action.status, area)
            for action in data.actions
            if action.status in ACTION_STATUSES and _text(action.description)
        ),
        equality=Equality(
            age_band=_text(case.age_band),
            gender=_text(case.gender),
            ethnicity=_text(case.ethnicity),
            disability=_text(case.disability),
        ),
    )


def _cases_query(since: dt.date | None, until: dt.date | None):  # type: ignore[no-untyped-def]
    statement = (
        select(
            Case.id,
            Case.reference,
            Case.kind,
            Case.received_on,
            Case.created_at,
            Case.route,
            Case.service_area,
            Case.channel,
            Case.team,
            Case.not_considered_reason,
            Case.advocacy_offered,
            Case.advocacy_taken_up,
            Complainant.type.label("complainant_type"),
            Complainant.detail.label("complainant_detail"),
            Child.age_band,
            Child.gender,
            Child.ethnicity,
            Child.disability,
        )
        .join(Complainant, Complainant.id == Case.complainant_id)
        .outerjoin(Child, Child.case_id == Case.id)
        .order_by(Case.id)
        .limit(BATCH)
    )
    if until is not None:
        statement = statement.where(or_(Case.received_on <= until, Case.received_on.is_(None)))
    if since is not None:
        # Received in the window, or with a stage still open, or opened or closed in it
        # (learning actions count by the closing of a stage).
        active = (
            select(CaseStage.id)
            .where(CaseStage.case_id == Case.id)
            .where(
                or_(
                    CaseStage.closed_on.is_(None),
                    CaseStage.closed_on >= since,
                    CaseStage.opened_on >= since,
                )
            )
            .exists()
        )
        statement = statement.where(
            or_(Case.received_on >= since, Case.received_on.is_(None), active)
        )
    return statement


def _batches(
    session: Session, since: dt.date | None, until: dt.date | None
) -> Iterator[list[_CaseData]]:
    statement = _cases_query(since, until)
    last = 0
    while True:
        rows = session.execute(statement.where(Case.id > last)).all()
        if not rows:
            return
        last = rows[-1].id
        found = {row.id: _CaseData(row) for row in rows}
        ids = list(found)
        for case_id, cause in session.execute(
            select(CaseCause.case_id, CaseCause.cause).where(CaseCause.case_id.in_(ids))
        ):
            found[case_id].causes.append(cause)
        stage_rows = session.execute(
            select(
                CaseStage.case_id,
                CaseStage.route,
                CaseStage.stage,
                CaseStage.opened_on,
                CaseStage.due_on,
                CaseStage.extended_working_days,
                CaseStage.paused_days,
                CaseStage.closed_on,
                CaseStage.outcome,
            )
            .where(CaseStage.case_id.in_(ids))
            .order_by(CaseStage.id)
        )
        for row in stage_rows:
            found[row.case_id].stages.append(row)
        action_rows = session.execute(
            select(ActionRow.case_id, ActionRow.description, ActionRow.status)
            .where(ActionRow.case_id.in_(ids))
            .order_by(ActionRow.id)
        )
        for row in action_rows:
            found[row.case_id].actions.append(row)
        untriaged = [
            i for i, data in found.items() if not (data.case.route and data.case.service_area)
        ]
        if untriaged:
            triage_rows = session.execute(
                select(TriageResult.case_id, TriageResult.route, TriageResult.service_area)
                .where(TriageResult.case_id.in_(untriaged))
                .order_by(TriageResult.id)
            )
            for row in triage_rows:
                found[row.case_id].triage = row  # the latest wins
        yield list(found.values())


def load_records(
    session: Session, since: dt.date | None = None, until: dt.date | None = None
) -> Loaded:
    """Every case that can count in a report from ``since`` to ``until``, as records.

    Pass the first day of the earliest period (the previous one, when comparing) and the
    last day of the report's period; None reads every case. Cases that cannot be counted
    (never triaged) are listed in ``skipped`` with the reason.
    """
    loaded = Loaded()
    for batch in _batches(session, since, until):
        for data in batch:
            made = _record(data)
            if isinstance(made, str):
                loaded.skipped.append((data.case.reference, made))
            else:
                loaded.records.append(made)
    return loaded
