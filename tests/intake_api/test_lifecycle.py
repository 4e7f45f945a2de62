"""Officers' actions on a case: `intake_api/services/lifecycle.py` through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from intake_api.deadlines import STAGE_2, add_working_days
from intake_api.models import Event, db

FRIDAY_BEFORE_CHRISTMAS = dt.date(2026, 12, 18)
MONDAY = dt.date(2026, 11, 30)


def _stage(case, name):
    return [stage for stage in case["stages"] if stage["stage"] == name]


def _events(app, action=None):
    with app.app_context():
        query = select(Event).order_by(Event.id)
        if action:
            query = query.where(Event.action == action)
        return [(e.action, e.actor, e.detail) for e in db.session.scalars(query)]


def test_a_statutory_complaint_opens_stage_1_due_in_10_working_days_over_christmas(
    cases, set_today
):
    set_today(FRIDAY_BEFORE_CHRISTMAS)
    case = cases.get(cases.new())
    # 25, 28 Dec (Boxing Day's substitute) and 1 Jan are not working days.
    assert case["received_on"] == "2026-12-18"
    assert (case["route"], case["stage"], case["status"]) == ("statutory", "stage_1", "new")
    assert case["due_on"] == "2027-01-06"
    [stage] = case["stages"]
    assert (stage["working_days"], stage["opened_on"]) == (10, "2026-12-18")


@pytest.mark.parametrize("app_config", [{"CORPORATE_STAGE_1_DAYS": 15,
                                          "CORPORATE_ACKNOWLEDGE_DAYS": 3}])  # fmt: skip
def test_a_corporate_complaint_uses_the_councils_configured_timescales(cases, set_today):
    set_today(MONDAY)
    case = cases.get(cases.new("My fostering allowance was paid late again."))
    assert case["route"] == "corporate"
    assert case["due_on"] == add_working_days(MONDAY, 15).isoformat()
    assert case["acknowledge_due_on"] == add_working_days(MONDAY, 3).isoformat()


def test_corporate_timescales_default_to_acknowledge_5_and_stage_1_10(cases, set_today):
    set_today(MONDAY)
    case = cases.get(cases.new("My fostering allowance was paid late again."))
    assert case["due_on"] == add_working_days(MONDAY, 10).isoformat()
    assert case["acknowledge_due_on"] == add_working_days(MONDAY, 5).isoformat()


def test_a_compliment_has_no_stage_or_deadline(cases):
    case = cases.get(cases.new("Thank you to my social worker.", kind="compliment"))
    assert (case["kind"], case["stage"], case["due_on"], case["stages"]) == (
        "compliment",
        None,
        None,
        [],
    )


def test_acknowledging_moves_a_new_case_to_open(cases, app):
    reference = cases.new()
    case = cases.ok(reference, "acknowledge")
    assert case["status"] == "open"
    assert case["acknowledged_at"]
    assert cases.act(reference, "acknowledge").status_code == 422


def test_extending_stage_1_moves_the_deadline_to_20_working_days(cases, set_today):
    set_today(MONDAY)
    reference = cases.new()
    case = cases.ok(reference, "extend", {"reason": "Complex: three services involved."})
    [stage] = case["stages"]
    assert stage["extended"] is True
    assert stage["extended_working_days"] == 20
    assert stage["extended_to"] == add_working_days(MONDAY, 20).isoformat()
    assert case["due_on"] == stage["extended_to"]
    assert stage["extension_reason"] == "Complex: three services involved."


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_extending_without_a_reason_is_422(cases, body):
    response = cases.act(cases.new(), "extend", body)
    assert response.status_code == 422
    assert "reason" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("days", [10, 21])
def test_an_extension_must_be_within_what_the_regulations_allow(cases, days):
    response = cases.act(cases.new(), "extend", {"reason": "Complex.", "working_days": days})
    assert response.status_code == 422
    assert "working_days" in response.get_json()["error"]["fields"]


def test_a_shorter_extension_is_allowed(cases, set_today):
    set_today(MONDAY)
    case = cases.ok(cases.new(), "extend", {"reason": "Complex.", "working_days": 15})
    assert case["due_on"] == add_working_days(MONDAY, 15).isoformat()


def test_the_corporate_procedure_has_no_extension(cases):
    response = cases.act(cases.new("My allowance is wrong."), "extend", {"reason": "Busy."})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_state"


def test_pausing_needs_a_reason(cases):
    response = cases.act(cases.new(), "pause", {})
    assert response.status_code == 422
    assert "reason" in response.get_json()["error"]["fields"]


def test_pausing_and_resuming_adds_the_working_days_paused_to_the_deadline(cases, set_today):
    set_today(MONDAY)
    reference = cases.new()
    before = cases.get(reference)["due_on"]
    paused = cases.ok(reference, "pause", {"reason": "The family asked to wait."})
    assert paused["status"] == "paused"
    assert cases.act(reference, "pause", {"reason": "Again."}).status_code == 422
    set_today(MONDAY + dt.timedelta(days=7))  # a week later: 5 working days
    resumed = cases.ok(reference, "resume", {"reason": "The family is ready."})
    [stage] = resumed["stages"]
    assert stage["paused_days"] == 5
    assert stage["pauses"][0]["working_days"] == 5
    assert stage["pauses"][0]["reason"] == "The family asked to wait."
    assert resumed["due_on"] == add_working_days(dt.date.fromisoformat(before), 5).isoformat()
    assert resumed["status"] == "new"


def test_recording_an_outcome_gives_the_complainant_20_working_days_to_ask_for_stage_2(
    cases, set_today
):
    set_today(MONDAY)
    reference = cases.new()
    case = cases.ok(reference, "record_outcome", {"outcome": "partly_upheld"})
    [stage] = case["stages"]
    assert (stage["outcome"], stage["closed_on"]) == ("partly_upheld", MONDAY.isoformat())
    assert stage["request_due_on"] == add_working_days(MONDAY, 20).isoformat()
    assert (case["status"], case["due_on"]) == ("responded", stage["request_due_on"])


def test_an_unknown_outcome_is_422(cases):
    response = cases.act(cases.new(), "record_outcome", {"outcome": "sort_of"})
    assert response.status_code == 422


def test_escalating_opens_stage_2_due_in_25_working_days_and_keeps_stage_1(cases, set_today):
    set_today(MONDAY)
    reference = cases.new()
    cases.ok(reference, "record_outcome", {"outcome": "not_upheld"})
    later = MONDAY + dt.timedelta(days=14)
    set_today(later)
    case = cases.ok(reference, "escalate", {"requested_on": later.isoformat()})
    assert [stage["stage"] for stage in case["stages"]] == ["stage_1", "stage_2"]
    assert case["stages"][0]["outcome"] == "not_upheld"
    assert case["stage"] == "stage_2"
    assert case["due_on"] == STAGE_2.due(later).isoformat()
    extended = cases.ok(reference, "extend", {"reason": "Independent investigator needed."})
    assert extended["due_on"] == add_working_days(later, 65).isoformat()


def test_statutory_stage_3_runs_panel_then_report_then_response(cases, set_today):
    set_today(MONDAY)
    reference = cases.new()
    cases.ok(reference, "escalate")
    case = cases.ok(reference, "escalate")
    assert case["stage"] == "stage_3"
    assert case["due_on"] == add_working_days(MONDAY, 30).isoformat()
    panel = MONDAY + dt.timedelta(days=1)
    report = MONDAY + dt.timedelta(days=2)
    set_today(report)
    case = cases.ok(reference, "record_milestone", {"milestone": "panel_held", "on": str(panel)})
    assert case["due_on"] == add_working_days(panel, 5).isoformat()
    case = cases.ok(
        reference, "record_milestone", {"milestone": "panel_report_sent", "on": str(report)}
    )
    assert case["due_on"] == add_working_days(report, 15).isoformat()
    assert cases.act(reference, "extend", {"reason": "No."}).status_code == 422
    case = cases.ok(reference, "escalate")
    assert (case["stage"], case["due_on"]) == ("ombudsman", None)
    assert cases.act(reference, "escalate").status_code == 422


def test_rerouting_corporate_to_statutory_keeps_history_and_starts_the_clock_that_day(
    cases, set_today
):
    set_today(MONDAY)
    reference = cases.new("My allowance stopped and my foster child has no support.")
    later = MONDAY + dt.timedelta(days=9)
    set_today(later)
    case = cases.ok(
        reference, "reroute", {"route": "statutory", "reason": "About the child's support."}
    )
    corporate, statutory = case["stages"]
    assert (corporate["route"], corporate["closed_reason"], corporate["closed_on"]) == (
        "corporate",
        "rerouted",
        later.isoformat(),
    )
    assert (statutory["route"], statutory["opened_on"]) == ("statutory", later.isoformat())
    assert case["route"] == "statutory"
    assert case["due_on"] == add_working_days(later, 10).isoformat()
    assert [row["route"] for row in case["triage_history"]] == ["corporate", "statutory"]
    assert case["triage_history"][-1]["override_reason"] == "About the child's support."


def test_rerouting_needs_a_reason(cases):
    response = cases.act(cases.new("My allowance is late."), "reroute", {"route": "statutory"})
    assert response.status_code == 422


def test_overriding_triage_needs_a_reason_and_keeps_the_models_version(cases):
    reference = cases.new("I am unsure who to ask about this.")
    assert cases.act(reference, "override_triage", {"causes": ["delay"]}).status_code == 422
    case = cases.ok(
        reference,
        "override_triage",
        {"causes": ["delay", "communication"], "service_area": "assessment",
         "reason": "The assessment is what is late."},
    )  # fmt: skip
    model, officer = case["triage_history"]
    assert (model["source"], officer["source"]) == ("model", "officer")
    assert officer["override_reason"] == "The assessment is what is late."
    assert officer["officer_id"] is not None
    assert case["causes"] == ["communication", "delay"]
    assert (case["service_area"], case["needs_review"]) == ("assessment", False)


def test_overriding_the_route_to_outside_procedure_closes_the_stage_as_rerouted(cases):
    reference = cases.new()
    case = cases.ok(
        reference,
        "override_triage",
        {"route": "outside_procedure", "reason": "This is about a school."},
    )
    assert case["route"] == "outside_procedure"
    assert case["stages"][0]["closed_reason"] == "rerouted"
    closed = cases.ok(reference, "close", {"not_considered_reason": "another_organisation"})
    assert (closed["status"], closed["not_considered_reason"]) == (
        "closed",
        "another_organisation",
    )


def test_an_untriaged_case_gets_its_stage_when_an_officer_triages_it(cases, triager, set_today):
    set_today(MONDAY)
    triager.error = RuntimeError("model down")
    reference = cases.new()
    assert cases.get(reference)["stage"] is None
    assert cases.act(reference, "acknowledge").status_code == 422
    set_today(MONDAY + dt.timedelta(days=2))
    case = cases.ok(
        reference,
        "override_triage",
        {"route": "statutory", "causes": ["communication"],
         "service_area": "children_in_need", "reason": "Triaged by hand."},
    )  # fmt: skip
    # The statutory clock started when the complaint was received.
    assert case["stages"][0]["opened_on"] == MONDAY.isoformat()


def test_accepting_triage_clears_needs_review(cases):
    reference = cases.new("I am unsure who to ask.")
    assert cases.get(reference)["needs_review"] is True
    case = cases.ok(reference, "accept_triage")
    assert case["needs_review"] is False
    assert case["triage_history"][-1]["source"] == "officer"


def test_assigning_to_an_officer_and_a_team(cases, auth):
    other = auth.officer("sam@council.test")
    reference = cases.new()
    case = cases.ok(reference, "assign", {"officer_id": other, "team": "North locality"})
    assert case["assignee"]["id"] == other
    assert case["team"] == "North locality"
    case = cases.ok(reference, "assign", {"officer_id": None})
    assert (case["assignee"], case["team"]) == (None, "North locality")
    response = cases.act(reference, "assign", {"officer_id": 999999})
    assert response.status_code == 422


def test_learning_actions_are_added_and_updated(cases):
    reference = cases.new()
    case = cases.ok(
        reference,
        "add_learning_action",
        {"description": "Remind workers to return calls within 2 days.", "owner": "Team manager",
         "due_on": "2027-01-31"},
    )  # fmt: skip
    [action] = case["learning_actions"]
    assert (action["status"], action["due_on"]) == ("planned", "2027-01-31")
    case = cases.ok(reference, "update_learning_action", {"id": action["id"], "status": "done"})
    assert case["learning_actions"][0]["status"] == "done"
    bad = cases.act(reference, "update_learning_action", {"id": action["id"], "status": "maybe"})
    assert bad.status_code == 422
    assert cases.act(reference, "add_learning_action", {}).status_code == 422


def test_notes_are_private_to_officers_and_out_of_the_audit_log(cases, app, reader_headers):
    reference = cases.new()
    case = cases.ok(reference, "add_note", {"body": "Spoke to mum; she is worried."})
    assert case["notes"][0]["body"] == "Spoke to mum; she is worried."
    assert "notes" not in cases.get(reference, headers=reader_headers)
    [(_action, _actor, detail)] = _events(app, "case.add_note")
    assert "Spoke" not in str(detail)


def test_closing_needs_an_outcome_or_a_not_considered_reason(cases):
    reference = cases.new()
    response = cases.act(reference, "close", {})
    assert response.status_code == 422
    case = cases.ok(reference, "close", {"outcome": "withdrawn"})
    assert case["status"] == "closed"
    assert case["stages"][0]["outcome"] == "withdrawn"
    assert case["due_on"] is None


def test_only_a_manager_may_reopen_or_change_a_closed_case(cases, client, manager_headers):
    reference = cases.new()
    cases.ok(reference, "record_outcome", {"outcome": "upheld"})
    cases.ok(reference, "close")
    assert cases.act(reference, "reopen", {"reason": "Wrong case."}).status_code == 403
    assert cases.act(reference, "assign", {"team": "East"}).status_code == 403
    # Notes and learning actions go on after closing.
    assert cases.act(reference, "add_note", {"body": "Letter sent."}).status_code == 200
    response = cases.act(reference, "reopen", {"reason": "New information."}, manager_headers)
    assert response.status_code == 200
    assert response.get_json()["status"] == "responded"


def test_reopening_needs_a_reason(cases, manager_headers):
    reference = cases.new()
    cases.ok(reference, "close", {"not_considered_reason": "court_proceedings"})
    assert cases.act(reference, "reopen", {}, manager_headers).status_code == 422


def test_a_stale_version_is_409_and_nothing_is_saved(cases, app):
    reference = cases.new()
    old = cases.version(reference)
    cases.ok(reference, "assign", {"team": "North"})
    response = cases.act(reference, "assign", {"team": "South"}, if_match=old)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "version_conflict"
    assert "Nothing was saved" in error["message"]
    assert cases.get(reference)["team"] == "North"
    assert len(_events(app, "case.assign")) == 1


def test_a_write_without_if_match_is_428(client, cases):
    reference = cases.new()
    response = client.post(
        f"/api/v1/cases/{reference}/actions/acknowledge", json={}, headers=cases.headers
    )
    assert response.status_code == 428
    assert "If-Match" in response.get_json()["error"]["message"]


def test_a_malformed_if_match_is_400(cases):
    assert cases.act(cases.new(), "acknowledge", if_match="yesterday").status_code == 400


def test_the_etag_is_the_version_and_every_change_bumps_it(client, cases):
    reference = cases.new()
    response = client.get(f"/api/v1/cases/{reference}", headers=cases.headers)
    assert response.headers["ETag"] == f'"{response.get_json()["version"]}"'
    after = cases.act(reference, "add_note", {"body": "A note."})
    assert after.headers["ETag"] != response.headers["ETag"]
    assert (
        cases.act(reference, "acknowledge", if_match="W/" + after.headers["ETag"]).status_code
        == 200
    )


def test_an_unknown_action_is_404(cases):
    assert cases.act(cases.new(), "delete_everything").status_code == 404


def test_a_failed_action_leaves_no_trace(cases, app):
    reference = cases.new()
    version = cases.version(reference)
    assert cases.act(reference, "resume", {}).status_code == 422
    assert cases.version(reference) == version
    assert _events(app, "case.resume") == []


def test_every_action_is_audited_with_who_did_it(cases, app, auth):
    reference = cases.new()
    cases.ok(reference, "acknowledge")
    [(_action, actor, _detail)] = _events(app, "case.acknowledge")
    assert actor.startswith("officer:")


def test_an_officer_viewing_a_case_is_audited_and_a_token_reading_is_not(
    cases, app, reader_headers
):
    reference = cases.new()
    cases.get(reference)
    cases.get(reference, headers=reader_headers)
    viewed = _events(app, "case.viewed")
    assert len(viewed) == 1
    assert viewed[0][1].startswith("officer:")


def test_the_audit_log_of_a_case_is_for_managers(cases, client, manager_headers):
    reference = cases.new()
    assert client.get(f"/api/v1/cases/{reference}/events", headers=cases.headers).status_code == 403
    events = client.get(f"/api/v1/cases/{reference}/events", headers=manager_headers).get_json()
    assert events["items"][0]["action"] == "case.created"


def test_patching_records_the_child_consent_and_advocacy(cases):
    reference = cases.new(complainant={"type": "parent", "name": "Ade"})
    response = cases.patch(
        reference,
        {
            "child": {"age_band": "16_to_17", "gender": "female", "date_of_birth": "2009-05-01"},
            "complainant": {"advocate_organisation": "Coram Voice", "consent_recorded": True},
            "advocacy_offered": True,
            "advocacy_taken_up": True,
        },
    )
    assert response.status_code == 200, response.get_json()
    case = response.get_json()
    assert case["child"]["age_band"] == "16_to_17"
    assert case["child"]["date_of_birth"] == "2009-05-01"
    assert case["complainant"]["advocate_organisation"] == "Coram Voice"
    assert case["complainant"]["consent_recorded"] is True
    assert case["complainant"]["consent_recorded_at"]
    assert (case["advocacy_offered"], case["advocacy_taken_up"]) == (True, True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"child": "twelve"}, "child"),
        ({"child": {"date_of_birth": "2999-01-01"}}, "child.date_of_birth"),
        ({"advocacy_offered": False, "advocacy_taken_up": True}, "advocacy_taken_up"),
        ({"kind": "grumble"}, "kind"),
    ],
)
def test_patching_bad_details_is_422(cases, body, field):
    response = cases.patch(cases.new(), body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_case_can_be_created_with_the_childs_equality_answers(post_case, complaint, cases):
    response = post_case(complaint(child={"age_band": "13_to_15", "ethnicity": "white_british"}))
    assert response.status_code == 201
    case = cases.get(response.get_json()["reference"])
    assert case["child"]["ethnicity"] == "white_british"


def test_a_signed_in_session_must_send_the_csrf_header_to_write(client, auth, post_case):
    reference = post_case().get_json()["reference"]
    auth.officer()
    auth.login()
    etag = client.get(f"/api/v1/cases/{reference}").headers["ETag"]
    url = f"/api/v1/cases/{reference}/actions/acknowledge"
    refused = client.post(url, json={}, headers={"If-Match": etag})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    accepted = client.post(url, json={}, headers={"If-Match": etag, "X-CSRF-Token": token})
    assert accepted.status_code == 200


def test_a_case_fills_the_report_records(cases, set_today):
    """The lifecycle holds what `intake_api.reports.records` needs, for a later adapter."""
    from intake_api.reports.records import CaseRecord, Equality, LearningAction, StageRecord

    set_today(MONDAY)
    reference = cases.new()
    cases.ok(reference, "extend", {"reason": "Complex."})
    cases.ok(reference, "record_outcome", {"outcome": "upheld"})
    cases.ok(reference, "add_learning_action", {"description": "Train staff."})
    cases.patch(reference, {"child": {"age_band": "13_to_15"}, "advocacy_offered": True,
                            "team": "North"})  # fmt: skip
    cases.ok(reference, "close")
    case = cases.get(reference)
    day = dt.date.fromisoformat
    record = CaseRecord(
        reference=case["reference"],
        received=day(case["received_on"]),
        route=case["route"],
        service_area=case["service_area"],
        complainant_type=case["complainant"]["type"],
        channel=case["channel"],
        team=case["team"],
        causes=tuple(case["causes"]),
        stages=tuple(
            StageRecord(
                stage=s["stage"],
                opened=day(s["opened_on"]),
                due=day(s["due_on"]),
                closed=day(s["closed_on"]),
                outcome=s["outcome"],
                extended=s["extended"],
            )
            for s in case["stages"]
            if s["route"] == case["route"]
        ),
        advocacy_offered=case["advocacy_offered"],
        advocacy_taken_up=case["advocacy_taken_up"],
        learning_actions=tuple(
            LearningAction(a["description"], a["status"], case["service_area"])
            for a in case["learning_actions"]
        ),
        equality=Equality(age_band=case["child"]["age_band"]),
    )
    assert record.stage("stage_1").within_timescale() is True
    assert record.stage("stage_1").extended is True
