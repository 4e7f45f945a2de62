"""The bot's optional intake fields on `POST /api/v1/cases`: validated one by one, stored,
shown to officers, exported on request and cleared by erasure and retention."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from sqlalchemy import select, update

from intake_api.models import AGE_BANDS, Case, Complainant, Event, db

PERSON = {"type": "relative", "name": "Pat Jones", "email": "pat@example.org"}


def full_body(complaint: Any, **overrides: Any) -> dict[str, Any]:
    """A complaint using every new field."""
    body = complaint(
        complainant={
            **PERSON,
            "detail": "grandparent",
            "consent": True,
            "contact_via": "direct",
        },
        child={"age_band": "13_to_15"},
        when={"text": "last summer", "date": "2026-07-01", "over_12_months": False},
        desired_outcome="Pat Jones wants an apology from the team.",
        service_mentioned="The north area team, worker Sue Brown",
        advocacy={"offered": True, "accepted": False},
        safeguarding_disclosed=False,
        handoff_requested=True,
    )
    body.update(overrides)
    return body


def _stored(app: Any, reference: str) -> Case:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        db.session.expunge_all()
        return case


def _events(app: Any, reference: str) -> list[Event]:
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        events = db.session.scalars(select(Event).where(Event.case_id == case_id)).all()
        db.session.expunge_all()
        return list(events)


# ---------------------------------------------------------------- valid and stored


def test_every_new_field_is_stored_and_in_the_case_json(app, post_case, complaint):
    response = post_case(full_body(complaint))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["complainant"]["detail"] == "grandparent"
    assert body["complainant"]["contact_via"] == "direct"
    assert body["complainant"]["consent_recorded"] is True
    assert body["when"] == {"text": "last summer", "date": "2026-07-01", "over_12_months": False}
    assert body["desired_outcome"] == "Pat Jones wants an apology from the team."
    assert body["service_mentioned"] == "The north area team, worker Sue Brown"
    assert body["advocacy"] == {"offered": True, "accepted": False}
    assert body["handoff_requested"] is True
    assert body["safeguarding_disclosed"] is False
    assert body["related_reference"] is None
    case = _stored(app, body["reference"])
    assert case.events_when_text == "last summer"
    assert case.events_on == dt.date(2026, 7, 1)
    assert case.over_12_months is False
    assert (case.advocacy_offered, case.advocacy_taken_up) == (True, False)
    assert case.handoff_requested is True
    with app.app_context():
        person = db.session.scalar(select(Complainant))
        assert person.detail == "grandparent"
        assert person.consent_recorded is True and person.consent_recorded_at is not None
        age = db.session.scalar(select(Case)).child.age_band
    assert age == "13_to_15"


def test_an_advocate_with_the_childs_agreement_is_stored_with_their_organisation(
    app, post_case, complaint
):
    body = complaint(
        complainant={
            "type": "advocate",
            "name": "Ade",
            "organisation": "Coram Voice",
            "consent": True,
            "contact_via": "advocate",
        }
    )
    response = post_case(body)
    assert response.status_code == 201, response.get_json()
    person = response.get_json()["complainant"]
    assert person["advocate_organisation"] == "Coram Voice"
    assert person["consent_recorded"] is True and person["consent_recorded_at"]
    assert person["contact_via"] == "advocate"


@pytest.mark.parametrize("consent", [None, False, "yes"])
def test_an_advocate_without_the_childs_agreement_is_refused_on_the_consent_field(
    post_case, complaint, consent
):
    person = {"type": "advocate", "name": "Ade"}
    if consent is not None:
        person["consent"] = consent
    response = post_case(complaint(complainant=person))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    message = error["fields"]["complainant.consent"]
    if consent == "yes":
        assert message == "This must be true or false."
    else:
        assert message == (
            "An advocate must have the child's agreement before sending a complaint for them."
        )


@pytest.mark.parametrize(
    ("anonymous", "expected"), [(True, "none"), (False, "direct")], ids=["anonymous", "named"]
)
def test_contact_via_defaults_to_none_when_anonymous_and_direct_otherwise(
    post_case, complaint, anonymous, expected
):
    body = complaint(complainant={"type": "child", "anonymous": anonymous})
    assert post_case(body).get_json()["complainant"]["contact_via"] == expected


@pytest.mark.parametrize("band", AGE_BANDS)
def test_every_age_band_is_accepted(post_case, complaint, cases, band):
    response = post_case(complaint(child={"age_band": band}))
    assert response.status_code == 201
    assert cases.get(response.get_json()["reference"])["child"]["age_band"] == band


def test_accepted_advocacy_counts_as_offered(post_case, complaint):
    body = complaint(advocacy={"accepted": True})
    assert post_case(body).get_json()["advocacy"] == {"offered": True, "accepted": True}


# ---------------------------------------------------------------- invalid


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"complainant": {"type": "relative", "detail": "x" * 65}}, "complainant.detail",
         "This must be at most 64 characters."),
        ({"complainant": {"type": "relative", "detail": 5}}, "complainant.detail",
         "This must be text."),
        ({"complainant": {"type": "advocate", "consent": True, "organisation": "x" * 201}},
         "complainant.organisation", "This must be at most 200 characters."),
        ({"complainant": {"type": "child", "consent": "true"}}, "complainant.consent",
         "This must be true or false."),
        ({"complainant": {"type": "child", "contact_via": "pigeon"}}, "complainant.contact_via",
         "This must be one of: direct, advocate, none."),
        ({"child": {"age_band": "15"}}, "child.age_band",
         "This must be one of: under_10, 10_to_12, 13_to_15, 16_to_17, 18_to_25."),
        ({"when": "last week"}, "when",
         "This must be an object with text, date and over_12_months."),
        ({"when": {"text": "x" * 201}}, "when.text", "This must be at most 200 characters."),
        ({"when": {"date": "01/07/2026"}}, "when.date", "Give the date as YYYY-MM-DD."),
        ({"when": {"date": "2999-01-01"}}, "when.date", "This date cannot be in the future."),
        ({"when": {"over_12_months": "yes"}}, "when.over_12_months",
         "This must be true or false."),
        ({"desired_outcome": "x" * 2001}, "desired_outcome",
         "This must be at most 2000 characters."),
        ({"desired_outcome": ["sorry"]}, "desired_outcome", "This must be text."),
        ({"service_mentioned": "x" * 501}, "service_mentioned",
         "This must be at most 500 characters."),
        ({"advocacy": True}, "advocacy", "This must be an object with offered and accepted."),
        ({"advocacy": {"offered": "no"}}, "advocacy.offered", "This must be true or false."),
        ({"advocacy": {"offered": False, "accepted": True}}, "advocacy.accepted",
         "Advocacy cannot be accepted if it was not offered."),
        ({"safeguarding_disclosed": "true"}, "safeguarding_disclosed",
         "This must be true or false."),
        ({"handoff_requested": 1}, "handoff_requested", "This must be true or false."),
    ],
)  # fmt: skip
def test_each_new_field_is_checked_with_a_plain_message(
    post_case, complaint, overrides, field, message
):
    response = post_case(complaint(**overrides))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {field: message}


def test_nulls_and_unknown_fields_are_accepted(post_case, complaint):
    body = complaint(
        when=None,
        desired_outcome=None,
        service_mentioned=None,
        advocacy=None,
        safeguarding_disclosed=None,
        handoff_requested=None,
        related_reference=None,
        mood="cross",
    )
    body["complainant"] = {**body["complainant"], "favourite_colour": "green", "consent": None}
    response = post_case(body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["handoff_requested"] is False


def test_nul_characters_are_dropped_not_refused(post_case, complaint):
    response = post_case(complaint(desired_outcome="an apol\x00ogy", description="late\x00 again"))
    assert response.status_code == 201
    assert response.get_json()["desired_outcome"] == "an apology"


# ---------------------------------------------------------------- time limit


def test_over_twelve_months_flags_the_case_for_review_and_never_refuses(
    post_case, complaint, cases, triager
):
    body = complaint(when={"text": "ages ago", "over_12_months": True})
    response = post_case(body)
    assert response.status_code == 201
    case = cases.get(response.get_json()["reference"])
    assert case["needs_review"] is True
    assert "more than 12 months ago" in case["time_limit_flag"]
    assert "Regulation 9" in case["time_limit_flag"]
    assert case["route"] == "statutory"  # triaged as usual: a flag, not a refusal
    assert case["stage"] == "stage_1"


def test_an_old_start_date_is_also_flagged(post_case, complaint, cases, set_today):
    set_today(dt.date(2026, 11, 27))
    response = post_case(complaint(when={"date": "2025-06-01"}))
    case = cases.get(response.get_json()["reference"])
    assert case["needs_review"] is True
    assert "start date more than 12 months" in case["time_limit_flag"]


def test_a_recent_matter_has_no_time_limit_flag(post_case, complaint, set_today):
    set_today(dt.date(2026, 11, 27))
    body = complaint(when={"date": "2026-10-01", "over_12_months": False})
    created = post_case(body).get_json()
    assert created["time_limit_flag"] is None
    assert created["needs_review"] is False


def test_triage_is_told_the_day_the_complaint_was_received(post_case, triager, set_today):
    set_today(dt.date(2026, 11, 27))
    post_case()
    assert triager.received == [dt.date(2026, 11, 27)]


# ---------------------------------------------------------------- safeguarding and hand-off


def test_a_disclosure_makes_the_case_safeguarding_whatever_triage_says(
    app, post_case, complaint, cases
):
    calm = cases.new("My worker never calls back.")
    body = complaint(description="My worker never calls back.", safeguarding_disclosed=True)
    created = post_case(body).get_json()
    assert created["triage"]["safeguarding"] is False  # the model saw nothing
    assert (created["safeguarding"], created["needs_review"]) == (True, True)
    actions = [event.action for event in _events(app, created["reference"])]
    assert "safeguarding.disclosed" in actions
    listed = cases.client.get("/api/v1/cases", headers=cases.headers).get_json()["items"]
    assert [item["reference"] for item in listed][:2] == [created["reference"], calm]


def test_the_queue_filters_on_handoff(post_case, complaint, cases):
    asked = post_case(complaint(handoff_requested=True)).get_json()["reference"]
    other = cases.new()
    for value, expected in (("true", [asked]), ("false", [other])):
        response = cases.client.get(f"/api/v1/cases?handoff={value}", headers=cases.headers)
        assert response.status_code == 200
        assert [item["reference"] for item in response.get_json()["items"]] == expected
    bad = cases.client.get("/api/v1/cases?handoff=maybe", headers=cases.headers)
    assert bad.status_code == 422
    assert bad.get_json()["error"]["fields"] == {"handoff": "This must be true or false."}


# ---------------------------------------------------------------- related case


def test_a_related_reference_to_an_existing_case_is_stored(app, post_case, complaint, cases):
    first = post_case(complaint(safeguarding_disclosed=True)).get_json()["reference"]
    loose = first.lower().replace("-", " ")
    created = post_case(complaint(related_reference=loose)).get_json()
    assert created["related_reference"] == first
    created_event = _events(app, created["reference"])[0]
    assert created_event.detail["related_reference"] == first


@pytest.mark.parametrize("sent", ["CC-2222-2222", "not a reference", 42, "x" * 300])
def test_an_unknown_related_reference_is_ignored_and_noted_never_refused(
    app, post_case, complaint, sent
):
    response = post_case(complaint(related_reference=sent))
    assert response.status_code == 201
    created = response.get_json()
    assert created["related_reference"] is None
    detail = _events(app, created["reference"])[0].detail
    if isinstance(sent, str):
        assert "related_reference_ignored" in detail
        assert len(detail["related_reference_ignored"]) <= 40


# ---------------------------------------------------------------- compliments


def test_a_compliment_is_stored_without_triage_or_a_stage_clock(
    app, post_case, complaint, triager, cases
):
    created = post_case(complaint(kind="compliment", description="Thank you, Sue.")).get_json()
    assert triager.calls == []
    assert created["triage"] is None
    assert (created["stage"], created["due_on"], created["acknowledge_due_on"]) == (
        None,
        None,
        None,
    )
    assert created["needs_review"] is False
    actions = [event.action for event in _events(app, created["reference"])]
    assert "triage.failed" not in actions and "triage.completed" not in actions


def test_an_untriaged_compliment_is_counted_in_reports_as_a_compliment(app, post_case, complaint):
    from intake_api.reports.adapter import load_records

    post_case(complaint(kind="compliment", description="Thank you, Sue."))
    with app.app_context():
        loaded = load_records(db.session)
    assert loaded.skipped == []
    assert [record.is_compliment for record in loaded.records] == [True]
    assert loaded.records[0].stages == ()


# ---------------------------------------------------------------- officer pages


def test_the_officer_case_page_shows_every_new_field_in_plain_words(
    app, client, auth, post_case, complaint
):
    first = post_case(complaint(safeguarding_disclosed=True)).get_json()["reference"]
    body = full_body(
        complaint,
        when={"text": "ages ago", "date": "2024-01-01", "over_12_months": True},
        safeguarding_disclosed=True,
        related_reference=first,
    )
    reference = post_case(body).get_json()["reference"]
    auth.officer()
    auth.login()
    page = client.get(f"/officer/cases/{reference}").get_data(as_text=True)
    for text in (
        "“ages ago”",
        "More than 12 months ago, they say.",
        "The person says this happened more than 12 months ago",
        "Regulation 9",
        "Pat Jones wants an apology from the team.",
        "The north area team, worker Sue Brown",
        "Asked to speak to a person",
        "Disclosed in the chat",
        "13 to 15",
        "(grandparent)",
        "Child's agreement to the complaint</dt><dd>Given",
        "Directly",
        "Offered",
    ):
        assert text in page, text
    link = f'href="/officer/cases/{first}"'
    assert link in page
    earlier = client.get(f"/officer/cases/{first}").get_data(as_text=True)
    assert f'href="/officer/cases/{reference}"' in earlier
    assert "Later case from the same conversation" in earlier


def test_the_officer_queue_page_filters_on_handoff(client, auth, post_case, complaint, cases):
    asked = post_case(complaint(handoff_requested=True)).get_json()["reference"]
    other = cases.new()
    auth.officer()
    auth.login()
    page = client.get("/officer/?handoff=true").get_data(as_text=True)
    assert 'id="filter-handoff"' in page
    assert asked in page and other not in page
    assert "Wants to speak to a person" in page
    assert other in client.get("/officer/?handoff=false").get_data(as_text=True)


# ---------------------------------------------------------------- export, erasure, retention


def test_the_person_export_holds_the_new_fields(runner, post_case, complaint):
    reference = post_case(full_body(complaint)).get_json()["reference"]
    result = runner.invoke(args=["export-person", "--email", "pat@example.org"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)["cases"]
    assert [case["reference"] for case in exported] == [reference]
    case = exported[0]
    assert case["when"]["text"] == "last summer"
    assert case["desired_outcome"] == "Pat Jones wants an apology from the team."
    assert case["service_mentioned"] == "The north area team, worker Sue Brown"
    assert case["complainant"]["detail"] == "grandparent"
    assert case["complainant"]["contact_via"] == "direct"
    assert case["advocacy"] == {"offered": True, "accepted": False}
    assert case["handoff_requested"] is True


def test_erasure_clears_the_personal_free_text(runner, post_case, complaint, cases):
    body = full_body(
        complaint,
        complainant={**PERSON, "type": "advocate", "consent": True, "organisation": "Voice"},
    )
    reference = post_case(body).get_json()["reference"]
    result = runner.invoke(args=["erase-person", "--email", "pat@example.org", "--yes"])
    assert result.exit_code == 0, result.output
    case = cases.get(reference)
    assert case["when"] == {"text": None, "date": "2026-07-01", "over_12_months": False}
    assert case["desired_outcome"] == "[erased at the person's request]"
    assert case["service_mentioned"] == "[erased at the person's request]"
    assert case["complainant"]["advocate_organisation"] is None
    # What the statistics need stays.
    assert case["advocacy"] == {"offered": True, "accepted": False}
    assert case["child"]["age_band"] == "13_to_15"


def test_retention_redacts_the_personal_free_text(app, runner, post_case, complaint, cases):
    body = full_body(
        complaint,
        desired_outcome="An apology. Call me on 07700 900123.",
        service_mentioned="Sue's team, 07700 900124",
    )
    reference = post_case(body).get_json()["reference"]
    cases.ok(reference, "record_outcome", {"outcome": "not_upheld"})
    cases.ok(reference, "close")
    with app.app_context():
        db.session.execute(
            update(Case)
            .where(Case.reference == reference)
            .values(closed_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3000))
        )
        db.session.commit()
    result = runner.invoke(args=["retention", "--older-than-days", "2200"])
    assert result.stdout.split() == [reference]
    case = cases.get(reference)
    assert case["when"]["text"] is None
    assert "07700" not in case["desired_outcome"]
    assert "07700" not in case["service_mentioned"]
    assert re.search(r"apology", case["desired_outcome"])
