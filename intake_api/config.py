"""Configuration: defaults in a class, overrides from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, ClassVar

from flask import Flask


class Config:
    """Defaults for every environment; the environment and test config override them."""

    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    RASA_URL = "http://localhost:5005"
    COUNCIL_NAME = "the council"
    # Where the chat's "Leave this site" button goes: a neutral page.
    QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 60 * 60
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Failed sign-ins allowed per email address, and per client address, in the window.
    LOGIN_MAX_FAILURES_PER_EMAIL = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    API_MAX_PER_PAGE = 100
    API_DEFAULT_PER_PAGE = 50
    # The council's corporate procedure, in working days (the regulations do not set it).
    CORPORATE_ACKNOWLEDGE_DAYS = 5
    CORPORATE_STAGE_1_DAYS = 10
    CORPORATE_STAGE_2_DAYS = 20
    # The regulations set no acknowledgement time for statutory complaints; councils'
    # procedures commonly say 3 working days.
    STATUTORY_ACKNOWLEDGE_DAYS = 3
    # "Check my complaint" (POST /api/v1/status): attempts allowed per client address and
    # per reference in the window, counted from the audit log so every worker agrees.
    STATUS_MAX_PER_ADDRESS = 30
    STATUS_MAX_PER_REFERENCE = 10
    STATUS_WINDOW_SECONDS = 15 * 60
    # The bot asks for many children from one address: a token with `status:check` is
    # counted per token, with this limit (the per-reference limit still applies).
    STATUS_MAX_PER_TOKEN = 600
    # Closed cases are anonymised this long after closing (6 years, the usual retention
    # for complaint records that are not part of a child's social care file).
    RETENTION_DAYS = 6 * 365 + 2
    # A test or a deployment may inject an object with `predict(text, complainant=...)`.
    TRIAGER = None
    # Load the triage model in the background when the app starts (servers set this).
    TRIAGE_PRELOAD = False
    # inline: triage runs in the `POST /cases` request (no worker needed). worker: the
    # case is committed with triage pending and `python -m intake_api triage-worker`
    # triages it after, so intake is not held up by the model (issue #5).
    TRIAGE_MODE = "inline"
    # The worker: cases per transaction, seconds between polls, and how often a failing
    # case is tried before it is left for an officer to triage by hand.
    TRIAGE_BATCH = 20
    TRIAGE_POLL_SECONDS = 0.5
    TRIAGE_MAX_ATTEMPTS = 5


def load_config(app: Flask, test_config: dict | None = None) -> None:
    """Fill `app.config` from `Config`, then the environment (or `test_config`), then defaults.

    `DATABASE_URL` and `RASA_URL` are read unprefixed (the usual names); any other setting
    comes from `INTAKE_<NAME>`, e.g. `INTAKE_SECRET_KEY`, `INTAKE_COUNCIL_NAME`.
    """
    app.config.from_object(Config)
    if test_config is None:
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if os.environ.get("RASA_URL"):
            app.config["RASA_URL"] = os.environ["RASA_URL"]
        app.config.from_prefixed_env("INTAKE")
    else:
        app.config.from_mapping(test_config)

    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        uri = f"sqlite:///{Path(app.instance_path) / 'intake.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)

    if app.config.get("TRIAGE_MODE") not in ("inline", "worker"):
        raise ValueError("TRIAGE_MODE must be inline or worker.")

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at psycopg 3, the driver installed (SQLAlchemy's default
    for `postgresql://` is psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance_path: Path) -> str:
    """Read the secret key kept in `instance/secret_key`, making it (owner-only) if absent,
    so sessions survive restarts without a secret ever being written into git."""
    path = instance_path / "secret_key"
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key
