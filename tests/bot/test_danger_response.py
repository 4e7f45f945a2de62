"""When someone says a child is in danger: help first, then an urgent case for the council."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from bot_test_support import (
    answer_tracker,
    case_body,
    error_body,
    json_response,
    make_tracker,
    response_names,
    run_action,
    sent,
    slots_set,
)
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.outbox import Outbox
from bot.actions.safeguarding import (
    ALERT_PREFIX,
    ActionRespondToDanger,
    alert_key,
    alert_payload,
    respond_to_danger,
)

DANGER = "my dad hits me every night"
HELP = ["utter_get_help_now", "utter_will_pass_on"]
#: Help when the API is down (the default in these tests): the case waits in the outbox.
HELP_SAVED = [*HELP, "utter_will_pass_on_soon"]
HELP_SENT = [*HELP, "utter_passed_on"]
DOWN = requests.ConnectionError("connection refused")


def disclosure(text: str = DANGER, slots: dict[str, Any] | None = None, **options: Any) -> Any:
    """A tracker whose last message is a disclosure, outside any form."""
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "timestamp": options.pop("timestamp", 1_700_000_000.5)},
    ]
    return make_tracker(slots, text=text, intent="disclose_danger", events=events, **options)


def test_help_first_then_an_urgent_case(fake_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_EMERGENCY_TEAM", "Northfield Emergency Duty Team")
    monkeypatch.setenv("BOT_EMERGENCY_PHONE", "0300 123 4567")
    session = fake_api(json_response(201, case_body("CC-ALRT-0001")))

    events, dispatcher = run_action(ActionRespondToDanger(), disclosure())

    assert response_names(dispatcher) == HELP_SENT
    help_now = sent(dispatcher, "utter_get_help_now")
    assert help_now["emergency_team"] == "Northfield Emergency Duty Team"
    assert help_now["emergency_phone"] == "0300 123 4567"
    assert slots_set(events) == {"safeguarding_disclosed": True, "alert_reference": "CC-ALRT-0001"}
    (payload,) = session.payloads
    assert payload == {
        "channel": "web_chat",
        "conversation_id": "conversation-1",
        "description": f"{ALERT_PREFIX}\n{DANGER}",
        "complainant": {"type": "other", "anonymous": False},
        "safeguarding_disclosed": True,
    }


def test_help_has_safe_wording_when_the_council_set_no_numbers(fake_api: Any) -> None:
    fake_api(json_response(201, case_body()))
    _, dispatcher = run_action(ActionRespondToDanger(), disclosure())
    help_now = sent(dispatcher, "utter_get_help_now")
    assert help_now["emergency_team"] == "the council's emergency social care team"
    assert help_now["emergency_phone"] == "the number on the council's website"


def test_the_same_disclosure_always_has_the_same_key(fake_api: Any) -> None:
    session = fake_api(idempotent=True)
    run_action(ActionRespondToDanger(), disclosure())
    run_action(ActionRespondToDanger(), disclosure())  # the action retried
    assert len(set(session.keys)) == 1
    assert len(session.cases) == 1


def test_different_disclosures_have_different_keys() -> None:
    first = alert_key(disclosure(), DANGER)
    assert alert_key(disclosure(), DANGER) == first
    assert alert_key(disclosure(timestamp=1_700_000_099.0), DANGER) != first
    assert alert_key(disclosure(sender_id="someone-else"), DANGER) != first
    assert alert_key(disclosure(), "he hurts my sister") != first
    assert 8 <= len(first) <= 200  # the API's Idempotency-Key limits


def test_api_down_saves_the_urgent_case_in_the_outbox(fake_api: Any, outbox_path: Path) -> None:
    fake_api(DOWN)
    events, dispatcher = run_action(ActionRespondToDanger(), disclosure())
    assert response_names(dispatcher) == HELP_SAVED
    assert slots_set(events) == {"safeguarding_disclosed": True}
    (entry,) = Outbox(outbox_path).pending()
    assert entry.idempotency_key == alert_key(disclosure(), DANGER)
    assert entry.payload["safeguarding_disclosed"] is True


def test_total_failure_asks_the_person_to_call_now(
    fake_api: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("BOT_OUTBOX_PATH", str(blocker / "outbox.db"))
    fake_api(DOWN)
    events, dispatcher = run_action(ActionRespondToDanger(), disclosure())
    assert response_names(dispatcher) == [*HELP, "utter_please_call_now"]
    assert slots_set(events) == {"safeguarding_disclosed": True}


def test_a_refused_alert_asks_the_person_to_call_now(fake_api: Any) -> None:
    fake_api(json_response(422, error_body(422, "validation_error")))
    _, dispatcher = run_action(ActionRespondToDanger(), disclosure())
    assert response_names(dispatcher) == [*HELP, "utter_please_call_now"]


def test_an_unexpected_error_still_gives_help_and_asks_to_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Bug fixed: help was given but, with the alert not raised, nobody was asked to call.
    monkeypatch.setenv("INTAKE_API_TIMEOUT", "ten seconds")  # from_env cannot read it
    events, dispatcher = run_action(ActionRespondToDanger(), disclosure())
    assert response_names(dispatcher) == [*HELP, "utter_please_call_now"]
    assert slots_set(events) == {"safeguarding_disclosed": True}


def test_what_was_said_before_goes_with_the_alert() -> None:
    tracker = disclosure(
        "and he hits me when i tell",
        {
            "complainant_type": "child",
            "description": "My social worker never visits.",
            "contact_email": "sam@example.com",
            "contact_via": "direct",
        },
    )
    payload = alert_payload(tracker, "and he hits me when i tell")
    assert payload["description"] == (
        f"{ALERT_PREFIX}\nand he hits me when i tell\n\n"
        "What they said before this:\nMy social worker never visits."
    )
    assert payload["complainant"] == {
        "type": "child",
        "anonymous": False,
        "email": "sam@example.com",
        "contact_via": "direct",
    }


def test_the_description_itself_is_not_repeated() -> None:
    tracker = disclosure(slots={"description": DANGER})
    assert alert_payload(tracker, DANGER)["description"] == f"{ALERT_PREFIX}\n{DANGER}"


def test_a_second_alert_is_linked_to_the_first() -> None:
    tracker = disclosure(slots={"alert_reference": "CC-ALRT-0001"})
    assert alert_payload(tracker, DANGER)["related_reference"] == "CC-ALRT-0001"


def test_an_alert_from_an_advocate_before_the_childs_agreement_is_not_refused(
    fake_api: Any,
) -> None:
    # Bug fixed: the alert went as an advocate without consent, which the API refuses
    # (422), so no urgent case was made.
    session = fake_api(json_response(201, case_body("CC-ALRT-0001")))
    tracker = disclosure(
        "the child told me her stepdad hits her",
        {"complainant_type": "advocate", "advocate_organisation": "Young Voices"},
    )
    events, dispatcher = run_action(ActionRespondToDanger(), tracker)
    complainant = session.payloads[0]["complainant"]
    assert (complainant["type"], complainant["organisation"]) == ("other", "Young Voices")
    assert complainant["detail"].startswith("advocate")
    assert "consent" not in complainant
    assert slots_set(events)["alert_reference"] == "CC-ALRT-0001"
    assert "utter_please_call_now" not in response_names(dispatcher)


def test_an_advocate_with_the_childs_agreement_stays_an_advocate() -> None:
    tracker = disclosure(
        slots={"complainant_type": "advocate", "child_consent": True, "contact_via": "advocate"}
    )
    complainant = alert_payload(tracker, DANGER)["complainant"]
    assert (complainant["type"], complainant["consent"]) == ("advocate", True)


def test_respond_to_danger_returns_the_slots(fake_api: Any) -> None:
    fake_api(json_response(201, case_body("CC-ALRT-0001")))
    dispatcher = CollectingDispatcher()
    slots = respond_to_danger(dispatcher, disclosure(), DANGER)
    assert slots == {"safeguarding_disclosed": True, "alert_reference": "CC-ALRT-0001"}


def test_a_disclosure_in_the_form_uses_the_same_key_as_the_rule(fake_api: Any) -> None:
    """The validator and the safeguarding rule may both see one message: one case only."""
    from bot.actions.forms import ValidateComplaintForm

    session = fake_api(idempotent=True)
    tracker = answer_tracker("description", DANGER, "disclose_danger", timestamp=1_700_000_000.5)
    run_action(ValidateComplaintForm(), tracker)
    run_action(ActionRespondToDanger(), tracker)
    assert len(set(session.keys)) == 1
    assert session.keys[0] == alert_key(disclosure(), DANGER)


def test_action_name() -> None:
    assert ActionRespondToDanger().name() == "action_respond_to_danger"


def test_the_urgent_case_keeps_the_words_typed_before_a_button(fake_api: Any) -> None:
    session = fake_api(json_response(201, case_body("CC-ALRT-0003")))
    typed = "nobody feeds me at my placement"
    tracker = make_tracker(
        text="/disclose_danger",
        intent="disclose_danger",
        events=[
            {"event": "user", "text": typed, "timestamp": 1.0},
            {"event": "action", "name": "action_default_ask_affirmation"},
            {"event": "user", "text": "/disclose_danger", "timestamp": 2.0},
        ],
    )
    run_action(ActionRespondToDanger(), tracker)
    assert typed in session.payloads[0]["description"]
