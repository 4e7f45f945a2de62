"""Confirming and sending a complaint to the intake API."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.answers import forget_complaint
from bot.actions.intake_client import IntakeClient, IntakeRejected, IntakeUnavailable
from bot.actions.outbox import Outbox, deliver_pending

logger = logging.getLogger(__name__)

CHANNEL = "web_chat"
# Entries tried opportunistically at the start of each submission, so a person is not kept
# waiting behind a long backlog (the `deliver` command handles the rest).
OPPORTUNISTIC_DELIVERY_LIMIT = 5


def new_submission_key() -> str:
    """A fresh idempotency key for one complaint."""
    return str(uuid.uuid4())


def build_case_payload(tracker: Tracker) -> dict[str, Any]:
    """The `POST /api/v1/cases` body from the form's answers (see docs/interfaces.md)."""
    anonymous = bool(tracker.get_slot("anonymous"))
    complainant: dict[str, Any] = {
        "type": tracker.get_slot("complainant_type") or "other",
        "anonymous": anonymous,
    }
    if not anonymous:
        for field, slot in (("email", "contact_email"), ("phone", "contact_phone")):
            value = tracker.get_slot(slot)
            if value:
                complainant[field] = value
    return {
        "channel": CHANNEL,
        "conversation_id": tracker.sender_id,
        "description": (tracker.get_slot("description") or "").strip(),
        "complainant": complainant,
    }


def _next_steps(dispatcher: CollectingDispatcher, anonymous: bool) -> None:
    dispatcher.utter_message(
        response="utter_next_steps_anonymous" if anonymous else "utter_next_steps"
    )


class ActionConfirmComplaint(Action):
    """Makes the complaint's idempotency key once, when the person says "yes, send it"."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_confirm_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Set `submission_key` unless this complaint already has one."""
        if tracker.get_slot("submission_key"):
            return []
        return [SlotSet("submission_key", new_submission_key())]


class ActionSubmitComplaint(Action):
    """Sends the confirmed complaint; saves it in the outbox if the API is down."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_submit_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the complaint and tell the person, in plain words, what happened."""
        client = IntakeClient.from_env()
        outbox = Outbox.from_env()
        _deliver_backlog(outbox)

        events: list[EventType] = []
        key = tracker.get_slot("submission_key")
        if not key:
            key = new_submission_key()
            events.append(SlotSet("submission_key", key))
        payload = build_case_payload(tracker)
        anonymous = payload["complainant"]["anonymous"]

        try:
            created = client.create_case(payload, key)
        except IntakeRejected as exc:
            if not exc.is_auth_error:
                logger.error("intake API rejected complaint %s: %s", key, exc)
                dispatcher.utter_message(response="utter_complaint_not_sent")
                # Keep the answers; a new key lets a corrected complaint be sent.
                return [*events, SlotSet("submission_key", None)]
            logger.error("intake API refused our token (%s); saving %s to the outbox", exc, key)
            return events + self._save_for_later(dispatcher, outbox, key, payload, anonymous)
        except IntakeUnavailable as exc:
            logger.warning("intake API unavailable (%s); saving %s to the outbox", exc, key)
            return events + self._save_for_later(dispatcher, outbox, key, payload, anonymous)

        dispatcher.utter_message(response="utter_complaint_sent", case_reference=created.reference)
        _next_steps(dispatcher, anonymous)
        return [*events, *forget_complaint(), SlotSet("case_reference", created.reference)]

    @staticmethod
    def _save_for_later(
        dispatcher: CollectingDispatcher,
        outbox: Outbox,
        key: str,
        payload: dict[str, Any],
        anonymous: bool,
    ) -> list[EventType]:
        try:
            outbox.add(key, payload)
        except Exception:  # the disk is the last resort: say so honestly
            logger.exception("could not save complaint %s to the outbox", key)
            dispatcher.utter_message(response="utter_complaint_not_sent")
            return [SlotSet("submission_key", key)]
        dispatcher.utter_message(response="utter_complaint_saved")
        _next_steps(dispatcher, anonymous)
        return [*forget_complaint(), SlotSet("case_reference", None)]


def _deliver_backlog(outbox: Outbox) -> None:
    """Try a few saved complaints quickly (one attempt each); never fail the action."""
    try:
        if not outbox.pending(limit=1):
            return
        report = deliver_pending(
            outbox,
            IntakeClient.from_env(max_attempts=1),
            limit=OPPORTUNISTIC_DELIVERY_LIMIT,
        )
        logger.info("outbox before submission: %s", report)
    except Exception:
        logger.exception("opportunistic outbox delivery failed")
