"""Officer pages: `intake_api/officer/routes.py`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intake_api.models import Event, db


def test_the_login_page_has_a_labelled_form_with_a_csrf_token(client):
    response = client.get("/officer/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<label for="email">' in page
    assert '<label for="password">' in page
    assert re.search(r'name="csrf_token" value="[^"]{20,}"', page)
    assert "http://" not in page.replace("http://localhost", "")
    assert "Content-Security-Policy" in response.headers


def test_signing_in_leads_to_the_queue(client, auth):
    auth.officer()
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/officer/"
    assert client.get("/officer/").status_code == 200


def test_signing_in_returns_to_the_page_asked_for_but_only_ours(client, auth):
    auth.officer()
    token = auth.csrf()
    form = {"email": "officer@council.test", "password": "correct horse battery staple"}
    response = client.post(
        "/officer/login?next=/officer/?page=2", data={**form, "csrf_token": token}
    )
    assert response.headers["Location"] == "/officer/?page=2"
    client.post("/officer/logout", data={"csrf_token": auth.csrf()})
    response = client.post(
        "/officer/login?next=https://evil.example/", data={**form, "csrf_token": auth.csrf()}
    )
    assert response.headers["Location"] == "/officer/"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("officer@council.test", "wrong password here"),
        ("nobody@council.test", "correct horse battery staple"),
    ],
)
def test_a_wrong_email_or_password_is_refused_with_one_message(client, auth, email, password):
    auth.officer()
    response = auth.login(email, password)
    assert response.status_code == 401
    assert "The email address or password is not right." in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "officer_id" not in session


def test_signing_in_without_the_csrf_token_is_refused(client, auth):
    auth.officer()
    client.get("/officer/login")
    response = client.post(
        "/officer/login",
        data={"email": "officer@council.test", "password": "correct horse battery staple"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "officer_id" not in session


def test_an_inactive_officer_cannot_sign_in(app, client, auth):
    officer_id = auth.officer()
    with app.app_context():
        from intake_api.models import Officer

        db.session.get(Officer, officer_id).active = False
        db.session.commit()
    assert auth.login().status_code == 401


def test_repeated_failed_sign_ins_are_throttled(app, client, auth):
    auth.officer()
    limit = app.config["LOGIN_MAX_FAILURES_PER_EMAIL"]
    for _ in range(limit):
        assert auth.login(password="not the password").status_code == 401
    response = auth.login()  # even the right password waits
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)


def test_signing_out_needs_post_and_csrf_then_ends_the_session(client, auth):
    auth.officer()
    auth.login()
    assert client.get("/officer/logout").status_code == 405
    assert client.post("/officer/logout", data={"csrf_token": "wrong"}).status_code == 400
    assert client.get("/officer/").status_code == 200
    response = auth.logout()
    assert response.headers["Location"] == "/officer/login"
    assert client.get("/officer/").status_code == 302
    with client.application.app_context():
        actions = db.session.scalars(select(Event.action)).all()
    assert "officer.login" in actions
    assert "officer.logout" in actions


def test_the_queue_sends_people_who_are_not_signed_in_to_the_login_page(client):
    response = client.get("/officer/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/officer/login?next=")


@pytest.mark.parametrize("role", ["officer", "manager", "admin"])
def test_every_role_sees_the_queue(client, auth, role):
    auth.officer(role=role)
    auth.login()
    assert client.get("/officer/").status_code == 200


def test_the_queue_lists_safeguarding_first_and_highlighted(client, auth, post_case, complaint):
    calm = post_case(complaint(description="My worker never calls back.")).get_json()
    urgent = post_case(complaint(description="My dad hurt me and I am scared.")).get_json()
    auth.officer()
    auth.login()
    page = client.get("/officer/").get_data(as_text=True)
    assert "<caption" in page
    assert page.index(urgent["reference"]) < page.index(calm["reference"])
    row = page[page.rindex("<tr", 0, page.index(urgent["reference"])) :]
    assert row.startswith('<tr class="safeguarding">')
    assert '<strong class="flag">Safeguarding</strong>' in page
    assert "Looked after children" in page


def test_the_queue_shows_untriaged_cases_as_needing_review(client, auth, post_case, triager):
    triager.error = RuntimeError("no model")
    reference = post_case().get_json()["reference"]
    auth.officer()
    auth.login()
    page = client.get("/officer/").get_data(as_text=True)
    assert reference in page
    assert "Not triaged" in page


def test_the_stylesheet_is_served_locally(client):
    response = client.get("/static/officer/officer.css")
    assert response.status_code == 200
    assert b":focus-visible" in response.data
    response.close()
