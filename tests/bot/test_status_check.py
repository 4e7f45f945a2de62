"""Checking on a complaint: the status form and ActionCheckStatus."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from bot_test_support import (
    answer_tracker,
    error_body,
    json_response,
    make_tracker,
    response_names,
    run_action,
    run_extractor,
    sent,
    slots_set,
)
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.status import ActionCheckStatus, ValidateStatusForm, clean_secret, find_reference

FORGOTTEN = {"check_reference": None, "check_secret": None}
ASKED = {"check_reference": "CC-K3M9-7QXT", "check_secret": "7KQ2MX9P"}


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("CC-K3M9-7QXT", "CC-K3M9-7QXT"),
        ("cc k3m9 7qxt", "CC-K3M9-7QXT"),
        ("my number is CCK3M97QXT thanks", "CC-K3M9-7QXT"),
        ("cc-k3m9-7qxt.", "CC-K3M9-7QXT"),
        ("CC-K3M9-7QX", None),  # too short
        ("CC-K3M0-7QXT", None),  # 0 is not in the alphabet (looks like O)
        ("CC-K3MI-7QXT", None),  # nor I
        ("AB-K3M9-7QXT", None),
        ("", None),
        (None, None),
    ],
)
def test_find_reference(text: str | None, reference: str | None) -> None:
    assert find_reference(text) == reference


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("7kq2-mx9p", "7KQ2MX9P"),
        (" 7KQ2 MX9P ", "7KQ2MX9P"),
        ("abc12", None),  # shorter than 6
        ("a" * 25, None),  # longer than 24
        ("a" * 24, "A" * 24),
        ("", None),
        (None, None),
    ],
)
def test_clean_secret(text: str | None, secret: str | None) -> None:
    assert clean_secret(text) == secret


# --- ValidateStatusForm -------------------------------------------------------------------


@pytest.fixture
def form() -> ValidateStatusForm:
    return ValidateStatusForm()


def test_form_name(form: ValidateStatusForm) -> None:
    assert (form.name(), form.form_name()) == ("validate_status_form", "status_form")


def test_a_reference_in_the_opening_message_is_taken(form: ValidateStatusForm) -> None:
    tracker = make_tracker(text="can i check cc k3m9 7qxt please", intent="check_status")
    extracted, _ = run_extractor(form, "check_reference", tracker)
    assert extracted == {"check_reference": "CC-K3M9-7QXT"}


def test_an_opening_message_without_a_reference_gives_nothing(form: ValidateStatusForm) -> None:
    tracker = make_tracker(text="can i check my complaint", intent="check_status")
    extracted, _ = run_extractor(form, "check_reference", tracker)
    assert extracted == {}


def test_the_answer_to_the_reference_question_is_taken(form: ValidateStatusForm) -> None:
    tracker = answer_tracker("check_reference", "CC-K3M9-7QXT", form="status_form")
    assert run_extractor(form, "check_reference", tracker)[0] == {"check_reference": "CC-K3M9-7QXT"}
    stop = answer_tracker("check_reference", "stop", "stop", form="status_form")
    assert run_extractor(form, "check_reference", stop)[0] == {}


def test_the_answer_to_the_secret_question_is_taken(form: ValidateStatusForm) -> None:
    tracker = answer_tracker("check_secret", "7kq2 mx9p", form="status_form")
    assert run_extractor(form, "check_secret", tracker)[0] == {"check_secret": "7kq2 mx9p"}
    other = answer_tracker("check_reference", "7kq2 mx9p", form="status_form")
    assert run_extractor(form, "check_secret", other)[0] == {}
    after_question = answer_tracker(
        "check_secret",
        "7kq2 mx9p",
        "inform",
        form="status_form",
        interrupted_by=("utter_who_sees",),
    )
    assert run_extractor(form, "check_secret", after_question)[0] == {}


@pytest.mark.parametrize("intent", ["stop", "greet", "chitchat", "ask_who_sees", "nlu_fallback"])
def test_a_code_is_the_answer_whatever_the_classifier_thought(
    form: ValidateStatusForm, intent: str
) -> None:
    # Secrets are random letters: "mfhp tzz3" was once read as "stop".
    secret = answer_tracker("check_secret", "mfhp tzz3", intent, form="status_form")
    assert run_extractor(form, "check_secret", secret)[0] == {"check_secret": "mfhp tzz3"}
    reference = answer_tracker("check_reference", "cc k3m9 7qxt", intent, form="status_form")
    assert run_extractor(form, "check_reference", reference)[0] == {
        "check_reference": "cc k3m9 7qxt"
    }


def test_a_real_stop_or_question_while_asked_for_a_code_is_not_taken(
    form: ValidateStatusForm,
) -> None:
    for slot in ("check_secret", "check_reference"):
        stop = answer_tracker(slot, "stop now", "stop", form="status_form")
        assert run_extractor(form, slot, stop)[0] == {}
        button = answer_tracker(slot, "/stop", "stop", form="status_form")
        assert run_extractor(form, slot, button)[0] == {}
    resumed = answer_tracker(
        "check_secret", "mfhp tzz3", "stop", form="status_form", interrupted_by=("utter_iamabot",)
    )
    assert run_extractor(form, "check_secret", resumed)[0] == {}


def test_validate_check_reference(form: ValidateStatusForm) -> None:
    dispatcher = CollectingDispatcher()
    assert form.validate_check_reference("cc k3m9 7qxt", dispatcher, make_tracker(), {}) == {
        "check_reference": "CC-K3M9-7QXT"
    }
    assert dispatcher.messages == []
    assert form.validate_check_reference("my number", dispatcher, make_tracker(), {}) == {
        "check_reference": None
    }
    assert response_names(dispatcher) == ["utter_invalid_reference"]


def test_validate_check_secret(form: ValidateStatusForm) -> None:
    dispatcher = CollectingDispatcher()
    assert form.validate_check_secret("7kq2-mx9p", dispatcher, make_tracker(), {}) == {
        "check_secret": "7KQ2MX9P"
    }
    assert dispatcher.messages == []
    assert form.validate_check_secret("abc", dispatcher, make_tracker(), {}) == {
        "check_secret": None
    }
    assert response_names(dispatcher) == ["utter_invalid_secret"]


def test_status_form_run_takes_and_cleans_the_reference(form: ValidateStatusForm) -> None:
    tracker = answer_tracker("check_reference", "cc k3m9 7qxt", form="status_form")
    events, dispatcher = run_action(form, tracker)
    assert slots_set(events) == {"check_reference": "CC-K3M9-7QXT"}
    assert dispatcher.messages == []


# --- ActionCheckStatus ---------------------------------------------------------------------


def test_found_says_the_apis_words_and_forgets_the_secret(fake_api: Any) -> None:
    session = fake_api(
        json_response(
            200,
            {
                "reference": "CC-K3M9-7QXT",
                "stage": "stage_1",
                "due_on": "2026-12-10",
                "message": "A person is looking at it. You should hear by 10 December.",
            },
        )
    )
    events, dispatcher = run_action(ActionCheckStatus(), make_tracker(ASKED))
    assert response_names(dispatcher) == ["utter_status_answer"]
    answer = sent(dispatcher, "utter_status_answer")
    assert answer["case_reference"] == "CC-K3M9-7QXT"
    assert answer["status_message"] == "A person is looking at it. You should hear by 10 December."
    assert slots_set(events) == FORGOTTEN
    assert session.payloads == [{"reference": "CC-K3M9-7QXT", "secret": "7KQ2MX9P"}]


def test_found_without_a_message_still_says_something(fake_api: Any) -> None:
    fake_api(json_response(200, {"reference": "CC-K3M9-7QXT"}))
    _, dispatcher = run_action(ActionCheckStatus(), make_tracker(ASKED))
    assert sent(dispatcher, "utter_status_answer")["status_message"] == "We have your complaint."


@pytest.mark.parametrize(
    ("outcome", "response"),
    [
        (json_response(404, error_body(404, "not_found")), "utter_status_not_found"),
        (json_response(422, error_body(422, "validation_error")), "utter_status_not_found"),
        (json_response(429, error_body(429, "rate_limited")), "utter_status_too_many_tries"),
        (json_response(401, error_body(401, "unauthorized")), "utter_status_unavailable"),
        (json_response(403, error_body(403, "forbidden")), "utter_status_unavailable"),
        (json_response(500, {}), "utter_status_unavailable"),
        (requests.ConnectionError("down"), "utter_status_unavailable"),
        (requests.Timeout("slow"), "utter_status_unavailable"),
    ],
)
def test_every_other_answer_is_said_plainly_and_the_secret_forgotten(
    fake_api: Any, outcome: Any, response: str
) -> None:
    fake_api(outcome)
    events, dispatcher = run_action(ActionCheckStatus(), make_tracker(ASKED))
    assert response_names(dispatcher) == [response]
    assert slots_set(events) == FORGOTTEN


@pytest.mark.parametrize(
    "slots", [{}, {"check_reference": "CC-K3M9-7QXT"}, {"check_secret": "7KQ2MX9P"}]
)
def test_without_both_answers_the_api_is_not_asked(fake_api: Any, slots: dict[str, Any]) -> None:
    session = fake_api(json_response(200, {"reference": "CC-K3M9-7QXT"}))
    events, dispatcher = run_action(ActionCheckStatus(), make_tracker(slots))
    assert response_names(dispatcher) == ["utter_status_not_found"]
    assert slots_set(events) == FORGOTTEN
    assert session.calls == []


def test_action_name() -> None:
    assert ActionCheckStatus().name() == "action_check_status"
