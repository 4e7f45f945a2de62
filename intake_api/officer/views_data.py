"""Read-only queries the officer pages need beyond the services layer: counts, officers,
the audit log with names, and the traffic light on a deadline. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from intake_api.deadlines import add_working_days
from intake_api.models import CASE_STATUSES, Case, Event, Officer, db
from intake_api.services import stages as clock
from intake_api.services.queue import list_cases
from intake_api.services.validation import CaseFilters

# A deadline this many working days away (or fewer) is "due soon".
DUE_SOON_WORKING_DAYS = 2
RUNNING = ("new", "open")


@dataclass(frozen=True)
class Light:
    """A deadline's traffic light: a CSS class and the words that say the same thing."""

    key: str
    text: str


def traffic_light(due_on: dt.date | None, status: str, today: dt.date | None = None) -> Light:
    """Overdue, due within 2 working days, or on track; paused and finished clocks say so."""
    if due_on is None:
        return Light("none", "No deadline")
    if status == "paused":
        return Light("paused", "Clock paused")
    if status not in RUNNING:
        return Light("none", "Not running")
    today = today or clock.today()
    if due_on < today:
        return Light("overdue", "Overdue")
    if due_on <= add_working_days(today, DUE_SOON_WORKING_DAYS):
        return Light("soon", "Due within 2 working days")
    return Light("ok", "On track")


def stage_light(stage: Any, case_status: str) -> Light:
    """The traffic light of one stage row: closed stages say how they ended."""
    if stage.closed_on is not None:
        if stage.closed_reason != "responded":
            return Light("done", "Closed: " + (stage.closed_reason or "").replace("_", " "))
        in_time = stage.due_on is None or stage.closed_on <= stage.due_on
        return Light("done", "Answered in time" if in_time else "Answered late")
    if stage.paused_on is not None:
        return Light("paused", "Clock paused")
    return traffic_light(stage.due_on, "open" if case_status == "new" else case_status)


def status_counts() -> dict[str, int]:
    """How many cases are in each status (every status listed, zero included)."""
    rows = db.session.execute(select(Case.status, func.count()).group_by(Case.status)).all()
    found = {status: int(count) for status, count in rows}
    return {status: found.get(status, 0) for status in CASE_STATUSES}


def pinned_cases(filters: CaseFilters) -> tuple[list[Case], int]:
    """One page of the queue with safeguarding cases first whatever the sort."""
    return list_cases(filters, pin_safeguarding=True)


def later_cases(case: Case) -> list[str]:
    """References of later cases that name this one as their earlier case."""
    return list(
        db.session.scalars(
            select(Case.reference).where(Case.related_reference == case.reference).order_by(Case.id)
        )
    )


def active_officers() -> list[Officer]:
    """Officers a case can be assigned to, by name."""
    return list(
        db.session.scalars(select(Officer).where(Officer.active.is_(True)).order_by(Officer.name))
    )


def officer_names() -> dict[str, str]:
    """Audit-log actor ids (`officer:3`) to names, for every officer."""
    rows = db.session.execute(select(Officer.id, Officer.name)).all()
    return {f"officer:{officer_id}": name for officer_id, name in rows}


def audit_log(case: Case) -> list[Event]:
    """The case's events, newest first."""
    return list(
        db.session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id.desc()))
    )


def describe_detail(detail: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An event's detail as readable pairs (nested values flattened, ids as words)."""
    pairs: list[tuple[str, str]] = []
    for key, value in (detail or {}).items():
        if value is None or value == {} or value == []:
            continue
        if isinstance(value, dict):
            inner = ", ".join(f"{k.replace('_', ' ')} {_words(v)}" for k, v in value.items())
            pairs.append((key.replace("_", " "), inner))
        else:
            pairs.append((key.replace("_", " "), _words(value)))
    return pairs


def _words(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_words(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_words(v)}" for k, v in value.items())
    return (
        str(value).replace("_", " ") if isinstance(value, str) and " " not in value else str(value)
    )
