"""Service tokens for machine clients."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from intake_api.models import ServiceToken, db
from intake_api.services.events import record_event


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the raw value exists only here and is never stored."""

    token: ServiceToken
    raw: str


def create_token(name: str, actor: str) -> IssuedToken:
    """Make a token called `name` and return its raw value once."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValueError("The token name must be 1 to 100 characters.")
    raw = ServiceToken.generate()
    token = ServiceToken(name=name, token_hash=ServiceToken.hash(raw))
    db.session.add(token)
    db.session.flush()
    record_event("token.created", actor, detail={"token_id": token.id, "name": name})
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
