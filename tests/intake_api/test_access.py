"""Who may call what: `intake_api/auth.py`."""

from __future__ import annotations

import pytest

from intake_api.auth import ACCESS_ATTR, PUBLIC_ENDPOINTS, officer_required, public
from intake_api.models import ServiceToken, db


def test_every_view_declares_who_may_call_it(app):
    for endpoint, view in app.view_functions.items():
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        assert getattr(view, ACCESS_ATTR, None) is not None, endpoint


def test_a_view_without_a_decorator_is_refused(app):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    response = app.test_client().get("/forgotten", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert b"secret" not in response.data


def test_a_role_restricted_view_refuses_other_roles(app, client, auth):
    app.add_url_rule("/admin-only", "admin_only", officer_required("admin")(lambda: "admin"))
    app.add_url_rule("/open", "open", public(lambda: "open"))
    auth.officer(email="plain@council.test", role="officer")
    auth.officer(email="boss@council.test", role="admin")
    assert client.get("/open").status_code == 200
    auth.login("plain@council.test")
    assert client.get("/admin-only").status_code == 403
    auth.logout()
    auth.login("boss@council.test")
    assert client.get("/admin-only").data == b"admin"


@pytest.mark.parametrize("role", ["officer", "manager", "admin"])
def test_every_officer_role_can_read_cases_through_the_api(client, auth, post_case, role):
    reference = post_case().get_json()["reference"]
    auth.officer(role=role)
    auth.login()
    assert client.get("/api/v1/cases").get_json()["total"] == 1
    assert client.get(f"/api/v1/cases/{reference}").status_code == 200


def test_the_api_answers_an_officer_who_is_not_signed_in_with_401_not_a_redirect(client):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.is_json


def test_a_revoked_token_is_refused(app, client, auth):
    raw = auth.token()
    with app.app_context():
        token = db.session.scalar(db.select(ServiceToken))
        token.revoked = True
        db.session.commit()
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_a_deactivated_officer_loses_access_at_once(app, client, auth):
    from intake_api.models import Officer

    officer_id = auth.officer()
    auth.login()
    assert client.get("/api/v1/cases").status_code == 200
    with app.app_context():
        db.session.get(Officer, officer_id).active = False
        db.session.commit()
    assert client.get("/api/v1/cases").status_code == 401


def test_the_bots_token_may_create_cases_but_not_read_or_change_them(
    client, post_case, bot_headers
):
    reference = post_case().get_json()["reference"]
    assert client.get("/api/v1/cases", headers=bot_headers).status_code == 403
    assert client.get(f"/api/v1/cases/{reference}", headers=bot_headers).status_code == 403
    response = client.post(
        f"/api/v1/cases/{reference}/actions/acknowledge",
        json={},
        headers={**bot_headers, "If-Match": '"1"'},
    )
    assert response.status_code == 401


def test_a_reading_token_cannot_create_or_change_cases(client, post_case, reader_headers):
    reference = post_case().get_json()["reference"]
    created = client.post(
        "/api/v1/cases", json={}, headers={**reader_headers, "Idempotency-Key": "reader-key-1"}
    )
    assert created.status_code == 403
    patched = client.patch(
        f"/api/v1/cases/{reference}",
        json={"team": "x"},
        headers={**reader_headers, "If-Match": '"1"'},
    )
    assert patched.status_code == 401


def test_a_token_issued_to_an_officer_stops_when_they_are_deactivated(app, client, auth, post_case):
    from intake_api.models import Officer

    officer_id = auth.officer()
    headers = auth.headers("olive", officer_id=officer_id)
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    with app.app_context():
        db.session.get(Officer, officer_id).active = False
        db.session.commit()
    assert client.get("/api/v1/cases", headers=headers).status_code == 401


def test_a_bearer_token_ignores_a_signed_in_session(client, auth, bot_headers):
    auth.officer()
    auth.login()
    assert client.get("/api/v1/cases").status_code == 200
    assert client.get("/api/v1/cases", headers=bot_headers).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/officers"),
        ("post", "/api/v1/officers"),
        ("get", "/api/v1/tokens"),
        ("post", "/api/v1/tokens"),
        ("post", "/api/v1/tokens/1/revoke"),
        ("patch", "/api/v1/officers/1"),
    ],
)
def test_only_admins_manage_officers_and_tokens(client, manager_headers, method, path):
    response = getattr(client, method)(path, json={}, headers=manager_headers)
    assert response.status_code == 403


def test_every_api_write_needs_credentials(app, client):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/v1/status":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS", "GET"}:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<{name}>", "x").replace(f"<int:{name}>", "1")
            response = client.open(path, method=method, json={})
            assert response.status_code == 401, (method, path)
