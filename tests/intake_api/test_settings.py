"""Configuration: `intake_api/config.py`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import Flask

from intake_api.config import load_config, normalise_database_url


@pytest.fixture
def bare_app(tmp_path) -> Flask:
    return Flask("intake_api", instance_path=str(tmp_path / "instance"))


def test_defaults_use_sqlite_in_the_instance_folder_and_a_stored_secret(bare_app, monkeypatch):
    for name in ("DATABASE_URL", "RASA_URL", "INTAKE_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    load_config(bare_app)
    instance = bare_app.instance_path
    assert bare_app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/intake.db"
    assert bare_app.config["RASA_URL"] == "http://localhost:5005"
    key_file = Path(instance) / "secret_key"
    assert key_file.read_text().strip() == bare_app.config["SECRET_KEY"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_the_stored_secret_is_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("INTAKE_SECRET_KEY", raising=False)
    first = Flask("intake_api", instance_path=str(tmp_path))
    second = Flask("intake_api", instance_path=str(tmp_path))
    load_config(first)
    load_config(second)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_the_environment_overrides_the_defaults(bare_app, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db.example/intake")
    monkeypatch.setenv("RASA_URL", "http://rasa:5005")
    monkeypatch.setenv("INTAKE_SECRET_KEY", "from-env")
    monkeypatch.setenv("INTAKE_COUNCIL_NAME", "Exampleshire County Council")
    load_config(bare_app)
    config = bare_app.config
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.example/intake"
    assert config["RASA_URL"] == "http://rasa:5005"
    assert config["SECRET_KEY"] == "from-env"
    assert config["COUNCIL_NAME"] == "Exampleshire County Council"
    assert not Path(bare_app.instance_path).exists()


def test_a_test_config_replaces_the_environment(bare_app, monkeypatch):
    monkeypatch.setenv("INTAKE_SECRET_KEY", "from-env")
    load_config(bare_app, {"SECRET_KEY": "from-test", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert bare_app.config["SECRET_KEY"] == "from-test"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_the_corporate_timescales_and_retention_come_from_the_environment(bare_app, monkeypatch):
    monkeypatch.setenv("INTAKE_CORPORATE_ACKNOWLEDGE_DAYS", "3")
    monkeypatch.setenv("INTAKE_CORPORATE_STAGE_1_DAYS", "15")
    monkeypatch.setenv("INTAKE_RETENTION_DAYS", "365")
    load_config(bare_app)
    assert bare_app.config["CORPORATE_ACKNOWLEDGE_DAYS"] == 3
    assert bare_app.config["CORPORATE_STAGE_1_DAYS"] == 15
    assert bare_app.config["CORPORATE_STAGE_2_DAYS"] == 20
    assert bare_app.config["RETENTION_DAYS"] == 365


def test_the_corporate_defaults_are_acknowledge_5_stage_1_10_stage_2_20(bare_app):
    load_config(bare_app, {})
    config = bare_app.config
    assert (
        config["CORPORATE_ACKNOWLEDGE_DAYS"],
        config["CORPORATE_STAGE_1_DAYS"],
        config["CORPORATE_STAGE_2_DAYS"],
    ) == (5, 10, 20)
