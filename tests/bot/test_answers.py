"""Starting, reading back, changing and forgetting the complaint form's answers."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from bot_test_support import (
    ANSWERS,
    case_body,
    json_response,
    make_tracker,
    response_names,
    run_action,
    slots_set,
)

from bot.actions.answers import (
    CARRIED_SLOTS,
    CHANGE_GROUPS,
    COMPLAINT_SLOTS,
    ActionClearAnswer,
    ActionForgetComplaint,
    ActionReadBack,
    ActionStartAgain,
    ActionStartComplaint,
    clear_answer,
    describe_contact,
    forget_complaint,
    read_back_lines,
    shorten,
    start_afresh,
)

CHILD = {**ANSWERS, "add_more": "added"}
ADVOCATE = {
    "complainant_type": "advocate",
    "advocate_organisation": "Northfield Young Voices",
    "child_consent": True,
    "age_band": "16_to_17",
    "description": "The council has missed every deadline on her case.",
    "when": "since September",
    "service_worker": "none",
    "desired_outcome": "none",
    "contact_email": "jo@advocacy.org.uk",
    "contact_via": "advocate",
    "anonymous": False,
}
PARENT = {
    "complainant_type": "foster_carer",
    "carer_role": "foster carer",
    "description": "Nobody told us about the review meeting.",
    "when": "not sure",
    "service_worker": "the fostering team",
    "desired_outcome": "to be invited next time",
    "anonymous": True,
    "contact_via": "none",
}


# --- the read-back -----------------------------------------------------------------------


def test_read_back_lines_for_a_child() -> None:
    assert read_back_lines(CHILD) == [
        "Who you are: a child or young person",
        "Your age: 13 to 15",
        f"What happened: {ANSWERS['description']}",
        "When: since March",
        "Who it is about: my social worker",
        "What you want: I want a new social worker",
        "An advocate: yes please",
        "How we get back to you: email sam@example.com",
    ]


def test_read_back_lines_for_an_advocate() -> None:
    assert read_back_lines(ADVOCATE) == [
        "Who you are: an advocate helping a child",
        "Your group: Northfield Young Voices",
        "The child said yes to this: yes",
        "Age of the child: 16 or 17",
        "What happened: The council has missed every deadline on her case.",
        "When: since September",
        "Who it is about: you did not say",
        "What you want: you did not say",
        "How we get back to you: email jo@advocacy.org.uk",
    ]


def test_read_back_lines_for_a_carer() -> None:
    assert read_back_lines(PARENT) == [
        "Who you are: a foster carer (foster carer)",
        "What happened: Nobody told us about the review meeting.",
        "When: not sure",
        "Who it is about: the fostering team",
        "What you want: to be invited next time",
        "How we get back to you: you chose to stay anonymous",
    ]


@pytest.mark.parametrize(
    ("answers", "line"),
    [
        ({"advocate_offer": "no"}, "An advocate: no thanks"),
        ({"advocate_offer": None}, "An advocate: you did not say"),
        ({"age_band": "not_given"}, "Your age: you did not say"),
        ({"when": None}, "When: you did not say"),
        (
            {"contact_email": None, "contact_via": "advocate"},
            "How we get back to you: through your advocate",
        ),
    ],
)
def test_read_back_for_skipped_or_changed_answers(answers: dict[str, Any], line: str) -> None:
    assert line in read_back_lines({**CHILD, **answers})


def test_read_back_shortens_a_long_description() -> None:
    (line,) = [
        line
        for line in read_back_lines({**CHILD, "description": "word " * 400})
        if line.startswith("What happened")
    ]
    assert line.endswith(" …")
    assert len(line) < 640


def test_read_back_action_sends_the_lines() -> None:
    _, dispatcher = run_action(ActionReadBack(), make_tracker(CHILD))
    assert response_names(dispatcher) == ["utter_read_back"]
    assert dispatcher.messages[0]["summary"] == "\n".join(read_back_lines(CHILD))


def test_read_back_gives_these_answers_a_key_once() -> None:
    events, _ = run_action(ActionReadBack(), make_tracker(CHILD))
    key = slots_set(events)["submission_key"]
    assert uuid.UUID(key).version == 4
    again, _ = run_action(ActionReadBack(), make_tracker({**CHILD, "submission_key": key}))
    assert again == []
    other, _ = run_action(ActionReadBack(), make_tracker(CHILD))
    assert slots_set(other)["submission_key"] != key


def test_changing_an_answer_drops_the_key_so_the_next_read_back_makes_a_new_one() -> None:
    assert slots_set(clear_answer("description"))["submission_key"] is None


@pytest.mark.parametrize(
    ("email", "phone", "anonymous", "via", "text"),
    [
        ("a@b.co", None, False, None, "email a@b.co"),
        (None, "07700900123", False, None, "phone 07700900123"),
        ("a@b.co", "07700900123", False, None, "email a@b.co and phone 07700900123"),
        (None, None, True, None, "you chose to stay anonymous"),
        ("a@b.co", None, True, None, "you chose to stay anonymous"),
        (None, None, False, "advocate", "through your advocate"),
        ("jo@a.org", None, False, "advocate", "email jo@a.org"),
        (None, None, False, None, "not given"),
    ],
)
def test_describe_contact(
    email: str | None, phone: str | None, anonymous: bool, via: str | None, text: str
) -> None:
    assert describe_contact(email, phone, anonymous, via) == text


def test_long_text_is_shortened_at_a_word() -> None:
    short = shorten("word " * 300, limit=50)
    assert len(short) <= 52
    assert short.endswith(" …")
    assert shorten("  short one  ") == "short one"


# --- changing an answer --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "cleared"),
    [
        (
            "complainant_type",
            {
                "complainant_type",
                "carer_role",
                "advocate_organisation",
                "child_consent",
                "age_band",
                "advocate_offer",
                "contact",
                "contact_email",
                "contact_phone",
                "contact_via",
                "anonymous",
            },
        ),
        ("age_band", {"age_band"}),
        ("description", {"description", "add_more"}),
        ("when", {"when", "when_date", "when_over_12_months"}),
        ("service", {"service_worker"}),
        ("outcome", {"desired_outcome"}),
        ("advocate", {"advocate_offer"}),
        ("contact", {"contact", "contact_email", "contact_phone", "contact_via", "anonymous"}),
        ("all", set(COMPLAINT_SLOTS)),
        (None, set()),
        ("nonsense", set()),
    ],
)
def test_clear_answer_groups(choice: str | None, cleared: set[str]) -> None:
    slots = slots_set(clear_answer(choice))
    assert set(slots) == cleared | {"submission_key", "change_slot"}
    assert all(value is None for value in slots.values())


def test_every_change_group_clears_only_complaint_slots() -> None:
    for slots in CHANGE_GROUPS.values():
        assert set(slots) <= set(COMPLAINT_SLOTS)
        assert not set(slots) & set(CARRIED_SLOTS)


def test_clear_answer_action_uses_the_change_slot() -> None:
    tracker = make_tracker({**ANSWERS, "change_slot": "when", "submission_key": "key-1"})
    events, dispatcher = run_action(ActionClearAnswer(), tracker)
    assert slots_set(events) == {
        "when": None,
        "when_date": None,
        "when_over_12_months": None,
        "submission_key": None,
        "change_slot": None,
    }
    assert dispatcher.messages == []


# --- forgetting ----------------------------------------------------------------------------


def test_forget_complaint_clears_the_answers_and_keeps_the_carried_flags() -> None:
    assert slots_set(forget_complaint()) == dict.fromkeys(COMPLAINT_SLOTS)


def test_start_afresh_after_sending_resets_every_slot_and_keeps_the_reference() -> None:
    assert start_afresh("CC-K3M9-7QXT") == [
        {"event": "reset_slots", "timestamp": None},
        {"event": "slot", "timestamp": None, "name": "case_reference", "value": "CC-K3M9-7QXT"},
    ]
    assert start_afresh(None) == [{"event": "reset_slots", "timestamp": None}]


def test_forget_on_stop_keeps_the_safety_flags() -> None:
    tracker = make_tracker({**ANSWERS, "safeguarding_disclosed": True, "alert_reference": "CC-1"})
    events, dispatcher = run_action(ActionForgetComplaint(), tracker)
    assert slots_set(events) == dict.fromkeys(COMPLAINT_SLOTS)
    assert dispatcher.messages == []


def test_start_again_clears_the_answers_and_the_question() -> None:
    events, dispatcher = run_action(ActionStartAgain(), make_tracker(ANSWERS))
    assert slots_set(events) == {**dict.fromkeys(COMPLAINT_SLOTS), "requested_slot": None}
    assert not set(slots_set(events)) & set(CARRIED_SLOTS)
    assert response_names(dispatcher) == ["utter_start_again"]


# --- starting ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/make_complaint", "I want to complain", ""])
def test_start_complaint(text: str) -> None:
    events, dispatcher = run_action(ActionStartComplaint(), make_tracker(text=text))
    assert events == []
    assert response_names(dispatcher) == ["utter_start_complaint"]


def test_start_complaint_with_danger_in_the_opening_words_gives_help_first(
    fake_api: Any,
) -> None:
    session = fake_api(json_response(201, case_body("CC-ALRT-0001")))
    text = "i want to complain because my dad hits me every night"
    events, dispatcher = run_action(ActionStartComplaint(), make_tracker(text=text))
    assert response_names(dispatcher) == [
        "utter_get_help_now",
        "utter_will_pass_on",
        "utter_passed_on",
        "utter_start_complaint",
    ]
    assert slots_set(events) == {"safeguarding_disclosed": True, "alert_reference": "CC-ALRT-0001"}
    assert session.payloads[0]["safeguarding_disclosed"] is True


def test_every_change_button_clears_something() -> None:
    import re
    from pathlib import Path

    domain = (Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8")
    choices = set(re.findall(r'"change_slot": "([a-z_]+)"', domain))
    assert choices
    assert choices <= set(CHANGE_GROUPS)


def test_only_children_and_advocates_are_offered_to_change_the_age() -> None:
    from pathlib import Path

    import yaml

    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())
    offered = {}
    for variation in domain["responses"]["utter_ask_what_to_change"]:
        who = next((c["value"] for c in variation.get("condition", [])), "anyone else")
        offered[who] = {button["title"] for button in variation["buttons"]}
    assert set(offered) == {"child", "advocate", "anyone else"}
    assert "The age" in offered["child"] and "The age" in offered["advocate"]
    assert offered["anyone else"] == offered["child"] - {"The age"}


def test_a_stop_whose_words_show_danger_gets_help_first() -> None:
    tracker = make_tracker(ANSWERS, text="i dont want to live any more", intent="stop")
    events, dispatcher = run_action(ActionForgetComplaint(), tracker)
    assert response_names(dispatcher)[:2] == ["utter_get_help_now", "utter_will_pass_on"]
    slots = slots_set(events)
    assert slots["safeguarding_disclosed"] is True
    assert slots["description"] is None
