"""Negotiated error responses: `intake_api/errors.py`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intake_api.auth import public
from intake_api.models import Officer, db


@pytest.mark.parametrize(
    ("path", "accept", "is_json"),
    [
        ("/api/v1/nothing-here", "text/html", True),
        ("/nothing-here", "application/json", True),
        ("/nothing-here", "text/html", False),
        ("/nothing-here", "text/html,application/xhtml+xml,*/*;q=0.8", False),
    ],
)
def test_404_is_json_for_api_clients_and_a_page_for_people(client, path, accept, is_json):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 404
    assert response.is_json is is_json
    if is_json:
        error = response.get_json()["error"]
        assert error == {
            "status": 404,
            "code": "not_found",
            "message": "We could not find what you asked for.",
        }
    else:
        page = response.get_data(as_text=True)
        assert "<h1>We could not find what you asked for.</h1>" in page


def test_405_names_the_allowed_methods(client):
    response = client.delete("/api/v1/cases")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_an_unexpected_error_is_500_and_rolls_back_the_session(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @public
    def broken():
        db.session.add(
            Officer(email="half@council.test", name="Half", password_hash="x", role="officer")
        )
        db.session.flush()
        raise RuntimeError("boom")

    app.add_url_rule("/api/v1/broken", "broken", broken)
    response = client.get("/api/v1/broken")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "boom" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Officer)).all() == []


def test_messages_are_sentences(client, reader_headers):
    responses = [
        client.get("/api/v1/cases"),
        client.get("/api/v1/cases/CC-2222-2222", headers=reader_headers),
        client.put("/api/v1/cases"),
    ]
    for response in responses:
        message = response.get_json()["error"]["message"]
        assert message[0].isupper()
        assert message.endswith(".")
