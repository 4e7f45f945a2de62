"""`/healthz`: `intake_api/health.py`."""

from __future__ import annotations


def test_healthz_is_public_and_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from intake_api.models import db

    def fail(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("down"))

    with app.app_context():
        monkeypatch.setattr(db.session, "execute", fail)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
