"""Understanding "when did it happen?" as people answer it.

"last week", "in March", "2 years ago", "since Christmas", "ages ago", "12/03/2025", "not
sure". The answer gives an approximate start date when it can, and whether the events
may be more than 12 months old. That is only ever a flag for the officer (Regulation 9
lets the council consider late complaints): nobody is turned away for it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from triage.rules.time_limit import MONTHS, NUMBER_WORDS

#: Regulation 9 of the 2006 Regulations: a complaint is normally made within 12 months.
LIMIT_MONTHS = 12

# The triage rules' tables, with what people type in chat as well.
_MONTHS = {**MONTHS, "febuary": 2}
_NUMBER_WORDS = {**NUMBER_WORDS, "a couple of": 2, "a few": 3}
_COUNT = (
    r"(?P<n>\d{1,3}|a couple of|couple of|a few|few|an?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|eighteen)"
)
_UNIT = r"(?P<unit>days?|weeks?|wks?|months?|mnths?|yrs?|years?)"
_AGO = re.compile(
    rf"\b(?:over |more than |about |like |around )?{_COUNT} ?{_UNIT}(?: ago| back)?\b"
)
_DAY_MONTH_YEAR = re.compile(r"\b(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2}|\d{4})\b")
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH_NAME})\w*,? (?P<year>20\d\d|19\d\d)\b")
_MONTH_ONLY = re.compile(
    rf"\b(?:in|since|from|last|this|about|around|early|late|end of)? ?(?P<month>{_MONTH_NAME})\b"
)
_YEAR_ONLY = re.compile(r"\b(?:in |since |from )?(?P<year>20\d\d|19\d\d)\b")
_UNSURE = re.compile(
    r"\b(?:not sure|dunno|dont know|don'?t know|do not know|idk|no idea|can'?t remember|"
    r"cant remember|not certain|unsure|forgot|forget)\b"
)
_LONG_AGO = re.compile(
    r"\b(?:ages|years|yonks|long time|long long time|forever|donkeys) ?(?:ago|back)?\b|"
    r"\bwhen i was (?:little|small|young|a baby|a kid|younger)\b|\bages\b"
)
_ONGOING = re.compile(
    r"\b(?:still|ongoing|on going|all the time|every day|everyday|keeps? happening|"
    r"right now|at the moment|now)\b"
)
_FIXED: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(?:today|this morning|this afternoon|tonight|just now)\b"), 0),
    (re.compile(r"\b(?:yesterday|last night)\b"), 1),
    (re.compile(r"\b(?:this week|few days ago|couple of days ago|the other day)\b"), 3),
    (re.compile(r"\blast week(?:end)?\b"), 7),
    (re.compile(r"\b(?:this month|recently|lately)\b"), 14),
    (re.compile(r"\blast month\b"), 30),
    (re.compile(r"\b(?:since|at|over|after) (?:christmas|xmas)\b|\b(?:christmas|xmas)\b"), -1),
    (re.compile(r"\b(?:this year|since the summer|in the summer|summer holidays?)\b"), -2),
    (re.compile(r"\blast year\b"), 365),
)


@dataclass(frozen=True)
class WhenAnswer:
    """What we understood of "when did it happen?"."""

    text: str
    start: dt.date | None = None
    over_12_months: bool | None = None
    unsure: bool = False

    def payload(self) -> dict[str, object]:
        """The `when` object the intake API takes."""
        body: dict[str, object] = {"text": self.text[:200]}
        if self.start is not None:
            body["date"] = self.start.isoformat()
        if self.over_12_months is not None:
            body["over_12_months"] = self.over_12_months
        return body


def _months_before(today: dt.date, months: int) -> dt.date:
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    return dt.date(year, month + 1, min(today.day, 28))


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 1)


def _latest_past(month: int, today: dt.date) -> dt.date:
    """The most recent 1st of `month` that is not in the future ("in March")."""
    year = today.year if month <= today.month else today.year - 1
    return dt.date(year, month, 1)


def _over_limit(start: dt.date, today: dt.date) -> bool:
    return start < _months_before(today, LIMIT_MONTHS)


def _candidates(text: str, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every period the answer names, as (earliest, latest) dates it could mean."""
    found: list[dt.date] = []
    periods: list[tuple[dt.date, dt.date]] = []
    for match in _DAY_MONTH_YEAR.finditer(text):
        year = int(match.group("y"))
        year = year + 2000 if year < 100 else year
        try:
            found.append(dt.date(year, int(match.group("m")), int(match.group("d"))))
        except ValueError:
            continue
    text = _DAY_MONTH_YEAR.sub(" ", text)
    for match in _AGO.finditer(text):
        n = _count(match.group("n"))
        if match.group(0).startswith(("over", "more than")):
            n += 1  # "over a year ago": a little more than the number said
        unit = match.group("unit")
        if unit.startswith("d"):
            found.append(today - dt.timedelta(days=n))
        elif unit.startswith("w"):
            found.append(today - dt.timedelta(weeks=n))
        elif unit.startswith("m"):
            found.append(_months_before(today, n))
        else:
            found.append(_months_before(today, 12 * n))
    for match in _MONTH_YEAR.finditer(text):
        found.append(dt.date(int(match.group("year")), _MONTHS[match.group("month")], 1))
    text_without_years = _MONTH_YEAR.sub(" ", text)
    for match in _MONTH_ONLY.finditer(text_without_years):
        word = match.group("month")
        if word == "may" and not re.search(rf"\b(?:in|since|from|last|early|late) {word}\b", text):
            continue  # "it may have been..." is not the month
        found.append(_latest_past(_MONTHS[word], today))
    for match in _YEAR_ONLY.finditer(text_without_years):
        year = int(match.group("year"))
        if year <= today.year:
            # "in 2025" could mean any month: count from its end, the generous reading.
            periods.append((dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)))
    for pattern, days in _FIXED:
        if not pattern.search(text):
            continue
        if days == -1:
            christmas = dt.date(today.year, 12, 25)
            found.append(christmas if christmas <= today else dt.date(today.year - 1, 12, 25))
        elif days == -2:
            found.append(dt.date(today.year, 1, 1))
        else:
            found.append(today - dt.timedelta(days=days))
    periods.extend((day, day) for day in found)
    return [(start, latest) for start, latest in periods if start <= today]


def parse_when(answer: str, today: dt.date | None = None) -> WhenAnswer:
    """Understand an answer to "when did it happen?".

    When the answer names several times ("it started 2 years ago and happened again last
    week") the earliest is the start, but the events are only flagged as old when nothing
    says they are still going on or recent: the 12 months run from the latest grounds.
    """
    today = today or dt.date.today()
    original = " ".join(answer.split())
    text = original.lower().replace("\u2019", "'")
    dates = _candidates(text, today)
    ongoing = bool(_ONGOING.search(text))
    if dates:
        start = min(earliest for earliest, _ in dates)
        latest = max(last for _, last in dates)
        over = _over_limit(latest, today) and not ongoing
        return WhenAnswer(original, start=start, over_12_months=over)
    if _LONG_AGO.search(text):
        return WhenAnswer(original, over_12_months=not ongoing)
    if ongoing:
        return WhenAnswer(original, start=None, over_12_months=False)
    if _UNSURE.search(text):
        return WhenAnswer(original, unsure=True)
    return WhenAnswer(original)
