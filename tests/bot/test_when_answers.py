"""Understanding "when did it happen?" as people answer it (today fixed at 15 June 2025)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.actions.when import WhenAnswer, parse_when

TODAY = dt.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("text", "start", "over"),
    [
        ("last week", dt.date(2025, 6, 8), False),
        ("yesterday", dt.date(2025, 6, 14), False),
        ("today", TODAY, False),
        ("3 weeks ago", dt.date(2025, 5, 25), False),
        ("a couple of weeks ago", dt.date(2025, 6, 1), False),
        ("a few months back", dt.date(2025, 3, 15), False),
        ("in March", dt.date(2025, 3, 1), False),
        ("since may", dt.date(2025, 5, 1), False),
        # a month not yet reached this year means last year's
        ("in December", dt.date(2024, 12, 1), False),
        ("it happened in july", dt.date(2024, 7, 1), False),
        ("in march 2023", dt.date(2023, 3, 1), True),
        ("sept 2024", dt.date(2024, 9, 1), False),
        ("since christmas", dt.date(2024, 12, 25), False),
        ("12/03/2025", dt.date(2025, 3, 12), False),
        ("12/03/25", dt.date(2025, 3, 12), False),
        ("12/03/2023", dt.date(2023, 3, 12), True),
        ("2 years ago", dt.date(2023, 6, 15), True),
        ("two years ago", dt.date(2023, 6, 15), True),
        ("18 months ago", dt.date(2023, 12, 15), True),
        ("13 months ago", dt.date(2024, 5, 15), True),
        ("11 months ago", dt.date(2024, 7, 15), False),
        ("a year ago", dt.date(2024, 6, 15), False),
        ("in 2024", dt.date(2024, 1, 1), False),  # could be December: the generous reading
        ("in 2023", dt.date(2023, 1, 1), True),
    ],
)
def test_dates_people_give(text: str, start: dt.date, over: bool) -> None:
    answer = parse_when(text, TODAY)
    assert (answer.start, answer.over_12_months, answer.unsure) == (start, over, False)
    assert answer.text == text


@pytest.mark.parametrize("text", ["ages ago", "years ago", "when i was little", "yonks ago"])
def test_long_ago_without_a_date_is_flagged(text: str) -> None:
    assert parse_when(text, TODAY) == WhenAnswer(text, start=None, over_12_months=True)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("it started 2 years ago and is still happening", dt.date(2023, 6, 15)),
        ("2 years ago and again last week", dt.date(2023, 6, 15)),
        ("ages ago but still going on", None),
        ("every day", None),
        ("right now", None),
    ],
)
def test_ongoing_or_recent_events_are_not_old(text: str, start: dt.date | None) -> None:
    answer = parse_when(text, TODAY)
    assert (answer.start, answer.over_12_months) == (start, False)


@pytest.mark.parametrize("text", ["not sure", "i dont know", "I don't know", "can't remember"])
def test_not_sure(text: str) -> None:
    assert parse_when(text, TODAY) == WhenAnswer(text, unsure=True)


@pytest.mark.parametrize(
    "text",
    [
        "it may have been bad",  # "may" the verb, not the month
        "31/02/2025",  # no such day
        "12/12/2025",  # in the future
        "in 2026",
        "banana",
    ],
)
def test_nothing_understood(text: str) -> None:
    assert parse_when(text, TODAY) == WhenAnswer(text)


def test_spaces_and_curly_quotes_are_tidied() -> None:
    answer = parse_when("  i  don\u2019t   know ", TODAY)
    assert answer.text == "i don\u2019t know"
    assert answer.unsure


def test_today_defaults_to_the_real_date() -> None:
    before = dt.date.today()
    start = parse_when("today").start
    assert start in {before, dt.date.today()}  # midnight may pass in between


@pytest.mark.parametrize(
    ("answer", "payload"),
    [
        (
            WhenAnswer("last week", dt.date(2025, 6, 8), False),
            {"text": "last week", "date": "2025-06-08", "over_12_months": False},
        ),
        (WhenAnswer("ages ago", over_12_months=True), {"text": "ages ago", "over_12_months": True}),
        (WhenAnswer("not sure", unsure=True), {"text": "not sure"}),
        (WhenAnswer("x" * 300), {"text": "x" * 200}),
    ],
)
def test_payload(answer: WhenAnswer, payload: dict[str, object]) -> None:
    assert answer.payload() == payload
