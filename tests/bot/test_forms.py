"""The complaint form: its pure rules, and each extractor and validator of its action."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from bot_test_support import (
    ANSWERS,
    FORM_DOMAIN,
    answer_tracker,
    case_body,
    form_events,
    json_response,
    make_tracker,
    response_names,
    run_action,
    run_extractor,
    slots_set,
)
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.forms import (
    INTERRUPTING_INTENTS,
    ContactChoice,
    ValidateComplaintForm,
    age_band_for,
    answer_text,
    answered_just_now,
    complaint_questions,
    description_problem,
    find_email,
    find_uk_phone,
    is_interruption,
    is_skip,
    normalise_uk_phone,
    parse_age_band,
    parse_carer_role,
    parse_complainant_type,
    parse_contact,
    parse_yes_no,
    wants_anonymity,
)

DANGER = "my dad hits me every night when he comes home drunk"
HELP = ["utter_get_help_now", "utter_will_pass_on"]
#: Help when the API is down (the default in these tests): the case waits in the outbox.
HELP_SAVED = [*HELP, "utter_will_pass_on_soon"]
HELP_SENT = [*HELP, "utter_passed_on"]


@pytest.fixture
def form() -> ValidateComplaintForm:
    return ValidateComplaintForm()


def validate(
    form: ValidateComplaintForm, slot: str, value: Any, tracker: Tracker | None = None
) -> tuple[dict[str, Any], CollectingDispatcher]:
    """Call `form.validate_<slot>`; return its slots and what it said."""
    dispatcher = CollectingDispatcher()
    result = getattr(form, f"validate_{slot}")(value, dispatcher, tracker or make_tracker(), {})
    return result, dispatcher


# --- who is complaining ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # button payload values
        ("child", "child"),
        ("parent", "parent"),
        ("advocate", "advocate"),
        ("other", "other"),
        ("foster_carer", "foster_carer"),
        ("foster carer", "foster_carer"),
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
    ("text", "expected"),
    [
        ("parent", ("parent", "parent")),
        ("Parent", ("parent", "parent")),
        ("I am his dad", ("parent", "parent")),
        ("Foster carer", ("foster_carer", "foster carer")),
        ("Special guardian", ("special_guardian", "special guardian")),
        ("sgo", ("special_guardian", "special guardian")),
        ("Family member", ("relative", "family member")),
        ("his nan", ("relative", "family member")),
        ("grandparent", ("relative", "family member")),
        ("aunt", ("relative", "family member")),
        ("Another carer", ("parent", "other carer")),
        ("step dad", ("parent", "other carer")),
    ],
)
def test_parse_carer_role(text: str, expected: tuple[str, str]) -> None:
    assert parse_carer_role(text) == expected


@pytest.mark.parametrize("text", ["", None, "banana", "yes"])
def test_unclear_carer_role_is_none(text: str | None) -> None:
    assert parse_carer_role(text) is None


# --- age ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "band"),
    [
        # button payloads and band ids
        ("under 10", "under_10"),
        ("10 to 12", "10_to_12"),
        ("13 to 15", "13_to_15"),
        ("16 or 17", "16_to_17"),
        ("18 to 25", "18_to_25"),
        ("13_to_15", "13_to_15"),
        ("Under_10", "under_10"),
        ("rather not say", "not_given"),
        ("not_given", "not_given"),
        # typed
        ("im 12", "10_to_12"),
        ("I am 9", "under_10"),
        ("i am twelve", "10_to_12"),
        ("sixteen", "16_to_17"),
        ("17", "16_to_17"),
        ("under ten", "under_10"),
        ("I would rather not say", "not_given"),
        ("thats private", "not_given"),
    ],
)
def test_parse_age_band(text: str, band: str) -> None:
    assert parse_age_band(text) == band


@pytest.mark.parametrize("text", ["", None, "banana", "30", "26", "old"])
def test_unclear_or_out_of_range_age_is_none(text: str | None) -> None:
    assert parse_age_band(text) is None


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "under_10"),
        (9, "under_10"),
        (10, "10_to_12"),
        (12, "10_to_12"),
        (13, "13_to_15"),
        (15, "13_to_15"),
        (16, "16_to_17"),
        (17, "16_to_17"),
        (18, "18_to_25"),
        (25, "18_to_25"),
        (26, None),
        (-1, None),
    ],
)
def test_age_band_for_each_boundary(age: int, band: str | None) -> None:
    assert age_band_for(age) == band


# --- yes, no, skip -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("/affirm", "affirm", True),
        ("/deny", "deny", False),
        ("whatever", "affirm", True),
        ("yes", None, True),
        ("Yes please", None, True),
        ("yeah they said yes", None, True),
        ("y", None, True),
        ("ok", None, True),
        ("they have", None, True),
        ("i do", None, True),
        ("no", None, False),
        ("nope", None, False),
        ("no thanks", None, False),
        ("not yet", None, False),
        ("they haven't", None, False),
        ("i don't want one", None, False),
        ("maybe", None, None),
        ("yesterday", None, None),
        ("", None, None),
        # "I don't know" is neither: the person is asked again, not recorded as a no
        ("i dont know", None, None),
        ("I don't know", None, None),
        ("i do not know", None, None),
    ],
)
def test_parse_yes_no(text: str, intent: str | None, answer: bool | None) -> None:
    assert parse_yes_no(text, intent) is answer


@pytest.mark.parametrize(
    ("text", "skip"),
    [
        ("skip", True),
        ("no, that is all", True),
        ("nothing", True),
        ("not sure", True),
        ("dunno", True),
        ("rather not say", True),
        ("the duty team", False),
        ("I want an apology", False),
        ("", False),
    ],
)
def test_is_skip(text: str, skip: bool) -> None:
    assert is_skip(text) is skip


# --- what happened -----------------------------------------------------------------------


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


# --- contact -----------------------------------------------------------------------------


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
        ("through my advocate", ContactChoice(via_advocate=True)),
        ("Through my advocate", ContactChoice(via_advocate=True)),
        ("via my advocate please", ContactChoice(via_advocate=True)),
        ("thru my advocat", ContactChoice(via_advocate=True)),
        ("contact my advocate", ContactChoice(via_advocate=True)),
        ("no, through my advocate", ContactChoice(via_advocate=True)),
        # a number wins over "through my advocate"
        ("my advocate or 07700 900123", ContactChoice(phone="07700900123")),
        ("my email", ContactChoice()),
        ("0123", ContactChoice()),
    ],
)
def test_parse_contact(text: str, choice: ContactChoice) -> None:
    assert parse_contact(text) == choice


@pytest.mark.parametrize(
    ("choice", "summary", "via", "valid"),
    [
        (ContactChoice(email="a@b.co"), "a@b.co", "direct", True),
        (ContactChoice(phone="07700900123"), "07700900123", "direct", True),
        (
            ContactChoice(email="a@b.co", phone="07700900123"),
            "a@b.co and 07700900123",
            "direct",
            True,
        ),
        (ContactChoice(via_advocate=True), "through my advocate", "advocate", True),
        (ContactChoice(anonymous=True), "anonymous", "none", True),
        (ContactChoice(), "anonymous", "none", False),
    ],
)
def test_contact_choice(choice: ContactChoice, summary: str, via: str, valid: bool) -> None:
    assert (choice.summary(), choice.contact_via, choice.is_valid) == (summary, via, valid)


# --- which questions are asked -------------------------------------------------------------

COMMON = ["description", "add_more", "when", "service_worker", "desired_outcome"]


@pytest.mark.parametrize(
    ("who", "questions"),
    [
        (None, ["complainant_type", *COMMON, "contact"]),
        ("child", ["complainant_type", "age_band", *COMMON, "advocate_offer", "contact"]),
        (
            "advocate",
            [
                "complainant_type",
                "advocate_organisation",
                "child_consent",
                "age_band",
                *COMMON,
                "contact",
            ],
        ),
        ("parent", ["complainant_type", "carer_role", *COMMON, "contact"]),
        ("foster_carer", ["complainant_type", "carer_role", *COMMON, "contact"]),
        ("special_guardian", ["complainant_type", "carer_role", *COMMON, "contact"]),
        ("relative", ["complainant_type", "carer_role", *COMMON, "contact"]),
        ("professional", ["complainant_type", *COMMON, "contact"]),
        ("other", ["complainant_type", *COMMON, "contact"]),
    ],
)
def test_complaint_questions_fit_the_person(who: str | None, questions: list[str]) -> None:
    assert complaint_questions({"complainant_type": who}) == questions


def test_only_a_child_is_offered_an_advocate_and_only_carers_asked_their_role() -> None:
    child = complaint_questions({"complainant_type": "child"})
    advocate = complaint_questions({"complainant_type": "advocate"})
    parent = complaint_questions({"complainant_type": "parent"})
    assert "advocate_offer" in child and "advocate_offer" not in advocate + parent
    assert "carer_role" in parent and "carer_role" not in child + advocate
    assert {"advocate_organisation", "child_consent"} <= set(advocate)
    assert not {"advocate_organisation", "child_consent", "age_band"} & set(parent)


def test_every_question_is_a_required_slot_in_the_domain() -> None:
    domain_slots = FORM_DOMAIN["forms"]["complaint_form"]["required_slots"]
    for who in ("child", "advocate", "parent", "professional", None):
        assert set(complaint_questions({"complainant_type": who})) <= set(domain_slots)


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"complainant_type": "child"}, ["complainant_type", "age_band"]),
        ({"complainant_type": "advocate"}, ["complainant_type", "advocate_organisation"]),
        ({"complainant_type": "parent"}, ["complainant_type", "carer_role"]),
    ],
)
def test_required_slots_follow_complaint_questions(
    form: ValidateComplaintForm, slots: dict[str, Any], expected: list[str]
) -> None:
    required = asyncio.run(
        form.required_slots([], CollectingDispatcher(), make_tracker(slots), FORM_DOMAIN)
    )
    assert required[:2] == expected
    assert required == complaint_questions(slots)


# --- interruptions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "text", "interrupts"),
    [
        ("stop", "stop", True),
        ("stop", "i want to stop now please", True),
        ("start_again", "start again", True),
        ("bot_challenge", "are you a real person", True),
        ("ask_about_process", "what happens next", True),
        ("ask_what_is_advocate", "what is an advocate", True),
        ("ask_who_sees", "who will see this", True),
        ("ask_for_person", "can i talk to a person", True),
        ("chitchat", "how are you", True),
        ("disclose_danger", "my dad hits me", True),
        ("ask_what_is_advocate", "/ask_what_is_advocate", True),
        # long messages are answers, whatever the classifier thinks
        ("stop", "i want them to stop moving me from home to home without asking me", False),
        ("chitchat", "they said hi to me then never came back to see me again", False),
        ("make_complaint", "my sw never calls", False),
        ("inform", "stop", False),
        ("affirm", "/affirm", False),
        (None, "anything", False),
    ],
)
def test_is_interruption(intent: str | None, text: str, interrupts: bool) -> None:
    assert is_interruption(intent, text) is interrupts


def test_a_disclosure_is_kept_as_what_happened() -> None:
    assert not is_interruption("disclose_danger", "my dad hits me", keep_danger=True)
    assert not is_interruption("disclose_danger", "/disclose_danger", keep_danger=True)
    assert is_interruption("stop", "stop", keep_danger=True)


def test_every_interrupting_intent_is_in_the_domain() -> None:
    from pathlib import Path

    domain = (Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8")
    for intent in INTERRUPTING_INTENTS:
        assert f"  - {intent}\n" in domain


def test_answered_just_now() -> None:
    assert answered_just_now(form_events("my sw never calls"))
    assert answered_just_now(form_events("my sw never calls", "action_extract_slots"))
    assert answered_just_now(form_events("my sw never calls", "validate_complaint_form"))
    assert not answered_just_now(form_events("are you a bot", "utter_iamabot"))
    assert not answered_just_now(form_events("no keep going", "utter_ask_stop", "utter_continue"))
    assert not answered_just_now([{"event": "action", "name": "complaint_form"}])
    assert not answered_just_now([])


@pytest.mark.parametrize("form", ["complaint_form", "status_form", "compliment_form"])
def test_every_form_takes_the_answer_given_just_now(form: str) -> None:
    # Bug fixed: only the complaint form was known, so the status and compliment forms
    # never took a typed answer (Rasa runs the form before asking it to validate).
    assert answered_just_now(form_events("CC-K3M9-7QXT", form=form))
    assert answered_just_now(form_events("CC-K3M9-7QXT", f"validate_{form}", form=form))
    assert not answered_just_now(form_events("CC-K3M9-7QXT", "utter_iamabot", form=form))


def test_answer_text() -> None:
    tracker = answer_tracker("when", "  last week  ")
    assert answer_text(tracker, "when") == "last week"
    assert answer_text(tracker, "description") is None
    assert answer_text(answer_tracker("when", ""), "when") is None
    assert answer_text(answer_tracker("when", "stop", "stop"), "when") is None
    interrupted = answer_tracker("when", "last week", interrupted_by=("utter_iamabot",))
    assert answer_text(interrupted, "when") is None


# --- extractors --------------------------------------------------------------------------

#: For each question, an answer its extractor takes as it is.
PLAIN_ANSWERS: dict[str, str] = {
    "complainant_type": "im a kid",
    "carer_role": "Foster carer",
    "advocate_organisation": "Northfield Young Voices",
    "child_consent": "yes they did",
    "age_band": "13 to 15",
    "description": "they moved me and did not ask me",
    "add_more": "and they lost my bike",
    "when": "last week",
    "service_worker": "the leaving care team",
    "desired_outcome": "an apology",
    "advocate_offer": "yes please",
    "contact": "sam@example.com",
}


@pytest.mark.parametrize(("slot", "text"), PLAIN_ANSWERS.items())
def test_each_extractor_takes_the_answer_to_its_own_question(
    form: ValidateComplaintForm, slot: str, text: str
) -> None:
    extracted, dispatcher = run_extractor(form, slot, answer_tracker(slot, text))
    assert extracted == {slot: text}
    assert dispatcher.messages == []


@pytest.mark.parametrize(("slot", "text"), PLAIN_ANSWERS.items())
def test_each_extractor_ignores_answers_to_other_questions(
    form: ValidateComplaintForm, slot: str, text: str
) -> None:
    other = "contact" if slot != "contact" else "description"
    extracted, _ = run_extractor(form, slot, answer_tracker(other, text))
    assert extracted == {}


@pytest.mark.parametrize(("slot", "text"), PLAIN_ANSWERS.items())
def test_nothing_is_taken_when_returning_after_an_interruption(
    form: ValidateComplaintForm, slot: str, text: str
) -> None:
    tracker = answer_tracker(
        slot, text, "deny", interrupted_by=("utter_ask_stop", "utter_continue")
    )
    extracted, _ = run_extractor(form, slot, tracker)
    assert extracted == {}


@pytest.mark.parametrize("slot", PLAIN_ANSWERS)
@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("stop", "stop"),
        ("start_again", "can i start again"),
        ("bot_challenge", "are you a robot"),
        ("ask_about_process", "what happens after this"),
        ("ask_what_is_advocate", "/ask_what_is_advocate"),
        ("ask_who_sees", "who reads this"),
        ("ask_for_person", "i want a real person"),
        ("chitchat", "lol"),
    ],
)
def test_short_questions_and_stops_are_left_to_the_rules(
    form: ValidateComplaintForm, slot: str, intent: str, text: str
) -> None:
    extracted, _ = run_extractor(form, slot, answer_tracker(slot, text, intent))
    assert extracted == {}


@pytest.mark.parametrize(
    ("slot", "kept"),
    [(slot, slot in ("description", "add_more")) for slot in PLAIN_ANSWERS],
)
def test_a_short_disclosure_is_kept_only_as_what_happened(
    form: ValidateComplaintForm, slot: str, kept: bool
) -> None:
    extracted, _ = run_extractor(
        form, slot, answer_tracker(slot, "my dad hits me", "disclose_danger")
    )
    assert extracted == ({slot: "my dad hits me"} if kept else {})


def test_a_long_description_classified_as_stop_is_kept(form: ValidateComplaintForm) -> None:
    text = "i want them to stop moving me from home to home without asking me"
    extracted, _ = run_extractor(form, "description", answer_tracker("description", text, "stop"))
    assert extracted == {"description": text}


def test_complainant_type_button_gives_its_entity(form: ValidateComplaintForm) -> None:
    tracker = answer_tracker(
        "complainant_type",
        '/inform{"complainant_type": "parent"}',
        entities=[{"entity": "complainant_type", "value": "parent"}],
    )
    extracted, _ = run_extractor(form, "complainant_type", tracker)
    assert extracted == {"complainant_type": "parent"}


def test_complainant_type_entity_in_a_stop_is_left_to_the_rules(
    form: ValidateComplaintForm,
) -> None:
    tracker = answer_tracker(
        "complainant_type",
        "im a parent but i want to stop",
        "stop",
        entities=[{"entity": "complainant_type", "value": "parent"}],
    )
    extracted, _ = run_extractor(form, "complainant_type", tracker)
    assert extracted == {}


def test_complainant_type_entity_is_not_taken_after_an_interruption(
    form: ValidateComplaintForm,
) -> None:
    tracker = answer_tracker(
        "complainant_type",
        "im a parent",
        entities=[{"entity": "complainant_type", "value": "parent"}],
        interrupted_by=("utter_iamabot",),
    )
    extracted, _ = run_extractor(form, "complainant_type", tracker)
    assert extracted == {}


def test_child_consent_yes_button_is_taken(form: ValidateComplaintForm) -> None:
    tracker = answer_tracker("child_consent", "/affirm", "affirm")
    extracted, _ = run_extractor(form, "child_consent", tracker)
    assert extracted == {"child_consent": "/affirm"}


@pytest.mark.parametrize("text", ["/deny", "no not yet", "no"])
def test_child_consent_no_is_left_to_the_rules(form: ValidateComplaintForm, text: str) -> None:
    extracted, _ = run_extractor(
        form, "child_consent", answer_tracker("child_consent", text, "deny")
    )
    assert extracted == {}


def test_age_band_prefers_the_age_entity(form: ValidateComplaintForm) -> None:
    tracker = answer_tracker(
        "age_band", "i am 14 years old", entities=[{"entity": "age", "value": "14"}]
    )
    extracted, _ = run_extractor(form, "age_band", tracker)
    assert extracted == {"age_band": "14"}


def test_advocate_offer_buttons_are_taken(form: ValidateComplaintForm) -> None:
    yes, _ = run_extractor(
        form, "advocate_offer", answer_tracker("advocate_offer", "/affirm", "affirm")
    )
    no, _ = run_extractor(form, "advocate_offer", answer_tracker("advocate_offer", "/deny", "deny"))
    assert (yes, no) == ({"advocate_offer": "/affirm"}, {"advocate_offer": "/deny"})


# --- validators: who, carer, organisation, consent, age ------------------------------------


def test_button_payload_sets_only_the_complainant_type(form: ValidateComplaintForm) -> None:
    tracker = make_tracker(entities=[{"entity": "complainant_type", "value": "parent"}])
    result, dispatcher = validate(form, "complainant_type", "parent", tracker)
    assert result == {"complainant_type": "parent"}  # the carer question is still asked
    assert dispatcher.messages == []


def test_typed_carer_answers_the_carer_question_too(form: ValidateComplaintForm) -> None:
    result, _ = validate(form, "complainant_type", "I'm his foster carer")
    assert result == {"complainant_type": "foster_carer", "carer_role": "foster carer"}
    result, _ = validate(form, "complainant_type", "I'm her nan")
    assert result == {"complainant_type": "relative", "carer_role": "family member"}
    result, _ = validate(form, "complainant_type", "I'm his mum")
    assert result == {"complainant_type": "parent", "carer_role": "parent"}


def test_typed_age_answers_the_age_question(form: ValidateComplaintForm) -> None:
    result, _ = validate(form, "complainant_type", "im 12")
    assert result == {"complainant_type": "child", "age_band": "10_to_12"}
    with_entity = make_tracker(entities=[{"entity": "age", "value": "16"}])
    result, _ = validate(form, "complainant_type", "im a young person aged 16", with_entity)
    assert result == {"complainant_type": "child", "age_band": "16_to_17"}
    result, _ = validate(form, "complainant_type", "im a kid")
    assert result == {"complainant_type": "child"}


def test_professional_and_advocate_get_no_carer_role(form: ValidateComplaintForm) -> None:
    assert validate(form, "complainant_type", "I'm a teacher")[0] == {
        "complainant_type": "professional"
    }
    assert validate(form, "complainant_type", "I am an advocate")[0] == {
        "complainant_type": "advocate"
    }


def test_unclear_complainant_type_asks_for_a_button(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "complainant_type", "hello")
    assert result == {"complainant_type": None}
    assert response_names(dispatcher) == ["utter_invalid_complainant_type"]


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Parent", {"carer_role": "parent", "complainant_type": "parent"}),
        ("Foster carer", {"carer_role": "foster carer", "complainant_type": "foster_carer"}),
        (
            "Special guardian",
            {"carer_role": "special guardian", "complainant_type": "special_guardian"},
        ),
        ("Family member", {"carer_role": "family member", "complainant_type": "relative"}),
        ("Another carer", {"carer_role": "other carer", "complainant_type": "parent"}),
    ],
)
def test_carer_role_refines_the_complainant_type(
    form: ValidateComplaintForm, text: str, result: dict[str, str]
) -> None:
    tracker = make_tracker({"complainant_type": "parent"})
    validated, dispatcher = validate(form, "carer_role", text, tracker)
    assert validated == result
    assert dispatcher.messages == []


def test_unclear_carer_role_asks_for_a_button(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "carer_role", "banana")
    assert result == {"carer_role": None}
    assert response_names(dispatcher) == ["utter_invalid_button"]


def test_advocate_organisation_is_kept_short(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "advocate_organisation", "  Northfield Young Voices ")
    assert result == {"advocate_organisation": "Northfield Young Voices"}
    assert dispatcher.messages == []
    result, _ = validate(form, "advocate_organisation", "x" * 300)
    assert result == {"advocate_organisation": "x" * 200}


def test_too_short_advocate_organisation_is_asked_again(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "advocate_organisation", "x")
    assert result == {"advocate_organisation": None}
    assert response_names(dispatcher) == ["utter_invalid_organisation"]


@pytest.mark.parametrize(("text", "intent"), [("/affirm", "affirm"), ("yes they did", "inform")])
def test_child_consent_yes_is_recorded(form: ValidateComplaintForm, text: str, intent: str) -> None:
    result, dispatcher = validate(form, "child_consent", text, make_tracker(intent=intent))
    assert result == {"child_consent": True}
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["maybe", "i dont know", "no", "banana"])
def test_anything_but_a_clear_yes_to_consent_asks_again(
    form: ValidateComplaintForm, text: str
) -> None:
    result, dispatcher = validate(form, "child_consent", text)
    assert result == {"child_consent": None}
    assert response_names(dispatcher) == ["utter_invalid_yes_no"]


@pytest.mark.parametrize(
    ("text", "band"),
    [("13 to 15", "13_to_15"), ("14", "13_to_15"), ("rather not say", "not_given")],
)
def test_age_band_is_recorded(form: ValidateComplaintForm, text: str, band: str) -> None:
    result, dispatcher = validate(form, "age_band", text)
    assert result == {"age_band": band}
    assert dispatcher.messages == []


def test_unclear_age_asks_again(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "age_band", "old enough")
    assert result == {"age_band": None}
    assert response_names(dispatcher) == ["utter_invalid_age_band"]


# --- validators: what happened and when -----------------------------------------------------


def test_description_is_kept_trimmed(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "description", "  my sw never visits me  ")
    assert result == {"description": "my sw never visits me"}
    assert dispatcher.messages == []


def test_short_description_asks_for_more(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "description", "bad")
    assert result == {"description": None}
    assert response_names(dispatcher) == ["utter_description_too_short"]


def test_long_description_asks_to_shorten(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "description", "word " * 5000)
    assert result == {"description": None}
    assert response_names(dispatcher) == ["utter_description_too_long"]


@pytest.mark.parametrize(
    ("text", "signpost"),
    [
        ("my school excluded me and the head teacher is unfair", "utter_signpost_school"),
        ("the family court judge decided I live with dad", "utter_signpost_court"),
        ("I want a copy of my records from social services", "utter_signpost_records"),
        ("the police were rude to me when they came round", "utter_signpost_police"),
        ("CAMHS waiting list is too long for me", "utter_signpost_nhs"),
        ("the housing association refused to fix the damp", "utter_signpost_other"),
    ],
)
def test_a_matter_for_someone_else_is_signposted_and_kept(
    form: ValidateComplaintForm, text: str, signpost: str
) -> None:
    result, dispatcher = validate(form, "description", text)
    assert result == {"description": text}
    assert response_names(dispatcher) == [signpost, "utter_can_still_send"]


def test_add_more_joins_the_description(form: ValidateComplaintForm) -> None:
    tracker = make_tracker({"description": "They moved me without asking."})
    result, dispatcher = validate(form, "add_more", "And they lost my bike.", tracker)
    assert result == {
        "description": "They moved me without asking.\nAnd they lost my bike.",
        "add_more": "added",
    }
    assert response_names(dispatcher) == ["utter_added"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [("no, that is all", "deny"), ("nothing", "inform"), ("no", "deny"), ("/deny", "deny")],
)
def test_nothing_more_to_add(form: ValidateComplaintForm, text: str, intent: str) -> None:
    tracker = make_tracker({"description": "They moved me without asking."}, intent=intent)
    result, dispatcher = validate(form, "add_more", text, tracker)
    assert result == {"add_more": "none"}
    assert dispatcher.messages == []


def test_add_more_that_would_be_too_long_asks_again(form: ValidateComplaintForm) -> None:
    tracker = make_tracker({"description": "word " * 3999})
    result, dispatcher = validate(form, "add_more", "and more " * 10, tracker)
    assert result == {"add_more": None}
    assert response_names(dispatcher) == ["utter_description_too_long"]


@pytest.mark.parametrize(
    ("text", "over", "has_date", "responses"),
    [
        ("last week", False, True, []),
        ("3 years ago", True, True, ["utter_when_over_a_year"]),
        ("ages ago", True, False, ["utter_when_over_a_year"]),
        ("it started 3 years ago and still happens", False, True, []),
        ("not sure", None, False, []),
    ],
)
def test_when_is_understood_and_a_late_complaint_only_flagged(
    form: ValidateComplaintForm, text: str, over: bool | None, has_date: bool, responses: list[str]
) -> None:
    result, dispatcher = validate(form, "when", text)
    assert result["when"] == text
    assert result["when_over_12_months"] is over
    assert (result["when_date"] is not None) is has_date
    assert response_names(dispatcher) == responses


def test_when_is_cut_to_200_characters(form: ValidateComplaintForm) -> None:
    result, _ = validate(form, "when", "a" * 300)
    assert result["when"] == "a" * 200


@pytest.mark.parametrize(("slot", "limit"), [("service_worker", 500), ("desired_outcome", 2000)])
def test_optional_answers_are_kept_or_skipped(
    form: ValidateComplaintForm, slot: str, limit: int
) -> None:
    assert validate(form, slot, " the duty team ")[0] == {slot: "the duty team"}
    assert validate(form, slot, "skip")[0] == {slot: "none"}
    assert validate(form, slot, "dont know")[0] == {slot: "none"}
    assert validate(form, slot, "x" * (limit + 50))[0] == {slot: "x" * limit}


@pytest.mark.parametrize(
    ("text", "intent", "value", "response"),
    [
        ("/affirm", "affirm", "yes", "utter_advocate_yes"),
        ("yes please", "inform", "yes", "utter_advocate_yes"),
        ("/deny", "deny", "no", "utter_advocate_no"),
        ("no thanks", "inform", "no", "utter_advocate_no"),
        ("maybe later", "inform", None, "utter_invalid_yes_no"),
    ],
)
def test_advocate_offer(
    form: ValidateComplaintForm, text: str, intent: str, value: str | None, response: str
) -> None:
    result, dispatcher = validate(form, "advocate_offer", text, make_tracker(intent=intent))
    assert result == {"advocate_offer": value}
    assert response_names(dispatcher) == [response]


# --- validators: contact ------------------------------------------------------------------


def test_email_contact_sets_email(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "contact", "sam@example.com")
    assert result == {
        "contact": "sam@example.com",
        "contact_email": "sam@example.com",
        "contact_phone": None,
        "anonymous": False,
        "contact_via": "direct",
    }
    assert dispatcher.messages == []


def test_phone_contact_sets_phone(form: ValidateComplaintForm) -> None:
    result, _ = validate(form, "contact", "07700 900123")
    assert result["contact_phone"] == "07700900123"
    assert result["anonymous"] is False
    assert result["contact_via"] == "direct"


def test_anonymous_contact_explains_anonymity(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "contact", "I want to stay anonymous")
    assert result == {
        "contact": "anonymous",
        "contact_email": None,
        "contact_phone": None,
        "anonymous": True,
        "contact_via": "none",
    }
    assert response_names(dispatcher) == ["utter_anonymous_explained"]


def test_a_child_can_be_contacted_through_their_advocate(form: ValidateComplaintForm) -> None:
    tracker = make_tracker({"complainant_type": "child"})
    result, dispatcher = validate(form, "contact", "through my advocate", tracker)
    assert result == {
        "contact": "through my advocate",
        "contact_email": None,
        "contact_phone": None,
        "anonymous": False,
        "contact_via": "advocate",
    }
    assert response_names(dispatcher) == ["utter_contact_via_advocate"]


def test_bad_contact_is_refused(form: ValidateComplaintForm) -> None:
    result, dispatcher = validate(form, "contact", "sam at example")
    assert result == {"contact": None}
    assert response_names(dispatcher) == ["utter_invalid_contact"]


@pytest.mark.parametrize("text", ["anonymous", "through my advocate", "no", "sam at example"])
def test_an_advocate_must_leave_an_email_or_phone(form: ValidateComplaintForm, text: str) -> None:
    tracker = make_tracker({"complainant_type": "advocate"})
    result, dispatcher = validate(form, "contact", text, tracker)
    assert result == {"contact": None}
    assert response_names(dispatcher) == ["utter_advocate_contact_needed"]


def test_an_advocate_is_replied_to_as_the_childs_advocate(form: ValidateComplaintForm) -> None:
    tracker = make_tracker({"complainant_type": "advocate"})
    result, dispatcher = validate(form, "contact", "jo@advocacy.org.uk", tracker)
    assert result["contact_email"] == "jo@advocacy.org.uk"
    assert result["contact_via"] == "advocate"
    assert result["anonymous"] is False
    assert dispatcher.messages == []


# --- danger in any answer --------------------------------------------------------------------


@pytest.mark.parametrize(
    "slot", ["description", "add_more", "when", "service_worker", "desired_outcome"]
)
def test_a_disclosure_in_an_answer_gives_help_at_once(
    form: ValidateComplaintForm, fake_api: Any, slot: str
) -> None:
    session = fake_api(json_response(201, case_body("CC-ALRT-0001")))
    tracker = make_tracker({"description": "They moved me."}, text=DANGER, intent="inform")
    result, dispatcher = validate(form, slot, DANGER, tracker)

    assert response_names(dispatcher)[:2] == HELP
    assert result["safeguarding_disclosed"] is True
    assert result["alert_reference"] == "CC-ALRT-0001"
    (payload,) = session.payloads
    assert payload["safeguarding_disclosed"] is True
    assert DANGER in payload["description"]


def test_a_disclosure_as_what_happened_is_still_the_description(
    form: ValidateComplaintForm,
) -> None:
    result, dispatcher = validate(
        form, "description", DANGER, make_tracker(intent="disclose_danger")
    )
    assert result == {"safeguarding_disclosed": True, "description": DANGER}
    assert response_names(dispatcher) == HELP_SAVED  # the API is down: saved, no reference yet


@pytest.mark.parametrize(
    ("slot", "text"),
    [
        ("complainant_type", f"im 12 and {DANGER}"),
        ("carer_role", f"Parent, and {DANGER}"),
        ("advocate_organisation", f"Young Voices. The child says {DANGER}"),
        ("child_consent", f"yes and she says {DANGER}"),
        ("age_band", f"14 and {DANGER}"),
        ("advocate_offer", f"yes please because {DANGER}"),
        ("contact", f"sam@example.com please help {DANGER}"),
    ],
)
def test_a_long_disclosure_given_as_any_other_answer_gets_help_too(
    form: ValidateComplaintForm, slot: str, text: str
) -> None:
    # Bug fixed: these answers were not screened, and once the slot was set the
    # safeguarding rule never ran, so the person got no help.
    result, dispatcher = validate(form, slot, text, make_tracker(intent="disclose_danger"))
    assert response_names(dispatcher)[:2] == HELP
    assert result["safeguarding_disclosed"] is True
    assert slot in result


def test_ordinary_answers_raise_no_alert(form: ValidateComplaintForm, fake_api: Any) -> None:
    session = fake_api(json_response(201, case_body()))
    for slot, text in PLAIN_ANSWERS.items():
        result, _ = validate(form, slot, text)
        assert "safeguarding_disclosed" not in result, slot
    assert session.calls == []


# --- the validation action as Rasa runs it ------------------------------------------------


ANSWERS_CHILD = {"complainant_type": "child", "age_band": "13_to_15"}


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def test_form_run_extracts_and_validates_the_description() -> None:
    tracker = answer_tracker(
        "description", "my sw never visits me", "make_complaint", ANSWERS_CHILD
    )
    events, dispatcher = run_action(ValidateComplaintForm(), tracker)
    assert slot_event("description", "my sw never visits me") in events
    assert slots_set(events)["requested_slot"] == "add_more"
    assert dispatcher.messages == []


def test_form_run_refuses_a_too_short_description() -> None:
    tracker = answer_tracker("description", "bad", "make_complaint", ANSWERS_CHILD)
    events, dispatcher = run_action(ValidateComplaintForm(), tracker)
    assert slots_set(events)["description"] is None
    assert slots_set(events)["requested_slot"] == "description"
    assert response_names(dispatcher) == ["utter_description_too_short"]


def test_form_run_keeps_a_danger_disclosure_and_gives_help() -> None:
    tracker = answer_tracker("description", DANGER, "disclose_danger", ANSWERS_CHILD)
    events, dispatcher = run_action(ValidateComplaintForm(), tracker)
    slots = slots_set(events)
    assert slots["description"] == DANGER
    assert slots["safeguarding_disclosed"] is True
    assert response_names(dispatcher) == HELP_SAVED


def test_form_run_leaves_a_stop_to_the_rules() -> None:
    events, dispatcher = run_action(
        ValidateComplaintForm(), answer_tracker("description", "stop", "stop", ANSWERS_CHILD)
    )
    assert "description" not in slots_set(events)
    assert dispatcher.messages == []


def test_form_run_takes_nothing_after_an_interruption() -> None:
    tracker = answer_tracker(
        "description", "no keep going", "deny", ANSWERS_CHILD, interrupted_by=("utter_continue",)
    )
    events, _ = run_action(ValidateComplaintForm(), tracker)
    assert "description" not in slots_set(events)


def test_form_run_a_typed_parent_skips_to_what_happened() -> None:
    events, _ = run_action(
        ValidateComplaintForm(), answer_tracker("complainant_type", "I'm his foster carer")
    )
    slots = slots_set(events)
    assert slots["complainant_type"] == "foster_carer"
    assert slots["carer_role"] == "foster carer"
    assert slots["requested_slot"] == "description"


def test_form_run_the_parent_button_asks_which_carer() -> None:
    tracker = answer_tracker(
        "complainant_type",
        '/inform{"complainant_type": "parent"}',
        entities=[{"entity": "complainant_type", "value": "parent"}],
    )
    events, _ = run_action(ValidateComplaintForm(), tracker)
    assert slots_set(events) == {"complainant_type": "parent", "requested_slot": "carer_role"}


def test_form_run_an_advocate_is_asked_for_the_childs_agreement() -> None:
    tracker = answer_tracker(
        "advocate_organisation", "Northfield Young Voices", slots={"complainant_type": "advocate"}
    )
    events, _ = run_action(ValidateComplaintForm(), tracker)
    assert slots_set(events)["requested_slot"] == "child_consent"


def test_form_run_consent_yes_button_fills_child_consent() -> None:
    slots = {"complainant_type": "advocate", "advocate_organisation": "Young Voices"}
    tracker = answer_tracker("child_consent", "/affirm", "affirm", slots)
    events, dispatcher = run_action(ValidateComplaintForm(), tracker)
    assert slots_set(events) == {"child_consent": True, "requested_slot": "age_band"}
    assert dispatcher.messages == []


def test_form_run_consent_no_sets_nothing_so_the_rules_stop_kindly() -> None:
    slots = {"complainant_type": "advocate", "advocate_organisation": "Young Voices"}
    tracker = answer_tracker("child_consent", "/deny", "deny", slots)
    events, dispatcher = run_action(ValidateComplaintForm(), tracker)
    assert "child_consent" not in slots_set(events)
    assert dispatcher.messages == []


def test_form_run_unclear_consent_asks_again() -> None:
    slots = {"complainant_type": "advocate", "advocate_organisation": "Young Voices"}
    tracker = answer_tracker("child_consent", "hmm maybe", "inform", slots)
    events, dispatcher = run_action(ValidateComplaintForm(), tracker)
    assert slots_set(events) == {"child_consent": None, "requested_slot": "child_consent"}
    assert response_names(dispatcher) == ["utter_invalid_yes_no"]


def test_form_run_asks_nothing_more_once_everything_is_answered() -> None:
    slots = {**ANSWERS, "contact": None}
    tracker = answer_tracker("contact", "sam@example.com", slots=slots)
    events, _ = run_action(ValidateComplaintForm(), tracker)
    assert slots_set(events)["requested_slot"] is None


def test_form_name(form: ValidateComplaintForm) -> None:
    assert form.name() == "validate_complaint_form"
    assert form.form_name() == "complaint_form"


@pytest.mark.parametrize("intent", ["stop", "goodbye", "chitchat"])
def test_words_that_show_danger_are_an_answer_whatever_the_intent(intent: str) -> None:
    text = "i dont want to live any more"
    assert answer_text(answer_tracker("when", text, intent), "when") == text


def test_a_stop_button_is_still_a_stop() -> None:
    assert answer_text(answer_tracker("when", "/stop", "stop"), "when") is None


def test_answers_given_before_a_change_are_not_validated_again(fake_api: Any) -> None:
    session = fake_api(json_response(201, case_body("CC-ALRT-0002")))
    danger = "my stepdad hits me when mum is out"
    answers = {
        **ANSWERS,
        "description": f"my social worker never visits\n{danger}",
        "add_more": "added",
        "safeguarding_disclosed": True,
    }
    # "Change what I said": the form starts again and Rasa sends the answers once more.
    events = [
        {"event": "user", "text": "/change_answer", "timestamp": 1.0, "parse_data": {}},
        {"event": "action", "name": "action_clear_answer"},
        {"event": "action", "name": "complaint_form"},
        *[
            {"event": "slot", "name": name, "value": value}
            for name, value in answers.items()
            if name in ("description", "add_more")
        ],
    ]
    tracker = make_tracker(
        {**answers, "requested_slot": None},
        text="/change_answer",
        intent="change_answer",
        active_loop="complaint_form",
        latest_action_name="complaint_form",
        events=events,
    )
    result, dispatcher = run_action(ValidateComplaintForm(), tracker)
    assert "utter_added" not in response_names(dispatcher)
    assert "utter_get_help_now" not in response_names(dispatcher)
    assert session.calls == []  # no second urgent case
    assert slots_set(result)["description"] == answers["description"]


@pytest.mark.parametrize(
    ("text", "interrupts"),
    [
        ("Brightside Advocacy", False),
        ("Northgate advocacy service", False),
        ("what is an advocate", True),
        ("advocate?", True),
        ("wat is a advocate", True),
    ],
)
def test_a_question_intent_interrupts_only_a_question(text: str, interrupts: bool) -> None:
    assert is_interruption("ask_what_is_advocate", text) is interrupts
