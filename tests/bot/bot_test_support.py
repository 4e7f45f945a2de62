"""Helpers for the bot's action tests: trackers, form events and a fake intake API session.

Named uniquely (not `conftest`) so tests can import it whatever else is on sys.path.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import requests
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

#: A child's answers to every question of the complaint form, as the validators leave them.
ANSWERS: dict[str, Any] = {
    "complainant_type": "child",
    "age_band": "13_to_15",
    "description": "My social worker never comes to see me and does not call back.",
    "add_more": "none",
    "when": "since March",
    "when_date": "2025-03-01",
    "when_over_12_months": False,
    "service_worker": "my social worker",
    "desired_outcome": "I want a new social worker",
    "advocate_offer": "yes",
    "contact": "sam@example.com",
    "contact_email": "sam@example.com",
    "contact_phone": None,
    "contact_via": "direct",
    "anonymous": False,
}

#: The complaint form as domain.yml declares it (the validation action reads this).
FORM_DOMAIN: dict[str, Any] = {
    "forms": {
        "complaint_form": {
            "required_slots": [
                "complainant_type",
                "carer_role",
                "advocate_organisation",
                "child_consent",
                "age_band",
                "description",
                "add_more",
                "when",
                "service_worker",
                "desired_outcome",
                "advocate_offer",
                "contact",
            ]
        },
        "compliment_form": {"required_slots": ["compliment_text"]},
        "status_form": {"required_slots": ["check_reference", "check_secret"]},
    },
    "slots": {},
}


def make_tracker(
    slots: dict[str, Any] | None = None,
    *,
    sender_id: str = "conversation-1",
    text: str = "",
    intent: str | None = "inform",
    entities: list[dict[str, Any]] | None = None,
    intent_ranking: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    latest_action_name: str = "action_listen",
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A rasa_sdk Tracker holding the given slots and latest message."""
    message: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": list(entities or []),
    }
    if intent_ranking is not None:
        message["intent_ranking"] = intent_ranking
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message=message,
        events=list(events or []),
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=latest_action_name,
    )


def form_events(
    text: str,
    *actions_after: str,
    requested_slot: str = "description",
    form: str = "complaint_form",
    timestamp: float = 1_700_000_000.0,
) -> list[dict[str, Any]]:
    """Events as Rasa sends them to a form's validation action: the answer, then the form.

    `actions_after` are actions that ran between the message and the form (an interruption).
    """
    return [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "timestamp": timestamp},
        *({"event": "action", "name": name} for name in actions_after),
        {"event": "slot", "name": "requested_slot", "value": requested_slot},
        {"event": "action", "name": form},
    ]


def answer_tracker(
    slot: str,
    text: str,
    intent: str | None = "inform",
    slots: dict[str, Any] | None = None,
    *,
    entities: list[dict[str, Any]] | None = None,
    interrupted_by: tuple[str, ...] = (),
    form: str = "complaint_form",
    timestamp: float = 1_700_000_000.0,
) -> Tracker:
    """A tracker in which the person has just answered the form's question for `slot`."""
    return make_tracker(
        {**(slots or {}), "requested_slot": slot},
        text=text,
        intent=intent,
        entities=entities,
        active_loop=form,
        latest_action_name=form,
        events=form_events(
            text, *interrupted_by, requested_slot=slot, form=form, timestamp=timestamp
        ),
    )


def run_action(
    action: Action, tracker: Tracker, domain: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    """Run an action to completion; return its events and what it said."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or FORM_DOMAIN))
    return events, dispatcher


def run_extractor(
    action: Action, slot: str, tracker: Tracker
) -> tuple[dict[str, Any], CollectingDispatcher]:
    """Call `action.extract_<slot>`; return what it extracted and what it said."""
    dispatcher = CollectingDispatcher()
    extract = getattr(action, f"extract_{slot}")
    return asyncio.run(extract(dispatcher, tracker, FORM_DOMAIN)), dispatcher


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The last value each SlotSet event gives, by slot name."""
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def response_names(dispatcher: CollectingDispatcher) -> list[str | None]:
    """The response names the dispatcher was asked to send, in order."""
    return [message["response"] for message in dispatcher.messages]


def sent(dispatcher: CollectingDispatcher, response: str) -> dict[str, Any]:
    """The one message sent with `response` (its template variables included)."""
    (message,) = [m for m in dispatcher.messages if m["response"] == response]
    return message


def json_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> requests.Response:
    """A real requests.Response with a JSON body."""
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    response.headers.update(headers or {})
    return response


def case_body(reference: str = "CC-K3M9-7QXT", status_secret: str | None = None) -> dict[str, Any]:
    """A case as the intake API returns it (the secret only on the first 201)."""
    body: dict[str, Any] = {"reference": reference, "status": "new", "triage": None}
    if status_secret:
        body["status_secret"] = status_secret
    return body


def error_body(status: int, code: str, message: str = "Not accepted.") -> dict[str, Any]:
    """An intake API error."""
    return {"error": {"status": status, "code": code, "message": message}}


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

    @property
    def payloads(self) -> list[dict[str, Any]]:
        """The JSON body of every call, in order."""
        return [call["json"] for call in self.calls]
