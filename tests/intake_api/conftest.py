"""Fixtures for the intake API: app → client, runner, auth; one database per test session.

The suite runs on SQLite by default. With TEST_DATABASE_URL set (a PostgreSQL server), it
makes a fresh, uniquely named database there, builds it with the Alembic migrations,
and drops it at the end. Tables are emptied after each test.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

# tests/conftest.py puts tests/ on sys.path, where this folder (tests/intake_api, not a
# package) would be taken for the `intake_api` package; the repository root first wins.
_REPO_ROOT = str(Path(__file__).resolve().parents[2])
if sys.path[0] != _REPO_ROOT:
    sys.path.insert(0, _REPO_ROOT)
if getattr(sys.modules.get("intake_api"), "__file__", "") is None:
    del sys.modules["intake_api"]  # a namespace package made from tests/intake_api

from intake_api import create_app  # noqa: E402
from intake_api.cli import upgrade_database  # noqa: E402
from intake_api.config import normalise_database_url  # noqa: E402
from intake_api.models import Officer, db  # noqa: E402
from intake_api.services import officers as officer_service  # noqa: E402
from intake_api.services import tokens as token_service  # noqa: E402

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
    received: list[dt.date | None] = field(default_factory=list)
    error: Exception | None = None

    def predict(
        self, text: str, complainant: str = "other", *, received: dt.date | None = None
    ) -> FakeResult:
        self.calls.append((text, complainant))
        self.received.append(received)
        if self.error is not None:
            raise self.error
        unsafe = "hurt" in text.lower()
        route = "statutory"
        if "allowance" in text.lower():
            route = "corporate"
        elif "school" in text.lower():
            route = "outside_procedure"
        return FakeResult(
            {
                "route": route,
                "causes": ["finance"] if route == "corporate" else ["communication"],
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


@pytest.fixture
def postgres_database() -> Iterator[Any]:
    """Make fresh, empty PostgreSQL databases on TEST_DATABASE_URL (dropped afterwards)."""
    made = []

    def make() -> str:
        base = os.environ.get("TEST_DATABASE_URL")
        if not base:
            pytest.skip("Needs TEST_DATABASE_URL (PostgreSQL).")
        url, cleanup = _create_postgres_database(base)
        made.append(cleanup)
        return url

    yield make
    for admin, name in made:
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

    def token(
        self,
        name: str = "bot",
        scopes: tuple[str, ...] | None = None,
        officer_id: int | None = None,
    ) -> str:
        """A new raw service token (the bot's scopes unless told), or one for an officer."""
        with self._app.app_context():
            officer = db.session.get(Officer, officer_id) if officer_id is not None else None
            return token_service.create_token(
                name, actor="test", scopes=scopes, officer=officer
            ).raw

    def headers(
        self,
        name: str = "bot",
        key: str | None = None,
        scopes: tuple[str, ...] | None = None,
        officer_id: int | None = None,
    ) -> dict[str, str]:
        """Authorization (and optionally Idempotency-Key) headers."""
        headers = {"Authorization": f"Bearer {self.token(name, scopes, officer_id)}"}
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
def reader_headers(auth: AuthActions) -> dict[str, str]:
    """Headers carrying a token that may read cases (a reporting integration, say)."""
    return auth.headers("reader", scopes=("cases:read",))


@pytest.fixture
def officer_headers(auth: AuthActions) -> dict[str, str]:
    """Headers carrying a token issued to an officer (acts as them, no CSRF needed)."""
    return auth.headers("olive", officer_id=auth.officer())


@pytest.fixture
def manager_headers(auth: AuthActions) -> dict[str, str]:
    """Headers carrying a token issued to a manager."""
    return auth.headers("maggie", officer_id=auth.officer("manager@council.test", "manager"))


@pytest.fixture
def admin_headers(auth: AuthActions) -> dict[str, str]:
    """Headers carrying a token issued to an admin."""
    return auth.headers("ada", officer_id=auth.officer("admin@council.test", "admin"))


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


@pytest.fixture
def set_today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Fix the UK date the services see (and the time new cases are received)."""

    def set_day(day: dt.date) -> None:
        from intake_api.services import cases, stages

        monkeypatch.setattr(stages, "today", lambda: day)
        moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.timezone.utc)
        monkeypatch.setattr(cases, "utcnow", lambda: moment)

    return set_day


class CaseAPI:
    """Make cases and act on them as an officer, sending the current version."""

    def __init__(self, client: FlaskClient, post_case: Any, headers: dict[str, str]) -> None:
        self.client = client
        self.post_case = post_case
        self.headers = headers

    def new(self, description: str = "My social worker never calls me back.", **fields: Any) -> str:
        """Make a case (through the bot's token) and return its reference."""
        response = self.post_case(_complaint(description=description, **fields))
        assert response.status_code == 201, response.get_json()
        return response.get_json()["reference"]

    def get(self, reference: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        """The case in full, as the officer sees it."""
        response = self.client.get(f"/api/v1/cases/{reference}", headers=headers or self.headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def version(self, reference: str) -> str:
        """The case's current ETag."""
        return self.client.get(f"/api/v1/cases/{reference}", headers=self.headers).headers["ETag"]

    def act(
        self,
        reference: str,
        name: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        if_match: str | None = None,
    ) -> Any:
        """POST an action with If-Match set to the current version (unless given)."""
        sent = dict(headers or self.headers)
        sent["If-Match"] = if_match or self.version(reference)
        return self.client.post(
            f"/api/v1/cases/{reference}/actions/{name}", json=body or {}, headers=sent
        )

    def ok(self, reference: str, name: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """An action that must succeed; the case after it."""
        response = self.act(reference, name, body)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def patch(self, reference: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        """PATCH the case's details with the current version."""
        sent = dict(headers or self.headers)
        sent["If-Match"] = self.version(reference)
        return self.client.patch(f"/api/v1/cases/{reference}", json=body, headers=sent)


@pytest.fixture
def cases(client: FlaskClient, post_case: Any, officer_headers: dict[str, str]) -> CaseAPI:
    """Cases made by the bot and worked by an officer (through their token)."""
    return CaseAPI(client, post_case, officer_headers)
