"""The three real services an end-to-end test talks to, and a person's conversation.

`running_stack` starts them; the session fixture `stack` (tests/conftest.py) shares one
stack between the end-to-end and browser suites. Each service runs in its own process on a
free port with its own temporary database, so tests never touch a running `make run` or
its data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pytest
import requests
import yaml

from intake_api.models import TOKEN_SCOPES

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
RASA = ROOT / ".venv-bot" / "bin" / "rasa"
RASA_MODEL = ROOT / "models" / "rasa" / "assistant.tar.gz"
STARTUP_SECONDS = 300
# A pretend council website that embeds the chat (browser tests serve it with Playwright
# routing); Rasa allows it, and the intake API's own origin, as CORS origins. A `.localhost`
# name, because Chromium only lets a local (secure-context) page reach loopback services.
EMBED_HOST_ORIGIN = "http://council.localhost"


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Service:
    """A child process with its log file, stopped at the end of the session."""

    name: str
    args: list[str]
    env: dict[str, str]
    health_url: str
    log_path: Path
    process: subprocess.Popen | None = None
    log: BinaryIO | None = None

    def start(self) -> None:
        """Start the process, logging to its own file."""
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_until_healthy(self, seconds: float = STARTUP_SECONDS) -> None:
        """Poll the health URL until it answers 200, or fail with the log's tail."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                break
            try:
                if requests.get(self.health_url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        tail = self.log_path.read_text(errors="replace")[-4000:]
        pytest.fail(f"{self.name} did not start ({self.health_url}). Log tail:\n{tail}")

    def stop(self) -> None:
        """Stop the process, killing it if it does not stop within ten seconds."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.log is not None:
            self.log.close()
            self.log = None

    def restart(self, seconds: float = STARTUP_SECONDS) -> None:
        """Stop the process (SIGTERM, then wait) and start it again with the same command,
        port, environment and databases; return once it answers its health URL again."""
        self.stop()
        self.start()
        self.wait_until_healthy(seconds)


@dataclass
class Stack:
    """The three running services and what a test needs to talk to them (`token` is the
    tests' own, with every scope; the bot's is `env["INTAKE_API_TOKEN"]`)."""

    api_url: str
    rasa_url: str
    actions_url: str
    token: str
    database_url: str
    env: dict[str, str]
    services: dict[str, Service] = field(default_factory=dict)
    #: The Rasa server's SQLite tracker store.
    tracker_db: Path | None = None

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the intake API with the service token."""
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.api_url}{path}", headers=headers, timeout=30, **kwargs
        )

    def wait_for_triage(self, reference: str, seconds: float = 60) -> dict:
        """The case once the triage worker has triaged it."""
        deadline = time.monotonic() + seconds
        case = self.api("GET", f"/api/v1/cases/{reference}").json()
        while case["triage_status"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.5)
            case = self.api("GET", f"/api/v1/cases/{reference}").json()
        return case

    def conversation(self) -> Conversation:
        """Start a new conversation with a fresh sender id."""
        return Conversation(self.rasa_url, f"e2e-{uuid.uuid4()}")


@dataclass
class Conversation:
    """One person talking to the assistant over Rasa's REST channel."""

    rasa_url: str
    sender: str
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def say(self, message: str) -> list[dict]:
        """Send a message and return the assistant's replies."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": message},
            timeout=120,
        )
        response.raise_for_status()
        replies = response.json()
        self.transcript.append(("user", message))
        self.transcript.extend(("bot", r.get("text", "")) for r in replies)
        return replies

    def text(self, replies: list[dict]) -> str:
        """All reply texts joined, for assertions."""
        return "\n".join(r.get("text", "") for r in replies)

    def show(self) -> str:
        """The whole transcript, for failure messages."""
        return "\n".join(f"{who}: {text}" for who, text in self.transcript)

    def tracker(self) -> dict:
        """The conversation as the Rasa server keeps it (slots, events, active loop)."""
        response = requests.get(f"{self.rasa_url}/conversations/{self.sender}/tracker", timeout=30)
        response.raise_for_status()
        return response.json()

    def complain_as_young_person(self, description: str, contact: str) -> str:
        """Walk through the complaint form as a young person; return the last replies' text."""
        self.say("hi")
        return self.complain(
            "i want to make a complaint",
            {**YOUNG_PERSON_ANSWERS, "What happened?": description, "get back to you": contact},
            read_back=description[:30],
        )

    def complain(
        self, opening: str, answers: dict[str, str], *, read_back: str | None = None
    ) -> str:
        """Start a complaint and answer each question the assistant asks, until it is sent.

        `answers` maps words in a question to the answer to give, so the test does not
        depend on the order of the questions. Returns the replies to "yes, send it".
        """
        replies = self.say(opening)
        for _ in range(MAX_QUESTIONS):
            asked = self.text(replies)
            if "Shall I send it?" in asked:
                if read_back is not None:
                    assert read_back in asked, self.show()
                return self.text(self.say("/affirm"))
            question = asked.rsplit("\n", 1)[-1] if asked else ""
            answer = next((a for words, a in answers.items() if words in question), None)
            if answer is None:
                answer = next((a for words, a in answers.items() if words in asked), None)
            assert answer is not None, f"no answer for {question!r}\n{self.show()}"
            replies = self.say(answer)
        raise AssertionError(f"the complaint was never read back:\n{self.show()}")


#: Answers a young person gives, keyed by words in each question (see `complain`).
YOUNG_PERSON_ANSWERS: dict[str, str] = {
    "who are you": '/inform{"complainant_type": "child"}',
    "How old are you": "13 to 15",
    "What happened?": "My social worker never calls me back when I ring her",
    "Is there more": "no, that is all",
    "When did it happen": "last month",
    "team or a worker": "my social worker",
    "What would you like to happen": "a social worker who calls me back",
    "Would you like one?": "/deny",
    "get back to you": "I want to stay anonymous",
}
MAX_QUESTIONS = 20


REFERENCE = re.compile(r"\bCC-[A-Z0-9]{4}-[A-Z0-9]{4}\b")


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


@contextmanager
def running_stack(tmp: Path) -> Iterator[Stack]:
    """Start the intake API, action server and Rasa server, each on a free port, with
    their databases and logs in `tmp`; stop them on leaving.

    The chat page points at this Rasa, Rasa accepts the page's origin and
    `EMBED_HOST_ORIGIN` (CORS), and "Leave this site" goes to the API's /healthz.
    """
    if not RASA.exists() or not RASA_MODEL.exists():
        pytest.fail("The Rasa environment or model is missing: run `make setup train` first.")
    database_url = f"sqlite:///{tmp / 'intake.db'}"
    api_port, actions_port, rasa_port = free_port(), free_port(), free_port()
    api_url = f"http://127.0.0.1:{api_port}"
    actions_url = f"http://127.0.0.1:{actions_port}"
    rasa_url = f"http://127.0.0.1:{rasa_port}"

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INTAKE_SECRET_KEY": uuid.uuid4().hex,
        "INTAKE_TRIAGE_MODE": "worker",
        "RASA_URL": rasa_url,
        "INTAKE_QUICK_EXIT_URL": f"{api_url}/healthz",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "BOT_OUTBOX_PATH": str(tmp / "outbox.db"),
        "INTAKE_API_URL": api_url,
        "PYTHONUNBUFFERED": "1",
    }
    _flask(env, "db-upgrade")
    bot_token_file = tmp / "bot-token"
    _flask(env, "create-token", "e2e-bot", "--if-missing", "--token-file", str(bot_token_file))
    env["INTAKE_API_TOKEN"] = bot_token_file.read_text().strip()
    # The tests' own client may do everything a machine token can (the bot's cannot read).
    token_file = tmp / "test-token"
    scopes = [arg for scope in TOKEN_SCOPES for arg in ("--scope", scope)]
    _flask(env, "create-token", "e2e-tests", *scopes, "--token-file", str(token_file))
    token = token_file.read_text().strip()

    # Production's tracker store (bot/endpoints.yml), with its database in `tmp`.
    production = yaml.safe_load((ROOT / "bot" / "endpoints.yml").read_text(encoding="utf-8"))
    tracker_db = tmp / "tracker.db"
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        json.dumps(
            {
                "action_endpoint": {"url": f"{actions_url}/webhook"},
                "tracker_store": {**production["tracker_store"], "db": str(tracker_db)},
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
        "triage": Service(
            "triage worker",
            [sys.executable, "-m", "intake_api", "triage-worker", "--loop", "--interval", "0.2"],
            env,
            f"{api_url}/healthz",
            tmp / "triage-worker.log",
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
                "--cors",
                api_url,
                EMBED_HOST_ORIGIN,
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
        yield Stack(api_url, rasa_url, actions_url, token, database_url, env, services, tracker_db)
    finally:
        for service in services.values():
            service.stop()
        artefacts = os.environ.get("E2E_ARTEFACTS")
        if artefacts:
            shutil.copytree(tmp, Path(artefacts), dirs_exist_ok=True)
