"""The records the report engine counts: plain frozen dataclasses, no database.

This is the contract between the case lifecycle (a later adapter fills these from the
database) and the statutory report (Regulation 13(3) of the Children Act 1989
Representations Procedure (England) Regulations 2006). Labels are the project taxonomy's
identifiers (``triage.types``); the constructors reject anything else, so a bad adapter
fails loudly instead of producing a plausible wrong report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from intake_api.deadlines import working_days_between
from triage.types import CAUSES, COMPLAINANTS, ROUTES, SERVICE_AREAS

# The statutory stages in order, and the Local Government and Social Care Ombudsman after
# them. Corporate complaints use stage_1 and stage_2 (the council's own procedure).
STAGES: tuple[str, ...] = ("stage_1", "stage_2", "stage_3", "ombudsman")

# "No finding": the facts cannot be established (irreconcilable accounts, or a matter for
# the court), as Leicestershire records it rather than "not upheld".
OUTCOMES: tuple[str, ...] = ("upheld", "partly_upheld", "not_upheld", "no_finding", "withdrawn")

# Why a complaint received was not considered under a procedure (Hartlepool 2020/21 §7.2).
NOT_CONSIDERED_REASONS: tuple[str, ...] = (
    "court_proceedings",
    "another_organisation",
    "withdrawn",
    "out_of_time",
    "not_eligible",
    "other",
)

ACTION_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done")


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def _check_optional_text(name: str, value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"{name} must be a non-empty string or None")


@dataclass(frozen=True)
class StageRecord:
    """One stage of one complaint: when it opened, when it was due and how it ended.

    ``due`` is the response date after any extension the regulations allow (Stage 1: 10
    working days, up to 20; Stage 2: 25, up to 65), computed by ``intake_api.deadlines``.
    ``working_days_taken`` is the adapter's count when time was paused (for example at the
    complainant's request); when None the engine counts working days from ``opened`` to
    ``closed``.
    """

    stage: str
    opened: dt.date
    due: dt.date
    closed: dt.date | None = None
    outcome: str | None = None
    extended: bool = False
    working_days_taken: int | None = None

    def __post_init__(self) -> None:
        _check_choice("stage", self.stage, STAGES)
        if self.due < self.opened:
            raise ValueError(f"{self.stage}: due {self.due} is before opened {self.opened}")
        if self.closed is not None and self.closed < self.opened:
            raise ValueError(f"{self.stage}: closed {self.closed} is before opened {self.opened}")
        if self.outcome is not None:
            _check_choice("outcome", self.outcome, OUTCOMES)
            if self.closed is None:
                raise ValueError(f"{self.stage}: an outcome needs a closed date")
        if self.working_days_taken is not None and self.working_days_taken < 0:
            raise ValueError("working_days_taken must not be negative")

    @property
    def is_closed(self) -> bool:
        """True once the stage has a closed date."""
        return self.closed is not None

    def days_taken(self) -> int | None:
        """Working days from opening to closing (None while open)."""
        if self.closed is None:
            return None
        if self.working_days_taken is not None:
            return self.working_days_taken
        return working_days_between(self.opened, self.closed)

    def within_timescale(self) -> bool | None:
        """True if answered by its due date, False if late, None while open."""
        if self.closed is None:
            return None
        return self.closed <= self.due


@dataclass(frozen=True)
class LearningAction:
    """Something the council changes because of a complaint (Reg 13(3) asks for learning)."""

    description: str
    status: str
    service_area: str

    def __post_init__(self) -> None:
        _check_choice("status", self.status, ACTION_STATUSES)
        _check_choice("service_area", self.service_area, SERVICE_AREAS)


@dataclass(frozen=True)
class Equality:
    """Equality monitoring answers, all optional: None means not known or not given.

    Values are the council's own category labels (for example age bands ``under_16``,
    ``16_to_19``; gender ``female``, ``male``, ``joint``); the engine counts them as given
    and reports None as ``not_known``.
    """

    age_band: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    disability: str | None = None

    def __post_init__(self) -> None:
        for name in ("age_band", "gender", "ethnicity", "disability"):
            _check_optional_text(name, getattr(self, name))


@dataclass(frozen=True)
class CaseRecord:
    """One complaint (or compliment) as the report engine sees it.

    - ``received``: the date the council received it (day 0 for deadlines).
    - ``route``, ``service_area``, ``causes``, ``complainant_type``: taxonomy identifiers.
    - ``complainant_detail``: an optional finer reporting label under ``complainant_type``
      (for example ``grandparent`` or ``connected_carer`` under ``relative``, ``mp`` or
      ``school`` under ``other``/``professional``), so councils keep the detail their
      published tables show while totals stay on the taxonomy.
    - ``channel``: how it arrived (the intake API's ``web_chat``, ``web_form``, ``email``,
      ``phone``, ``letter``, ``in_person``; an adapter may add ``advocate``).
    - ``stages``: in procedure order; empty for a complaint not (yet) considered and for
      compliments. A complaint may start at Stage 2 (the regulations allow it).
    - ``not_considered_reason``: set when the complaint was received but not considered.
    - ``advocacy_offered`` / ``advocacy_taken_up``: None means not recorded.
    """

    reference: str
    received: dt.date
    route: str
    service_area: str
    complainant_type: str
    channel: str
    team: str | None = None
    causes: tuple[str, ...] = ()
    complainant_detail: str | None = None
    stages: tuple[StageRecord, ...] = ()
    not_considered_reason: str | None = None
    advocacy_offered: bool | None = None
    advocacy_taken_up: bool | None = None
    is_compliment: bool = False
    learning_actions: tuple[LearningAction, ...] = ()
    equality: Equality = field(default_factory=Equality)

    def __post_init__(self) -> None:
        if not self.reference:
            raise ValueError("reference must not be empty")
        _check_choice("route", self.route, ROUTES)
        _check_choice("service_area", self.service_area, SERVICE_AREAS)
        _check_choice("complainant_type", self.complainant_type, COMPLAINANTS)
        _check_optional_text("channel", self.channel)
        _check_optional_text("team", self.team)
        _check_optional_text("complainant_detail", self.complainant_detail)
        if not isinstance(self.causes, tuple) or not isinstance(self.stages, tuple):
            raise ValueError("causes and stages must be tuples (the record is immutable)")
        for cause in self.causes:
            _check_choice("cause", cause, CAUSES)
        if len(set(self.causes)) != len(self.causes):
            raise ValueError(f"{self.reference}: a cause is listed twice")
        order = [STAGES.index(stage.stage) for stage in self.stages]
        if order != sorted(set(order)):
            raise ValueError(f"{self.reference}: stages must be unique and in procedure order")
        if self.not_considered_reason is not None:
            _check_choice(
                "not_considered_reason", self.not_considered_reason, NOT_CONSIDERED_REASONS
            )
        if self.advocacy_taken_up and self.advocacy_offered is False:
            raise ValueError(f"{self.reference}: advocacy taken up but recorded as not offered")
        if self.is_compliment and (self.stages or self.not_considered_reason):
            raise ValueError(f"{self.reference}: a compliment has no stages or reasons")

    def stage(self, name: str) -> StageRecord | None:
        """The record of stage ``name``, or None if the complaint never reached it."""
        for stage in self.stages:
            if stage.stage == name:
                return stage
        return None
