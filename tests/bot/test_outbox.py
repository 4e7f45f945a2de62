"""The durable outbox: complaints kept while the intake API is down, delivered once later."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from bot_test_support import FakeIntakeSession, case_body, error_body, json_response

from bot.actions import outbox as outbox_module
from bot.actions.intake_client import IntakeClient
from bot.actions.outbox import Outbox, deliver_pending

DOWN = requests.ConnectionError("connection refused")


def client(session: FakeIntakeSession) -> IntakeClient:
    return IntakeClient("http://intake.test", "t0k3n", session=session, max_attempts=1)


def test_outbox_keeps_one_entry_per_key(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "sub" / "outbox.db")
    box.add("key-1", {"description": "first"})
    box.add("key-1", {"description": "second"})
    (entry,) = box.pending()
    assert entry.payload == {"description": "first"}
    assert (entry.state, entry.attempts, entry.case_reference) == ("pending", 0, None)


def test_outbox_survives_a_restart(tmp_path: Path) -> None:
    Outbox(tmp_path / "outbox.db").add("key-1", {"description": "kept"})
    (entry,) = Outbox(tmp_path / "outbox.db").pending()
    assert entry.idempotency_key == "key-1"


def test_outbox_path_from_env(tmp_path: Path) -> None:
    assert Outbox.from_env({"BOT_OUTBOX_PATH": str(tmp_path / "x.db")}).path == tmp_path / "x.db"
    assert Outbox.from_env({}).path.name == "bot-outbox.db"
    assert Outbox.from_env({}).path.parent.name == "instance"


def test_pending_is_oldest_first_and_can_be_limited(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    for key in ("key-a", "key-b", "key-c"):
        box.add(key, {"description": key})
    assert [e.idempotency_key for e in box.pending()] == ["key-a", "key-b", "key-c"]
    assert [e.idempotency_key for e in box.pending(limit=1)] == ["key-a"]
    assert box.get("nope") is None


def test_deliver_sends_original_keys_and_marks_delivered(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": "a"})
    box.add("key-b-0002", {"description": "b"})
    session = FakeIntakeSession(idempotent=True)

    report = deliver_pending(box, client(session))

    assert report.delivered == ["key-a-0001", "key-b-0002"]
    assert str(report) == "delivered 2, failed 0, rejected 0"
    assert session.keys == ["key-a-0001", "key-b-0002"]
    assert session.payloads == [{"description": "a"}, {"description": "b"}]
    assert box.pending() == []
    delivered = box.get("key-a-0001")
    assert delivered is not None
    assert (delivered.state, delivered.case_reference) == ("delivered", session.cases["key-a-0001"])


def test_delivering_again_never_duplicates(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": "a"})
    session = FakeIntakeSession(idempotent=True)
    deliver_pending(box, client(session))
    deliver_pending(box, client(session))
    assert session.keys == ["key-a-0001"]

    # Even if a delivered entry were sent again, the API keeps one case for the key.
    client(session).create_case({"description": "a"}, "key-a-0001")
    assert len(session.cases) == 1


def test_deliver_stops_while_the_api_is_down(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": "a"})
    box.add("key-b-0002", {"description": "b"})
    session = FakeIntakeSession([DOWN])

    report = deliver_pending(box, client(session))

    assert report.failed == ["key-a-0001"]
    assert session.keys == ["key-a-0001"]
    entries = box.pending()
    assert [e.idempotency_key for e in entries] == ["key-a-0001", "key-b-0002"]
    assert entries[0].attempts == 1


def test_deliver_keeps_entries_when_the_token_is_refused(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": "a"})
    session = FakeIntakeSession([json_response(401, error_body(401, "unauthorized"))])
    report = deliver_pending(box, client(session))
    assert report.failed == ["key-a-0001"]
    assert [e.idempotency_key for e in box.pending()] == ["key-a-0001"]


def test_deliver_marks_4xx_rejected_and_goes_on(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    box.add("key-a-0001", {"description": ""})
    box.add("key-b-0002", {"description": "b"})
    session = FakeIntakeSession(
        [json_response(422, error_body(422, "validation_error")), json_response(201, case_body())]
    )

    report = deliver_pending(box, client(session))

    assert report.rejected == ["key-a-0001"]
    assert report.delivered == ["key-b-0002"]
    rejected = box.get("key-a-0001")
    assert rejected is not None and rejected.state == "rejected"
    assert box.pending() == []


def test_deliver_command(fake_api: Any, outbox_path: Path, capsys: Any) -> None:
    Outbox(outbox_path).add("key-a-0001", {"description": "a"})
    session = fake_api(idempotent=True)
    assert outbox_module.main(["deliver"]) == 0
    assert session.keys == ["key-a-0001"]
    assert "delivered 1, failed 0, rejected 0 (0 pending)" in capsys.readouterr().out


def test_deliver_command_with_a_path(fake_api: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "elsewhere.db"
    Outbox(path).add("key-a-0001", {"description": "a"})
    fake_api(idempotent=True)
    assert outbox_module.main(["deliver", "--path", str(path)]) == 0
    assert Outbox(path).pending() == []


def test_deliver_command_fails_while_the_api_is_down(fake_api: Any, outbox_path: Path) -> None:
    Outbox(outbox_path).add("key-a-0001", {"description": "a"})
    fake_api(DOWN)
    assert outbox_module.main(["deliver"]) == 1
    assert len(Outbox(outbox_path).pending()) == 1
