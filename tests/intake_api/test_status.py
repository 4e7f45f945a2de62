"""The public "check my complaint": `intake_api/services/status.py` and `status_secrets`."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import select

from intake_api.deadlines import add_working_days
from intake_api.models import Case, db
from intake_api.services import status_secrets

MONDAY = dt.date(2026, 11, 30)


def _check(client, reference, secret, address="203.0.113.5"):
    return client.post(
        "/api/v1/status",
        json={"reference": reference, "secret": secret},
        environ_base={"REMOTE_ADDR": address},
    )


def test_creation_returns_a_short_status_secret_stored_only_as_a_keyed_hash(app, post_case):
    created = post_case().get_json()
    secret = created["status_secret"]
    assert re.fullmatch(
        r"[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}", secret
    )
    with app.app_context():
        stored = db.session.scalar(select(Case.status_secret_hash))
        assert secret.replace("-", "") not in stored
        assert stored.startswith("hmac-sha256$")
        assert status_secrets.check(secret, stored, created["reference"])
        # Bound to its case, and keyed: the same secret for another case does not match.
        assert not status_secrets.check(secret, stored, "CC-2222-2222")
        app.config["SECRET_KEY"] = "another key"
        assert not status_secrets.check(secret, stored, created["reference"])


def test_a_database_leak_alone_cannot_check_a_guess(app, post_case):
    created = post_case().get_json()
    with app.app_context():
        stored = db.session.scalar(select(Case.status_secret_hash))
    digest = stored.split("$", 1)[1]
    plain = hashlib.sha256(
        f"status-secret-hash:{created['reference']}:"
        f"{created['status_secret'].replace('-', '')}".encode()
    ).hexdigest()
    assert digest != plain


def test_an_older_sixteen_character_secret_still_works(app, post_case, client):
    created = post_case().get_json()
    old_secret = "K3M9-7QXT-ABCD-EFGH"
    salt = "0123456789abcdef"
    digest = hashlib.sha256(f"{salt}:{old_secret.replace('-', '')}".encode()).hexdigest()
    with app.app_context():
        case = db.session.scalar(select(Case))
        case.status_secret_hash = f"sha256${salt}${digest}"
        db.session.commit()
    assert _check(client, created["reference"], old_secret).status_code == 200
    assert _check(client, created["reference"], created["status_secret"]).status_code == 404


@pytest.mark.parametrize(
    "typed", ["{s}", "{s_nodash}", "{s_lower}", " {s_spaced} ", "{s_lower_nodash}"]
)
def test_the_secret_may_be_typed_with_or_without_the_dash_in_any_case(client, post_case, typed):
    created = post_case().get_json()
    secret = created["status_secret"]
    sent = typed.format(
        s=secret,
        s_nodash=secret.replace("-", ""),
        s_lower=secret.lower(),
        s_spaced=secret.replace("-", " "),
        s_lower_nodash=secret.lower().replace("-", ""),
    )
    assert _check(client, created["reference"], sent).status_code == 200


def test_a_bot_token_with_only_its_own_scopes_can_check_status(client, post_case, auth):
    created = post_case().get_json()
    headers = auth.headers("status-bot", scopes=("cases:create", "status:check"))
    response = client.post(
        "/api/v1/status",
        json={"reference": created["reference"], "secret": created["status_secret"]},
        headers=headers,
    )
    assert response.status_code == 200
    assert set(response.get_json()) == {"reference", "stage", "due_on", "message"}
    wrong = client.post(
        "/api/v1/status",
        json={"reference": created["reference"], "secret": "AAAA-AAAA"},
        headers=headers,
    )
    unknown = client.post(
        "/api/v1/status",
        json={"reference": "CC-2222-2222", "secret": created["status_secret"]},
        headers=headers,
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json() == unknown.get_json()


def test_the_bot_is_limited_per_token_not_by_its_shared_address(app, client, post_case, auth):
    app.config.update(STATUS_MAX_PER_ADDRESS=2, STATUS_MAX_PER_TOKEN=4)
    headers = auth.headers("status-bot", scopes=("cases:create", "status:check"))
    made = [post_case().get_json() for _ in range(5)]

    def check(created):  # type: ignore[no-untyped-def]
        return client.post(
            "/api/v1/status",
            json={"reference": created["reference"], "secret": created["status_secret"]},
            headers=headers,
            environ_base={"REMOTE_ADDR": "10.0.0.5"},
        )

    assert [check(created).status_code for created in made[:4]] == [200] * 4
    refused = check(made[4])
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_a_replay_returns_the_same_secret(post_case):
    first = post_case(key="status-key-01").get_json()
    again = post_case(key="status-key-01").get_json()
    assert again["status_secret"] == first["status_secret"]


def test_the_status_says_the_stage_and_due_date_in_plain_words_and_nothing_else(
    client, post_case, set_today
):
    set_today(MONDAY)
    created = post_case().get_json()
    response = _check(client, created["reference"], created["status_secret"])
    assert response.status_code == 200
    answer = response.get_json()
    assert set(answer) == {"reference", "stage", "due_on", "message"}
    assert answer["stage"] == "stage_1"
    assert answer["due_on"] == add_working_days(MONDAY, 10).isoformat()
    assert answer["message"] == (
        "Your complaint is at Stage 1 (the first response). We aim to reply by 14 December 2026."
    )
    assert created["description"] not in str(answer)


def test_the_secret_and_reference_may_be_typed_loosely(client, post_case):
    created = post_case().get_json()
    loose_secret = created["status_secret"].lower().replace("-", " ")
    loose_reference = created["reference"].lower().replace("-", "")
    assert _check(client, loose_reference, loose_secret).status_code == 200


def test_after_a_response_the_status_says_when_to_ask_for_stage_2(client, cases, post_case):
    created = post_case().get_json()
    cases.ok(created["reference"], "record_outcome", {"outcome": "upheld"})
    answer = _check(client, created["reference"], created["status_secret"]).get_json()
    assert answer["message"].startswith("We replied at Stage 1")
    assert "ask us to look at it again by" in answer["message"]


def test_a_paused_case_says_so_without_a_date(client, cases, post_case):
    created = post_case().get_json()
    cases.ok(created["reference"], "pause", {"reason": "Waiting."})
    answer = _check(client, created["reference"], created["status_secret"]).get_json()
    assert "paused" in answer["message"]
    assert answer["due_on"] is None


def test_a_closed_case_says_closed(client, cases, post_case):
    created = post_case().get_json()
    cases.ok(created["reference"], "close", {"outcome": "withdrawn"})
    answer = _check(client, created["reference"], created["status_secret"]).get_json()
    assert (answer["stage"], answer["message"]) == ("closed", "Your complaint is closed.")


def test_a_wrong_secret_and_an_unknown_reference_get_the_same_404(client, post_case):
    created = post_case().get_json()
    wrong = _check(client, created["reference"], "AAAA-AAAA-AAAA-AAAA")
    unknown = _check(client, "CC-2222-2222", created["status_secret"])
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json() == unknown.get_json()


@pytest.mark.parametrize(
    "body",
    [{}, {"reference": "CC-2222-2222"}, {"reference": 5, "secret": "x"}, ["a"],
     {"reference": "CC", "secret": "x" * 65}],
)  # fmt: skip
def test_a_bad_status_request_is_422(client, body):
    assert client.post("/api/v1/status", json=body).status_code == 422


@pytest.mark.parametrize("app_config", [{"STATUS_MAX_PER_REFERENCE": 3}])
def test_too_many_checks_of_one_reference_are_429(client, post_case):
    created = post_case().get_json()
    for number in range(3):
        _check(client, created["reference"], "WRONG", address=f"198.51.100.{number}")
    response = _check(client, created["reference"], created["status_secret"], "192.0.2.9")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "wait" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("app_config", [{"STATUS_MAX_PER_ADDRESS": 2}])
def test_too_many_checks_from_one_address_are_429(client, post_case):
    created = post_case().get_json()
    for _ in range(2):
        _check(client, "CC-2222-2222", "WRONG")
    assert _check(client, created["reference"], created["status_secret"]).status_code == 429
    other = _check(client, created["reference"], created["status_secret"], "192.0.2.77")
    assert other.status_code == 200


def test_the_status_endpoint_needs_no_credentials_and_the_bot_token_may_call_it(
    client, post_case, bot_headers
):
    created = post_case().get_json()
    response = client.post(
        "/api/v1/status",
        json={"reference": created["reference"], "secret": created["status_secret"]},
        headers=bot_headers,
    )
    assert response.status_code == 200
