"""Read cases from the database and turn them into the report engine's ``CaseRecord``s.

The one place that knows both the models and the records contract. The engine stays
pure; this module does the reading, in one query for the cases and one batched query per
collection (``selectinload``), streamed so tens of thousands of cases do not sit in the
session at once.

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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from intake_api.deadlines import add_working_days, working_days_between
from intake_api.models import Case, CaseStage
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
from triage.types import COMPLAINANTS, ROUTES, SERVICE_AREAS

UK = ZoneInfo("Europe/London")
OMBUDSMAN_DAYS = 65
BATCH = 1000


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


def _stage_record(row: CaseStage) -> StageRecord | None:
    if row.stage not in STAGES:
        return None
    opened = row.opened_on
    due = row.due_on or add_working_days(opened, OMBUDSMAN_DAYS)
    due = max(due, opened)
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


def _stages(case: Case, route: str) -> tuple[StageRecord, ...]:
    latest: dict[str, CaseStage] = {}
    for row in case.stages:  # ordered by id: later rows replace earlier ones
        if row.route == route:
            latest[row.stage] = row
    records = [_stage_record(row) for row in latest.values()]
    kept = [r for r in records if r is not None]
    return tuple(sorted(kept, key=lambda r: STAGES.index(r.stage)))


def case_record(case: Case) -> CaseRecord | str:
    """The record of ``case``, or why it cannot be counted."""
    triage = case.triage_results[-1] if case.triage_results else None
    route = case.route or (triage.route if triage else None)
    if route not in ROUTES:
        return "no route yet (not triaged)"
    area = case.service_area or (triage.service_area if triage else None)
    if area not in SERVICE_AREAS:
        return "no service area yet (not triaged)"
    complainant = case.complainant
    kind = complainant.type if complainant.type in COMPLAINANTS else "other"
    received = case.received_on or _uk_date(case.created_at)
    compliment = case.kind == "compliment"
    reason = case.not_considered_reason
    if compliment or reason not in NOT_CONSIDERED_REASONS:
        reason = None
    offered, taken_up = case.advocacy_offered, case.advocacy_taken_up
    if taken_up and offered is False:
        offered = True  # taken up means it was offered; trust the later answer
    child = case.child
    equality = Equality(
        age_band=_text(child.age_band),
        gender=_text(child.gender),
        ethnicity=_text(child.ethnicity),
        disability=_text(child.disability),
    ) if child is not None else Equality()
    actions = tuple(
        LearningAction(action.description, action.status, area)
        for action in case.learning_actions
        if action.status in ACTION_STATUSES and _text(action.description)
    )
    return CaseRecord(
        reference=case.reference,
        received=received,
        route=route,
        service_area=area,
        complainant_type=kind,
        channel=_text(case.channel) or "not_recorded",
        team=_text(case.team),
        causes=tuple(case.causes),
        complainant_detail=_text(complainant.detail),
        stages=() if compliment else _stages(case, route),
        not_considered_reason=reason,
        advocacy_offered=offered,
        advocacy_taken_up=taken_up,
        is_compliment=compliment,
        learning_actions=actions,
        equality=equality,
    )


def _query(since: dt.date | None, until: dt.date | None):  # type: ignore[no-untyped-def]
    statement = (
        select(Case)
        .options(
            joinedload(Case.complainant),
            joinedload(Case.child),
            selectinload(Case.cause_rows),
            selectinload(Case.stages),
            selectinload(Case.learning_actions),
            selectinload(Case.triage_results),
        )
        .order_by(Case.id)
    )
    if until is not None:
        statement = statement.where(
            or_(Case.received_on <= until, Case.received_on.is_(None))
        )
    if since is not None:
        # Received in the window, or with a stage still open or opened or closed in it
        # (learning actions are counted by the closing of a stage).
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


def iter_cases(
    session: Session, since: dt.date | None = None, until: dt.date | None = None
) -> Iterator[Case]:
    """Cases that can count in a report covering ``since`` to ``until``, in batches."""
    result = session.execute(_query(since, until).execution_options(yield_per=BATCH))
    for partition in result.scalars().partitions():
        yield from partition


def load_records(
    session: Session, since: dt.date | None = None, until: dt.date | None = None
) -> Loaded:
    """Every case that can count in a report from ``since`` to ``until``, as records.

    Pass the first day of the earliest period (the previous one, when comparing) and the
    last day of the report's period; None reads every case.
    """
    return records_from(iter_cases(session, since, until))


def records_from(cases: Iterable[Case]) -> Loaded:
    """Records from loaded cases, keeping apart those that cannot be counted."""
    loaded = Loaded()
    for case in cases:
        made = case_record(case)
        if isinstance(made, str):
            loaded.skipped.append((case.reference, made))
        else:
            loaded.records.append(made)
    return loaded
