"""Fixtures for the bot's action tests: a dispatcher, trackers and a fake intake API.

No test here reaches a real intake API or writes outside its own temporary folder: every
test runs with the API "down" unless it installs its own outcomes with `fake_api`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from bot_test_support import ANSWERS, FakeIntakeSession, make_tracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.intake_client import IntakeClient

#: Settings the actions read from the environment, cleared so a developer's shell never leaks in.
_BOT_SETTINGS = (
    "INTAKE_API_URL",
    "INTAKE_API_TOKEN",
    "INTAKE_API_TIMEOUT",
    "BOT_OUTBOX_PATH",
    "BOT_EMERGENCY_TEAM",
    "BOT_EMERGENCY_PHONE",
    "BOT_COMPLAINTS_PHONE",
    "BOT_COMPLAINTS_EMAIL",
    "BOT_ADVOCACY_PHONE",
)

OFFLINE = requests.ConnectionError("unit tests never reach a real intake API")


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """Collects what the actions say."""
    return CollectingDispatcher()


@pytest.fixture
def answered_tracker() -> Tracker:
    """A tracker whose complaint form is filled in and confirmed."""
    return make_tracker({**ANSWERS, "submission_key": "key-0001-abcd"})


@pytest.fixture
def outbox_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh outbox file, also named by BOT_OUTBOX_PATH for the actions."""
    path = tmp_path / "outbox.db"
    monkeypatch.setenv("BOT_OUTBOX_PATH", str(path))
    return path


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeIntakeSession]:
    """Make every IntakeClient.from_env() use one FakeIntakeSession (and never sleep).

    The environment passed to `from_env` is still read, so its settings can be tested.
    """

    def install(
        *outcomes: requests.Response | Exception, idempotent: bool = False
    ) -> FakeIntakeSession:
        session = FakeIntakeSession(list(outcomes), idempotent=idempotent)
        original = IntakeClient.from_env.__func__  # type: ignore[attr-defined]

        def from_env(cls: type[IntakeClient], environ: Any = None, **overrides: Any) -> Any:
            client = original(cls, environ, **overrides)
            client._session = session
            client._sleep = lambda seconds: None
            return client

        monkeypatch.setattr(IntakeClient, "from_env", classmethod(from_env))
        return session

    return install


@pytest.fixture(autouse=True)
def offline_bot(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_api: Callable[..., FakeIntakeSession],
) -> FakeIntakeSession:
    """Every test: no developer settings, a private outbox, and an intake API that is down."""
    for name in _BOT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTAKE_API_URL", "http://intake.test")
    monkeypatch.setenv("INTAKE_API_TOKEN", "t0k3n")
    monkeypatch.setenv("BOT_OUTBOX_PATH", str(tmp_path / "default-outbox.db"))
    return fake_api(OFFLINE)
