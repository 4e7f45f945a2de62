"""Reaching a person, the plain-words fallback, and taking a compliment."""

from __future__ import annotations

from typing import Any

import pytest
from bot_test_support import (
    answer_tracker,
    make_tracker,
    response_names,
    run_action,
    run_extractor,
    sent,
    slots_set,
)
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.help import (
    INTENT_WORDS,
    ActionDefaultAskAffirmation,
    ActionRequestPerson,
    ValidateComplimentForm,
)

THANKS = "My foster carer is amazing and always listens to me."

# --- ActionRequestPerson -------------------------------------------------------------------


def test_request_person_gives_the_councils_numbers_and_flags_a_call_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOT_COMPLAINTS_PHONE", "0300 123 0000")
    monkeypatch.setenv("BOT_COMPLAINTS_EMAIL", "complaints@northfield.gov.uk")
    monkeypatch.setenv("BOT_ADVOCACY_PHONE", "0800 123 9999")
    events, dispatcher = run_action(ActionRequestPerson(), make_tracker())
    assert response_names(dispatcher) == ["utter_how_to_reach_person", "utter_person_will_call"]
    reach = sent(dispatcher, "utter_how_to_reach_person")
    assert (reach["complaints_phone"], reach["complaints_email"], reach["advocacy_phone"]) == (
        "0300 123 0000",
        "complaints@northfield.gov.uk",
        "0800 123 9999",
    )
    assert slots_set(events) == {"handoff_requested": True}


def test_request_person_after_sending_asks_to_quote_the_reference() -> None:
    events, dispatcher = run_action(
        ActionRequestPerson(), make_tracker({"case_reference": "CC-K3M9-7QXT"})
    )
    assert response_names(dispatcher) == ["utter_how_to_reach_person", "utter_quote_reference"]
    assert sent(dispatcher, "utter_quote_reference")["case_reference"] == "CC-K3M9-7QXT"
    assert sent(dispatcher, "utter_how_to_reach_person")["complaints_phone"] == (
        "the number on the council's website"
    )
    assert slots_set(events) == {"handoff_requested": True}


# --- ActionDefaultAskAffirmation -----------------------------------------------------------


def ranking(*names: str) -> list[dict[str, Any]]:
    return [{"name": name, "confidence": 0.3} for name in names]


def test_fallback_offers_the_most_likely_meaning_in_plain_words() -> None:
    tracker = make_tracker(
        text="wot do i do",
        intent="nlu_fallback",
        intent_ranking=ranking("nlu_fallback", "inform")
        + ranking("check_status", "make_complaint"),
    )
    events, dispatcher = run_action(ActionDefaultAskAffirmation(), tracker)
    assert events == []
    (message,) = dispatcher.messages
    assert message["text"] == "Sorry, I am not sure. Do you mean you want to check a complaint?"
    assert message["buttons"] == [
        {"title": "Yes", "payload": "/check_status"},
        {"title": "No, something else", "payload": "/out_of_scope"},
    ]


def test_fallback_without_a_known_meaning_asks_to_rephrase() -> None:
    for intent_ranking in (None, [], ranking("nlu_fallback", "inform", "affirm")):
        tracker = make_tracker(text="zzz", intent="nlu_fallback", intent_ranking=intent_ranking)
        events, dispatcher = run_action(ActionDefaultAskAffirmation(), tracker)
        assert events == []
        assert response_names(dispatcher) == ["utter_ask_rephrase"]


def test_every_offered_meaning_is_an_intent_in_the_domain() -> None:
    from pathlib import Path

    domain = (Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8")
    for intent in INTENT_WORDS:
        assert f"  - {intent}\n" in domain
    assert ActionDefaultAskAffirmation().name() == "action_default_ask_affirmation"


# --- ValidateComplimentForm ----------------------------------------------------------------


@pytest.fixture
def form() -> ValidateComplimentForm:
    return ValidateComplimentForm()


def test_an_opening_message_that_already_says_thanks_is_the_compliment(
    form: ValidateComplimentForm,
) -> None:
    tracker = make_tracker(text=f" {THANKS} ", intent="give_compliment")
    assert run_extractor(form, "compliment_text", tracker)[0] == {"compliment_text": THANKS}


@pytest.mark.parametrize(
    ("text", "intent"),
    [("i want to say thanks", "give_compliment"), (THANKS, "make_complaint")],
)
def test_a_short_or_other_opening_message_is_not(
    form: ValidateComplimentForm, text: str, intent: str
) -> None:
    tracker = make_tracker(text=text, intent=intent)
    assert run_extractor(form, "compliment_text", tracker)[0] == {}


def test_the_answer_to_the_question_is_the_compliment(form: ValidateComplimentForm) -> None:
    tracker = answer_tracker("compliment_text", THANKS, form="compliment_form")
    assert run_extractor(form, "compliment_text", tracker)[0] == {"compliment_text": THANKS}
    stop = answer_tracker("compliment_text", "stop", "stop", form="compliment_form")
    assert run_extractor(form, "compliment_text", stop)[0] == {}
    interrupted = answer_tracker(
        "compliment_text", THANKS, form="compliment_form", interrupted_by=("utter_iamabot",)
    )
    assert run_extractor(form, "compliment_text", interrupted)[0] == {}


def test_validate_compliment_text(form: ValidateComplimentForm) -> None:
    dispatcher = CollectingDispatcher()
    assert form.validate_compliment_text(f" {THANKS} ", dispatcher, make_tracker(), {}) == {
        "compliment_text": THANKS
    }
    assert dispatcher.messages == []
    assert form.validate_compliment_text("thanks", dispatcher, make_tracker(), {}) == {
        "compliment_text": None
    }
    assert response_names(dispatcher) == ["utter_description_too_short"]


def test_compliment_form_run_takes_the_answer(form: ValidateComplimentForm) -> None:
    tracker = answer_tracker("compliment_text", THANKS, form="compliment_form")
    events, dispatcher = run_action(form, tracker)
    assert slots_set(events) == {"compliment_text": THANKS}
    assert dispatcher.messages == []
    assert form.name() == "validate_compliment_form"
