"""The three real services an end-to-end test talks to, and a person's conversation."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
RASA = ROOT / ".venv-bot" / "bin" / "rasa"
RASA_MODEL = ROOT / "models" / "rasa" / "assistant.tar.gz"
STARTUP_SECONDS = 300


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


@dataclass
class Stack:
    """The three running services and what a test needs to talk to them."""

    api_url: str
    rasa_url: str
    actions_url: str
    token: str
    database_url: str
    env: dict[str, str]
    services: dict[str, Service] = field(default_factory=dict)

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the intake API with the service token."""
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.api_url}{path}", headers=headers, timeout=30, **kwargs
        )

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
