"""Migrations: `intake_api/migrations/versions/`, upgrading databases that hold data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from intake_api import create_app
from intake_api.cli import upgrade_database
from intake_api.models import db


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path, postgres_database):
    """A brand-new database on each backend available."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    return postgres_database()


def test_upgrading_a_database_with_cases_fills_the_lifecycle_columns(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x"})
    created = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
    with app.app_context():
        upgrade_database("0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO complainants (id, type, email, phone, anonymous, created_at) "
                    "VALUES (1, 'parent', 'A@B.org', '+44 7700 900123', false, :at)"
                ),
                {"at": created},
            )
            connection.execute(
                text(
                    "INSERT INTO cases (id, reference, status, channel, description, "
                    "complainant_id, created_at, updated_at, version_id) VALUES "
                    "(1, 'CC-2222-3333', 'new', 'web_chat', 'x', 1, :at, :at, 1)"
                ),
                {"at": created},
            )
            connection.execute(
                text(
                    "INSERT INTO triage_results (case_id, route, causes, service_area, "
                    "safeguarding, needs_review, reasons, source, created_at) VALUES "
                    "(1, 'corporate', '[\"finance\"]', 'fostering', true, false, '[]', "
                    "'model', :at)"
                ),
                {"at": created},
            )
            connection.execute(
                text(
                    "INSERT INTO service_tokens (name, token_hash, created_at, revoked) "
                    "VALUES ('old', 'abc', :at, false)"
                ),
                {"at": created},
            )
        upgrade_database()
        with db.engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT kind, route, service_area, safeguarding, needs_review, received_on, "
                    "triage_state, safeguarding_disclosed, handoff_requested FROM cases"
                )
            ).one()
            causes = connection.execute(text("SELECT cause FROM case_causes")).scalars().all()
            keys = connection.execute(text("SELECT email_key, phone_key FROM complainants")).one()
            scopes = connection.execute(text("SELECT scopes FROM service_tokens")).scalar()
            # SQLite's table rebuild must not cascade-delete the rows pointing at cases.
            kept = connection.execute(text("SELECT count(*) FROM triage_results")).scalar()
        db.engine.dispose()
    assert (row.kind, row.route, row.service_area) == ("complaint", "corporate", "fostering")
    assert (bool(row.safeguarding), bool(row.needs_review)) == (True, False)
    assert str(row.received_on) == "2026-11-20"
    assert row.triage_state == "done"
    assert (bool(row.safeguarding_disclosed), bool(row.handoff_requested)) == (False, False)
    assert causes == ["finance"]
    assert kept == 1
    assert tuple(keys) == ("a@b.org", "447700900123")
    assert "cases:read" not in str(scopes)
