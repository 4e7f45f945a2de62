"""Triage after commit (`TRIAGE_MODE=worker`): `intake_api/services/triage_worker.py` and
the `triage-worker` command."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from sqlalchemy import func, select, update

from intake_api.deadlines import add_working_days
from intake_api.models import Case, Event, TriageResult, db
from intake_api.services import triage_worker


@pytest.fixture
def app_config():
    return {"TRIAGE_MODE": "worker", "TRIAGE_MAX_ATTEMPTS": 3}


def _sweep(app):
    with app.app_context():
        return triage_worker.triage_pending()


def _case(app, reference):
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        db.session.expunge_all()
        return case


def _actions(app, reference):
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        return list(db.session.scalars(select(Event.action).where(Event.case_id == case_id)))


def test_a_complaint_is_committed_at_once_with_triage_pending(post_case, triager, cases):
    created = post_case().get_json()
    assert triager.calls == []
    assert created["triage"] is None
    assert created["triage_status"] == "pending"
    assert (created["needs_review"], created["stage"], created["route"]) == (True, None, None)
    cases.client.get("/api/v1/cases", headers=cases.headers)
    assert cases.get(created["reference"])["triage_status"] == "pending"


def test_the_worker_triages_pending_cases_from_the_day_they_were_received(
    app, post_case, triager, cases, set_today
):
    set_today(dt.date(2026, 11, 23))
    reference = post_case().get_json()["reference"]
    set_today(dt.date(2026, 11, 25))  # the worker runs two days later
    done = _sweep(app)
    assert done.triaged == [reference]
    assert triager.received == [dt.date(2026, 11, 23)]
    case = cases.get(reference)
    assert case["triage_status"] == "done"
    assert case["triage"]["route"] == "statutory"
    assert case["stage"] == "stage_1"
    assert case["due_on"] == add_working_days(dt.date(2026, 11, 23), 10).isoformat()
    assert "triage.completed" in _actions(app, reference)


def test_the_worker_never_triages_a_case_twice(app, post_case, triager):
    reference = post_case().get_json()["reference"]
    assert _sweep(app).triaged == [reference]
    assert _sweep(app).handled == 0
    with app.app_context():
        rows = db.session.scalar(select(func.count(TriageResult.id)))
    assert rows == 1
    assert len(triager.calls) == 1


def test_a_case_an_officer_triaged_first_is_left_alone(app, post_case, triager, cases):
    reference = post_case().get_json()["reference"]
    cases.ok(
        reference,
        "override_triage",
        {
            "route": "corporate",
            "causes": ["finance"],
            "service_area": "fostering",
            "reason": "Read it myself.",
        },
    )
    assert _sweep(app).handled == 0
    assert triager.calls == []
    assert cases.get(reference)["triage_status"] == "done"


def test_a_failure_is_retried_after_a_back_off_then_left_for_an_officer(app, post_case, triager):
    triager.error = RuntimeError("model crashed")
    reference = post_case().get_json()["reference"]
    first = _sweep(app)
    assert first.retrying == [reference]
    case = _case(app, reference)
    assert (case.triage_state, case.triage_attempts) == ("pending", 1)
    assert case.triage_retry_at is not None
    assert _sweep(app).handled == 0  # not due yet
    for expected in ("retrying", "failed"):
        with app.app_context():
            db.session.execute(update(Case).values(triage_retry_at=None))
            db.session.commit()
        assert getattr(_sweep(app), expected) == [reference]
    case = _case(app, reference)
    assert (case.triage_state, case.triage_attempts, case.needs_review) == ("failed", 3, True)
    assert "triage.failed" in _actions(app, reference)


def test_a_retry_that_succeeds_triages_the_case(app, post_case, triager):
    triager.error = RuntimeError("blip")
    reference = post_case().get_json()["reference"]
    _sweep(app)
    triager.error = None
    with app.app_context():
        db.session.execute(update(Case).values(triage_retry_at=None))
        db.session.commit()
    assert _sweep(app).triaged == [reference]


def test_text_the_model_refuses_fails_at_once(app, post_case, triager):
    from triage.errors import InvalidInput

    triager.error = InvalidInput("text is empty")
    reference = post_case().get_json()["reference"]
    assert _sweep(app).failed == [reference]
    assert _case(app, reference).triage_state == "failed"


def test_no_model_spends_no_attempts(app, post_case, monkeypatch):
    from intake_api.services import triaging
    from triage.errors import ModelNotFound

    reference = post_case().get_json()["reference"]

    def no_model():
        raise ModelNotFound("not trained yet")

    monkeypatch.setattr(triaging, "get_triager", no_model)
    assert _sweep(app).handled == 0
    case = _case(app, reference)
    assert (case.triage_state, case.triage_attempts) == ("pending", 0)


def test_a_disclosure_and_an_old_matter_stay_flagged_after_the_worker(
    app, post_case, complaint, cases
):
    body = complaint(safeguarding_disclosed=True, when={"over_12_months": True})
    reference = post_case(body).get_json()["reference"]
    created = cases.get(reference)
    assert (created["safeguarding"], created["needs_review"]) == (True, True)
    _sweep(app)
    case = cases.get(reference)
    assert case["triage"]["safeguarding"] is False
    assert (case["safeguarding"], case["needs_review"]) == (True, True)


def test_a_compliment_is_not_left_pending(app, post_case, complaint):
    created = post_case(complaint(kind="compliment")).get_json()
    assert created["triage_status"] == "not_needed"
    assert _sweep(app).handled == 0


def test_the_queue_page_says_triage_is_pending(client, auth, post_case):
    reference = post_case().get_json()["reference"]
    auth.officer()
    auth.login()
    assert "Triage pending" in client.get("/officer/").get_data(as_text=True)
    page = client.get(f"/officer/cases/{reference}").get_data(as_text=True)
    assert "Triage pending." in page


def test_the_command_sweeps_the_backlog_and_stops(app, runner, post_case, cases):
    references = [post_case().get_json()["reference"] for _ in range(3)]
    result = runner.invoke(args=["triage-worker"])
    assert result.exit_code == 0, result.output
    assert "Triaged 3 case(s); 0 still pending." in result.output
    assert {cases.get(ref)["triage_status"] for ref in references} == {"done"}


def test_the_looping_worker_triages_new_cases_soon_after_commit(app, post_case, cases):
    stop = threading.Event()

    def work():
        with app.app_context():
            triage_worker.run(loop=True, interval=0.05, stop=stop)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        reference = post_case().get_json()["reference"]
        with app.app_context():
            assert triage_worker.sleep_until_drained(timeout=10)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert cases.get(reference)["triage_status"] == "done"


def test_inline_mode_triages_in_the_request(app, post_case):
    app.config["TRIAGE_MODE"] = "inline"
    created = post_case().get_json()
    assert created["triage_status"] == "done"
    assert created["triage"]["route"] == "statutory"


def test_an_unknown_triage_mode_is_refused(database_url):
    from intake_api import create_app

    with pytest.raises(ValueError, match="TRIAGE_MODE"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TRIAGE_MODE": "later"})


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="Needs PostgreSQL for row locks."
)
def test_two_workers_share_the_backlog_without_triaging_a_case_twice(app, post_case, triager):
    references = {post_case().get_json()["reference"] for _ in range(30)}
    app.config["TRIAGE_BATCH"] = 5
    barrier = threading.Barrier(2)
    done: list[list[str]] = [[], []]

    def work(slot: int) -> None:
        with app.app_context():
            barrier.wait()
            while True:
                result = triage_worker.triage_pending()
                if not result.handled:
                    break
                done[slot].extend(result.triaged)

    threads = [threading.Thread(target=work, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(done[0] + done[1]) == sorted(references)
    assert not set(done[0]) & set(done[1])
    with app.app_context():
        assert db.session.scalar(select(func.count(TriageResult.id))) == 30


def test_a_replay_in_worker_mode_returns_the_first_case_and_a_new_body_is_refused(
    app, post_case, complaint
):
    first = post_case(key="worker-key-0001")
    again = post_case(key="worker-key-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert again.get_json()["status_secret"] == first.get_json()["status_secret"]
    other = post_case(complaint(description="Something else."), key="worker-key-0001")
    assert other.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 1
