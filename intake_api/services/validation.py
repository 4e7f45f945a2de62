"""Checking what clients send, with one plain message per field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from intake_api.errors import APIError
from intake_api.models import AGE_BANDS, CASE_KINDS, CASE_STATUSES, CHANNELS, CONTACT_VIA, STAGES
from intake_api.services import stages as clock
from triage.types import CAUSES, COMPLAINANTS, ROUTES, SERVICE_AREAS

REASON_MAX = 2000
SORTS = ("urgency", "due", "created")
# Far beyond any real queue; keeps OFFSET within what every database accepts.
PAGE_MAX = 100_000

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
    detail: str | None = None
    organisation: str | None = None
    consent: bool | None = None
    contact_via: str = "direct"


@dataclass(frozen=True)
class CaseInput:
    """A validated new case."""

    channel: str
    description: str
    conversation_id: str | None
    complainant: ComplainantInput
    kind: str = "complaint"
    child: dict[str, Any] | None = None
    when_text: str | None = None
    events_on: dt.date | None = None
    over_12_months: bool | None = None
    desired_outcome: str | None = None
    service_mentioned: str | None = None
    advocacy_offered: bool | None = None
    advocacy_accepted: bool | None = None
    safeguarding_disclosed: bool = False
    handoff_requested: bool = False
    related_reference: str | None = None


@dataclass(frozen=True)
class CaseFilters:
    """Validated filters and paging for listing cases."""

    page: int = 1
    per_page: int = 50
    route: str | None = None
    status: str | None = None
    needs_review: bool | None = None
    safeguarding: bool | None = None
    stage: str | None = None
    kind: str | None = None
    cause: str | None = None
    service_area: str | None = None
    assignee: str | None = None  # an officer id, or "none"
    overdue: bool | None = None
    due_within: int | None = None
    q: str | None = None
    sort: str = "urgency"
    handoff: bool | None = None


# Database ids are 32-bit: anything outside cannot exist (and SQLite cannot even bind it).
ROW_ID_MAX = 2**31 - 1


def is_row_id(value: Any) -> bool:
    """Whether `value` could be a row id: a whole number from 1 to ROW_ID_MAX."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= ROW_ID_MAX


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
    value = without_nul(value).strip()
    if len(value) > limit:
        errors[label] = f"This must be at most {limit} characters."
        return None
    return value or None


def without_nul(text: str) -> str:
    """The text without NUL characters, which PostgreSQL cannot store in text columns
    (dropped rather than refused: a complaint must not be lost over one)."""
    return text.replace("\x00", "") if "\x00" in text else text


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
    if isinstance(description, str):
        description = without_nul(description)
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
        detail = _optional_text(raw, "detail", 64, errors, "complainant.detail")
        organisation = _optional_text(raw, "organisation", 200, errors, "complainant.organisation")
        consent = _optional_flag(raw, "consent", errors, "complainant.consent")
        if kind == "advocate" and consent is not True and "complainant.consent" not in errors:
            errors["complainant.consent"] = ADVOCATE_CONSENT
        contact_via = raw.get("contact_via")
        if contact_via is None:
            contact_via = "none" if anonymous is True else "direct"
        elif contact_via not in CONTACT_VIA:
            errors["complainant.contact_via"] = f"This must be one of: {_choices(CONTACT_VIA)}."
        if not errors:
            complainant = ComplainantInput(
                type=kind,
                name=name,
                email=email,
                phone=phone,
                anonymous=anonymous,
                detail=detail,
                organisation=organisation,
                consent=consent,
                contact_via=contact_via,
            )

    kind = data.get("kind", "complaint")
    if kind is None:
        kind = "complaint"
    if kind not in CASE_KINDS:
        errors["kind"] = f"This must be one of: {_choices(CASE_KINDS)}."
    child = child_changes(data.get("child"), errors)
    when = _when(data.get("when"), errors)
    desired_outcome = _optional_text(data, "desired_outcome", 2000, errors, "desired_outcome")
    service_mentioned = _optional_text(data, "service_mentioned", 500, errors, "service_mentioned")
    offered, accepted = _advocacy(data.get("advocacy"), errors)
    disclosed = _optional_flag(data, "safeguarding_disclosed", errors, "safeguarding_disclosed")
    handoff = _optional_flag(data, "handoff_requested", errors, "handoff_requested")
    related = data.get("related_reference")
    # Never a 422: an unusable reference is dropped (and noted) rather than lose a complaint.
    related = related.strip() if isinstance(related, str) and related.strip() else None

    if errors or complainant is None:
        raise ValidationError(errors)
    return CaseInput(
        channel=channel,
        description=description,
        conversation_id=conversation_id,
        complainant=complainant,
        kind=kind,
        child=child,
        when_text=when.get("text"),
        events_on=when.get("date"),
        over_12_months=when.get("over_12_months"),
        desired_outcome=desired_outcome,
        service_mentioned=service_mentioned,
        advocacy_offered=offered,
        advocacy_accepted=accepted,
        safeguarding_disclosed=bool(disclosed),
        handoff_requested=bool(handoff),
        related_reference=related,
    )


ADVOCATE_CONSENT = (
    "An advocate must have the child's agreement before sending a complaint for them."
)


def _optional_flag(
    data: dict[str, Any], name: str, errors: dict[str, str], label: str
) -> bool | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        errors[label] = "This must be true or false."
        return None
    return value


def _when(raw: Any, errors: dict[str, str]) -> dict[str, Any]:
    """`when`: the person's words (<= 200), an approximate start date (not in the future)
    and whether they said it was more than 12 months ago."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors["when"] = "This must be an object with text, date and over_12_months."
        return {}
    inner = Payload(raw)
    found: dict[str, Any] = {
        "text": inner.text("text", 200),
        "date": inner.past_day("date"),
        "over_12_months": inner.flag("over_12_months"),
    }
    errors.update({f"when.{key}": value for key, value in inner.errors.items()})
    return found


def _advocacy(raw: Any, errors: dict[str, str]) -> tuple[bool | None, bool | None]:
    """`advocacy`: whether an advocate was offered (s26A Children Act 1989) and accepted."""
    if raw is None:
        return None, None
    if not isinstance(raw, dict):
        errors["advocacy"] = "This must be an object with offered and accepted."
        return None, None
    offered = _optional_flag(raw, "offered", errors, "advocacy.offered")
    accepted = _optional_flag(raw, "accepted", errors, "advocacy.accepted")
    if accepted and offered is False:
        errors["advocacy.accepted"] = "Advocacy cannot be accepted if it was not offered."
    if accepted and offered is None:
        offered = True  # accepted means it was offered
    return offered, accepted


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
    if page > PAGE_MAX:
        errors["page"] = f"This must be at most {PAGE_MAX}."
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
    overdue = _flag(args, "overdue", errors)
    handoff = _flag(args, "handoff", errors)
    choices = {}
    for name, options in (
        ("stage", STAGES),
        ("kind", CASE_KINDS),
        ("cause", CAUSES),
        ("service_area", SERVICE_AREAS),
        ("sort", SORTS),
    ):
        value = args.get(name) or None
        if value is not None and value not in options:
            errors[name] = f"This must be one of: {_choices(options)}."
        choices[name] = value
    assignee = args.get("assignee") or None
    if (
        assignee is not None
        and assignee != "none"
        and not (assignee.isdigit() and len(assignee) <= 9)
    ):
        errors["assignee"] = "This must be an officer's id, or none."
    due_within = None
    if args.get("due_within"):
        due_within = _positive_int(args, "due_within", 0, errors)
        if due_within > 365:
            errors["due_within"] = "This must be at most 365 working days."
    q = (args.get("q") or "").strip() or None
    if q is not None and len(q) > 200:
        errors["q"] = "This must be at most 200 characters."
    if errors:
        raise ValidationError(errors, message="Some of the filters are not valid. See the fields.")
    return CaseFilters(
        page=page,
        per_page=per_page,
        route=route,
        status=status,
        needs_review=needs_review,
        safeguarding=safeguarding,
        stage=choices["stage"],
        kind=choices["kind"],
        cause=choices["cause"],
        service_area=choices["service_area"],
        assignee=assignee,
        overdue=overdue,
        due_within=due_within,
        q=q,
        sort=choices["sort"] or "urgency",
        handoff=handoff,
    )


class Payload:
    """Reads one action's JSON object, collecting a plain message per bad field."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise ValidationError(
                {"body": "The request body must be a JSON object."},
                message="The request body must be a JSON object.",
            )
        self.data = data
        self.errors: dict[str, str] = {}

    def has(self, name: str) -> bool:
        """Whether the field was sent (even as null)."""
        return name in self.data

    def text(self, name: str, limit: int, required: bool = False, label: str = "") -> str | None:
        """Optional (or required) trimmed text of at most `limit` characters."""
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.errors[name] = label or "This is needed and cannot be empty."
            return None
        if not isinstance(value, str):
            self.errors[name] = "This must be text."
            return None
        value = without_nul(value).strip()
        if len(value) > limit:
            self.errors[name] = f"This must be at most {limit} characters."
            return None
        return value

    def reason(self, required: bool = True) -> str | None:
        """The officer's reason: needed for overrides, extensions, pauses and reopening."""
        return self.text("reason", REASON_MAX, required, "Give a reason: it is kept in the record.")

    def choice(self, name: str, options: tuple[str, ...], required: bool = False) -> str | None:
        """One of `options`."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.errors[name] = f"This is needed: one of {', '.join(options)}."
            return None
        if value not in options:
            self.errors[name] = f"This must be one of: {', '.join(options)}."
            return None
        return value

    def flag(self, name: str) -> bool | None:
        """True, false or null."""
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.errors[name] = "This must be true or false."
            return None
        return value

    def integer(self, name: str, low: int, high: int, required: bool = False) -> int | None:
        """A whole number from `low` to `high`."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.errors[name] = "This is needed."
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.errors[name] = f"This must be a whole number from {low} to {high}."
            return None
        return value

    def day(self, name: str, required: bool = False) -> dt.date | None:
        """A date as YYYY-MM-DD, not in the future."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.errors[name] = "Give the date as YYYY-MM-DD."
            return None
        try:
            parsed = dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or len(value) != 10:
            self.errors[name] = "Give the date as YYYY-MM-DD."
            return None
        return parsed

    def past_day(self, name: str) -> dt.date | None:
        """A date that is not in the future."""
        value = self.day(name)
        if value is not None and value > clock.today():
            self.errors[name] = "This date cannot be in the future."
            return None
        return value

    def check(self) -> None:
        """Raise the collected problems, if any."""
        if self.errors:
            raise ValidationError(self.errors)


CHILD_TEXT = {
    "name": 200,
    "details": 5000,
    "gender": 64,
    "ethnicity": 64,
    "disability": 64,
}


def child_changes(raw: Any, errors: dict[str, str]) -> dict[str, Any]:
    """Checked fields of a `child` object (all optional), problems added to `errors`."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors["child"] = "This must be an object."
        return {}
    inner = Payload(raw)
    changes: dict[str, Any] = {}
    for name, limit in CHILD_TEXT.items():
        if inner.has(name):
            changes[name] = inner.text(name, limit)
    if inner.has("age_band"):
        changes["age_band"] = inner.choice("age_band", AGE_BANDS)
    if inner.has("date_of_birth"):
        changes["date_of_birth"] = inner.past_day("date_of_birth")
    errors.update({f"child.{key}": value for key, value in inner.errors.items()})
    return changes


def validate_child(raw: Any) -> dict[str, Any]:
    """Check a `child` object (all fields optional); raise ValidationError."""
    errors: dict[str, str] = {}
    changes = child_changes(raw, errors)
    if errors:
        raise ValidationError(errors)
    return changes
