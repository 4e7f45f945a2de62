"""Checking what clients send, with one plain message per field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from intake_api.errors import APIError
from intake_api.models import CASE_STATUSES, CHANNELS
from triage.types import COMPLAINANTS, ROUTES

DESCRIPTION_MAX = 20000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-.\s]{6,40}$")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class ValidationError(APIError):
    """Field-level problems with a request; the API answers 422."""

    def __init__(self, fields: dict[str, str], message: str | None = None) -> None:
        super().__init__(
            422,
            code="validation_error",
            message=message or "Some of the information sent is not valid. See the fields.",
            fields=fields,
        )


@dataclass(frozen=True)
class ComplainantInput:
    """A validated complainant."""

    type: str
    name: str | None
    email: str | None
    phone: str | None
    anonymous: bool


@dataclass(frozen=True)
class CaseInput:
    """A validated new case."""

    channel: str
    description: str
    conversation_id: str | None
    complainant: ComplainantInput


@dataclass(frozen=True)
class CaseFilters:
    """Validated filters and paging for listing cases."""

    page: int = 1
    per_page: int = 50
    route: str | None = None
    status: str | None = None
    needs_review: bool | None = None
    safeguarding: bool | None = None


def _choices(options: tuple[str, ...]) -> str:
    return ", ".join(options)


def _optional_text(
    data: dict[str, Any], name: str, limit: int, errors: dict[str, str], label: str
) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        errors[label] = "This must be text."
        return None
    value = value.strip()
    if len(value) > limit:
        errors[label] = f"This must be at most {limit} characters."
        return None
    return value or None


def validate_case_payload(data: Any) -> CaseInput:
    """Check a `POST /cases` body; raise `ValidationError` listing every problem found.

    Fields the contract does not name are ignored rather than refused, so a newer client
    never loses a complaint to an older server.
    """
    if not isinstance(data, dict):
        raise ValidationError(
            {"body": "The request body must be a JSON object."},
            message="The request body must be a JSON object.",
        )
    errors: dict[str, str] = {}

    channel = data.get("channel")
    if channel is None:
        errors["channel"] = "Say which channel the complaint came through."
    elif channel not in CHANNELS:
        errors["channel"] = f"This must be one of: {_choices(CHANNELS)}."

    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        errors["description"] = "Describe what happened: this cannot be empty."
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = f"This must be at most {DESCRIPTION_MAX} characters."

    conversation_id = _optional_text(data, "conversation_id", 200, errors, "conversation_id")

    complainant = None
    raw = data.get("complainant")
    if not isinstance(raw, dict):
        errors["complainant"] = "Say who is complaining: this must be an object with a type."
    else:
        kind = raw.get("type")
        if kind is None:
            errors["complainant.type"] = "Say who is complaining."
        elif kind not in COMPLAINANTS:
            errors["complainant.type"] = f"This must be one of: {_choices(COMPLAINANTS)}."
        name = _optional_text(raw, "name", 200, errors, "complainant.name")
        email = _optional_text(raw, "email", 320, errors, "complainant.email")
        if email and not _EMAIL.match(email):
            errors["complainant.email"] = "This does not look like an email address."
        phone = _optional_text(raw, "phone", 40, errors, "complainant.phone")
        if phone and not _PHONE.match(phone):
            errors["complainant.phone"] = "This does not look like a phone number."
        anonymous = raw.get("anonymous", False)
        if anonymous is None:
            anonymous = False
        if not isinstance(anonymous, bool):
            errors["complainant.anonymous"] = "This must be true or false."
        if not errors:
            complainant = ComplainantInput(
                type=kind, name=name, email=email, phone=phone, anonymous=anonymous
            )

    if errors or complainant is None:
        raise ValidationError(errors)
    return CaseInput(
        channel=channel,
        description=description,
        conversation_id=conversation_id,
        complainant=complainant,
    )


def validate_idempotency_key(value: str | None) -> str:
    """Check the `Idempotency-Key` header: required, 8 to 200 visible ASCII characters."""
    if value is None or not value.strip():
        raise APIError(
            400,
            code="idempotency_key_required",
            message=(
                "Send an Idempotency-Key header so a retried request never makes a second case."
            ),
        )
    value = value.strip()
    if not 8 <= len(value) <= 200 or not all(33 <= ord(c) <= 126 for c in value):
        raise APIError(
            400,
            code="idempotency_key_invalid",
            message="The Idempotency-Key header must be 8 to 200 visible ASCII characters.",
        )
    return value


def _flag(args: Any, name: str, errors: dict[str, str]) -> bool | None:
    value = args.get(name)
    if value is None or value == "":
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    errors[name] = "This must be true or false."
    return None


def _positive_int(args: Any, name: str, default: int, errors: dict[str, str]) -> int:
    value = args.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        errors[name] = "This must be a whole number."
        return default
    if number < 1:
        errors[name] = "This must be 1 or more."
        return default
    return number


def validate_case_filters(
    args: Any, max_per_page: int = 100, default_per_page: int = 50
) -> CaseFilters:
    """Check the query string of `GET /cases` (a mapping of strings)."""
    errors: dict[str, str] = {}
    page = _positive_int(args, "page", 1, errors)
    per_page = _positive_int(args, "per_page", default_per_page, errors)
    if per_page > max_per_page:
        errors["per_page"] = f"This must be at most {max_per_page}."
    route = args.get("route") or None
    if route is not None and route not in ROUTES:
        errors["route"] = f"This must be one of: {_choices(ROUTES)}."
    status = args.get("status") or None
    if status is not None and status not in CASE_STATUSES:
        errors["status"] = f"This must be one of: {_choices(CASE_STATUSES)}."
    needs_review = _flag(args, "needs_review", errors)
    safeguarding = _flag(args, "safeguarding", errors)
    if errors:
        raise ValidationError(errors, message="Some of the filters are not valid. See the fields.")
    return CaseFilters(
        page=page,
        per_page=per_page,
        route=route,
        status=status,
        needs_review=needs_review,
        safeguarding=safeguarding,
    )
