"""Helpers for the bot's action tests: trackers and a fake intake API session.

Named uniquely (not `conftest`) so tests can import it whatever else is on sys.path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import requests
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ANSWERS: dict[str, Any] = {
    "complainant_type": "child",
    "description": "My social worker never comes to see me and does not call back.",
    "contact": "sam@example.com",
    "contact_email": "sam@example.com",
    "contact_phone": None,
    "anonymous": False,
}


def make_tracker(
    slots: dict[str, Any] | None = None,
    *,
    sender_id: str = "conversation-1",
    text: str = "",
    intent: str = "inform",
    active_loop: str | None = None,
    latest_action_name: str = "action_listen",
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A rasa_sdk Tracker holding the given slots and latest message."""
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": [],
        },
        events=list(events or []),
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=latest_action_name,
    )


def response_names(dispatcher: CollectingDispatcher) -> list[str]:
    """The response names the dispatcher was asked to send, in order."""
    return [message["response"] for message in dispatcher.messages]


def json_response(status: int, body: dict[str, Any]) -> requests.Response:
    """A real requests.Response with a JSON body."""
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


def case_body(reference: str = "CC-K3M9-7QXT") -> dict[str, Any]:
    """A case as the intake API returns it."""
    return {"reference": reference, "status": "new", "triage": None}


@dataclass
class FakeIntakeSession:
    """Stands in for requests.Session: replays scripted outcomes and records each call.

    Each outcome is a Response or an exception to raise. The last outcome repeats.
    With `idempotent=True` it behaves like the API: one case per key.
    """

    outcomes: list[requests.Response | Exception] = field(default_factory=list)
    idempotent: bool = False
    calls: list[dict[str, Any]] = field(default_factory=list)
    cases: dict[str, str] = field(default_factory=dict)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        """Record the call and return (or raise) the next outcome."""
        self.calls.append({"url": url, **kwargs})
        if self.idempotent and not self.outcomes:
            key = kwargs["headers"]["Idempotency-Key"]
            status = 200 if key in self.cases else 201
            reference = self.cases.setdefault(key, f"CC-{len(self.cases) + 1:04d}-TEST")
            return json_response(status, case_body(reference))
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    @property
    def keys(self) -> list[str]:
        """The idempotency key of every call, in order."""
        return [call["headers"]["Idempotency-Key"] for call in self.calls]
