"""Creating and listing cases: `intake_api/services/cases.py`."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from intake_api.models import Case, Event, IdempotencyKey, db
from intake_api.services import cases as case_service


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_one_transaction_writes_case_complainant_triage_key_and_events(app, complaint):
    with app.app_context():
        outcome = case_service.create_case(complaint(), "service-key-01", actor="token:bot")
        assert outcome.created
        case = outcome.case
        assert case.complainant.type == "child"
        assert case.triage.route == "statutory"
        assert db.session.scalar(select(IdempotencyKey.case_id)) == case.id
        actions = [event.action for event in case.events]
        assert actions == ["case.created", "triage.completed"]
        assert case.events[0].actor == "token:bot"


def test_a_safeguarding_disclosure_is_logged_as_such(app, complaint):
    with app.app_context():
        outcome = case_service.create_case(
            complaint(description="He hurt me again."), "service-key-02", actor="token:bot"
        )
        assert "safeguarding.flagged" in [event.action for event in outcome.case.events]


def test_invalid_input_writes_nothing(app, complaint):
    with app.app_context():
        with pytest.raises(case_service.APIError):
            case_service.create_case(complaint(description=""), "service-key-03", actor="t")
        assert _count(Case) == 0
        assert _count(Event) == 0


def test_a_concurrent_request_with_the_same_key_gets_the_winners_case(app, complaint, monkeypatch):
    """The loser of the race hits the unique key, rolls back and returns the first case."""
    with app.app_context():
        winner = case_service.create_case(complaint(), "race-key-0001", actor="t").case
        winner_reference = winner.reference
        db.session.expire_all()
        real_replay = case_service._replay
        calls = []

        def blind_first_look(key, fingerprint):
            calls.append(key)
            # The first look happens before the winner commits in a real race.
            return None if len(calls) == 1 else real_replay(key, fingerprint)

        monkeypatch.setattr(case_service, "_replay", blind_first_look)
        outcome = case_service.create_case(complaint(), "race-key-0001", actor="t")
        assert not outcome.created
        assert outcome.case.reference == winner_reference
        assert _count(Case) == 1


def test_the_race_loser_with_a_different_body_gets_409(app, complaint, monkeypatch):
    with app.app_context():
        case_service.create_case(complaint(), "race-key-0002", actor="t")
        real_replay = case_service._replay
        calls = []

        def blind_first_look(key, fingerprint):
            calls.append(key)
            return None if len(calls) == 1 else real_replay(key, fingerprint)

        monkeypatch.setattr(case_service, "_replay", blind_first_look)
        with pytest.raises(case_service.IdempotencyConflict):
            case_service.create_case(
                complaint(description="Different."), "race-key-0002", actor="t"
            )


def test_a_reference_clash_is_retried_with_a_new_reference(app, complaint, monkeypatch):
    with app.app_context():
        first = case_service.create_case(complaint(), "clash-key-001", actor="t").case
        references = iter([first.reference, "CC-2345-6789"])
        monkeypatch.setattr(case_service, "new_reference", lambda: next(references))
        second = case_service.create_case(complaint(), "clash-key-002", actor="t").case
        assert second.reference == "CC-2345-6789"
        assert _count(Case) == 2


def test_the_request_hash_ignores_key_order_but_not_values():
    assert case_service.request_hash({"a": 1, "b": 2}) == case_service.request_hash(
        {"b": 2, "a": 1}
    )
    assert case_service.request_hash({"a": 1}) != case_service.request_hash({"a": 2})


def test_truly_concurrent_requests_with_one_key_make_one_case(app, bot_headers, complaint):
    """Real threads on PostgreSQL: both pass the first look, one wins the insert."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("Needs TEST_DATABASE_URL (PostgreSQL) for real concurrency.")
    barrier = threading.Barrier(2, timeout=10)
    triager = app.config["TRIAGER"]
    real_predict = triager.predict

    def predict_together(text, complainant="other"):
        barrier.wait()  # both requests have passed the idempotency look-up
        return real_predict(text, complainant=complainant)

    triager.predict = predict_together
    results = []

    def post():
        with app.test_client() as client:
            response = client.post(
                "/api/v1/cases",
                json=complaint(),
                headers={**bot_headers, "Idempotency-Key": "threaded-key-01"},
            )
            results.append((response.status_code, response.get_json()["reference"]))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in results) == [200, 201]
    assert len({reference for _, reference in results}) == 1
    with app.app_context():
        assert _count(Case) == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"route": "somewhere_else"},
        {"service_area": "schools"},
        {"causes": ["bad_weather"]},
        {"safeguarding": None},
    ],
)
def test_a_triage_result_with_labels_outside_the_taxonomy_is_not_stored(
    app, complaint, triager, monkeypatch, bad
):
    real_predict = triager.predict

    def predict(text, complainant="other"):
        result = real_predict(text, complainant=complainant)
        result.data.update(bad)
        return result

    monkeypatch.setattr(triager, "predict", predict)
    with app.app_context():
        case = case_service.create_case(complaint(), "label-key-01", actor="t").case
        assert case.triage is None
        assert [event.action for event in case.events][-1] == "triage.failed"
