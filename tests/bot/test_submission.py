"""Confirming and sending a complaint or a compliment: the payload and the actions."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from bot_test_support import (
    ANSWERS,
    FakeIntakeSession,
    case_body,
    error_body,
    json_response,
    make_tracker,
    response_names,
    run_action,
    sent,
    slots_set,
)
from rasa_sdk import Tracker

from bot.actions.intake_client import IntakeClient
from bot.actions.outbox import Outbox, deliver_pending
from bot.actions.submission import (
    ActionSubmitComplaint,
    ActionSubmitCompliment,
    Delivery,
    build_case_payload,
    complainant_payload,
    complainant_without_consent_check,
    send_case,
)

DOWN = requests.ConnectionError("connection refused")
KEY = "key-0001-abcd"


def validation_error(status: int = 422) -> requests.Response:
    return json_response(status, error_body(status, "validation_error", "Bad description."))


# --- the payload -------------------------------------------------------------------------


def test_payload_for_a_child() -> None:
    assert build_case_payload(make_tracker(ANSWERS)) == {
        "channel": "web_chat",
        "conversation_id": "conversation-1",
        "description": ANSWERS["description"],
        "complainant": {
            "type": "child",
            "anonymous": False,
            "email": "sam@example.com",
            "contact_via": "direct",
        },
        "child": {"age_band": "13_to_15"},
        "when": {"text": "since March", "date": "2025-03-01", "over_12_months": False},
        "desired_outcome": "I want a new social worker",
        "service_mentioned": "my social worker",
        "advocacy": {"offered": True, "accepted": True},
    }


def test_payload_for_an_advocate() -> None:
    tracker = make_tracker(
        {
            "complainant_type": "advocate",
            "advocate_organisation": "Northfield Young Voices",
            "child_consent": True,
            "age_band": "16_to_17",
            "description": "The council has missed every deadline on her case.",
            "when": "ages ago",
            "when_over_12_months": True,
            "service_worker": "none",
            "desired_outcome": "none",
            "contact_email": "jo@advocacy.org.uk",
            "contact_phone": "07700900123",
            "contact_via": "advocate",
            "anonymous": False,
        }
    )
    assert build_case_payload(tracker) == {
        "channel": "web_chat",
        "conversation_id": "conversation-1",
        "description": "The council has missed every deadline on her case.",
        "complainant": {
            "type": "advocate",
            "anonymous": False,
            "email": "jo@advocacy.org.uk",
            "phone": "07700900123",
            "contact_via": "advocate",
            "organisation": "Northfield Young Voices",
            "consent": True,
        },
        "child": {"age_band": "16_to_17"},
        "when": {"text": "ages ago", "over_12_months": True},
    }


def test_payload_for_a_parent() -> None:
    tracker = make_tracker(
        {
            "complainant_type": "special_guardian",
            "carer_role": "special guardian",
            "description": "The support we were promised has stopped.",
            "when": "last month",
            "when_date": "2026-10-29",
            "when_over_12_months": False,
            "contact_phone": "07700900123",
            "contact_via": "direct",
            "anonymous": False,
        }
    )
    payload = build_case_payload(tracker)
    assert payload["complainant"] == {
        "type": "special_guardian",
        "anonymous": False,
        "phone": "07700900123",
        "contact_via": "direct",
        "detail": "special guardian",
    }
    assert "child" not in payload
    assert "advocacy" not in payload  # only a child is offered an advocate


def test_payload_for_a_professional_names_the_role() -> None:
    tracker = make_tracker({**ANSWERS, "complainant_type": "professional", "age_band": None})
    assert build_case_payload(tracker)["complainant"]["detail"] == "professional"


def test_anonymous_payload_has_no_contact_details() -> None:
    tracker = make_tracker(
        {**ANSWERS, "anonymous": True, "contact_phone": "07700900123", "contact_via": "none"}
    )
    assert build_case_payload(tracker)["complainant"] == {
        "type": "child",
        "anonymous": True,
        "contact_via": "none",
    }


def test_skipped_answers_are_left_out() -> None:
    tracker = make_tracker(
        {
            "complainant_type": "child",
            "age_band": "not_given",
            "description": "  They moved me and did not ask me.  ",
            "add_more": "none",
            "when": "none",
            "service_worker": "none",
            "desired_outcome": " none ",
            "advocate_offer": None,
            "contact_via": "advocate",
            "anonymous": False,
        }
    )
    assert build_case_payload(tracker) == {
        "channel": "web_chat",
        "conversation_id": "conversation-1",
        "description": "They moved me and did not ask me.",
        "complainant": {"type": "child", "anonymous": False, "contact_via": "advocate"},
        "advocacy": {"offered": True, "accepted": None},
    }


def test_advocate_offer_declined() -> None:
    payload = build_case_payload(make_tracker({**ANSWERS, "advocate_offer": "no"}))
    assert payload["advocacy"] == {"offered": True, "accepted": False}


def test_payload_carries_the_safety_flags_and_the_related_alert() -> None:
    tracker = make_tracker(
        {
            **ANSWERS,
            "safeguarding_disclosed": True,
            "alert_reference": "CC-ALRT-0001",
            "handoff_requested": True,
        }
    )
    payload = build_case_payload(tracker)
    assert payload["safeguarding_disclosed"] is True
    assert payload["related_reference"] == "CC-ALRT-0001"
    assert payload["handoff_requested"] is True


def test_long_answers_are_cut_to_the_api_limits() -> None:
    tracker = make_tracker(
        {
            **ANSWERS,
            "when": "w" * 300,
            "service_worker": "s" * 600,
            "desired_outcome": "o" * 2100,
            "carer_role": "c" * 100,
            "complainant_type": "parent",
        }
    )
    payload = build_case_payload(tracker)
    assert len(payload["when"]["text"]) == 200
    assert len(payload["service_mentioned"]) == 500
    assert len(payload["desired_outcome"]) == 2000
    assert len(payload["complainant"]["detail"]) == 64


def test_complainant_payload_without_a_type_is_other() -> None:
    assert complainant_payload(make_tracker({})) == {"type": "other", "anonymous": False}


@pytest.mark.parametrize(
    ("complainant", "expected"),
    [
        (
            {"type": "advocate", "anonymous": False, "organisation": "YV", "consent": False},
            {"type": "other", "anonymous": False, "organisation": "YV", "detail": "advocate"},
        ),
        (
            {"type": "advocate", "anonymous": True},
            {"type": "other", "anonymous": True, "detail": "advocate"},
        ),
        (
            {"type": "advocate", "anonymous": False, "consent": True},
            {"type": "advocate", "anonymous": False, "consent": True},
        ),
        ({"type": "child", "anonymous": False}, {"type": "child", "anonymous": False}),
    ],
)
def test_an_advocate_without_the_childs_agreement_is_sent_as_other(
    complainant: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert complainant_without_consent_check(complainant) == expected


# --- send_case -----------------------------------------------------------------------------


def test_send_case_sent(fake_api: Any) -> None:
    fake_api(json_response(201, case_body("CC-AAAA-BBBB", status_secret="SECRET99")))
    result = send_case({"description": "x"}, KEY)
    assert (result.delivery, result.reference, result.status_secret, result.rejected) == (
        Delivery.SENT,
        "CC-AAAA-BBBB",
        "SECRET99",
        False,
    )


def test_send_case_saved_when_down(fake_api: Any, outbox_path: Path) -> None:
    fake_api(DOWN)
    result = send_case({"description": "x"}, KEY)
    assert (result.delivery, result.reference, result.rejected) == (Delivery.SAVED, None, False)
    assert [e.idempotency_key for e in Outbox(outbox_path).pending()] == [KEY]


def test_send_case_rejected(fake_api: Any, outbox_path: Path) -> None:
    fake_api(validation_error())
    result = send_case({"description": ""}, KEY)
    assert (result.delivery, result.rejected) == (Delivery.FAILED, True)
    assert Outbox(outbox_path).pending() == []


# --- ActionSubmitComplaint -----------------------------------------------------------------


def test_success_tells_the_reference_the_secret_and_next_steps(
    fake_api: Any, outbox_path: Path, answered_tracker: Tracker
) -> None:
    session = fake_api(json_response(201, case_body("CC-AAAA-BBBB", status_secret="7KQ2MX9P")))
    events, dispatcher = run_action(ActionSubmitComplaint(), answered_tracker)

    assert session.keys == [KEY]
    assert session.payloads == [build_case_payload(answered_tracker)]
    assert response_names(dispatcher) == [
        "utter_complaint_sent",
        "utter_status_secret",
        "utter_next_steps",
    ]
    assert sent(dispatcher, "utter_complaint_sent")["case_reference"] == "CC-AAAA-BBBB"
    assert sent(dispatcher, "utter_status_secret")["status_secret"] == "7KQ2MX9P"
    # Every slot goes back to empty in one event; only the new reference is set.
    assert events == [{"event": "reset_slots", "timestamp": None}, *events[1:]]
    assert slots_set(events) == {"case_reference": "CC-AAAA-BBBB"}
    assert Outbox(outbox_path).pending() == []


def test_success_without_a_secret_says_nothing_about_one(
    fake_api: Any, answered_tracker: Tracker
) -> None:
    fake_api(json_response(200, case_body("CC-AAAA-BBBB")))  # an answer without a secret
    _, dispatcher = run_action(ActionSubmitComplaint(), answered_tracker)
    assert response_names(dispatcher) == ["utter_complaint_sent", "utter_next_steps"]


def test_anonymous_success_says_we_cannot_reply(fake_api: Any) -> None:
    fake_api(json_response(201, case_body()))
    tracker = make_tracker({**ANSWERS, "anonymous": True, "submission_key": "key-0002-abcd"})
    _, dispatcher = run_action(ActionSubmitComplaint(), tracker)
    assert response_names(dispatcher) == ["utter_complaint_sent", "utter_next_steps_anonymous"]


def test_a_retry_reuses_the_same_key(fake_api: Any, answered_tracker: Tracker) -> None:
    session = fake_api(DOWN, json_response(500, {}), json_response(201, case_body()))
    events, _ = run_action(ActionSubmitComplaint(), answered_tracker)
    assert session.keys == [KEY] * 3
    assert slots_set(events)["case_reference"] == "CC-K3M9-7QXT"


def test_running_the_action_twice_makes_one_case(fake_api: Any, answered_tracker: Tracker) -> None:
    session = fake_api(idempotent=True)
    first, _ = run_action(ActionSubmitComplaint(), answered_tracker)
    second, _ = run_action(ActionSubmitComplaint(), answered_tracker)
    assert len(session.cases) == 1
    assert slots_set(first)["case_reference"] == slots_set(second)["case_reference"]


def test_missing_key_is_made_and_used(fake_api: Any) -> None:
    session = fake_api(json_response(201, case_body()))
    run_action(ActionSubmitComplaint(), make_tracker(ANSWERS))
    (key,) = session.keys
    assert uuid.UUID(key).version == 4


@pytest.mark.parametrize("status", [400, 409, 422])
def test_4xx_gives_a_clear_message_and_keeps_the_answers(
    fake_api: Any, outbox_path: Path, answered_tracker: Tracker, status: int
) -> None:
    session = fake_api(validation_error(status))
    events, dispatcher = run_action(ActionSubmitComplaint(), answered_tracker)
    assert len(session.calls) == 1
    assert response_names(dispatcher) == ["utter_complaint_not_sent"]
    # answers kept; the key dropped, so corrected answers are a new request
    assert slots_set(events) == {"submission_key": None}
    assert Outbox(outbox_path).pending() == []


def test_api_down_saves_to_the_outbox_and_says_so(
    fake_api: Any, outbox_path: Path, answered_tracker: Tracker
) -> None:
    session = fake_api(DOWN)
    events, dispatcher = run_action(ActionSubmitComplaint(), answered_tracker)

    assert len(session.calls) == 3
    assert response_names(dispatcher) == ["utter_complaint_saved", "utter_next_steps"]
    (entry,) = Outbox(outbox_path).pending()
    assert entry.idempotency_key == KEY
    assert entry.payload == build_case_payload(answered_tracker)
    assert events == [{"event": "reset_slots", "timestamp": None}]


def test_anonymous_complaint_saved_says_we_cannot_reply(fake_api: Any, outbox_path: Path) -> None:
    fake_api(DOWN)
    tracker = make_tracker({**ANSWERS, "anonymous": True, "submission_key": KEY})
    _, dispatcher = run_action(ActionSubmitComplaint(), tracker)
    assert response_names(dispatcher) == ["utter_complaint_saved", "utter_next_steps_anonymous"]


def test_a_saved_complaint_is_delivered_later_exactly_once(
    fake_api: Any, outbox_path: Path, answered_tracker: Tracker
) -> None:
    fake_api(DOWN)
    run_action(ActionSubmitComplaint(), answered_tracker)
    run_action(ActionSubmitComplaint(), answered_tracker)  # a retried action: same key
    assert len(Outbox(outbox_path).pending()) == 1

    api = FakeIntakeSession(idempotent=True)
    later = IntakeClient("http://intake.test", "t0k3n", session=api)
    deliver_pending(Outbox(outbox_path), later)
    deliver_pending(Outbox(outbox_path), later)
    assert api.keys == [KEY]
    assert api.payloads == [build_case_payload(answered_tracker)]


def test_a_transport_error_saves_to_the_outbox_instead_of_crashing(
    fake_api: Any, outbox_path: Path, answered_tracker: Tracker
) -> None:
    fake_api(requests.exceptions.ChunkedEncodingError("reply cut off"))
    _, dispatcher = run_action(ActionSubmitComplaint(), answered_tracker)
    assert response_names(dispatcher)[0] == "utter_complaint_saved"
    assert [e.idempotency_key for e in Outbox(outbox_path).pending()] == [KEY]


def test_a_refused_token_keeps_the_complaint_in_the_outbox(
    fake_api: Any, outbox_path: Path, answered_tracker: Tracker
) -> None:
    fake_api(json_response(401, error_body(401, "unauthorized")))
    _, dispatcher = run_action(ActionSubmitComplaint(), answered_tracker)
    assert response_names(dispatcher)[0] == "utter_complaint_saved"
    assert [e.idempotency_key for e in Outbox(outbox_path).pending()] == [KEY]


def test_outbox_failure_is_told_honestly_and_the_key_kept(
    fake_api: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answered_tracker: Tracker
) -> None:
    # Bug fixed: the key was dropped here too, but the API may have made the case before
    # the connection failed, so a retry with a new key could make a second one.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("BOT_OUTBOX_PATH", str(blocker / "outbox.db"))
    fake_api(DOWN)
    events, dispatcher = run_action(ActionSubmitComplaint(), answered_tracker)
    assert response_names(dispatcher) == ["utter_complaint_not_sent"]
    assert slots_set(events) == {"submission_key": KEY}


def test_pending_entries_are_delivered_before_a_new_submission(
    fake_api: Any, outbox_path: Path, answered_tracker: Tracker
) -> None:
    Outbox(outbox_path).add("key-old-0001", {"description": "saved earlier"})
    session = fake_api(idempotent=True)
    run_action(ActionSubmitComplaint(), answered_tracker)
    assert session.keys == ["key-old-0001", KEY]
    assert Outbox(outbox_path).pending() == []
    old = Outbox(outbox_path).get("key-old-0001")
    assert old is not None and old.state == "delivered"


def test_a_complaint_after_a_disclosure_is_linked_to_the_alert(
    fake_api: Any, answered_tracker: Tracker
) -> None:
    session = fake_api(json_response(201, case_body("CC-AAAA-BBBB")))
    tracker = make_tracker(
        {**answered_tracker.slots, "safeguarding_disclosed": True, "alert_reference": "CC-ALRT-1"}
    )
    events, _ = run_action(ActionSubmitComplaint(), tracker)
    (payload,) = session.payloads
    assert payload["safeguarding_disclosed"] is True
    assert payload["related_reference"] == "CC-ALRT-1"
    # The flags are on the case now: every slot is reset after sending.
    assert events[0] == {"event": "reset_slots", "timestamp": None}
    assert "safeguarding_disclosed" not in slots_set(events)


# --- ActionSubmitCompliment ------------------------------------------------------------------

THANKS = "My foster carer is amazing and always listens to me."


def test_compliment_is_sent_anonymously_and_thanked(fake_api: Any) -> None:
    session = fake_api(json_response(201, case_body("CC-GOOD-0001")))
    tracker = make_tracker({"compliment_text": f"  {THANKS} "})
    events, dispatcher = run_action(ActionSubmitCompliment(), tracker)
    assert session.payloads == [
        {
            "channel": "web_chat",
            "conversation_id": "conversation-1",
            "kind": "compliment",
            "description": THANKS,
            "complainant": {"type": "other", "anonymous": True},
        }
    ]
    assert response_names(dispatcher) == ["utter_compliment_sent"]
    assert slots_set(events) == {"compliment_text": None}


def test_the_same_compliment_has_the_same_key(fake_api: Any) -> None:
    session = fake_api(idempotent=True)
    tracker = make_tracker({"compliment_text": THANKS, "complainant_type": "foster_carer"})
    run_action(ActionSubmitCompliment(), tracker)
    run_action(ActionSubmitCompliment(), tracker)
    run_action(ActionSubmitCompliment(), make_tracker({"compliment_text": THANKS}, sender_id="b"))
    assert session.keys[0] == session.keys[1] != session.keys[2]
    assert session.payloads[0]["complainant"]["type"] == "foster_carer"


def test_a_compliment_from_an_advocate_is_not_refused_for_consent(fake_api: Any) -> None:
    # Bug fixed: the API refuses an advocate without the child's agreement, so the
    # compliment was lost ("utter_compliment_not_sent").
    session = fake_api(json_response(201, case_body()))
    tracker = make_tracker({"compliment_text": THANKS, "complainant_type": "advocate"})
    run_action(ActionSubmitCompliment(), tracker)
    assert session.payloads[0]["complainant"] == {
        "type": "other",
        "anonymous": True,
        "detail": "advocate",
    }


def test_compliment_saved_while_the_api_is_down_is_still_thanked(
    fake_api: Any, outbox_path: Path
) -> None:
    fake_api(DOWN)
    events, dispatcher = run_action(
        ActionSubmitCompliment(), make_tracker({"compliment_text": THANKS})
    )
    assert response_names(dispatcher) == ["utter_compliment_sent"]
    assert slots_set(events) == {"compliment_text": None}
    assert len(Outbox(outbox_path).pending()) == 1


def test_compliment_refused_says_sorry_and_keeps_the_words(fake_api: Any) -> None:
    fake_api(validation_error())
    events, dispatcher = run_action(
        ActionSubmitCompliment(), make_tracker({"compliment_text": THANKS})
    )
    assert response_names(dispatcher) == ["utter_compliment_not_sent"]
    assert events == []
