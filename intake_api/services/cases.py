"""Creating and reading cases."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from intake_api.errors import APIError
from intake_api.models import Case, Complainant, IdempotencyKey, TriageResult, db
from intake_api.references import new_reference, normalise_reference
from intake_api.services.events import record_event
from intake_api.services.triaging import get_triager
from intake_api.services.validation import CaseFilters, CaseInput, validate_case_payload
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
    """The case, and whether this call made it (False: a replay of an earlier request)."""

    case: Case
    created: bool


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
    return CreateOutcome(case=record.case, created=False)


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
            email=data.complainant.email,
            phone=data.complainant.phone,
            anonymous=data.complainant.anonymous,
        )
        new_case = Case(
            reference=new_reference(),
            status="new",
            channel=data.channel,
            description=data.description,
            conversation_id=data.conversation_id,
            complainant=complainant,
        )
        db.session.add(new_case)
        db.session.add(IdempotencyKey(key=idempotency_key, request_hash=fingerprint, case=new_case))
        record_event("case.created", actor, new_case, {"channel": data.channel})
        if triage_outcome is not None:
            new_case.triage_results.append(_triage_row(triage_outcome))
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
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            # Another request with this key won the race, or (rarely) the reference clashed.
            earlier = _replay(idempotency_key, fingerprint)
            if earlier is not None:
                return earlier
            continue
        return CreateOutcome(case=new_case, created=True)
    raise RuntimeError("Could not find an unused case reference")


def get_case(reference: str) -> Case:
    """The case with this reference (case and spacing forgiven); 404 if there is none."""
    found = db.session.scalar(select(Case).where(Case.reference == normalise_reference(reference)))
    if found is None:
        raise APIError(404, message="There is no case with that reference.")
    return found


def _latest_triage_ids() -> Any:
    return (
        select(TriageResult.case_id, func.max(TriageResult.id).label("triage_id"))
        .group_by(TriageResult.case_id)
        .subquery()
    )


def case_query(filters: CaseFilters) -> Select[tuple[Case]]:
    """Cases matching `filters`: safeguarding first, then needing review, then newest."""
    latest = _latest_triage_ids()
    query = (
        select(Case)
        .outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(TriageResult, TriageResult.id == latest.c.triage_id)
    )
    if filters.route is not None:
        query = query.where(TriageResult.route == filters.route)
    if filters.status is not None:
        query = query.where(Case.status == filters.status)
    if filters.needs_review is not None:
        query = query.where(TriageResult.needs_review.is_(filters.needs_review))
    if filters.safeguarding is not None:
        query = query.where(TriageResult.safeguarding.is_(filters.safeguarding))
    return query.order_by(
        case((TriageResult.safeguarding.is_(True), 0), else_=1),
        case((TriageResult.needs_review.is_(True), 0), (TriageResult.id.is_(None), 0), else_=1),
        Case.created_at.desc(),
        Case.id.desc(),
    )


def list_cases(filters: CaseFilters) -> tuple[list[Case], int]:
    """One page of cases matching `filters`, and how many match in all."""
    query = case_query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(
        query.options(selectinload(Case.triage_results))
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    ).all()
    return list(items), int(total or 0)
