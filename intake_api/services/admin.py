"""Admins' work over the API: officer accounts and tokens. Each write is audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from intake_api.auth import Actor
from intake_api.errors import APIError
from intake_api.models import OFFICER_ROLES, TOKEN_SCOPES, Officer, ServiceToken, db
from intake_api.services import officers as officer_service
from intake_api.services import tokens as token_service
from intake_api.services.events import record_event
from intake_api.services.validation import Payload, ValidationError, is_row_id


def list_officers() -> list[Officer]:
    """Every officer, by email."""
    return list(db.session.scalars(select(Officer).order_by(Officer.email)))


def create_officer(payload: Any, actor: str) -> Officer:
    """Add an officer from `{email, name, role, password}`; 409 if the email is taken."""
    body = Payload(payload)
    email = body.text("email", 320, required=True) or ""
    name = body.text("name", 200, required=True) or ""
    role = body.choice("role", OFFICER_ROLES) or "officer"
    password = body.data.get("password")
    if not isinstance(password, str):
        body.errors["password"] = "Give a password."
        password = ""
    body.check()
    problems = officer_service.check_new_officer(email, name, role, password)
    if problems:
        raise ValidationError(problems)
    try:
        return officer_service.create_officer(email, name, role, password, actor).officer
    except officer_service.OfficerExists as exc:
        raise APIError(409, code="officer_exists", message=str(exc)) from exc


def update_officer(officer_id: int, payload: Any, actor: Actor) -> Officer:
    """Change `role`, `name` or `active`. Admins cannot demote or deactivate themselves,
    so the council is never left without an admin by accident."""
    officer = db.session.get(Officer, officer_id) if is_row_id(officer_id) else None
    if officer is None:
        raise APIError(404, message="There is no officer with that id.")
    body = Payload(payload)
    role = body.choice("role", OFFICER_ROLES)
    name = body.text("name", 200)
    active = body.flag("active")
    if role is None and name is None and active is None:
        body.errors.setdefault("body", "Send at least one of role, name, active.")
    body.check()
    if officer.id == actor.officer_id and (
        (role is not None and role != officer.role) or active is False
    ):
        raise APIError(
            422,
            code="invalid_state",
            message="You cannot change your own role or deactivate yourself.",
        )
    changes = {}
    for field, value in (("role", role), ("name", name), ("active", active)):
        if value is not None and getattr(officer, field) != value:
            changes[field] = value
            setattr(officer, field, value)
    record_event("officer.updated", actor.name, detail={"officer_id": officer.id, **changes})
    db.session.commit()
    return officer


def list_tokens() -> list[ServiceToken]:
    """Every token, newest first."""
    return list(db.session.scalars(select(ServiceToken).order_by(ServiceToken.id.desc())))


def issue_token(payload: Any, actor: str) -> token_service.IssuedToken:
    """Issue a token from `{name, scopes}` (a machine) or `{name, officer_id}` (a person)."""
    body = Payload(payload)
    name = body.text("name", 100, required=True)
    scopes = body.data.get("scopes")
    officer_id = body.data.get("officer_id")
    officer = None
    if officer_id is not None:
        if not is_row_id(officer_id):
            body.errors["officer_id"] = "This must be an officer's id."
        else:
            officer = db.session.get(Officer, officer_id)
            if officer is None or not officer.active:
                body.errors["officer_id"] = "There is no active officer with this id."
        if scopes is not None:
            body.errors["scopes"] = "A token for an officer has that officer's role, not scopes."
    elif scopes is not None and (
        not isinstance(scopes, list) or not scopes or any(s not in TOKEN_SCOPES for s in scopes)
    ):
        body.errors["scopes"] = f"This must be a list of: {', '.join(TOKEN_SCOPES)}."
    body.check()
    return token_service.create_token(name or "", actor, scopes=scopes, officer=officer)


def revoke_token(token_id: int, actor: str) -> ServiceToken:
    """Revoke a token (it stops working at once)."""
    token = db.session.get(ServiceToken, token_id) if is_row_id(token_id) else None
    if token is None:
        raise APIError(404, message="There is no token with that id.")
    if not token.revoked:
        token.revoked = True
        record_event("token.revoked", actor, detail={"token_id": token.id, "name": token.name})
        db.session.commit()
    return token
