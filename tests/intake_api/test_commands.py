"""CLI commands: `intake_api/cli.py`."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import func, inspect, select

from intake_api import create_app
from intake_api.cli import upgrade_database
from intake_api.models import Officer, ServiceToken, db


def test_db_upgrade_builds_the_schema_on_an_empty_database(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.db'}", "SECRET_KEY": "x"}
    )
    result = app.test_cli_runner().invoke(args=["db-upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert {"cases", "complainants", "triage_results", "events", "officers"} <= tables
    assert "alembic_version" in tables


def test_the_migrations_match_the_models(app):
    """A model change without a migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_db_upgrade_twice_is_harmless(app, runner):
    assert runner.invoke(args=["db-upgrade"]).exit_code == 0
    with app.app_context():
        upgrade_database()


def _officers(app):
    with app.app_context():
        return db.session.scalars(select(Officer)).all()


def test_create_officer_with_a_password_option(app, runner):
    result = runner.invoke(
        args=[
            "create-officer",
            "--email", "Ann@Council.test",
            "--name", "Ann Manager",
            "--role", "manager",
            "--password", "a long enough password",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [officer] = _officers(app)
    assert (officer.email, officer.role, officer.active) == ("ann@council.test", "manager", True)
    assert officer.password_hash != "a long enough password"
    assert officer.check_password("a long enough password")


def test_create_officer_reads_the_password_from_an_environment_variable(app, runner):
    result = runner.invoke(
        args=["create-officer", "--email", "b@council.test", "--name", "B", "--password-env", "PW"],
        env={"PW": "from the environment"},
    )
    assert result.exit_code == 0, result.output
    assert _officers(app)[0].check_password("from the environment")


def test_create_officer_prompts_for_the_password(app, runner):
    result = runner.invoke(
        args=["create-officer", "--email", "c@council.test", "--name", "C"],
        input="typed at the prompt\ntyped at the prompt\n",
    )
    assert result.exit_code == 0, result.output
    assert _officers(app)[0].check_password("typed at the prompt")


def test_create_officer_refuses_a_duplicate_unless_if_missing(app, runner):
    args = ["create-officer", "--email", "d@council.test", "--name", "D", "--password", "x" * 12]
    assert runner.invoke(args=args).exit_code == 0
    duplicate = runner.invoke(args=args)
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    assert runner.invoke(args=[*args, "--if-missing"]).exit_code == 0
    assert len(_officers(app)) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--password", "short"], "at least 12"),
        (["--password-env", "UNSET_VARIABLE_FOR_TEST"], "not set"),
        (["--role", "wizard", "--password", "x" * 12], "Invalid value"),
    ],
)
def test_create_officer_rejects_bad_input(app, runner, extra, message):
    result = runner.invoke(
        args=["create-officer", "--email", "e@council.test", "--name", "E", *extra]
    )
    assert result.exit_code != 0
    assert message in result.output
    assert _officers(app) == []


def _token_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(ServiceToken.id)))


def test_create_token_prints_a_raw_token_that_authenticates(app, runner, client):
    result = runner.invoke(args=["create-token", "bot"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip()
    assert raw.startswith("cct_")
    with app.app_context():
        stored = db.session.scalar(select(ServiceToken))
        assert stored.name == "bot"
        assert stored.token_hash != raw
    # The bot's default scopes: it is known (not 401) but may not read the queue (403).
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 403


def test_create_token_if_missing_without_a_file_makes_one_only(app, runner):
    assert runner.invoke(args=["create-token", "bot", "--if-missing"]).exit_code == 0
    again = runner.invoke(args=["create-token", "bot", "--if-missing"])
    assert again.exit_code == 0
    assert again.stdout == ""
    assert _token_count(app) == 1


def test_create_token_writes_an_owner_only_file_and_reuses_it(app, runner, tmp_path, client):
    path = tmp_path / "run" / "bot.token"
    args = ["create-token", "bot", "--if-missing", "--token-file", str(path)]
    assert runner.invoke(args=args).exit_code == 0
    raw = path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert raw not in runner.invoke(args=args).output
    assert path.read_text().strip() == raw
    assert _token_count(app) == 1
    assert (
        client.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"}).status_code == 403
    )


def test_create_token_with_a_scope_gives_only_that_scope(app, runner, client):
    result = runner.invoke(args=["create-token", "reports", "--scope", "cases:read"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip()
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "scope-key-01"}
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    assert client.post("/api/v1/cases", json={}, headers=headers).status_code == 403


def test_create_token_refuses_an_unknown_scope(runner):
    result = runner.invoke(args=["create-token", "x", "--scope", "cases:delete"])
    assert result.exit_code != 0


def test_create_token_for_an_officer_acts_as_them(app, runner, client, auth):
    auth.officer(role="manager")
    result = runner.invoke(args=["create-token", "olive", "--officer", "officer@council.test"])
    assert result.exit_code == 0, result.output
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {result.stdout.strip()}"})
    assert me.get_json()["officer"]["role"] == "manager"


def test_create_token_replaces_a_file_whose_token_is_no_longer_valid(app, runner, tmp_path):
    path = tmp_path / "bot.token"
    path.write_text("cct_stale\n")
    result = runner.invoke(args=["create-token", "bot", "--if-missing", "--token-file", str(path)])
    assert result.exit_code == 0, result.output
    raw = path.read_text().strip()
    assert raw != "cct_stale"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with app.app_context():
        assert db.session.scalar(select(ServiceToken)).token_hash == ServiceToken.hash(raw)
