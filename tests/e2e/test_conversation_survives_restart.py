"""Restarting the Rasa server mid-conversation resumes the conversation where it was.

Conversations live in the SQL tracker store (bot/endpoints.yml; a temporary SQLite file
here), so a restarted server must pick up the open form, its requested slot and the
answers given so far. The complaint flow is being redesigned, so nothing here hard-codes
which question comes when: the test reads the open question from the tracker, answers it
from `ANSWERS`, and compares the bot's words with `utter_ask_<slot>` in the running model's
domain.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from typing import Any

import pytest
import requests

from .stack import Conversation, Stack

pytestmark = pytest.mark.e2e

# An answer for each question the complaint form may ask a young person, keyed by slot.
ANSWERS: dict[str, str] = {
    "complainant_type": '/inform{"complainant_type": "child"}',
    "age_band": "13 to 15",  # the button's payload
    "description": (
        "my social worker never rings me back and nobody tells me what is happening "
        "about moving to my new foster placement"
    ),
    "add_more": "no",
    "when": "last month",
    "service_worker": "my social worker",
    "desired_outcome": "a new social worker",
    "advocate_offer": "no thanks",
    "contact": "I want to stay anonymous",
}


def domain_responses(stack: Stack) -> dict[str, list[dict[str, Any]]]:
    """The responses of the domain the running model was trained with (GET /domain), so
    the test compares with what the server says even while domain.yml is being edited."""
    response = requests.get(
        f"{stack.rasa_url}/domain", headers={"Accept": "application/json"}, timeout=30
    )
    response.raise_for_status()
    return response.json().get("responses") or {}


def question_patterns(
    responses: dict[str, list[dict[str, Any]]], form: str, slot: str
) -> list[re.Pattern[str]]:
    """Patterns for the texts the form may use to ask for `slot` ({placeholders} match
    anything), from `utter_ask_<form>_<slot>` or `utter_ask_<slot>`, as Rasa looks them up."""
    for name in (f"utter_ask_{form}_{slot}", f"utter_ask_{slot}"):
        if name in responses:
            return [
                re.compile(
                    "".join(
                        ".+?" if part.startswith("{") else re.escape(part)
                        for part in re.split(r"(\{[^}]*\})", variation["text"].strip())
                    )
                )
                for variation in responses[name]
                if variation.get("text")
            ]
    pytest.fail(f"The domain has no utter_ask_{slot} response for the form's question {slot!r}.")


def texts(replies: list[dict]) -> list[str]:
    """The text of each reply."""
    return [reply.get("text", "").strip() for reply in replies if reply.get("text")]


def response_texts(responses: dict[str, list[dict[str, Any]]], name: str) -> list[str]:
    """Every text variation of a domain response."""
    return [v["text"].strip() for v in responses.get(name, []) if v.get("text")]


def form_state(tracker: dict) -> tuple[str | None, str | None]:
    """The active form's name and the slot it is asking for."""
    form = (tracker.get("active_loop") or {}).get("name")
    return form, tracker["slots"].get("requested_slot")


def answer(conversation: Conversation, slot: str) -> list[dict]:
    """Answer the form's question for `slot`."""
    if slot not in ANSWERS:
        pytest.fail(f"Add an answer for the new question {slot!r} to ANSWERS in this test.")
    return conversation.say(ANSWERS[slot])


def filled(tracker: dict) -> dict[str, Any]:
    """The slots that hold a value, apart from the form's bookkeeping."""
    return {
        name: value
        for name, value in tracker["slots"].items()
        if value is not None and name != "requested_slot"
    }


def sessions(tracker: dict) -> int:
    """How many sessions the conversation has had (a restart must not start another)."""
    return sum(1 for event in tracker["events"] if event["event"] == "session_started")


def test_restarting_the_rasa_server_mid_conversation_resumes_it(stack: Stack) -> None:
    conversation = stack.conversation()
    conversation.say("/make_complaint")  # the greeting's "I want to complain" button
    form, first = form_state(conversation.tracker())
    assert form and first, conversation.show()

    answer(conversation, first)
    before = conversation.tracker()
    form_before, second = form_state(before)
    assert form_before == form and second and second != first, conversation.show()
    assert first in filled(before), conversation.show()

    stack.services["rasa"].restart()

    reloaded = conversation.tracker()
    assert form_state(reloaded) == (form, second)
    assert filled(reloaded) == filled(before)
    assert sessions(reloaded) == sessions(before)

    replies = answer(conversation, second)
    after = conversation.tracker()
    said = texts(replies)
    failure = f"{conversation.show()}\n(slots after: {after['slots']})"

    # Carried on: nothing before the restart was lost, and the answer was taken.
    assert sessions(after) == sessions(before), failure
    assert {k: v for k, v in filled(after).items() if k in filled(before)} == filled(before)
    assert second in filled(after), failure
    # ... rather than greeting again or not understanding.
    responses = domain_responses(stack)
    unwanted = {
        text
        for name in ("utter_greet", "utter_default", "utter_please_rephrase")
        for text in response_texts(responses, name)
    }
    assert not unwanted & set(said), failure

    next_form, third = form_state(after)
    if third is not None:  # the form asks its next question in the domain's words
        assert next_form == form, failure
        patterns = question_patterns(responses, form, third)
        assert any(p.fullmatch(text) for p in patterns for text in said), failure
    else:  # that was the last question: the form has finished
        assert next_form is None, failure


def test_conversations_are_kept_in_the_sqlite_store_in_write_ahead_log_mode(stack: Stack) -> None:
    """Rasa loaded bot.tracker_store.ConversationStore (an unknown store type would make
    it fall back, silently, to memory) and the conversation is in its SQLite file."""
    conversation = stack.conversation()
    conversation.say("/make_complaint")
    assert stack.tracker_db is not None and stack.tracker_db.exists()
    with closing(sqlite3.connect(stack.tracker_db)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        stored = db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (conversation.sender,)
        ).fetchone()
    assert stored[0] > 0
    log = stack.services["rasa"].log_path.read_text(errors="replace")
    assert "InMemoryTrackerStore" not in log
