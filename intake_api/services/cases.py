"""Creating and reading cases."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from intake_api.errors import APIError
from intake_api.models import (
    Case,
    Complainant,
    Event,
    IdempotencyKey,
    TriageResult,
    db,
    isoformat,
    utcnow,
)
from intake_api.references import new_reference, normalise_reference
from intake_api.services import lifecycle, status_secrets
from intake_api.services import stages as clock
from intake_api.services.events import record_event
from intake_api.services.triaging import get_triager
from intake_api.services.validation import CaseInput, validate_case_payload
from triage.errors import TriageError
from triage.types import CAUSES, ROUTES, SERVICE_AREAS

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


def _run_triage(data: CaseInput) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Triage the text; on any failure return the error for the audit log instead.

    A complaint is never lost because triage failed: the case is made untriaged and an
    officer triages it by hand.
    """
    try:
        triager = get_triager()
        result = triager.predict(data.description, complainant=data.complainant.type)
        outcome = result.to_dict()
        _check_labels(outcome)
        return outcome, None
    except TriageError as exc:  # expected, e.g. no model trained yet: no traceback
        logger.warning("Triage failed, the case is made without it: %r", exc)
        return None, _failure(exc)
    except Exception as exc:  # anything else must still leave a case
        logger.exception("Triage failed, the case is made without it")
        return None, _failure(exc)


def _failure(exc: Exception) -> dict[str, Any]:
    return {"error": type(exc).__name__, "message": str(exc)[:500]}


def _check_labels(outcome: dict[str, Any]) -> None:
    """Refuse a result whose labels are not the taxonomy's: they would be counted wrongly."""
    if outcome.get("route") not in ROUTES:
        raise ValueError(f"triage gave an unknown route: {outcome.get('route')!r}")
    if outcome.get("service_area") not in SERVICE_AREAS:
        raise ValueError(f"triage gave an unknown service area: {outcome.get('service_area')!r}")
    unknown = set(outcome.get("causes") or []) - set(CAUSES)
    if unknown:
        raise ValueError(f"triage gave unknown causes: {sorted(unknown)}")
    if not isinstance(outcome.get("safeguarding"), bool):
        raise ValueError("triage gave no safeguarding flag")


def _triage_row(outcome: dict[str, Any]) -> TriageResult:
    confidence = outcome.get("confidence")
    return TriageResult(
        route=outcome["route"],
        causes=list(outcome.get("causes") or []),
        service_area=outcome["service_area"],
        safeguarding=bool(outcome["safeguarding"]),
        confidence=float(confidence) if confidence is not None else None,
        needs_review=bool(outcome.get("needs_review", False)),
        reasons=[str(reason) for reason in outcome.get("reasons") or []],
        model_version=outcome.get("model_version"),
        source="model",
    )


def create_case(payload: Any, idempotency_key: str, actor: str) -> CreateOutcome:
    """Validate `payload` and make a case with its complainant, triage, audit events and
    idempotency record, all in one transaction.

    The same key with the same body returns the case made the first time; the same key
    with another body raises `IdempotencyConflict`. Two concurrent requests with one key
    race on the key's unique constraint: the loser rolls back and returns the winner's case.
    """
    data = validate_case_payload(payload)
    fingerprint = request_hash(payload)

    earlier = _replay(idempotency_key, fingerprint)
    if earlier is not None:
        return earlier

    triage_outcome, triage_error = _run_triage(data)

    for _attempt in range(REFERENCE_ATTEMPTS):
        complainant = Complainant(
            type=data.complainant.type,
            name=data.complainant.name,
            anonymous=data.complainant.anonymous,
        )
        complainant.set_contact(data.complainant.email, data.complainant.phone)
        reference = new_reference()
        secret = status_secrets.derive(idempotency_key, reference)
        created_at = utcnow()
        new_case = Case(
            reference=reference,
            status="new",
            kind=data.kind,
            channel=data.channel,
            description=data.description,
            conversation_id=data.conversation_id,
            complainant=complainant,
            created_at=created_at,
            received_on=clock.uk_date(created_at),
            safeguarding=False,
            needs_review=True,
            status_secret_hash=status_secrets.hash_secret(secret),
        )
        lifecycle.set_child(new_case, data.child)
        db.session.add(new_case)
        db.session.add(IdempotencyKey(key=idempotency_key, request_hash=fingerprint, case=new_case))
        record_event("case.created", actor, new_case, {"channel": data.channel, "kind": data.kind})
        if triage_outcome is not None:
            lifecycle.apply_triage(new_case, _triage_row(triage_outcome))
            if data.kind == "complaint":
                lifecycle.change_route(new_case, triage_outcome["route"], new_case.received_on)
            record_event(
                "triage.completed",
                "system",
                new_case,
                {
                    "route": triage_outcome["route"],
                    "safeguarding": bool(triage_outcome["safeguarding"]),
                    "model_version": triage_outcome.get("model_version"),
                },
            )
            if triage_outcome["safeguarding"]:
                record_event("safeguarding.flagged", "system", new_case, {})
        else:
            record_event("triage.failed", "system", new_case, triage_error)
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
