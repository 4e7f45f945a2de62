"""Typed SQLAlchemy models. The schema itself is made by the Alembic migrations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone
from typing import Any, ClassVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

# Named constraints so migrations can alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

CASE_STATUSES = ("new",)
CHANNELS = ("web_chat", "web_form", "email", "phone", "letter", "in_person")
OFFICER_ROLES = ("officer", "manager", "admin")
TRIAGE_SOURCES = ("model", "officer")


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


def isoformat(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`; SQLite hands datetimes back naive, so naive means UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


class Complainant(db.Model):
    """The person making the complaint (or the advocate acting for a child)."""

    __tablename__ = "complainants"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def to_dict(self) -> dict[str, Any]:
        """The complainant as the API shows it."""
        return {
            "type": self.type,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "anonymous": self.anonymous,
        }


class Case(db.Model):
    """One complaint, from intake through the statutory or corporate stages."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(32), default="new", index=True)
    channel: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    conversation_id: Mapped[str | None] = mapped_column(String(200), index=True)
    complainant_id: Mapped[int] = mapped_column(ForeignKey("complainants.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Incremented on every UPDATE; a stale write raises StaleDataError instead of
    # silently overwriting an officer's change.
    version_id: Mapped[int] = mapped_column(Integer, default=1)
    # For a later "check my complaint" page: the complainant gets a secret once.
    status_secret_hash: Mapped[str | None] = mapped_column(String(255))

    complainant: Mapped[Complainant] = relationship(lazy="joined")
    triage_results: Mapped[list[TriageResult]] = relationship(
        back_populates="case",
        order_by="TriageResult.id",
        cascade="all, delete-orphan",
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="case", order_by="Event.id", passive_deletes=True
    )

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}

    @property
    def triage(self) -> TriageResult | None:
        """The current triage: the latest result, an officer's override or the model's."""
        return self.triage_results[-1] if self.triage_results else None

    def to_dict(self) -> dict[str, Any]:
        """The case as the API shows it."""
        triage = self.triage
        return {
            "reference": self.reference,
            "status": self.status,
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "channel": self.channel,
            "conversation_id": self.conversation_id,
            "description": self.description,
            "complainant": self.complainant.to_dict(),
            "triage": triage.to_dict() if triage else None,
        }


class TriageResult(db.Model):
    """A routing decision for a case: the model's, or an officer's correction of it."""

    __tablename__ = "triage_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    route: Mapped[str] = mapped_column(String(32), index=True)
    causes: Mapped[list[str]] = mapped_column(JSON, default=list)
    service_area: Mapped[str] = mapped_column(String(64))
    safeguarding: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    model_version: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16), default="model")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    override_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="triage_results")

    def to_dict(self) -> dict[str, Any]:
        """The triage as the API shows it: `triage.TriageResult.to_dict()` plus provenance."""
        return {
            "route": self.route,
            "causes": list(self.causes or []),
            "service_area": self.service_area,
            "safeguarding": self.safeguarding,
            "confidence": self.confidence,
            "needs_review": self.needs_review,
            "reasons": list(self.reasons or []),
            "model_version": self.model_version,
            "source": self.source,
            "override_reason": self.override_reason,
            "created_at": isoformat(self.created_at),
        }


class Event(db.Model):
    """Append-only audit log: who did what, to which case, when."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    case: Mapped[Case | None] = relationship(back_populates="events")


@event.listens_for(Event, "before_update")
@event.listens_for(Event, "before_delete")
def _refuse_event_change(mapper: Any, connection: Any, target: Event) -> None:
    raise RuntimeError("Events are append-only: they cannot be changed or deleted.")


class IdempotencyKey(db.Model):
    """Remembers which case a client's `Idempotency-Key` made, so retries make no second."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship()


class Officer(db.Model):
    """A member of council staff who signs in to the officer pages."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="officer")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password` (werkzeug's default, scrypt)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Whether `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)


class ServiceToken(db.Model):
    """A bearer token for a machine client such as the bot's action server."""

    __tablename__ = "service_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    @staticmethod
    def generate() -> str:
        """A new raw token; only its hash is stored."""
        return "cct_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        """SHA-256 hex of a raw token (tokens are long and random, so no salt is needed)."""
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()
