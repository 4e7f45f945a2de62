"""When someone tells the assistant a child is in danger.

At any point, in or out of the form: help first (999, Childline, the council's emergency
duty team), an honest sentence that this will be passed on to keep them safe, and an
urgent case for the council at once, flagged so officers see it before anything else.
The person can then carry on with their complaint; if they do, it is linked to that case.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.council import CouncilContacts
from bot.actions.submission import (
    CHANNEL,
    Delivery,
    complainant_payload,
    complainant_without_consent_check,
    send_case,
)

logger = logging.getLogger(__name__)

ALERT_PREFIX = "Urgent: the person told the chat helper this (safeguarding):"


def alert_key(tracker: Tracker, text: str) -> str:
    """One idempotency key per disclosure: a retried action never makes a second case."""
    stamp = ""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            stamp = str(event.get("timestamp") or "")
            break
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"alert:{tracker.sender_id}:{stamp}:{text}"))


def alert_payload(tracker: Tracker, text: str) -> dict[str, Any]:
    """The urgent case: the words said, with what we already know of the person."""
    description = f"{ALERT_PREFIX}\n{text.strip()}"
    told_before = (tracker.get_slot("description") or "").strip()
    if told_before and told_before not in text:
        description += f"\n\nWhat they said before this:\n{told_before}"
    payload: dict[str, Any] = {
        "channel": CHANNEL,
        "conversation_id": tracker.sender_id,
        "description": description[:20000],
        "complainant": complainant_without_consent_check(complainant_payload(tracker)),
        "safeguarding_disclosed": True,
    }
    if tracker.get_slot("alert_reference"):
        payload["related_reference"] = tracker.get_slot("alert_reference")
    return payload


def respond_to_danger(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> dict[str, Any]:
    """Give help, say honestly what happens next, and raise an urgent case.

    Returns the slots to set: the conversation's safeguarding flag and, once the case is
    made, its reference (a later complaint is linked to it).
    """
    contacts = CouncilContacts.from_env()
    dispatcher.utter_message(
        response="utter_get_help_now",
        emergency_team=contacts.emergency_team,
        emergency_phone=contacts.emergency_phone,
    )
    dispatcher.utter_message(response="utter_will_pass_on")
    slots: dict[str, Any] = {"safeguarding_disclosed": True}
    try:
        result = send_case(alert_payload(tracker, text), alert_key(tracker, text))
    except Exception:  # help has been given; never let the alert break the conversation
        logger.exception("could not raise the urgent safeguarding case")
        dispatcher.utter_message(response="utter_please_call_now")
        return slots
    if result.delivery is Delivery.FAILED:
        logger.error("urgent safeguarding case for %s was not sent", tracker.sender_id)
        dispatcher.utter_message(response="utter_please_call_now")
    elif result.delivery is Delivery.SAVED:
        # Honest: it is kept and will go as soon as the system is back, not "today".
        dispatcher.utter_message(response="utter_will_pass_on_soon")
    else:
        dispatcher.utter_message(response="utter_passed_on")
        if result.reference:
            slots["alert_reference"] = result.reference
    return slots


def words_said(tracker: Tracker) -> str:
    """The person's own last words: a button ("/disclose_danger", tapped after "Did you
    mean ...?") stands for the message they typed before it, which the urgent case needs."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            text = (event.get("text") or "").strip()
            if text and not text.startswith("/"):
                return text
    return ((tracker.latest_message or {}).get("text") or "").strip()


class ActionRespondToDanger(Action):
    """Runs `respond_to_danger` on the person's last message."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_respond_to_danger"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Help first, then the urgent case; the rules then go back to any form."""
        slots = respond_to_danger(dispatcher, tracker, words_said(tracker))
        return [SlotSet(name, value) for name, value in slots.items()]
