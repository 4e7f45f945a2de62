"""The intake API client: idempotent case creation with retries, and status checks."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from bot_test_support import FakeIntakeSession, case_body, error_body, json_response

from bot.actions.intake_client import IntakeClient, IntakeRejected, IntakeUnavailable

DOWN = requests.ConnectionError("connection refused")


def client(session: FakeIntakeSession, **options: Any) -> IntakeClient:
    """A client on the fake session that records its backoff instead of sleeping."""
    sleeps: list[float] = []
    made = IntakeClient(
        "http://intake.test/", "t0k3n", session=session, sleep=sleeps.append, **options
    )
    made.sleeps = sleeps  # type: ignore[attr-defined]
    return made


# --- create_case ---------------------------------------------------------------------------


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
    assert call["timeout"] == 10.0


def test_the_created_case_keeps_its_status_secret() -> None:
    session = FakeIntakeSession([json_response(201, case_body(status_secret="7KQ2-MX9P"))])
    created = client(session).create_case({}, "key-1234-abcd")
    assert created.case["status_secret"] == "7KQ2-MX9P"


def test_client_retries_connection_errors_and_5xx_with_the_same_key() -> None:
    session = FakeIntakeSession([DOWN, json_response(503, {}), json_response(200, case_body())])
    made = client(session, backoff=0.5)
    created = made.create_case({"description": "x"}, "key-1234-abcd")
    assert created.reference == "CC-K3M9-7QXT"
    assert not created.is_new
    assert session.keys == ["key-1234-abcd"] * 3
    assert made.sleeps == [0.5, 1.0]  # type: ignore[attr-defined]


def test_client_retries_429_too() -> None:
    session = FakeIntakeSession([json_response(429, {}), json_response(201, case_body())])
    assert client(session).create_case({}, "key-1234-abcd").is_new
    assert len(session.calls) == 2


def test_client_gives_up_after_max_attempts() -> None:
    session = FakeIntakeSession([json_response(502, {})])
    with pytest.raises(IntakeUnavailable, match="HTTP 502"):
        client(session, max_attempts=4).create_case({}, "key-1234-abcd")
    assert len(session.calls) == 4


def test_client_never_retries_4xx() -> None:
    session = FakeIntakeSession([json_response(422, error_body(422, "validation_error", "Bad."))])
    with pytest.raises(IntakeRejected) as caught:
        client(session).create_case({}, "key-1234-abcd")
    assert len(session.calls) == 1
    assert caught.value.status == 422
    assert caught.value.code == "validation_error"
    assert caught.value.message == "Bad."
    assert not caught.value.is_auth_error


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_is_an_auth_error(status: int) -> None:
    session = FakeIntakeSession([json_response(status, error_body(status, "unauthorized"))])
    with pytest.raises(IntakeRejected) as caught:
        client(session).create_case({}, "key-1234-abcd")
    assert caught.value.is_auth_error


def test_a_4xx_without_json_still_explains_itself() -> None:
    response = requests.Response()
    response.status_code = 400
    response.reason = "Bad Request"
    response._content = b"<html>nope</html>"
    with pytest.raises(IntakeRejected) as caught:
        client(FakeIntakeSession([response])).create_case({}, "key-1234-abcd")
    assert (caught.value.code, caught.value.message) == (None, "Bad Request")


def test_client_treats_timeouts_as_unavailable() -> None:
    session = FakeIntakeSession([requests.Timeout("slow")])
    with pytest.raises(IntakeUnavailable):
        client(session, max_attempts=2).create_case({}, "key-1234-abcd")
    assert len(session.calls) == 2


@pytest.mark.parametrize(
    "error",
    [
        requests.exceptions.ChunkedEncodingError("reply cut off"),
        requests.exceptions.InvalidURL("no host"),
    ],
)
def test_any_transport_error_is_unavailable_not_a_crash(error: Exception) -> None:
    # Bug fixed: only ConnectionError and Timeout were caught; a reply cut off mid-way
    # crashed the action and the complaint was neither sent nor saved.
    session = FakeIntakeSession([error])
    with pytest.raises(IntakeUnavailable):
        client(session, max_attempts=2).create_case({}, "key-1234-abcd")
    assert session.keys == ["key-1234-abcd"] * 2


def test_a_created_case_without_a_reference_is_tried_again() -> None:
    session = FakeIntakeSession([json_response(201, {"status": "new"})])
    with pytest.raises(IntakeUnavailable, match="no reference"):
        client(session, max_attempts=1).create_case({}, "key-1234-abcd")


def test_client_reads_its_settings_from_the_environment() -> None:
    made = IntakeClient.from_env(
        {"INTAKE_API_URL": "http://api:9000/", "INTAKE_API_TOKEN": "abc", "INTAKE_API_TIMEOUT": "3"}
    )
    assert (made.base_url, made.token, made.timeout) == ("http://api:9000", "abc", 3.0)
    defaults = IntakeClient.from_env({})
    assert (defaults.base_url, defaults.token, defaults.timeout) == (
        "http://localhost:8000",
        "",
        10.0,
    )
    assert IntakeClient.from_env({}, max_attempts=1).max_attempts == 1


# --- check_status --------------------------------------------------------------------------


def test_check_status_posts_reference_and_secret_once() -> None:
    session = FakeIntakeSession(
        [
            json_response(
                200,
                {
                    "reference": "CC-K3M9-7QXT",
                    "stage": "stage_1",
                    "due_on": "2026-12-10",
                    "message": "A person is looking at it.",
                },
            )
        ]
    )
    answer = client(session).check_status("CC-K3M9-7QXT", "7KQ2MX9P")
    assert (answer.reference, answer.stage, answer.due_on, answer.message) == (
        "CC-K3M9-7QXT",
        "stage_1",
        "2026-12-10",
        "A person is looking at it.",
    )
    (call,) = session.calls
    assert call["url"] == "http://intake.test/api/v1/status"
    assert call["json"] == {"reference": "CC-K3M9-7QXT", "secret": "7KQ2MX9P"}
    assert "Idempotency-Key" not in call["headers"]


@pytest.mark.parametrize("status", [404, 422, 429])
def test_check_status_rejections(status: int) -> None:
    response = json_response(status, error_body(status, "nope"), {"Retry-After": "60"})
    with pytest.raises(IntakeRejected) as caught:
        client(FakeIntakeSession([response])).check_status("CC-K3M9-7QXT", "7KQ2MX9P")
    assert caught.value.status == status
    assert caught.value.retry_after == "60"


@pytest.mark.parametrize(
    "outcome",
    [
        DOWN,
        requests.Timeout("slow"),
        requests.exceptions.ChunkedEncodingError("cut off"),
        json_response(503, {}),
    ],
)
def test_check_status_unavailable(outcome: Any) -> None:
    session = FakeIntakeSession([outcome])
    with pytest.raises(IntakeUnavailable):
        client(session).check_status("CC-K3M9-7QXT", "7KQ2MX9P")
    assert len(session.calls) == 1


def test_check_status_answer_that_is_not_json_is_unavailable() -> None:
    response = requests.Response()
    response.status_code = 200
    response._content = b"not json"
    with pytest.raises(IntakeUnavailable):
        client(FakeIntakeSession([response])).check_status("CC-K3M9-7QXT", "7KQ2MX9P")
