"""The complaint form's validation: the pure rules and ValidateComplaintForm."""

from __future__ import annotations

import asyncio

import pytest
from bot_test_support import make_tracker, response_names
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.forms import (
    ContactChoice,
    ValidateComplaintForm,
    answered_just_now,
    description_problem,
    find_email,
    find_uk_phone,
    is_interruption,
    normalise_uk_phone,
    parse_complainant_type,
    parse_contact,
    wants_anonymity,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # button payload values
        ("child", "child"),
        ("parent", "parent"),
        ("advocate", "advocate"),
        ("other", "other"),
        ("foster_carer", "foster_carer"),
        # children, in their own words and spelling
        ("im a kid", "child"),
        ("I'm a young person", "child"),
        ("yung persun", "child"),
        ("im 12", "child"),
        ("i am 10 years old", "child"),
        ("im in care", "child"),
        ("care leaver", "child"),
        ("its me", "child"),
        ("my mum", "child"),
        ("its about my foster carer", "child"),
        ("my social worker", "child"),
        # parents and carers
        ("I'm his mum", "parent"),
        ("im a perant", "parent"),
        ("dad", "parent"),
        ("a carer", "parent"),
        ("it's about my son", "parent"),
        ("my daughter is in care", "parent"),
        ("I am a foster carer", "foster_carer"),
        ("foster mum", "foster_carer"),
        ("my foster child", "foster_carer"),
        ("special guardian", "special_guardian"),
        ("I'm her nan", "relative"),
        ("my grandson", "relative"),
        ("auntie", "relative"),
        # advocates and others
        ("I am an advocate", "advocate"),
        ("independent advocat", "advocate"),
        ("I help a child", "advocate"),
        ("on behalf of a young person", "advocate"),
        ("I'm a teacher", "professional"),
        ("someone else", "other"),
        ("a neighbour", "other"),
    ],
)
def test_complainant_type_is_understood(text: str, expected: str) -> None:
    assert parse_complainant_type(text) == expected


@pytest.mark.parametrize("text", ["", None, "hello", "banana", "im 99", "what"])
def test_unclear_complainant_type_is_none(text: str | None) -> None:
    assert parse_complainant_type(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "too_short"),
        ("bad", "too_short"),
        ("hates me", "too_short"),
        ("my sw is mean", None),
        ("My social worker never calls me back.", None),
        ("word " * 5000, "too_long"),
    ],
)
def test_description_needs_a_few_words(text: str, problem: str | None) -> None:
    assert description_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("sam@example.com", "sam@example.com"),
        ("my email is jo.bloggs+care@council.gov.uk.", "jo.bloggs+care@council.gov.uk"),
        ("sam at example dot com", None),
        ("sam@example", None),
    ],
)
def test_find_email(text: str, email: str | None) -> None:
    assert find_email(text) == email


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("07700 900123", "07700900123"),
        ("07700-900-123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("+44 (0)7700 900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("020 7946 0123", "02079460123"),
        ("(01632) 960111", "01632960111"),
        ("0800 1111", None),  # too short for a UK line
        ("09001 234567", None),  # premium rate
        ("12345678901", None),
        ("+1 415 555 0100", None),
    ],
)
def test_normalise_uk_phone(raw: str, phone: str | None) -> None:
    assert normalise_uk_phone(raw) == phone


def test_find_uk_phone_in_a_sentence() -> None:
    assert find_uk_phone("call me on 07700 900 456 after school") == "07700900456"
    assert find_uk_phone("i am 12 years old") is None


@pytest.mark.parametrize(
    "text",
    [
        "anonymous",
        "I want to stay anonymous",
        "anon",
        "anonimous",
        "no",
        "nah",
        "no thanks",
        "I don't want to give my details",
        "dont contact me",
        "i'd rather not",
        "keep it secret",
    ],
)
def test_wants_anonymity(text: str) -> None:
    assert wants_anonymity(text)


@pytest.mark.parametrize("text", ["sam@example.com", "07700 900123", "yes", "email me", "ok"])
def test_contact_details_are_not_anonymity(text: str) -> None:
    assert not wants_anonymity(text)


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("sam@example.com", ContactChoice(email="sam@example.com")),
        ("07700 900123", ContactChoice(phone="07700900123")),
        (
            "sam@example.com or 07700 900123",
            ContactChoice(email="sam@example.com", phone="07700900123"),
        ),
        ("no email, but my number is 07700 900123", ContactChoice(phone="07700900123")),
        ("anonymous", ContactChoice(anonymous=True)),
        ("my email", ContactChoice()),
        ("0123", ContactChoice()),
    ],
)
def test_parse_contact(text: str, choice: ContactChoice) -> None:
    assert parse_contact(text) == choice


def test_contact_summary() -> None:
    assert ContactChoice(anonymous=True).summary() == "anonymous"
    both = ContactChoice(email="a@b.co", phone="07700900123")
    assert both.summary() == "a@b.co and 07700900123"
    assert not ContactChoice().is_valid


# --- ValidateComplaintForm -------------------------------------------------------------


@pytest.fixture
def form() -> ValidateComplaintForm:
    return ValidateComplaintForm()


def test_form_name(form: ValidateComplaintForm) -> None:
    assert form.name() == "validate_complaint_form"


def test_button_payload_sets_complainant_type(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_complainant_type("advocate", dispatcher, make_tracker(), {})
    assert result == {"complainant_type": "advocate"}
    assert dispatcher.messages == []


def test_unclear_complainant_type_asks_for_a_button(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_complainant_type("hello", dispatcher, make_tracker(), {})
    assert result == {"complainant_type": None}
    assert response_names(dispatcher) == ["utter_invalid_complainant_type"]


def test_description_is_kept_trimmed(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_description("  my sw never visits me  ", dispatcher, make_tracker(), {})
    assert result == {"description": "my sw never visits me"}


def test_short_description_asks_for_more(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_description("bad", dispatcher, make_tracker(), {})
    assert result == {"description": None}
    assert response_names(dispatcher) == ["utter_description_too_short"]


def test_long_description_asks_to_shorten(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_description("word " * 5000, dispatcher, make_tracker(), {})
    assert result == {"description": None}
    assert response_names(dispatcher) == ["utter_description_too_long"]


def test_email_contact_sets_email(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_contact("sam@example.com", dispatcher, make_tracker(), {})
    assert result == {
        "contact": "sam@example.com",
        "contact_email": "sam@example.com",
        "contact_phone": None,
        "anonymous": False,
    }
    assert dispatcher.messages == []


def test_phone_contact_sets_phone(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_contact("07700 900123", dispatcher, make_tracker(), {})
    assert result["contact_phone"] == "07700900123"
    assert result["anonymous"] is False


def test_anonymous_contact_explains_anonymity(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_contact("I want to stay anonymous", dispatcher, make_tracker(), {})
    assert result == {
        "contact": "anonymous",
        "contact_email": None,
        "contact_phone": None,
        "anonymous": True,
    }
    assert response_names(dispatcher) == ["utter_anonymous_explained"]


def test_bad_contact_is_refused(
    form: ValidateComplaintForm, dispatcher: CollectingDispatcher
) -> None:
    result = form.validate_contact("sam at example", dispatcher, make_tracker(), {})
    assert result == {"contact": None}
    assert response_names(dispatcher) == ["utter_invalid_contact"]


# --- extracting "what happened" ----------------------------------------------------------

DOMAIN = {
    "forms": {"complaint_form": {"required_slots": ["complainant_type", "description", "contact"]}},
    "slots": {},
}


@pytest.mark.parametrize(
    ("intent", "text", "interrupts"),
    [
        ("stop", "stop", True),
        ("stop", "i want to stop now please", True),
        ("bot_challenge", "are you a real person", True),
        ("ask_about_process", "what happens next", True),
        ("stop", "i want them to stop moving me from home to home without asking me", False),
        ("make_complaint", "my sw never calls", False),
        ("disclose_danger", "my dad hits me", False),
        (None, "anything", False),
    ],
)
def test_is_interruption(intent: str | None, text: str, interrupts: bool) -> None:
    assert is_interruption(intent, text) is interrupts


def form_events(text: str, *actions_after: str) -> list[dict]:
    """Events as Rasa sends them to the validation action: the answer, then the form."""
    return [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text},
        *({"event": "action", "name": name} for name in actions_after),
        {"event": "slot", "name": "requested_slot", "value": "description"},
        {"event": "action", "name": "complaint_form"},
    ]


def description_tracker(text: str, intent: str, *actions_after: str) -> Tracker:
    return make_tracker(
        {"complainant_type": "child", "requested_slot": "description"},
        text=text,
        intent=intent,
        active_loop="complaint_form",
        latest_action_name="complaint_form",
        events=form_events(text, *actions_after),
    )


def extract(tracker: Tracker) -> dict:
    return asyncio.run(
        ValidateComplaintForm().extract_description(CollectingDispatcher(), tracker, DOMAIN)
    )


def test_description_is_taken_from_the_answer() -> None:
    text = "they moved me and did not ask me"
    assert extract(description_tracker(text, "make_complaint")) == {"description": text}


def test_long_description_classified_as_stop_is_kept() -> None:
    text = "i want them to stop moving me from home to home without asking me"
    assert extract(description_tracker(text, "stop")) == {"description": text}


def test_short_stop_is_left_to_the_rules() -> None:
    assert extract(description_tracker("stop", "stop")) == {}


def test_nothing_is_taken_when_another_question_is_asked() -> None:
    tracker = make_tracker(
        {"requested_slot": "contact"}, text="my sw never calls", intent="make_complaint"
    )
    assert extract(tracker) == {}


def test_nothing_is_taken_when_returning_after_an_interruption() -> None:
    tracker = description_tracker("no keep going", "deny", "utter_continue")
    assert extract(tracker) == {}


def test_answered_just_now() -> None:
    assert answered_just_now(form_events("my sw never calls"))
    assert answered_just_now(form_events("my sw never calls", "action_extract_slots"))
    assert not answered_just_now(form_events("are you a bot", "utter_iamabot"))
    assert not answered_just_now([{"event": "action", "name": "complaint_form"}])


def run_form(tracker: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateComplaintForm().run(dispatcher, tracker, DOMAIN))
    return events, dispatcher


def test_form_run_extracts_and_validates_the_description() -> None:
    events, dispatcher = run_form(description_tracker("my sw never visits me", "make_complaint"))
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "description",
        "value": "my sw never visits me",
    } in events
    assert dispatcher.messages == []


def test_form_run_refuses_a_too_short_description() -> None:
    events, dispatcher = run_form(description_tracker("bad", "make_complaint"))
    assert events[-1]["name"] == "description" and events[-1]["value"] is None
    assert response_names(dispatcher) == ["utter_description_too_short"]


def test_form_run_keeps_a_danger_disclosure_and_gives_help() -> None:
    events, dispatcher = run_form(
        description_tracker("my dad hits me every night", "disclose_danger")
    )
    assert events[-1] == {
        "event": "slot",
        "timestamp": None,
        "name": "description",
        "value": "my dad hits me every night",
    }
    assert response_names(dispatcher) == ["utter_get_help_now"]


def test_form_run_leaves_a_stop_to_the_rules() -> None:
    events, _ = run_form(description_tracker("stop", "stop"))
    assert not [e for e in events if e.get("name") == "description"]
