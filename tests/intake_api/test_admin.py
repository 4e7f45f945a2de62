"""Admins managing officers and tokens: `intake_api/services/admin.py` through the API."""

from __future__ import annotations

import pytest

NEW_OFFICER = {
    "email": "New.Person@Council.test",
    "name": "New Person",
    "role": "officer",
    "password": "a long enough password",
}


def test_an_admin_adds_an_officer_who_can_then_sign_in(client, admin_headers, auth):
    response = client.post("/api/v1/officers", json=NEW_OFFICER, headers=admin_headers)
    assert response.status_code == 201
    assert response.get_json()["email"] == "new.person@council.test"
    assert "password" not in str(response.get_json())
    assert auth.login("new.person@council.test", NEW_OFFICER["password"]).status_code == 302
    again = client.post("/api/v1/officers", json=NEW_OFFICER, headers=admin_headers)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [({"password": "short"}, "password"), ({"role": "king"}, "role"), ({"email": ""}, "email")],
)
def test_a_bad_new_officer_is_422(client, admin_headers, change, field):
    response = client.post(
        "/api/v1/officers", json={**NEW_OFFICER, **change}, headers=admin_headers
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_an_admin_promotes_and_deactivates_an_officer(client, admin_headers, auth):
    officer_id = auth.officer("plain@council.test")
    promoted = client.patch(
        f"/api/v1/officers/{officer_id}", json={"role": "manager"}, headers=admin_headers
    )
    assert promoted.get_json()["role"] == "manager"
    gone = client.patch(
        f"/api/v1/officers/{officer_id}", json={"active": False}, headers=admin_headers
    )
    assert gone.get_json()["active"] is False
    listing = client.get("/api/v1/officers", headers=admin_headers).get_json()
    assert {item["email"] for item in listing["items"]} >= {"plain@council.test"}


def test_an_admin_cannot_demote_or_deactivate_themselves(client, admin_headers):
    me = client.get("/api/v1/me", headers=admin_headers).get_json()["officer"]
    for change in ({"role": "officer"}, {"active": False}):
        response = client.patch(f"/api/v1/officers/{me['id']}", json=change, headers=admin_headers)
        assert response.status_code == 422


def test_an_unknown_officer_is_404(client, admin_headers):
    response = client.patch("/api/v1/officers/99999", json={"name": "X"}, headers=admin_headers)
    assert response.status_code == 404


def test_an_admin_issues_a_scoped_token_shown_once_and_revokes_it(client, admin_headers):
    issued = client.post(
        "/api/v1/tokens", json={"name": "reports", "scopes": ["cases:read"]}, headers=admin_headers
    )
    assert issued.status_code == 201
    body = issued.get_json()
    raw = body["token"]
    assert body["scopes"] == ["cases:read"]
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    listing = client.get("/api/v1/tokens", headers=admin_headers).get_json()
    assert raw not in str(listing)
    revoked = client.post(f"/api/v1/tokens/{body['id']}/revoke", headers=admin_headers)
    assert revoked.get_json()["revoked"] is True
    assert client.get("/api/v1/cases", headers=headers).status_code == 401


def test_a_token_defaults_to_the_bots_scopes(client, admin_headers):
    body = client.post("/api/v1/tokens", json={"name": "bot2"}, headers=admin_headers).get_json()
    assert body["scopes"] == ["cases:create", "status:check"]


def test_a_token_for_an_officer_acts_as_them(client, admin_headers, auth):
    officer_id = auth.officer("plain@council.test")
    body = client.post(
        "/api/v1/tokens", json={"name": "plain", "officer_id": officer_id}, headers=admin_headers
    ).get_json()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.get_json()["officer"]["email"] == "plain@council.test"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "x", "scopes": ["everything"]},
        {"name": "x", "scopes": []},
        {"name": "x", "officer_id": 99999},
        {"name": "x", "officer_id": 1, "scopes": ["cases:read"]},
    ],
)
def test_a_bad_token_request_is_422(client, admin_headers, body):
    assert client.post("/api/v1/tokens", json=body, headers=admin_headers).status_code == 422
