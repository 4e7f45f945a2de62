"""Fixtures for the intake API: app → client, runner, auth; one database per test session.

The suite runs on SQLite by default. With TEST_DATABASE_URL set (a PostgreSQL server), it
makes a fresh, uniquely named database there, builds it with the Alembic migrations,
and drops it at the end. Tables are emptied after each test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from intake_api import create_app
from intake_api.cli import upgrade_database
from intake_api.config import normalise_database_url
from intake_api.models import db
from intake_api.services import officers as officer_service
from intake_api.services import tokens as token_service

OFFICER_PASSWORD = "correct horse battery staple"


@dataclass
class FakeResult:
    """Stands in for `triage.types.TriageResult`."""

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.data)


@dataclass
class FakeTriager:
    """Predicts from keywords, and remembers what it was asked."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    error: Exception | None = None

    def predict(self, text: str, complainant: str = "other") -> FakeResult:
        self.calls.append((text, complainant))
        if self.error is not None:
            raise self.error
        unsafe = "hurt" in text.lower()
        return FakeResult(
            {
                "route": "statutory",
                "causes": ["communication"],
                "service_area": "child_protection" if unsafe else "looked_after_children",
                "safeguarding": unsafe,
                "confidence": 0.91,
                "needs_review": "unsure" in text.lower(),
                "reasons": ["fake triager"],
                "model_version": "fake-1",
            }
        )


def _create_postgres_database(base_url: str) -> tuple[str, Any]:
    url = make_url(normalise_database_url(base_url))
    name = f"intake_test_{uuid.uuid4().hex[:12]}"
    admin = None
    for maintenance in (url.database, "postgres"):
        admin = create_engine(url.set(database=maintenance), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            break
        except OperationalError:
            admin.dispose()
            admin = None
    if admin is None:
        raise RuntimeError(f"Cannot create a test database on {url.render_as_string()}")
    return url.set(database=name).render_as_string(hide_password=False), (admin, name)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test session."""
    base = os.environ.get("TEST_DATABASE_URL")
    cleanup = None
    if base:
        url, cleanup = _create_postgres_database(base)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'intake.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    with app.app_context():
        upgrade_database()
        db.engine.dispose()
    yield url
    if cleanup is not None:
        admin, name = cleanup
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """Settings for a test app."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TRIAGER": FakeTriager(),
        "RASA_URL": "http://rasa.test:5005",
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Per-test overrides; a test may change this before asking for `app`."""
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict[str, Any]) -> Iterator[Flask]:
    """The app on the session's database, with a fake Triager; tables emptied afterwards."""
    app = create_app(make_config(database_url, **app_config))
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def triager(app: Flask) -> FakeTriager:
    """The fake Triager the app uses."""
    return app.config["TRIAGER"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class AuthActions:
    """Make tokens and officers, and sign in and out, as tests need."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self._app = app
        self._client = client

    def token(self, name: str = "bot") -> str:
        """A new raw service token."""
        with self._app.app_context():
            return token_service.create_token(name, actor="test").raw

    def headers(self, name: str = "bot", key: str | None = None) -> dict[str, str]:
        """Authorization (and optionally Idempotency-Key) headers."""
        headers = {"Authorization": f"Bearer {self.token(name)}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def officer(
        self,
        email: str = "officer@council.test",
        role: str = "officer",
        password: str = OFFICER_PASSWORD,
    ) -> int:
        """Make an officer and return their id."""
        with self._app.app_context():
            outcome = officer_service.create_officer(
                email, "Olive Officer", role, password, actor="test", if_missing=True
            )
            return outcome.officer.id

    def csrf(self) -> str:
        """The session's CSRF token (a page with a form makes one)."""
        for page in ("/officer/login", "/officer/"):
            self._client.get(page)
            with self._client.session_transaction() as session:
                if "csrf_token" in session:
                    return session["csrf_token"]
        raise AssertionError("No page made a CSRF token")

    def login(self, email: str = "officer@council.test", password: str = OFFICER_PASSWORD) -> Any:
        """Post the sign-in form."""
        return self._client.post(
            "/officer/login",
            data={"email": email, "password": password, "csrf_token": self.csrf()},
        )

    def logout(self) -> Any:
        """Post the sign-out form."""
        return self._client.post("/officer/logout", data={"csrf_token": self.csrf()})


@pytest.fixture
def auth(app: Flask, client: FlaskClient) -> AuthActions:
    return AuthActions(app, client)


def _complaint(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "web_chat",
        "conversation_id": "sender-1",
        "description": "My social worker has not called me back for three weeks.",
        "complainant": {"type": "child", "anonymous": False},
    }
    body.update(overrides)
    return body


@pytest.fixture
def complaint() -> Any:
    """Make a valid `POST /cases` body, with any fields overridden."""
    return _complaint


@pytest.fixture
def bot_headers(auth: AuthActions) -> dict[str, str]:
    """Headers carrying a fresh service token."""
    return auth.headers("bot")


@pytest.fixture
def post_case(client: FlaskClient, bot_headers: dict[str, str]) -> Any:
    """POST a complaint with the bot's token and a fresh (or given) Idempotency-Key."""

    def post(
        body: Any = None, key: str | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        sent = dict(bot_headers if headers is None else headers)
        sent.setdefault("Idempotency-Key", key or f"key-{uuid.uuid4()}")
        return client.post(
            "/api/v1/cases", json=_complaint() if body is None else body, headers=sent
        )

    return post
