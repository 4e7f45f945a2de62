"""Creating and reading cases."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from intake_api.errors import APIError
from intake_api.models import (
    Case,
    Complainant,
    Event,
    IdempotencyKey,
    db,
    isoformat,
    utcnow,
)
from intake_api.references import PATTERN, new_reference, normalise_reference
from intake_api.services import lifecycle, status_secrets, triaging
from intake_api.services import stages as clock
from intake_api.services.events import record_event
from intake_api.services.validation import CaseInput, validate_case_payload

logger = logging.getLogger(__name__)

REFERENCE_ATTEMPTS = 5


class IdempotencyConflict(APIError):
    """The key was used before with a different request body."""

    def __init__(self) -> None:
        super().__init__(
            409,
            code="idempotency_key_reused",
            message=(
                "This Idempotency-Key was already used for a different complaint. "
                "Use a new key for a new complaint."
            ),
        )


@dataclass(frozen=True)
class CreateOutcome:
    """The case, whether this call made it (False: a replay of an earlier request), and
    the complainant's status secret (the same on a replay, never stored in clear)."""

    case: Case
    created: bool
    status_secret: str | None = None
    body: dict[str, Any] | None = None

    def render(self) -> dict[str, Any]:
        """The case as the API returns it on creation, with the status secret."""
        body = self.body if self.body is not None else self.case.to_dict()
        return {**body, "status_secret": self.status_secret}


def request_hash(payload: Any) -> str:
    """A fingerprint of a JSON body that ignores key order and whitespace."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _replay(key: str, fingerprint: str) -> CreateOutcome | None:
    record = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyConflict()
    return CreateOutcome(
        case=record.case,
        created=False,
        status_secret=status_secrets.derive(key, record.case.reference),
    )


def _related(reference: str | None) -> tuple[str | None, dict[str, Any]]:
    """The earlier case named by `related_reference`, if it exists; otherwise what to note
    in the creation event (never a refusal: the complaint must not be lost)."""
    if reference is None:
        return None, {}
    wanted = normalise_reference(reference)[:40]
    if PATTERN.match(wanted):
        found = db.session.scalar(select(Case.reference).where(Case.reference == wanted))
        if found is not None:
            return found, {"related_reference": found}
    return None, {"related_reference_ignored": wanted}


def _new_case(data: CaseInput, reference: str, secret: str, related: str | None) -> Case:
    """The case and complainant as sent, before triage."""
    person = data.complainant
    complainant = Complainant(
        type=person.type,
        name=person.name,
        anonymous=person.anonymous,
        detail=person.detail,
        advocate_organisation=person.organisation,
        contact_via=person.contact_via,
    )
    complainant.set_contact(person.email, person.phone)
    created_at = utcnow()
    if person.consent is not None:
        complainant.consent_recorded = person.consent
        complainant.consent_recorded_at = created_at if person.consent else None
    compliment = data.kind == "compliment"
    case = Case(
        reference=reference,
        status="new",
        kind=data.kind,
        channel=data.channel,
        description=data.description,
        conversation_id=data.conversation_id,
        complainant=complainant,
        created_at=created_at,
        received_on=clock.uk_date(created_at),
        events_when_text=data.when_text,
        events_on=data.events_on,
        over_12_months=data.over_12_months,
        desired_outcome=data.desired_outcome,
        service_mentioned=data.service_mentioned,
        advocacy_offered=data.advocacy_offered,
        advocacy_taken_up=data.advocacy_accepted,
        safeguarding_disclosed=data.safeguarding_disclosed,
        safeguarding=data.safeguarding_disclosed,
        handoff_requested=data.handoff_requested,
        related_reference=related,
        # A compliment is not triaged and has no stages: nothing for an officer to review.
        needs_review=not compliment,
        status_secret_hash=status_secrets.hash_secret(secret, reference),
        # A new case has none of these: saying so spares a SELECT for each when the case
        # is rendered for the 201.
        triage_results=[],
        cause_rows=[],
        stages=[],
        child=None,
    )
    lifecycle.set_child(case, data.child or {})
    return case


def create_case(payload: Any, idempotency_key: str, actor: str) -> CreateOutcome:
    """Validate `payload` and make a case with its complainant, triage, audit events and
    idempotency record, all in one transaction.

    The same key with the same body returns the case made the first time; the same key
    with another body raises `IdempotencyConflict`. A replay, or two concurrent requests
    with one key, meet the key's unique constraint: the transaction rolls back and the
    case made first is returned.
    A compliment is stored without triage or a stage clock.
    """
    data = validate_case_payload(payload)
    fingerprint = request_hash(payload)
    complaint = data.kind == "complaint"
    inline = complaint and current_app.config.get("TRIAGE_MODE", "inline") != "worker"
    attempt = None
    if inline:
        # Look the key up first, so a replay does not run the model again. Otherwise the
        # key's unique constraint catches a replay when the insert fails, and a new
        # complaint (the usual case) is spared a round trip.
        earlier = _replay(idempotency_key, fingerprint)
        if earlier is not None:
            return earlier
        attempt = triaging.run_triage(
            data.description, data.complainant.type, clock.uk_date(utcnow())
        )
    related, related_note = _related(data.related_reference)

    for _attempt in range(REFERENCE_ATTEMPTS):
        reference = new_reference()
        secret = status_secrets.derive(idempotency_key, reference)
        new_case = _new_case(data, reference, secret, related)
        db.session.add(new_case)
        db.session.add(IdempotencyKey(key=idempotency_key, request_hash=fingerprint, case=new_case))
        record_event(
            "case.created",
            actor,
            new_case,
            {"channel": data.channel, "kind": data.kind, **related_note},
        )
        if data.safeguarding_disclosed:
            record_event("safeguarding.disclosed", actor, new_case, {"by": "bot"})
        if not complaint:
            new_case.triage_state = "not_needed"
        elif attempt is None:
            # Triaged by the worker after commit: the bot is answered at once.
            new_case.triage_state = "pending"
        elif attempt.outcome is not None:
            triaging.record_triage(new_case, attempt.outcome)
        else:
            new_case.triage_state = "failed"
            record_event("triage.failed", "system", new_case, attempt.error)
        try:
            db.session.flush()
            # Rendered before commit, while everything is in memory: after the commit the
            # objects expire and rendering would read them all back from the database.
            body = new_case.to_dict()
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            # Another request with this key won the race, or (rarely) the reference clashed.
            earlier = _replay(idempotency_key, fingerprint)
            if earlier is not None:
                return earlier
            continue
        return CreateOutcome(case=new_case, created=True, status_secret=secret, body=body)
    raise RuntimeError("Could not find an unused case reference")


def get_case(reference: str) -> Case:
    """The case with this reference (case and spacing forgiven); 404 if there is none."""
    found = db.session.scalar(select(Case).where(Case.reference == normalise_reference(reference)))
    if found is None:
        raise APIError(404, message="There is no case with that reference.")
    return found


def view_case(reference: str, actor: str, officer: bool) -> Case:
    """The case, with an officer's viewing written to the audit log (committed)."""
    found = get_case(reference)
    if officer:
        record_event("case.viewed", actor, found, {})
        db.session.commit()
    return found


def case_events(reference: str) -> list[dict[str, Any]]:
    """The audit log of one case, oldest first."""
    found = get_case(reference)
    rows = db.session.scalars(select(Event).where(Event.case_id == found.id).order_by(Event.id))
    return [
        {"at": isoformat(row.at), "actor": row.actor, "action": row.action, "detail": row.detail}
        for row in rows
    ]
