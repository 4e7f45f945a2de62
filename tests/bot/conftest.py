"""Fixtures for the bot's action tests: a dispatcher, trackers and a fake intake API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from bot_test_support import ANSWERS, FakeIntakeSession, make_tracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.intake_client import IntakeClient


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """Collects what the actions say."""
    return CollectingDispatcher()


@pytest.fixture
def answered_tracker() -> Tracker:
    """A tracker whose complaint form is filled in and confirmed."""
    return make_tracker({**ANSWERS, "submission_key": "key-0001-abcd"})


@pytest.fixture
def outbox_path(tmp_path, monkeypatch) -> Any:
    """A fresh outbox file, also named by BOT_OUTBOX_PATH for the actions."""
    path = tmp_path / "outbox.db"
    monkeypatch.setenv("BOT_OUTBOX_PATH", str(path))
    return path


@pytest.fixture
def fake_api(monkeypatch) -> Callable[..., FakeIntakeSession]:
    """Make every IntakeClient.from_env() use one FakeIntakeSession (and never sleep)."""

    def install(*outcomes: requests.Response | Exception, idempotent: bool = False):
        session = FakeIntakeSession(list(outcomes), idempotent=idempotent)
        original = IntakeClient.from_env.__func__

        def from_env(cls, environ=None, **overrides):
            client = original(
                cls,
                {"INTAKE_API_URL": "http://intake.test", "INTAKE_API_TOKEN": "t0k3n"},
                **overrides,
            )
            client._session = session
            client._sleep = lambda seconds: None
            return client

        monkeypatch.setattr(IntakeClient, "from_env", classmethod(from_env))
        return session

    return install
