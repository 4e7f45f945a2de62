"""Statutory and corporate deadlines, counted in working days.

The one place that knows what a working day is and how long each stage may take.

Regulation 2 of the Children Act 1989 Representations Procedure (England) Regulations
2006: a "working day" is any day other than a Saturday, a Sunday, Christmas Day, Good
Friday or a bank holiday in England and Wales. Counting starts the working day after the
trigger (the day a complaint or request is received is day 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

SATURDAY = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England's list includes Christmas Day, Good Friday and substitute days.
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    """True unless ``day`` is a weekend day, Christmas Day, Good Friday or a bank holiday."""
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself is day 0)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


@dataclass(frozen=True)
class Timescale:
    """How long a step may take: the normal limit and, where the law allows, the longest."""

    working_days: int
    extended_working_days: int | None = None
    citation: str = ""

    def due(self, start: dt.date, *, extended: bool = False, paused_days: int = 0) -> dt.date:
        """Due date from ``start``, optionally extended, plus working days spent paused."""
        if extended and self.extended_working_days is None:
            raise ValueError("this step cannot be extended")
        limit = self.extended_working_days if extended else self.working_days
        return add_working_days(start, limit + paused_days)


# The statutory procedure (Regulations 2006 and "Getting the Best from Complaints").
STAGE_1 = Timescale(10, 20, "Reg 14: respond within 10 working days, up to 20 if complex")
STAGE_2_REQUEST = Timescale(20, None, "Reg 14(3): 20 working days to ask for Stage 2")
STAGE_2 = Timescale(25, 65, "Reg 17: investigate within 25 working days, up to 65")
STAGE_3_REQUEST = Timescale(20, None, "Reg 18: 20 working days to ask for a review panel")
STAGE_3_PANEL = Timescale(30, None, "Reg 19: panel meets within 30 working days of the request")
STAGE_3_REPORT = Timescale(5, None, "Reg 20: panel report within 5 working days of meeting")
STAGE_3_RESPONSE = Timescale(15, None, "Reg 20: council responds within 15 working days")


@dataclass(frozen=True)
class CorporateTimescales:
    """The council's own corporate procedure: set by the council, so configurable."""

    acknowledge: int = 5
    stage_1: int = 10
    stage_2: int = 20

    def stage(self, number: int) -> Timescale:
        """The timescale of corporate stage ``number`` (1 or 2)."""
        limits = {1: self.stage_1, 2: self.stage_2}
        if number not in limits:
            raise ValueError("the corporate procedure has stages 1 and 2")
        return Timescale(limits[number], None, "council's corporate complaints policy")


def statutory_stage(number: int) -> Timescale:
    """The response timescale of statutory stage ``number`` (1, 2 or 3).

    Stage 3 is the panel meeting; its report and the council's response follow on.
    """
    stages = {1: STAGE_1, 2: STAGE_2, 3: STAGE_3_PANEL}
    if number not in stages:
        raise ValueError("the statutory procedure has stages 1, 2 and 3")
    return stages[number]


def response_band(working_days: int) -> str:
    """The Stage 1 response-time band councils report: 10, 11-20, 21-65 or over 65 days."""
    if working_days <= 10:
        return "within_10"
    if working_days <= 20:
        return "11_to_20"
    if working_days <= 65:
        return "21_to_65"
    return "over_65"
