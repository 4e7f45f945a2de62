"""The officers' workspace: the queue's filters and the case page's action forms
(`intake_api/officer/routes.py`, `forms.py`, `views_data.py`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from intake_api.models import Case, Event, db
from intake_api.officer.views_data import traffic_light

VERSION = re.compile(r'name="version" value="(\d+)"')


class Workspace:
    """An officer signed in to the pages, acting through the case page's forms."""

    def __init__(self, client: FlaskClient, auth: Any) -> None:
        self.client = client
        self.auth = auth

    def sign_in(self, role: str = "officer", email: str | None = None) -> int:
        email = email or f"{role}@council.test"
        officer_id = self.auth.officer(email, role)
        self.client.post("/officer/logout", data={"csrf_token": self.auth.csrf()})
        response = self.auth.login(email)
        assert response.status_code == 302
        return officer_id

    def page(self, reference: str) -> str:
        response = self.client.get(f"/officer/cases/{reference}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def version(self, reference: str) -> str:
        return VERSION.search(self.page(reference)).group(1)

    def post(
        self,
        reference: str,
        action: str,
        data: dict[str, Any] | None = None,
        version: str | None = None,
        csrf: bool = True,
    ) -> Any:
        form = dict(data or {})
        form["version"] = version if version is not None else self.version(reference)
        if csrf:
            form["csrf_token"] = self.auth.csrf()
        return self.client.post(
            f"/officer/cases/{reference}/actions/{action}",
            data=form,
            headers={"Accept": "text/html"},
        )


@pytest.fixture
def desk(client: FlaskClient, auth: Any) -> Workspace:
    return Workspace(client, auth)


@pytest.fixture
def reference(cases: Any) -> str:
    """A statutory complaint from a young person, triaged by the (fake) model."""
    return cases.new("My social worker never calls me back and I am unsure who to ask.")


def case_row(app: Any, reference: str) -> Case:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        db.session.expunge_all()
        return case


def actions_logged(app: Any, reference: str) -> list[str]:
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        return list(
            db.session.scalars(
                select(Event.action).where(Event.case_id == case_id).order_by(Event.id)
            )
        )


# ---------------------------------------------------------------- the queue


def test_the_queue_shows_counts_filters_and_rows_linking_to_cases(client, desk, cases):
    reference = cases.new("My foster allowance was paid late again.")
    desk.sign_in()
    page = client.get("/officer/").get_data(as_text=True)
    assert re.search(r'count-number">1</span>\s*<span class="count-label">New', page)
    for name in ("q", "route", "stage", "status", "cause", "service_area", "assignee"):
        assert f'id="filter-{name}"' in page
    for name in ("overdue", "due_within", "needs_review", "safeguarding", "sort"):
        assert f'name="{name}"' in page
    assert f'href="/officer/cases/{reference}"' in page
    assert "Corporate" in page
    assert "On track" in page  # the traffic light is words, not colour alone
    assert "Unassigned" in page


def test_the_queue_filters_and_keeps_the_filters_in_the_page_links(app, client, desk, cases):
    corporate = cases.new("My foster allowance was paid late again.")
    statutory = cases.new("Nobody tells me about my care plan.")
    desk.sign_in()
    page = client.get("/officer/?route=corporate").get_data(as_text=True)
    assert corporate in page and statutory not in page
    assert '<option value="corporate" selected>' in page
    page = client.get("/officer/?q=care+plan").get_data(as_text=True)
    assert statutory in page and corporate not in page
    app.config["API_DEFAULT_PER_PAGE"] = 1
    page = client.get("/officer/?kind=complaint&sort=due").get_data(as_text=True)
    assert "Page 1 of 2" in page
    assert "sort=due" in page.split('rel="next"')[0].rsplit("<a", 1)[1]


def test_bad_queue_filters_are_explained_not_ignored(client, desk):
    desk.sign_in()
    response = client.get("/officer/?route=nowhere&due_within=lots")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page
    assert 'href="#filter-route"' in page
    assert 'href="#filter-due_within"' in page


def test_safeguarding_stays_pinned_when_sorting_by_due_date(client, desk, cases):
    calm = cases.new("My worker never calls back.")
    urgent = cases.new("My dad hurt me and I am scared.")
    desk.sign_in()
    for sort in ("due", "created", "urgency"):
        page = client.get(f"/officer/?sort={sort}").get_data(as_text=True)
        assert page.index(urgent) < page.index(calm), sort


@pytest.mark.parametrize(
    ("due_on", "status", "light"),
    [
        (dt.date(2026, 11, 26), "open", "overdue"),
        (dt.date(2026, 11, 27), "open", "soon"),
        (dt.date(2026, 12, 1), "open", "soon"),  # Fri 27 Nov + 2 working days = Tue 1 Dec
        (dt.date(2026, 12, 2), "new", "ok"),
        (dt.date(2026, 11, 20), "paused", "paused"),
        (dt.date(2026, 11, 20), "closed", "none"),
        (None, "open", "none"),
    ],
)
def test_the_traffic_light_counts_working_days(due_on, status, light):
    assert traffic_light(due_on, status, today=dt.date(2026, 11, 27)).key == light


# ---------------------------------------------------------------- the case page


def test_the_case_page_shows_everything_and_records_the_viewing(app, client, desk, cases):
    reference = cases.new(
        "My dad hurt me and my social worker never calls back.",
        child={"name": "Sam", "age_band": "13_to_15"},
    )
    officer_id = desk.sign_in()
    response = client.get(f"/officer/cases/{reference}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "My dad hurt me" in page
    assert "Sam" in page and "13 to 15" in page
    assert "fake triager" in page and "fake-1" in page and "91%" in page
    assert "Safeguarding:" in page
    assert "Statutory stage 1" in page
    assert "Audit log" in page
    assert 'name="csrf_token"' in page
    with app.app_context():
        viewed = db.session.scalars(select(Event).where(Event.action == "case.viewed")).all()
        assert [event.actor for event in viewed] == [f"officer:{officer_id}"]
    assert "Olive Officer" in page  # actors by name, not id
    assert response.headers["Cache-Control"] == "no-store"


def test_a_reference_is_found_whatever_its_case(client, desk, reference):
    desk.sign_in()
    response = client.get(f"/officer/cases/{reference.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/officer/cases/{reference}"


def test_an_unknown_case_is_a_404_page(client, desk):
    desk.sign_in()
    response = client.get("/officer/cases/CC-AAAA-AAAA", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "There is no case with that reference." in response.get_data(as_text=True)


def test_the_case_page_needs_a_signed_in_officer(client, reference):
    response = client.get(f"/officer/cases/{reference}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/officer/login?next=")
    response = client.post(f"/officer/cases/{reference}/actions/add_note", data={"body": "x"})
    assert response.status_code == 302


# ---------------------------------------------------------------- actions: happy paths

HAPPY = [
    ("accept_triage", {}, "Triage accepted.", "case.accept_triage"),
    (
        "override_triage",
        {
            "route": "corporate",
            "causes": ["finance", "delay"],
            "service_area": "fostering",
            "reason": "It is about a foster carer's allowance.",
        },
        "Triage corrected.",
        "case.override_triage",
    ),
    ("assign", {"officer_id": "SELF", "team": "North"}, "Assignment saved.", "case.assign"),
    ("acknowledge", {}, "Complaint acknowledged.", "case.acknowledge"),
    (
        "extend",
        {"working_days": "20", "reason": "Complex: three teams involved."},
        "Deadline extended.",
        "case.extend",
    ),
    ("pause", {"reason": "Waiting for the family."}, "Clock paused.", "case.pause"),
    ("escalate", {"reason": "Asked on the phone."}, "Case escalated.", "case.escalate"),
    ("record_outcome", {"outcome": "partly_upheld"}, "Outcome recorded.", "case.record_outcome"),
    (
        "add_learning_action",
        {"description": "Call back within two days.", "owner": "Team manager"},
        "Learning action added.",
        "case.add_learning_action",
    ),
    ("add_note", {"body": "Spoke to the young person."}, "Note added.", "case.add_note"),
    ("close", {"outcome": "not_upheld"}, "Case closed.", "case.close"),
]


@pytest.mark.parametrize(("action", "form", "flash", "logged"), HAPPY, ids=[h[0] for h in HAPPY])
def test_each_action_saves_redirects_and_says_so(
    app, client, desk, reference, action, form, flash, logged
):
    officer_id = desk.sign_in()
    if form.get("officer_id") == "SELF":
        form = {**form, "officer_id": str(officer_id)}
    before = case_row(app, reference).version_id
    response = desk.post(reference, action, form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == f"/officer/cases/{reference}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert flash in page
    assert logged in actions_logged(app, reference)
    assert case_row(app, reference).version_id > before


def test_override_shows_the_new_triage_and_stage(app, client, desk, reference):
    desk.sign_in()
    desk.post(
        reference,
        "override_triage",
        {
            "route": "corporate",
            "causes": ["finance"],
            "service_area": "fostering",
            "reason": "Allowance dispute.",
        },
    )
    page = desk.page(reference)
    assert "Officer override: Allowance dispute." in page
    assert "Corporate stage 1" in page
    assert case_row(app, reference).route == "corporate"


def test_pause_then_resume_then_escalate_to_stage_2(app, desk, reference):
    desk.sign_in()
    assert desk.post(reference, "pause", {"reason": "Waiting."}).status_code == 302
    assert "Resume the clock" in desk.page(reference)
    assert desk.post(reference, "resume", {}).status_code == 302
    assert desk.post(reference, "escalate", {}).status_code == 302
    page = desk.page(reference)
    assert "Statutory stage 2" in page
    assert case_row(app, reference).stage == "stage_2"


def test_a_manager_can_reopen_a_closed_case(app, desk, reference):
    desk.sign_in("manager")
    assert desk.post(reference, "close", {"outcome": "upheld"}).status_code == 302
    assert "Reopen the case" in desk.page(reference)
    response = desk.post(reference, "reopen", {"reason": "New evidence."})
    assert response.status_code == 302
    assert case_row(app, reference).status != "closed"


# ---------------------------------------------------------------- actions: unhappy paths


@pytest.mark.parametrize(
    ("action", "form", "field"),
    [
        ("override_triage", {"route": "corporate", "causes": ["finance"]}, "reason"),
        ("override_triage", {"route": "corporate", "reason": "Because."}, "causes"),
        ("extend", {"working_days": "20"}, "reason"),
        ("extend", {"working_days": "twenty", "reason": "Complex."}, "working_days"),
        ("pause", {}, "reason"),
        ("record_outcome", {}, "outcome"),
        ("add_note", {"body": "   "}, "body"),
        ("add_learning_action", {"owner": "Me"}, "description"),
        ("escalate", {"requested_on": "2999-01-01"}, "requested_on"),
    ],
)
def test_a_missing_or_bad_field_is_explained_and_the_input_kept(
    app, desk, reference, action, form, field
):
    desk.sign_in()
    before = case_row(app, reference).version_id
    response = desk.post(reference, action, {**form, "owner": form.get("owner", "")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = page[page.index('class="error-summary"') :]
    assert 'role="alert"' in page[page.index("error-summary") - 40 :][:200]
    assert f'href="#{action}-{field}"' in summary
    assert f'id="{action}-{field}"' in page
    assert f'id="{action}-{field}-error"' in page
    assert f'<details class="action" id="{action}" open>' in page
    for typed in form.values():
        if isinstance(typed, str) and typed.strip():
            assert typed in page  # nothing the officer typed is lost
    assert page.startswith("<!doctype html>")
    assert "<title>Error: " in page
    assert case_row(app, reference).version_id == before


def test_an_action_the_case_state_refuses_is_explained(desk, reference):
    desk.sign_in()
    assert desk.post(reference, "acknowledge").status_code == 302
    response = desk.post(reference, "acknowledge")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This case was already acknowledged." in page
    assert 'href="#acknowledge-action"' in page


def test_a_stale_version_is_refused_and_the_input_kept(app, client, desk, reference):
    desk.sign_in()
    stale = desk.version(reference)
    assert desk.post(reference, "add_note", {"body": "First."}).status_code == 302
    response = desk.post(
        reference, "extend", {"working_days": "20", "reason": "My careful reason."}, stale
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert (
        "Someone else changed this case. Your change was not saved. Here is the latest version."
        in page
    )
    assert "My careful reason." in page
    assert f'name="version" value="{int(stale) + 1}"' in page  # the latest, to try again
    assert "First." in page  # the other change is shown
    assert "case.extend" not in actions_logged(app, reference)


@pytest.mark.parametrize("action", ["add_note", "close", "assign"])
def test_an_action_without_the_csrf_token_is_refused(app, desk, reference, action):
    desk.sign_in()
    before = case_row(app, reference).version_id
    response = desk.post(reference, action, {"body": "x", "outcome": "upheld"}, csrf=False)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert case_row(app, reference).version_id == before


def test_an_action_without_a_version_is_refused(client, desk, reference, auth):
    desk.sign_in()
    response = client.post(
        f"/officer/cases/{reference}/actions/add_note",
        data={"body": "x", "csrf_token": auth.csrf()},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 400


def test_an_officer_cannot_reopen_or_change_a_closed_case(app, desk, reference):
    desk.sign_in()
    assert desk.post(reference, "close", {"outcome": "upheld"}).status_code == 302
    page = desk.page(reference)
    assert "Only a manager can reopen it." in page
    assert desk.post(reference, "reopen", {"reason": "Please."}).status_code == 403
    assert desk.post(reference, "acknowledge").status_code == 403
    # Notes are still allowed on a closed case.
    assert desk.post(reference, "add_note", {"body": "After closing."}).status_code == 302


def test_an_unknown_action_is_a_404(desk, reference):
    desk.sign_in()
    assert desk.post(reference, "delete_everything").status_code == 404


def test_actions_are_post_only(client, desk, reference):
    desk.sign_in()
    assert client.get(f"/officer/cases/{reference}/actions/add_note").status_code == 405


def test_a_form_the_new_state_would_hide_still_comes_back_with_the_input(app, desk, reference):
    desk.sign_in()
    stale = desk.version(reference)
    assert desk.post(reference, "pause", {"reason": "Waiting for the family."}).status_code == 302
    response = desk.post(reference, "extend", {"reason": "Three teams involved."}, stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert '<details class="action" id="extend" open>' in page
    assert "Three teams involved." in page
    assert "Resume the clock" in page  # and the latest state is shown
