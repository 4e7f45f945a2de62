"""Typed SQLAlchemy models. The schema itself is made by the Alembic migrations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timezone
from typing import Any, ClassVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
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

# new: received, not yet acknowledged; open: a stage is running; paused: the stage clock is
# stopped (with a reason); responded: the stage has an outcome and the complainant may ask
# for the next stage; closed: finished (with outcomes, or not considered).
CASE_STATUSES = ("new", "open", "paused", "responded", "closed")
CASE_KINDS = ("complaint", "compliment")
# Statutory stages, then the Ombudsman; the corporate procedure uses stage_1 and stage_2.
STAGES = ("stage_1", "stage_2", "stage_3", "ombudsman")
PROCEDURE_ROUTES = ("statutory", "corporate")
OUTCOMES = ("upheld", "partly_upheld", "not_upheld", "no_finding", "withdrawn")
NOT_CONSIDERED_REASONS = (
    "court_proceedings",
    "another_organisation",
    "withdrawn",
    "out_of_time",
    "not_eligible",
    "other",
)
ACTION_STATUSES = ("planned", "in_progress", "done")
TOKEN_SCOPES = ("cases:create", "status:check", "cases:read")
# What `create-token` gives by default: all the bot needs, nothing more.
BOT_SCOPES = ("cases:create", "status:check")
CHANNELS = ("web_chat", "web_form", "email", "phone", "letter", "in_person")
OFFICER_ROLES = ("officer", "manager", "admin")
TRIAGE_SOURCES = ("model", "officer")
# The child's age as the bot asks it: bands, not a date of birth (reports group by them).
AGE_BANDS = ("under_10", "10_to_12", "13_to_15", "16_to_17", "18_to_25")
# Where a case is with triage. pending: committed, waiting for the triage worker;
# done: triaged (by the model or an officer); failed: the model could not triage it, an
# officer triages it by hand; not_needed: a compliment.
TRIAGE_STATES = ("pending", "done", "failed", "not_needed")
# How the council should reach the complainant: them, their advocate, or not at all.
CONTACT_VIA = ("direct", "advocate", "none")


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


def dateformat(day: date | None) -> str | None:
    """A date as ISO 8601 (YYYY-MM-DD)."""
    return day.isoformat() if day is not None else None


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
    # A finer reporting label under `type` (e.g. grandparent under relative).
    detail: Mapped[str | None] = mapped_column(String(64))
    # An advocate acting for a child: their organisation, and the child's consent.
    advocate_organisation: Mapped[str | None] = mapped_column(String(200))
    consent_recorded: Mapped[bool | None] = mapped_column(Boolean)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # CONTACT_VIA: direct, through their advocate, or none (anonymous).
    contact_via: Mapped[str | None] = mapped_column(String(16))
    # Lower-cased email and digits-only phone, so a person's data can be found on request.
    email_key: Mapped[str | None] = mapped_column(String(320), index=True)
    phone_key: Mapped[str | None] = mapped_column(String(40), index=True)

    def to_dict(self) -> dict[str, Any]:
        """The complainant as the API shows it (what the person gave on intake)."""
        return {
            "type": self.type,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "anonymous": self.anonymous,
            "detail": self.detail,
            "advocate_organisation": self.advocate_organisation,
            "consent_recorded": self.consent_recorded,
            "consent_recorded_at": isoformat(self.consent_recorded_at),
            "contact_via": self.contact_via,
        }

    def detail_dict(self) -> dict[str, Any]:
        """The complainant with what officers recorded since (today the same fields)."""
        return self.to_dict()

    def set_contact(self, email: str | None, phone: str | None) -> None:
        """Store contact details and their search keys together."""
        self.email = email
        self.phone = phone
        self.email_key = contact_key_email(email)
        self.phone_key = contact_key_phone(phone)


def contact_key_email(email: str | None) -> str | None:
    """How an email address is matched: trimmed and lower-cased."""
    return email.strip().lower() if email and email.strip() else None


def contact_key_phone(phone: str | None) -> str | None:
    """How a phone number is matched: its digits, with a UK +44 written as 0."""
    if not phone:
        return None
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits or None


class Case(db.Model):
    """One complaint (or compliment), from intake through the statutory or corporate stages.

    The current route, service area, flags, stage and due date are kept on the case itself
    (the history is in `triage_results` and `stages`) so the officers' queue is one indexed
    query, not a join over history.
    """

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
    # The complainant's "check my complaint" secret, hashed (see services.status).
    status_secret_hash: Mapped[str | None] = mapped_column(String(255))

    kind: Mapped[str] = mapped_column(String(16), default="complaint")
    # Day 0 for every deadline: the day the council received it (UK date).
    received_on: Mapped[date | None] = mapped_column(Date)
    route: Mapped[str | None] = mapped_column(String(32), index=True)
    service_area: Mapped[str | None] = mapped_column(String(64), index=True)
    safeguarding: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=True)
    stage: Mapped[str | None] = mapped_column(String(16), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    acknowledge_due_on: Mapped[date | None] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    team: Mapped[str | None] = mapped_column(String(100))
    not_considered_reason: Mapped[str | None] = mapped_column(String(32))
    advocacy_offered: Mapped[bool | None] = mapped_column(Boolean)
    advocacy_taken_up: Mapped[bool | None] = mapped_column(Boolean)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the person told the bot beyond the description (migration 0004). `when`: the
    # words they used, an approximate start date, and whether they said it was over 12
    # months ago (Reg 9: a flag for the officer, never a refusal).
    events_when_text: Mapped[str | None] = mapped_column(String(200))
    events_on: Mapped[date | None] = mapped_column(Date)
    over_12_months: Mapped[bool | None] = mapped_column(Boolean)
    desired_outcome: Mapped[str | None] = mapped_column(Text)
    service_mentioned: Mapped[str | None] = mapped_column(String(500))
    # The bot detected a disclosure of danger: safeguarding whatever triage says.
    safeguarding_disclosed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The person asked to speak to a person.
    handoff_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # An earlier case from the same conversation (e.g. the urgent safeguarding case the
    # bot raised at the moment of disclosure). References never change, so no join.
    related_reference: Mapped[str | None] = mapped_column(String(16), index=True)

    # TRIAGE_STATES (migration 0005). With TRIAGE_MODE=worker a case is committed pending
    # and the triage worker triages it after; failures are retried with a back-off.
    triage_state: Mapped[str | None] = mapped_column(String(16))
    triage_attempts: Mapped[int] = mapped_column(Integer, default=0)
    triage_retry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    complainant: Mapped[Complainant] = relationship(lazy="joined")
    assignee: Mapped[Officer | None] = relationship(lazy="joined")
    triage_results: Mapped[list[TriageResult]] = relationship(
        back_populates="case",
        order_by="TriageResult.id",
        cascade="all, delete-orphan",
    )
    cause_rows: Mapped[list[CaseCause]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="selectin"
    )
    stages: Mapped[list[CaseStage]] = relationship(
        back_populates="case", order_by="CaseStage.id", cascade="all, delete-orphan"
    )
    child: Mapped[Child | None] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False
    )
    learning_actions: Mapped[list[LearningAction]] = relationship(
        back_populates="case", order_by="LearningAction.id", cascade="all, delete-orphan"
    )
    notes: Mapped[list[Note]] = relationship(
        back_populates="case", order_by="Note.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="case", order_by="Event.id", passive_deletes=True
    )

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version_id}
    __table_args__ = (
        # The queue: open work by due date, and the urgency order.
        Index("ix_cases_status_due_on", "status", "due_on"),
        # The orders `sort=urgency` and `sort=due` ask for, column for column, so the first
        # page is read straight off an index.
        Index(
            "ix_cases_urgency",
            safeguarding.desc(),
            needs_review.desc(),
            due_on,
            created_at.desc(),
            id.desc(),
        ),
        Index("ix_cases_due", due_on, created_at.desc(), id.desc()),
        # Counting the matches of common filters without reading the table.
        Index("ix_cases_route_stage", "route", "stage"),
        Index("ix_cases_needs_review", "needs_review"),
        # The triage worker's backlog: only pending cases are indexed (PostgreSQL and
        # SQLite both support partial indexes), so the index stays tiny.
        Index(
            "ix_cases_triage_pending",
            "id",
            postgresql_where=triage_state == "pending",
            sqlite_where=triage_state == "pending",
        ),
    )

    @property
    def time_limit_flag(self) -> str | None:
        """Why the 12-month limit (Reg 9) may apply, for the officer; None if no sign.

        Only ever a flag: the officer decides whether to consider a late complaint.
        """
        if self.over_12_months:
            return (
                "The person says this happened more than 12 months ago: the officer decides "
                "whether to consider it (Regulation 9)."
            )
        if self.events_on is not None and self.received_on is not None:
            year_before = _year_before(self.received_on)
            if self.events_on < year_before:
                return (
                    "The person gives a start date more than 12 months before the complaint "
                    "was received: if it is not still going on, the officer decides whether "
                    "to consider it (Regulation 9)."
                )
        return None

    @property
    def triage(self) -> TriageResult | None:
        """The current triage: the latest result, an officer's override or the model's."""
        return self.triage_results[-1] if self.triage_results else None

    @property
    def causes(self) -> list[str]:
        """The current causes, in taxonomy order."""
        from triage.types import CAUSES

        held = {row.cause for row in self.cause_rows}
        return [cause for cause in CAUSES if cause in held]

    @property
    def current_stage(self) -> CaseStage | None:
        """The stage row the case is at (the latest one opened)."""
        return self.stages[-1] if self.stages else None

    @property
    def etag(self) -> str:
        """The version as an HTTP entity tag."""
        return f'"{self.version_id}"'

    def to_dict(self) -> dict[str, Any]:
        """The case as the API lists it."""
        triage = self.triage
        return {
            "reference": self.reference,
            "kind": self.kind,
            "status": self.status,
            "version": self.version_id,
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "received_on": dateformat(self.received_on),
            "channel": self.channel,
            "conversation_id": self.conversation_id,
            "description": self.description,
            "complainant": self.complainant.to_dict(),
            "triage": triage.to_dict() if triage else None,
            "triage_status": self.triage_state,
            "route": self.route,
            "service_area": self.service_area,
            "causes": self.causes,
            "safeguarding": self.safeguarding,
            "needs_review": self.needs_review,
            "stage": self.stage,
            "due_on": dateformat(self.due_on),
            "acknowledge_due_on": dateformat(self.acknowledge_due_on),
            "acknowledged_at": isoformat(self.acknowledged_at),
            "assignee": self.assignee.summary() if self.assignee else None,
            "team": self.team,
            "closed_at": isoformat(self.closed_at),
            "when": {
                "text": self.events_when_text,
                "date": dateformat(self.events_on),
                "over_12_months": self.over_12_months,
            },
            "time_limit_flag": self.time_limit_flag,
            "desired_outcome": self.desired_outcome,
            "service_mentioned": self.service_mentioned,
            "advocacy": {"offered": self.advocacy_offered, "accepted": self.advocacy_taken_up},
            "safeguarding_disclosed": self.safeguarding_disclosed,
            "handoff_requested": self.handoff_requested,
            "related_reference": self.related_reference,
        }

    def detail_dict(self, include_private: bool) -> dict[str, Any]:
        """Everything about the case; private notes only for officers."""
        body = self.to_dict()
        body.update(
            {
                "complainant": self.complainant.detail_dict(),
                "not_considered_reason": self.not_considered_reason,
                "advocacy_offered": self.advocacy_offered,
                "advocacy_taken_up": self.advocacy_taken_up,
                "anonymised_at": isoformat(self.anonymised_at),
                "child": self.child.to_dict() if self.child else None,
                "triage_history": [row.to_dict() for row in self.triage_results],
                "stages": [stage.to_dict() for stage in self.stages],
                "learning_actions": [action.to_dict() for action in self.learning_actions],
            }
        )
        if include_private:
            body["notes"] = [note.to_dict() for note in self.notes]
        return body


def _year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


class CaseCause(db.Model):
    """One current cause of a case (a row each, so the queue can filter by cause)."""

    __tablename__ = "case_causes"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    cause: Mapped[str] = mapped_column(String(32), primary_key=True)

    case: Mapped[Case] = relationship(back_populates="cause_rows")

    # Filtering the queue by cause reads this index alone.
    __table_args__ = (Index("ix_case_causes_cause_case_id", "cause", "case_id"),)


class Child(db.Model):
    """The child the complaint is about: all optional; equality fields for monitoring only."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    age_band: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[str | None] = mapped_column(Text)
    gender: Mapped[str | None] = mapped_column(String(64))
    ethnicity: Mapped[str | None] = mapped_column(String(64))
    disability: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    case: Mapped[Case] = relationship(back_populates="child")

    FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "date_of_birth",
        "age_band",
        "details",
        "gender",
        "ethnicity",
        "disability",
    )

    def to_dict(self) -> dict[str, Any]:
        """The child as officers see it."""
        body: dict[str, Any] = {name: getattr(self, name) for name in self.FIELDS}
        body["date_of_birth"] = dateformat(self.date_of_birth)
        return body


class CaseStage(db.Model):
    """One stage of one case: opened, due, extended, paused, closed with an outcome.

    `due_on` is always the effective date: the timescale from `opened_on` (or the
    extension), plus the working days spent paused. A reroute or escalation closes the
    row and opens a new one, so nothing is overwritten.
    """

    __tablename__ = "case_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    route: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(16))
    opened_on: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[date | None] = mapped_column(Date)
    extended_working_days: Mapped[int | None] = mapped_column(Integer)
    extended_to: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    paused_on: Mapped[date | None] = mapped_column(Date)
    # Stage 3: the panel meets, reports within 5 working days; the council responds in 15.
    panel_on: Mapped[date | None] = mapped_column(Date)
    report_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    # Why the row closed: responded, escalated, rerouted, case_closed.
    closed_reason: Mapped[str | None] = mapped_column(String(32))
    # The last day the complainant may ask for the next stage (after a response).
    request_due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="stages")
    pauses: Mapped[list[StagePause]] = relationship(
        back_populates="stage", order_by="StagePause.id", cascade="all, delete-orphan"
    )

    @property
    def extended(self) -> bool:
        """Whether the stage was extended."""
        return self.extended_working_days is not None

    def to_dict(self) -> dict[str, Any]:
        """The stage as officers see it."""
        return {
            "route": self.route,
            "stage": self.stage,
            "opened_on": dateformat(self.opened_on),
            "working_days": self.working_days,
            "due_on": dateformat(self.due_on),
            "extended": self.extended,
            "extended_working_days": self.extended_working_days,
            "extended_to": dateformat(self.extended_to),
            "extension_reason": self.extension_reason,
            "paused_days": self.paused_days,
            "paused_on": dateformat(self.paused_on),
            "pauses": [pause.to_dict() for pause in self.pauses],
            "panel_on": dateformat(self.panel_on),
            "report_on": dateformat(self.report_on),
            "closed_on": dateformat(self.closed_on),
            "outcome": self.outcome,
            "closed_reason": self.closed_reason,
            "request_due_on": dateformat(self.request_due_on),
        }


class StagePause(db.Model):
    """A time the stage clock was stopped, why, and how many working days it cost."""

    __tablename__ = "stage_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("case_stages.id", ondelete="CASCADE"), index=True
    )
    paused_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    resumed_on: Mapped[date | None] = mapped_column(Date)
    resume_reason: Mapped[str | None] = mapped_column(Text)
    working_days: Mapped[int | None] = mapped_column(Integer)

    stage: Mapped[CaseStage] = relationship(back_populates="pauses")

    def to_dict(self) -> dict[str, Any]:
        """The pause as officers see it."""
        return {
            "paused_on": dateformat(self.paused_on),
            "reason": self.reason,
            "resumed_on": dateformat(self.resumed_on),
            "resume_reason": self.resume_reason,
            "working_days": self.working_days,
        }


class LearningAction(db.Model):
    """Something the council will change because of this complaint."""

    __tablename__ = "learning_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    case: Mapped[Case] = relationship(back_populates="learning_actions")

    def to_dict(self) -> dict[str, Any]:
        """The action as officers see it."""
        return {
            "id": self.id,
            "description": self.description,
            "owner": self.owner,
            "status": self.status,
            "due_on": dateformat(self.due_on),
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
        }


class Note(db.Model):
    """A private note by an officer: never shown to the complainant or to service tokens."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="notes")

    def to_dict(self) -> dict[str, Any]:
        """The note as officers see it."""
        return {
            "id": self.id,
            "author": self.author,
            "body": self.body,
            "created_at": isoformat(self.created_at),
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
            "officer_id": self.officer_id,
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

    def summary(self) -> dict[str, Any]:
        """The officer as a case shows them."""
        return {"id": self.id, "name": self.name, "email": self.email}

    def to_dict(self) -> dict[str, Any]:
        """The officer as admins see them."""
        return {
            **self.summary(),
            "role": self.role,
            "active": self.active,
            "created_at": isoformat(self.created_at),
            "last_login_at": isoformat(self.last_login_at),
        }

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
    # What a machine token may do (TOKEN_SCOPES). A token issued to an officer instead
    # acts as that officer, with their role, for as long as they are active.
    scopes: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(BOT_SCOPES))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)

    officer: Mapped[Officer | None] = relationship()

    def to_dict(self) -> dict[str, Any]:
        """The token as admins see it (never its value)."""
        return {
            "id": self.id,
            "name": self.name,
            "scopes": list(self.scopes or []),
            "officer_id": self.officer_id,
            "revoked": self.revoked,
            "created_at": isoformat(self.created_at),
        }

    @staticmethod
    def generate() -> str:
        """A new raw token; only its hash is stored."""
        return "cct_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        """SHA-256 hex of a raw token (tokens are long and random, so no salt is needed)."""
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()
