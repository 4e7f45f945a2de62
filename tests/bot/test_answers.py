"""Reading back, changing and forgetting the complaint form's answers."""

from __future__ import annotations

import asyncio

import pytest
from bot_test_support import ANSWERS, make_tracker, response_names
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answers import (
    COMPLAINT_SLOTS,
    ActionClearAnswer,
    ActionForgetComplaint,
    ActionReadBack,
    clear_answer,
    describe_contact,
    shorten,
)


def slots_set(events) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_read_back_shows_the_answers(dispatcher: CollectingDispatcher) -> None:
    events = asyncio.run(ActionReadBack().run(dispatcher, make_tracker(ANSWERS), {}))
    assert events == []
    assert response_names(dispatcher) == ["utter_read_back"]
    read_back = dispatcher.messages[0]
    assert read_back["who"] == "a child or young person"
    assert read_back["what"] == ANSWERS["description"]
    assert read_back["how"] == "email sam@example.com"


@pytest.mark.parametrize(
    ("email", "phone", "anonymous", "text"),
    [
        ("a@b.co", None, False, "email a@b.co"),
        (None, "07700900123", False, "phone 07700900123"),
        ("a@b.co", "07700900123", False, "email a@b.co and phone 07700900123"),
        (None, None, True, "you chose to stay anonymous"),
    ],
)
def test_describe_contact(email, phone, anonymous, text) -> None:
    assert describe_contact(email, phone, anonymous) == text


def test_long_descriptions_are_shortened_at_a_word() -> None:
    text = "word " * 300
    short = shorten(text, limit=50)
    assert len(short) <= 52
    assert short.endswith(" …")
    assert shorten("short one") == "short one"


@pytest.mark.parametrize(
    ("choice", "cleared"),
    [
        ("complainant_type", {"complainant_type"}),
        ("description", {"description"}),
        ("contact", {"contact", "contact_email", "contact_phone", "anonymous"}),
        ("all", set(COMPLAINT_SLOTS)),
        (None, set()),
        ("nonsense", set()),
    ],
)
def test_clear_answer(choice, cleared) -> None:
    slots = slots_set(clear_answer(choice))
    assert {name for name in slots if name not in ("submission_key", "change_slot")} == (
        cleared - {"submission_key", "change_slot"}
    )
    assert slots["submission_key"] is None
    assert slots["change_slot"] is None
    assert all(value is None for value in slots.values())


def test_clear_answer_action_uses_the_change_slot(dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker({**ANSWERS, "change_slot": "description"})
    events = asyncio.run(ActionClearAnswer().run(dispatcher, tracker, {}))
    assert slots_set(events) == {"description": None, "submission_key": None, "change_slot": None}


def test_forget_clears_every_answer(dispatcher: CollectingDispatcher) -> None:
    events = asyncio.run(ActionForgetComplaint().run(dispatcher, make_tracker(ANSWERS), {}))
    assert slots_set(events) == dict.fromkeys(COMPLAINT_SLOTS)
