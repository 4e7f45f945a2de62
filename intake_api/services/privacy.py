"""Data protection: anonymise old closed cases, export or erase what is held about a person.

Anonymising keeps what the statutory report counts (dates, route, stages and outcomes,
causes, service area, complainant type, equality answers, learning actions) and removes
what identifies people: names, contact details, dates of birth, free text (redacted with
`triage.redact`, or replaced when erasing on request) and private notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select

from intake_api.models import (
    Case,
    Complainant,
    Event,
    contact_key_email,
    contact_key_phone,
    db,
    isoformat,
    utcnow,
)
from intake_api.services.events import record_event

ERASED = "[erased at the person's request]"


def _redactor():  # type: ignore[no-untyped-def]
    """`triage.redact` when the triage package is installed; otherwise remove the text."""
    try:
        from triage.redaction import redact
    except ImportError:  # pragma: no cover - triage ships with this project
        return lambda text: "[redacted]"
    return redact


def _scrub(case: Case, text_replacement: Any) -> None:
    """Remove personal data from one case, keeping what the statistics need."""
    case.description = text_replacement(case.description)
    case.conversation_id = None
    # What the person told the bot in their own words may name people and places. The
    # start date and the flags stay (they are counted, and say nothing of who).
    case.events_when_text = None
    if case.desired_outcome is not None:
        case.desired_outcome = text_replacement(case.desired_outcome)
    if case.service_mentioned is not None:
        case.service_mentioned = text_replacement(case.service_mentioned)[:500]
    person = case.complainant
    person.name = None
    person.set_contact(None, None)
    person.advocate_organisation = None
    if case.child is not None:
        case.child.name = None
        case.child.date_of_birth = None
        case.child.details = None
    for note in case.notes:
        note.body = "[removed]"
    for row in case.triage_results:
        # Reasons may quote the complaint.
        row.reasons = []
    for action in case.learning_actions:
        action.description = text_replacement(action.description)
    case.anonymised_at = utcnow()


def retention_candidates(older_than_days: int, now: dt.datetime | None = None) -> list[Case]:
    """Closed cases, not yet anonymised, closed more than `older_than_days` ago."""
    cutoff = (now or utcnow()) - dt.timedelta(days=older_than_days)
    return list(
        db.session.scalars(
            select(Case)
            .where(
                Case.status == "closed",
                Case.closed_at < cutoff,
                Case.anonymised_at.is_(None),
            )
            .order_by(Case.id)
        )
    )


def anonymise_closed(older_than_days: int, actor: str, dry_run: bool = False) -> list[str]:
    """Anonymise closed cases past retention; their references (one transaction)."""
    cases = retention_candidates(older_than_days)
    references = [case.reference for case in cases]
    if dry_run:
        return references
    redact = _redactor()
    for case in cases:
        _scrub(case, redact)
        record_event("case.anonymised", actor, case, {"older_than_days": older_than_days})
    db.session.commit()
    return references


def find_people(email: str | None, phone: str | None) -> list[Complainant]:
    """Complainants whose email or phone matches (email case-insensitively, phone by
    digits)."""
    conditions = []
    if contact_key_email(email):
        conditions.append(Complainant.email_key == contact_key_email(email))
    if contact_key_phone(phone):
        conditions.append(Complainant.phone_key == contact_key_phone(phone))
    if not conditions:
        raise ValueError("Give an email address or a phone number.")
    return list(db.session.scalars(select(Complainant).where(or_(*conditions))))


def _cases_of(people: Iterable[Complainant]) -> list[Case]:
    ids = [person.id for person in people]
    if not ids:
        return []
    return list(
        db.session.scalars(select(Case).where(Case.complainant_id.in_(ids)).order_by(Case.id))
    )


def export_person(email: str | None, phone: str | None, actor: str) -> dict[str, Any]:
    """Everything held about the person with this email or phone, as JSON-ready data
    (a subject access request). The export itself is audited."""
    cases = _cases_of(find_people(email, phone))
    exported = []
    for case in cases:
        events = db.session.scalars(
            select(Event).where(Event.case_id == case.id).order_by(Event.id)
        )
        exported.append(
            {
                **case.detail_dict(include_private=True),
                "events": [
                    {
                        "at": isoformat(e.at),
                        "actor": e.actor,
                        "action": e.action,
                        "detail": e.detail,
                    }
                    for e in events
                ],
            }
        )
        record_event("person.exported", actor, case, {})
    db.session.commit()
    return {
        "exported_at": isoformat(utcnow()),
        "searched_for": {"email": email, "phone": phone},
        "cases": exported,
    }


def erase_person(email: str | None, phone: str | None, actor: str) -> list[str]:
    """Erase the person's personal data from every case of theirs (one transaction);
    the references changed. Statistics-relevant, non-personal fields stay."""
    cases = _cases_of(find_people(email, phone))
    for case in cases:
        _scrub(case, lambda _text: ERASED)
        record_event("person.erased", actor, case, {})
    db.session.commit()
    return [case.reference for case in cases]
