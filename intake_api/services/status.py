"""The public "check my complaint" answer: the stage and the date, in plain words.

Attempts are counted in the audit log (per client address and per reference), so the
limit holds across worker processes and restarts.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from intake_api.errors import APIError
from intake_api.models import Case, Event, db, utcnow
from intake_api.references import PATTERN, normalise_reference
from intake_api.services import status_secrets
from intake_api.services.events import record_event
from intake_api.services.validation import ValidationError

STAGE_WORDS = {
    "stage_1": "Stage 1 (the first response)",
    "stage_2": "Stage 2 (an investigation)",
    "stage_3": "Stage 3 (a review panel)",
    "ombudsman": "with the Local Government and Social Care Ombudsman",
}
NOT_FOUND = (
    "We could not find a complaint with that reference and secret. Check both and try again."
)


class StatusThrottled(APIError):
    """Too many status checks from this address, or for this reference."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, retry_after // 60)
        super().__init__(
            429,
            code="too_many_requests",
            message=(
                f"Too many checks in a short time. Please wait {minutes} minutes and try "
                "again. If you need help now, contact the council's complaints team."
            ),
            headers={"Retry-After": str(retry_after)},
        )


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _attempts(since: Any, **match: str) -> int:
    query = select(func.count(Event.id)).where(
        Event.action.in_(("status.checked", "status.failed")), Event.at >= since
    )
    for key, value in match.items():
        query = query.where(Event.detail[key].as_string() == value)
    return int(db.session.scalar(query) or 0)


def describe(case: Case) -> dict[str, Any]:
    """The stage and date in plain words: nothing else about the case."""
    stage = case.current_stage
    due = case.due_on
    if case.status == "closed":
        words, due = "Your complaint is closed.", None
        label = "closed"
    elif stage is None:
        words = "We have your complaint and are deciding how to deal with it."
        label = "received"
    elif stage.closed_on is None:
        label = stage.stage
        words = f"Your complaint is at {STAGE_WORDS[stage.stage]}."
        if stage.paused_on is not None:
            words += " It is paused for now; we will tell you when it restarts."
            due = None
        elif due is not None:
            words += f" We aim to reply by {_long_date(due)}."
    else:
        label = stage.stage
        words = f"We replied at {STAGE_WORDS[stage.stage]}."
        if stage.request_due_on is not None:
            words += (
                " If you are not happy with the reply, you can ask us to look at it again "
                f"by {_long_date(stage.request_due_on)}."
            )
            due = stage.request_due_on
        else:
            due = None
    return {"stage": label, "due_on": due.isoformat() if due else None, "message": words}


def check_status(payload: Any, address: str, address_limit: int | None = None) -> dict[str, Any]:
    """Answer a status check, or 404 for a wrong reference or secret (the same answer
    for both, so references cannot be discovered); 429 over the limits.

    `address` is the client address, or `token:<id>` for the bot, which asks for many
    people from one address (`address_limit` then replaces the per-address limit).
    """
    if not isinstance(payload, dict):
        raise ValidationError({"body": "The request body must be a JSON object."})
    errors = {}
    reference = payload.get("reference")
    secret = payload.get("secret")
    if not isinstance(reference, str) or not reference.strip() or len(reference) > 40:
        errors["reference"] = "Give your complaint reference, like CC-K3M9-7QXT."
    if not isinstance(secret, str) or not secret.strip() or len(secret) > 64:
        errors["secret"] = "Give the secret you were given with your reference."
    if errors:
        raise ValidationError(errors)
    reference = normalise_reference(reference)
    config = current_app.config
    window = int(config["STATUS_WINDOW_SECONDS"])
    since = utcnow() - timedelta(seconds=window)
    if (
        _attempts(since, address=address) >= (address_limit or config["STATUS_MAX_PER_ADDRESS"])
        or _attempts(since, reference=reference) >= config["STATUS_MAX_PER_REFERENCE"]
    ):
        raise StatusThrottled(window)
    case = None
    if PATTERN.match(reference):
        case = db.session.scalar(select(Case).where(Case.reference == reference))
    detail = {"address": address, "reference": reference}
    stored = case.status_secret_hash if case is not None else None
    if not status_secrets.check(secret, stored, reference) or case is None:
        record_event("status.failed", "public", None, detail)
        db.session.commit()
        raise APIError(404, code="not_found", message=NOT_FOUND)
    record_event("status.checked", "public", case, detail)
    db.session.commit()
    return {"reference": case.reference, **describe(case)}
