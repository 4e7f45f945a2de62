"""The twelve-month time limit.

Reg 9 Children Act 1989 Representations Procedure (England) Regulations 2006: a complaint
is made within one year of the grounds arising, but the council may consider a later one
when it would not have been reasonable to expect it sooner and it can still be considered
effectively and fairly (Reg 9(2)). So an old matter is flagged for the officer's
discretion; it is never refused by the machine.
"""

from __future__ import annotations

import re
from datetime import date

from triage.rules.findings import Complaint, Finding
from triage.rules.normalise import normalise

#: Number words people use for "how long ago" (the bot reads answers with these too).
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "few": 3,
    "couple of": 2,
    "several": 3,
}
#: Month names and their common short forms, to month numbers.
MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_COUNT = (
    r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"eighteen|few|couple of|several)"
)
_AGO = re.compile(
    rf"\b(?:over |more than |about |nearly |almost )?{_COUNT} (?P<unit>years?|yrs?|months?) ago\b"
)
_MONTH_YEAR = re.compile(
    r"\b(?:in |since |from |back in |during |on |of )?(?:(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?)"
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec) (?P<year>(?:19|20)\d\d)\b"
)
_YEAR = re.compile(r"\b(?P<lead>in|since|from|back in|during|around) (?P<year>(?:19|20)\d\d)\b")
_ONGOING = re.compile(
    r"\b(?:since|still|ongoing|continues|continuing|carried on|keeps|every (?:week|month|day)|"
    r"to this day|up to now|until now|even now|again (?:this|last) (?:week|month))\b"
)
_GOOD_REASON = re.compile(
    r"\b(?:only just (?:found out|been told|seen|read|got)|just found out|didn't know i could|"
    r"didn't know (?:how|where) to complain|too scared|was scared to|in hospital|was ill|"
    r"only recently|recently (?:found out|discovered|read|saw)|read my (?:file|records)|"
    r"when i (?:left care|turned 18)|was in care at the time|nobody told me i could)\b"
)
CITATION = "Reg 9 Children Act 1989 Representations Procedure (England) Regulations 2006"


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def months_since(text: str, today: date) -> int | None:
    """Months since the most recent dated event in ``text``, or None when no date is given.

    Reads "2 years ago", "18 months ago", "March 2023", "in 2022". When several dates are
    given the most recent counts, because the complaint runs from the latest grounds.
    """
    norm = normalise(text)
    ages: list[int] = []
    for match in _AGO.finditer(norm):
        count = match.group("n")
        n = int(count) if count.isdigit() else NUMBER_WORDS[count]
        months = n * 12 if match.group("unit").startswith("y") else n
        if match.group(0).startswith(("over", "more than")):
            months += 1
        ages.append(months)
    for match in _MONTH_YEAR.finditer(norm):
        when = date(int(match.group("year")), MONTHS[match.group("month")], 1)
        ages.append(_months_between(when, today))
    for match in _YEAR.finditer(norm):
        year = int(match.group("year"))
        # "in 2023" could mean any month: count from its end, the generous reading.
        ages.append(_months_between(date(year, 12, 1), today))
    ages = [age for age in ages if age >= 0]
    return min(ages) if ages else None


def check_time_limit(complaint: Complaint, today: date) -> Finding | None:
    """Flag for the officer's discretion a complaint whose grounds are over 12 months old."""
    received = complaint.received or today
    age = months_since(complaint.text, received)
    if age is None or age <= 12:
        return None
    norm = normalise(complaint.text)
    if _ONGOING.search(norm):
        return Finding(
            rule="old_but_ongoing",
            reason=(
                f"Refers to events about {age} months ago but says the problem continues: the "
                "12-month limit runs from the latest grounds (Reg 9), so it is in time."
            ),
            citation=CITATION,
        )
    good_reason = _GOOD_REASON.search(norm)
    if good_reason:
        return Finding(
            rule="out_of_time_with_reason",
            reason=(
                f"The grounds seem to be about {age} months old, over the 12-month limit, but the "
                f'person gives a reason for the delay ("{good_reason.group(0)}"): the council may '
                "still consider it (Reg 9(2)); officer to decide."
            ),
            citation=CITATION,
            review=True,
            evidence=good_reason.group(0),
        )
    return Finding(
        rule="out_of_time",
        reason=(
            f"The grounds seem to be about {age} months old, over the 12-month time limit "
            "(Reg 9): the officer decides whether it would be unreasonable to expect it sooner "
            "and it can still be considered fairly (Reg 9(2)); do not refuse without asking."
        ),
        citation=CITATION,
        route="outside_procedure",
        review=True,
    )
