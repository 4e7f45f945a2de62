"""Start the real intake API, action server and Rasa server for end-to-end tests.

Each service runs in its own process on a free port with its own temporary database,
so the suite never touches a running `make run` or its data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .stack import RASA, RASA_MODEL, ROOT, VENV_BIN, Service, Stack, free_port


def _flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "intake_api", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The intake API, action server and Rasa server, each on a free port."""
    if not RASA.exists() or not RASA_MODEL.exists():
        pytest.fail("The Rasa environment or model is missing: run `make setup train` first.")
    tmp = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite:///{tmp / 'intake.db'}"
    api_port, actions_port, rasa_port = free_port(), free_port(), free_port()
    api_url = f"http://127.0.0.1:{api_port}"
    actions_url = f"http://127.0.0.1:{actions_port}"
    rasa_url = f"http://127.0.0.1:{rasa_port}"

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INTAKE_SECRET_KEY": uuid.uuid4().hex,
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "BOT_OUTBOX_PATH": str(tmp / "outbox.db"),
        "INTAKE_API_URL": api_url,
        "PYTHONUNBUFFERED": "1",
    }
    _flask(env, "db-upgrade")
    token_file = tmp / "bot-token"
    _flask(env, "create-token", "e2e-bot", "--if-missing", "--token-file", str(token_file))
    token = token_file.read_text().strip()
    env["INTAKE_API_TOKEN"] = token

    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        json.dumps(
            {
                "action_endpoint": {"url": f"{actions_url}/webhook"},
                "tracker_store": {
                    "type": "SQL",
                    "dialect": "sqlite",
                    "db": str(tmp / "tracker.db"),
                },
            }
        )
    )

    services = {
        "api": Service(
            "intake API",
            [
                str(VENV_BIN / "gunicorn"),
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{api_port}",
                "intake_api:create_app()",
            ],
            env,
            f"{api_url}/healthz",
            tmp / "api.log",
        ),
        "actions": Service(
            "action server",
            [sys.executable, "-m", "rasa_sdk", "--actions", "bot.actions", "-p", str(actions_port)],
            env,
            f"{actions_url}/health",
            tmp / "actions.log",
        ),
        "rasa": Service(
            "Rasa server",
            [
                str(RASA),
                "run",
                "--enable-api",
                "-m",
                str(RASA_MODEL),
                "-p",
                str(rasa_port),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "bot" / "credentials.yml"),
            ],
            env,
            f"{rasa_url}/status",
            tmp / "rasa.log",
        ),
    }
    try:
        for service in services.values():
            service.start()
        for service in services.values():
            service.wait_until_healthy()
        yield Stack(api_url, rasa_url, actions_url, token, database_url, env, services)
    finally:
        for service in services.values():
            service.stop()
        artefacts = os.environ.get("E2E_ARTEFACTS")
        if artefacts:
            shutil.copytree(tmp, Path(artefacts), dirs_exist_ok=True)
