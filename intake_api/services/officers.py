"""Officer accounts and signing in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from intake_api.errors import APIError
from intake_api.models import OFFICER_ROLES, Event, Officer, db, utcnow
from intake_api.services.events import record_event

PASSWORD_MIN = 12


class OfficerExists(Exception):
    """An officer with this email address already exists."""


class SignInThrottled(APIError):
    """Too many failed sign-ins recently for this address or client."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429,
            message="Too many failed sign-in attempts. Please wait a few minutes and try again.",
            headers={"Retry-After": str(retry_after)},
        )


@dataclass(frozen=True)
class OfficerOutcome:
    """The officer, and whether this call made them."""

    officer: Officer
    created: bool


def normalise_email(email: str) -> str:
    """Email addresses compare case-insensitively here."""
    return email.strip().lower()


def check_new_officer(email: str, name: str, role: str, password: str) -> dict[str, str]:
    """Problems with a new officer's details, by field (empty when all is well)."""
    errors = {}
    if "@" not in email or len(email) > 320:
        errors["email"] = "Give a valid email address."
    if not name.strip():
        errors["name"] = "Give the officer's name."
    if role not in OFFICER_ROLES:
        errors["role"] = f"The role must be one of: {', '.join(OFFICER_ROLES)}."
    if len(password) < PASSWORD_MIN:
        errors["password"] = f"The password must be at least {PASSWORD_MIN} characters."
    return errors


def find_officer(email: str) -> Officer | None:
    """The officer with this email address, if any."""
    return db.session.scalar(select(Officer).where(Officer.email == normalise_email(email)))


def create_officer(
    email: str, name: str, role: str, password: str, actor: str, if_missing: bool = False
) -> OfficerOutcome:
    """Make an officer account. With `if_missing`, an existing account is returned as is;
    otherwise it raises `OfficerExists`. Raises `ValueError` for invalid details."""
    existing = find_officer(email)
    if existing is not None:
        if if_missing:
            return OfficerOutcome(existing, created=False)
        raise OfficerExists(f"An officer with the email {normalise_email(email)} already exists.")
    errors = check_new_officer(email, name, role, password)
    if errors:
        raise ValueError(" ".join(errors.values()))
    officer = Officer(email=normalise_email(email), name=name.strip(), role=role, active=True)
    officer.set_password(password)
    db.session.add(officer)
    db.session.flush()
    record_event("officer.created", actor, detail={"officer_id": officer.id, "role": role})
    db.session.commit()
    return OfficerOutcome(officer, created=True)


def _recent_failures(**match: str) -> int:
    window = current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]
    since = utcnow() - timedelta(seconds=window)
    query = select(func.count(Event.id)).where(
        Event.action == "officer.login_failed", Event.at >= since
    )
    for key, value in match.items():
        query = query.where(Event.detail[key].as_string() == value)
    return int(db.session.scalar(query) or 0)


def authenticate(email: str, password: str, address: str) -> Officer | None:
    """Check a sign-in and record it in the audit log.

    Failed attempts are counted from the audit log itself, so the limit holds across
    worker processes. Raises `SignInThrottled` when over the limit.
    """
    config = current_app.config
    email = normalise_email(email)
    if (
        _recent_failures(email=email) >= config["LOGIN_MAX_FAILURES_PER_EMAIL"]
        or _recent_failures(address=address) >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        raise SignInThrottled(retry_after=config["LOGIN_FAILURE_WINDOW_SECONDS"])
    officer = find_officer(email)
    if officer is None or not officer.active or not officer.check_password(password):
        record_event(
            "officer.login_failed", "anonymous", detail={"email": email, "address": address}
        )
        db.session.commit()
        return None
    officer.last_login_at = utcnow()
    record_event("officer.login", f"officer:{officer.id}", detail={"address": address})
    db.session.commit()
    return officer


def record_logout(officer: Officer) -> None:
    """Note a sign-out in the audit log."""
    record_event("officer.logout", f"officer:{officer.id}")
    db.session.commit()
