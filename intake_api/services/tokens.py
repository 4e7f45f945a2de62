"""Service tokens for machine clients."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from intake_api.models import BOT_SCOPES, TOKEN_SCOPES, Officer, ServiceToken, db
from intake_api.services.events import record_event


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the raw value exists only here and is never stored."""

    token: ServiceToken
    raw: str


def create_token(
    name: str,
    actor: str,
    scopes: tuple[str, ...] | list[str] | None = None,
    officer: Officer | None = None,
) -> IssuedToken:
    """Make a token called `name` and return its raw value once.

    A machine token gets `scopes` (default: the bot's, create cases and check status).
    A token for `officer` acts as that officer, with their role, and has no scopes.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise ValueError("The token name must be 1 to 100 characters.")
    chosen = [] if officer is not None else list(scopes if scopes is not None else BOT_SCOPES)
    unknown = set(chosen) - set(TOKEN_SCOPES)
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}.")
    if officer is None and not chosen:
        raise ValueError("A machine token needs at least one scope.")
    raw = ServiceToken.generate()
    token = ServiceToken(
        name=name, token_hash=ServiceToken.hash(raw), scopes=sorted(set(chosen)), officer=officer
    )
    db.session.add(token)
    db.session.flush()
    record_event(
        "token.created",
        actor,
        detail={
            "token_id": token.id,
            "name": name,
            "scopes": token.scopes,
            "officer_id": officer.id if officer else None,
        },
    )
    db.session.commit()
    return IssuedToken(token=token, raw=raw)


def find_valid_token(raw: str) -> ServiceToken | None:
    """The unrevoked token whose raw value is `raw`, if any."""
    token = db.session.scalar(
        select(ServiceToken).where(ServiceToken.token_hash == ServiceToken.hash(raw.strip()))
    )
    return token if token is not None and not token.revoked else None


def active_tokens_named(name: str) -> list[ServiceToken]:
    """Unrevoked tokens called `name`."""
    return list(
        db.session.scalars(
            select(ServiceToken).where(
                ServiceToken.name == name.strip(), ServiceToken.revoked.is_(False)
            )
        )
    )
