"""Sending a complaint: the intake client, the outbox and the submission actions."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import requests
from bot_test_support import (
    ANSWERS,
    FakeIntakeSession,
    case_body,
    json_response,
    make_tracker,
    response_names,
)
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import outbox as outbox_module
from bot.actions.answers import COMPLAINT_SLOTS
from bot.actions.intake_client import IntakeClient, IntakeRejected, IntakeUnavailable
from bot.actions.outbox import Outbox, deliver_pending
from bot.actions.submission import (
    ActionConfirmComplaint,
    ActionSubmitComplaint,
    build_case_payload,
)

DOWN = requests.ConnectionError("connection refused")


def run(action: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Run an async action to completion."""
    return asyncio.run(action.run(dispatcher, tracker, {}))


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The last value each SlotSet event gives, by slot name."""
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def validation_error(status: int = 422) -> requests.Response:
    return json_response(
        status,
        {"error": {"status": status, "code": "validation_error", "message": "Bad description."}},
    )


def client(session: FakeIntakeSession, **options: Any) -> IntakeClient:
    sleeps: list[float] = []
    made = IntakeClient(
        "http://intake.test/", "t0k3n", session=session, sleep=sleeps.append, **options
    )
    made.sleeps = sleeps  # type: ignore[attr-defined]
    return made


# --- payload -----------------------------------------------------------------------------


def test_payload_follows_the_interface(answered_tracker: Tracker) -> None:
    assert build_case_payload(answered_tracker) == {
        "channel": "web_chat",
        "conversation_id": "conversation-1",
        "description": ANSWERS["description"],
        "complainant": {"type": "child", "anonymous": False, "email": "sam@example.com"},
    }


def test_anonymous_payload_has_no_contact_details() -> None:
    tracker = make_tracker({**ANSWERS, "anonymous": True, "contact_phone": "07700900123"})
    assert build_case_payload(tracker)["complainant"] == {"type": "child", "anonymous": True}


# --- IntakeClient ------------------------------------------------------------------------


def test_client_posts_with_token_and_key() -> None:
    session = FakeIntakeSession([json_response(201, case_body())])
    created = client(session).create_case({"description": "x"}, "key-1234-abcd")
    assert created.reference == "CC-K3M9-7QXT"
    assert created.is_new
    (call,) = session.calls
    assert call["url"] == "http://intake.test/api/v1/cases"
    assert call["headers"]["Authorization"] == "Bearer t0k3n"
    assert call["headers"]["Idempotency-Key"] == "key-1234-abcd"
    assert call["json"] == {"description": "x"}


def test_client_retries_connection_errors_and_5xx_with_the_same_key() -> None:
    session = FakeIntakeSession([DOWN, json_response(503, {}), json_response(200, case_body())])
    made = client(session, backoff=0.5)
    created = made.create_case({"description": "x"}, "key-1234-abcd")
    assert created.reference == "CC-K3M9-7QXT"
    assert not created.is_new
    assert session.keys == ["key-1234-abcd"] * 3
    assert made.sleeps == [0.5, 1.0]


def test_client_gives_up_after_max_attempts() -> None:
    session = FakeIntakeSession([json_response(502, {})])
    with pytest.raises(IntakeUnavailable):
        client(session, max_attempts=4).create_case({}, "key-1234-abcd")
    assert len(session.calls) == 4


def test_client_never_retries_4xx() -> None:
    session = FakeIntakeSession([validation_error(422)])
    with pytest.raises(IntakeRejected) as caught:
        client(session).create_case({}, "key-1234-abcd")
    assert len(session.calls) == 1
    assert caught.value.status == 422
    assert caught.value.code == "validation_error"
    assert caught.value.message == "Bad description."
    assert not caught.value.is_auth_error


def test_client_treats_timeouts_as_unavailable() -> None:
    session = FakeIntakeSession([requests.Timeout("slow")])
    with pytest.raises(IntakeUnavailable):
        client(session, max_attempts=2).create_case({}, "key-1234-abcd")
    assert len(session.calls) == 2


def test_client_reads_its_settings_from_the_environment() -> None:
    made = IntakeClient.from_env(
        {"INTAKE_API_URL": "http://api:9000/", "INTAKE_API_TOKEN": "abc", "INTAKE_API_TIMEOUT": "3"}
    )
    assert (made.base_url, made.token, made.timeout) == ("http://api:9000", "abc", 3.0)
    assert IntakeClient.from_env({}).base_url == "http://localhost:8000"


# --- ActionConfirmComplaint --------------------------------------------------------------


def test_confirm_makes_a_key_once(dispatcher: CollectingDispatcher) -> None:
    events = run(ActionConfirmComplaint(), dispatcher, make_tracker(ANSWERS))
    key = slots_set(events)["submission_key"]
    assert uuid.UUID(key).version == 4
    again = run(
        ActionConfirmComplaint(), dispatcher, make_tracker({**ANSWERS, "submission_key": key})
    )
    assert again == []


# --- ActionSubmitComplaint ---------------------------------------------------------------


def test_success_tells_the_case_reference_and_next_steps(
    fake_api, outbox_path, dispatcher: CollectingDispatcher, answered_tracker: Tracker
) -> None:
    session = fake_api(json_response(201, case_body("CC-AAAA-BBBB")))
    events = run(ActionSubmitComplaint(), dispatcher, answered_tracker)

    assert session.keys == ["key-0001-abcd"]
    assert session.calls[0]["json"]["conversation_id"] == "conversation-1"
    assert response_names(dispatcher) == ["utter_complaint_sent", "utter_next_steps"]
    assert dispatcher.messages[0]["case_reference"] == "CC-AAAA-BBBB"
    slots = slots_set(events)
    assert slots["case_reference"] == "CC-AAAA-BBBB"
    assert all(slots[slot] is None for slot in COMPLAINT_SLOTS)
    assert Outbox(outbox_path).pending() == []


def test_anonymous_success_says_we_cannot_reply(
    fake_api, outbox_path, dispatcher: CollectingDispatcher
) -> None:
    fake_api(json_response(201, case_body()))
    tracker = make_tracker({**ANSWERS, "anonymous": True, "submission_key": "key-0002-abcd"})
    run(ActionSubmitComplaint(), dispatcher, tracker)
    assert response_names(dispatcher) == ["utter_complaint_sent", "utter_next_steps_anonymous"]


def test_a_retry_reuses_the_same_key(
    fake_api, outbox_path, dispatcher: CollectingDispatcher, answered_tracker: Tracker
) -> None:
    session = fake_api(DOWN, json_response(500, {}), json_response(201, case_body()))
    events = run(ActionSubmitComplaint(), dispatcher, answered_tracker)
    assert session.keys == ["key-0001-abcd"] * 3
    assert slots_set(events)["case_reference"] == "CC-K3M9-7QXT"


def test_running_the_action_twice_makes_one_case(
    fake_api, outbox_path, answered_tracker: Tracker
) -> None:
    session = fake_api(idempotent=True)
    first = run(ActionSubmitComplaint(), CollectingDispatcher(), answered_tracker)
    second = run(ActionSubmitComplaint(), CollectingDispatcher(), answered_tracker)
    assert len(session.cases) == 1
    assert slots_set(first)["case_reference"] == slots_set(second)["case_reference"]


def test_missing_key_is_made_and_kept(
    fake_api, outbox_path, dispatcher: CollectingDispatcher
) -> None:
    session = fake_api(json_response(201, case_body()))
    events = run(ActionSubmitComplaint(), dispatcher, make_tracker(ANSWERS))
    first_set = next(e for e in events if e["event"] == "slot" and e["name"] == "submission_key")
    assert session.keys == [first_set["value"]]


def test_4xx_gives_a_clear_message_and_is_not_saved(
    fake_api, outbox_path, dispatcher: CollectingDispatcher, answered_tracker: Tracker
) -> None:
    session = fake_api(validation_error(422))
    events = run(ActionSubmitComplaint(), dispatcher, answered_tracker)
    assert len(session.calls) == 1
    assert response_names(dispatcher) == ["utter_complaint_not_sent"]
    slots = slots_set(events)
    assert slots == {"submission_key": None}  # answers kept, key dropped
    assert Outbox(outbox_path).pending() == []


def test_api_down_saves_to_the_outbox_and_says_so(
    fake_api, outbox_path, dispatcher: CollectingDispatcher, answered_tracker: Tracker
) -> None:
    session = fake_api(DOWN)
    events = run(ActionSubmitComplaint(), dispatcher, answered_tracker)

    assert len(session.calls) == 3
    assert response_names(dispatcher) == ["utter_complaint_saved", "utter_next_steps"]
    (entry,) = Outbox(outbox_path).pending()
    assert entry.idempotency_key == "key-0001-abcd"
    assert entry.payload == build_case_payload(answered_tracker)
    assert slots_set(events)["case_reference"] is None


def test_a_refused_token_keeps_the_complaint_in_the_outbox(
    fake_api, outbox_path, dispatcher: CollectingDispatcher, answered_tracker: Tracker
) -> None:
    fake_api(json_response(401, {"error": {"status": 401, "code": "unauthorized"}}))
    run(ActionSubmitComplaint(), dispatcher, answered_tracker)
    assert response_names(dispatcher)[0] == "utter_complaint_saved"
    assert [e.idempotency_key for e in Outbox(outbox_path).pending()] == ["key-0001-abcd"]


def test_outbox_failure_is_told_honestly(
    fake_api, tmp_path, monkeypatch, dispatcher: CollectingDispatcher, answered_tracker: Tracker
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("BOT_OUTBOX_PATH", str(blocker / "outbox.db"))
    fake_api(DOWN)
    events = run(ActionSubmitComplaint(), dispatcher, answered_tracker)
    assert response_names(dispatcher) == ["utter_complaint_not_sent"]
    assert slots_set(events) == {"submission_key": "key-0001-abcd"}


def test_pending_entries_are_delivered_before_a_new_submission(
    fake_api, outbox_path, dispatcher: CollectingDispatcher, answered_tracker: Tracker
) -> None:
    Outbox(outbox_path).add("key-old-0001", {"description": "saved earlier"})
    session = fake_api(idempotent=True)
    run(ActionSubmitComplaint(), dispatcher, answered_tracker)
    assert session.keys == ["key-old-0001", "key-0001-abcd"]
    assert Outbox(outbox_path).pending() == []
    assert Outbox(outbox_path).get("key-old-0001").state == "delivered"


# --- Outbox ------------------------------------------------------------------------------


def test_outbox_keeps_one_entry_per_key(tmp_path) -> None:
    box = Outbox(tmp_path / "sub" / "outbox.db")
    box.add("key-1", {"description": "first"})
    box.add("key-1", {"description": "second"})
    (entry,) = box.pending()
    assert entry.payload == {"description": "first"}


def test_outbox_path_from_env(tmp_path) -> None:
    assert Outbox.from_env({"BOT_OUTBOX_PATH": str(tmp_path / "x.db")}).path == tmp_path / "x.db"
    assert Outbox.from_env({}).path.name == "bot-outbox.db"
    assert Outbox.from_env({}).path.parent.name == "instance"


def test_deliver_sends_original_keys_and_marks_delivered(tmp_path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": "a"})
    box.add("key-b-0002", {"description": "b"})
    session = FakeIntakeSession(idempotent=True)

    report = deliver_pending(box, client(session))

    assert report.delivered == ["key-a-0001", "key-b-0002"]
    assert session.keys == ["key-a-0001", "key-b-0002"]
    assert [call["json"] for call in session.calls] == [{"description": "a"}, {"description": "b"}]
    assert box.pending() == []
    assert box.get("key-a-0001").case_reference == session.cases["key-a-0001"]


def test_delivering_again_never_duplicates(tmp_path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": "a"})
    session = FakeIntakeSession(idempotent=True)
    deliver_pending(box, client(session))
    deliver_pending(box, client(session))
    assert session.keys == ["key-a-0001"]

    # Even if a delivered entry were sent again, the API keeps one case for the key.
    client(session).create_case({"description": "a"}, "key-a-0001")
    assert len(session.cases) == 1


def test_deliver_stops_while_the_api_is_down(tmp_path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": "a"})
    box.add("key-b-0002", {"description": "b"})
    session = FakeIntakeSession([DOWN])

    report = deliver_pending(box, client(session, max_attempts=1))

    assert report.failed == ["key-a-0001"]
    assert session.keys == ["key-a-0001"]
    entries = box.pending()
    assert [e.idempotency_key for e in entries] == ["key-a-0001", "key-b-0002"]
    assert entries[0].attempts == 1


def test_deliver_marks_4xx_rejected_and_goes_on(tmp_path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": ""})
    box.add("key-b-0002", {"description": "b"})
    session = FakeIntakeSession([validation_error(422), json_response(201, case_body())])

    report = deliver_pending(box, client(session))

    assert report.rejected == ["key-a-0001"]
    assert report.delivered == ["key-b-0002"]
    assert box.get("key-a-0001").state == "rejected"
    assert box.pending() == []


def test_deliver_command(fake_api, outbox_path, capsys) -> None:
    Outbox(outbox_path).add("key-a-0001", {"description": "a"})
    session = fake_api(idempotent=True)
    assert outbox_module.main(["deliver"]) == 0
    assert session.keys == ["key-a-0001"]
    assert "delivered 1, failed 0, rejected 0 (0 pending)" in capsys.readouterr().out


def test_deliver_command_fails_while_the_api_is_down(fake_api, outbox_path) -> None:
    Outbox(outbox_path).add("key-a-0001", {"description": "a"})
    fake_api(DOWN)
    assert outbox_module.main(["deliver"]) == 1
    assert len(Outbox(outbox_path).pending()) == 1
