"""Confirming and sending a complaint (or a compliment) to the intake API."""

from __future__ import annotations

import enum
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.answers import (
    AGE_BANDS,
    COMPLAINANT_DETAIL,
    NONE_GIVEN,
    new_submission_key,
    start_afresh,
)
from bot.actions.intake_client import IntakeClient, IntakeRejected, IntakeUnavailable
from bot.actions.outbox import Outbox, deliver_pending

logger = logging.getLogger(__name__)

CHANNEL = "web_chat"
# Entries tried opportunistically at the start of each submission, so a person is not kept
# waiting behind a long backlog (the `deliver` command handles the rest).
OPPORTUNISTIC_DELIVERY_LIMIT = 5


def _given(value: Any) -> str | None:
    """A free-text answer, or None when the person skipped it."""
    if value is None:
        return None
    text = str(value).strip()
    return None if not text or text == NONE_GIVEN else text


def complainant_payload(tracker: Tracker) -> dict[str, Any]:
    """The `complainant` object: who they are, and how (or whether) to reply."""
    anonymous = bool(tracker.get_slot("anonymous"))
    complainant_type = tracker.get_slot("complainant_type") or "other"
    complainant: dict[str, Any] = {"type": complainant_type, "anonymous": anonymous}
    if not anonymous:
        for field, slot in (("email", "contact_email"), ("phone", "contact_phone")):
            value = tracker.get_slot(slot)
            if value:
                complainant[field] = value
    contact_via = tracker.get_slot("contact_via")
    if contact_via:
        complainant["contact_via"] = contact_via
    detail = _given(tracker.get_slot("carer_role"))
    if detail:
        complainant["detail"] = detail[:64]
    elif complainant_type in COMPLAINANT_DETAIL:
        complainant["detail"] = COMPLAINANT_DETAIL[complainant_type]
    if complainant_type == "advocate":
        organisation = _given(tracker.get_slot("advocate_organisation"))
        if organisation:
            complainant["organisation"] = organisation[:200]
        complainant["consent"] = tracker.get_slot("child_consent") is True
    return complainant


def complainant_without_consent_check(complainant: dict[str, Any]) -> dict[str, Any]:
    """The complainant for a case that is not the child's complaint: an alert or a compliment.

    The intake API takes a case from an advocate only with the child's agreement
    (`complainant.consent`). An urgent alert or a compliment is not made for the child, so an
    advocate without that agreement yet is sent as `other` (detail `advocate`): otherwise the
    API refuses it and the alert is lost.
    """
    if complainant.get("type") != "advocate" or complainant.get("consent") is True:
        return complainant
    changed = {field: value for field, value in complainant.items() if field != "consent"}
    changed.update(type="other", detail="advocate")
    return changed


def build_case_payload(tracker: Tracker) -> dict[str, Any]:
    """The `POST /api/v1/cases` body from the form's answers (see docs/interfaces.md)."""
    payload: dict[str, Any] = {
        "channel": CHANNEL,
        "conversation_id": tracker.sender_id,
        "description": (tracker.get_slot("description") or "").strip(),
        "complainant": complainant_payload(tracker),
    }
    age_band = tracker.get_slot("age_band")
    if age_band in AGE_BANDS:
        payload["child"] = {"age_band": age_band}
    when = _given(tracker.get_slot("when"))
    if when:
        payload["when"] = {"text": when[:200]}
        if tracker.get_slot("when_date"):
            payload["when"]["date"] = tracker.get_slot("when_date")
        over = tracker.get_slot("when_over_12_months")
        if over is not None:
            payload["when"]["over_12_months"] = bool(over)
    outcome = _given(tracker.get_slot("desired_outcome"))
    if outcome:
        payload["desired_outcome"] = outcome[:2000]
    service = _given(tracker.get_slot("service_worker"))
    if service:
        payload["service_mentioned"] = service[:500]
    if tracker.get_slot("complainant_type") == "child":
        offer = tracker.get_slot("advocate_offer")
        payload["advocacy"] = {
            "offered": True,
            "accepted": {"yes": True, "no": False}.get(offer or ""),
        }
    if tracker.get_slot("safeguarding_disclosed"):
        payload["safeguarding_disclosed"] = True
    if tracker.get_slot("handoff_requested"):
        payload["handoff_requested"] = True
    related = tracker.get_slot("alert_reference")
    if related:
        payload["related_reference"] = related
    return payload


class Delivery(enum.Enum):
    """What became of a case we tried to send."""

    SENT = "sent"  # the API has it
    SAVED = "saved"  # in the outbox; delivered when the API is back
    FAILED = "failed"  # neither: the person must be told


@dataclass(frozen=True)
class SendResult:
    """The outcome of `send_case`."""

    delivery: Delivery
    reference: str | None = None
    status_secret: str | None = None
    #: True when the API refused the request itself (a 4xx other than 401/403): only then
    #: may a new idempotency key be used, as the API certainly made no case with the old one.
    rejected: bool = False


def send_case(payload: dict[str, Any], key: str) -> SendResult:
    """Send one case with its idempotency key; keep it in the outbox if the API is down.

    A 4xx answer other than an auth problem means the request itself is wrong: it is not
    kept (sending it again would fail the same way) and the result is FAILED.
    """
    client = IntakeClient.from_env()
    outbox = Outbox.from_env()
    _deliver_backlog(outbox)
    try:
        created = client.create_case(payload, key)
    except IntakeRejected as exc:
        if not exc.is_auth_error:
            logger.error("intake API rejected case %s: %s", key, exc)
            return SendResult(Delivery.FAILED, rejected=True)
        logger.error("intake API refused our token (%s); saving %s to the outbox", exc, key)
        return _save_for_later(outbox, key, payload)
    except IntakeUnavailable as exc:
        logger.warning("intake API unavailable (%s); saving %s to the outbox", exc, key)
        return _save_for_later(outbox, key, payload)
    secret = created.case.get("status_secret")
    return SendResult(Delivery.SENT, created.reference, str(secret) if secret else None)


def _save_for_later(outbox: Outbox, key: str, payload: dict[str, Any]) -> SendResult:
    try:
        outbox.add(key, payload)
    except Exception:  # the disk is the last resort: the caller says so honestly
        logger.exception("could not save case %s to the outbox", key)
        return SendResult(Delivery.FAILED)
    return SendResult(Delivery.SAVED)


def _next_steps(dispatcher: CollectingDispatcher, anonymous: bool) -> None:
    dispatcher.utter_message(
        response="utter_next_steps_anonymous" if anonymous else "utter_next_steps"
    )


class ActionSubmitComplaint(Action):
    """Sends the confirmed complaint; saves it in the outbox if the API is down."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_submit_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the complaint and tell the person, in plain words, what happened."""
        events: list[EventType] = []
        key = tracker.get_slot("submission_key")
        if not key:
            key = new_submission_key()
            events.append(SlotSet("submission_key", key))
        payload = build_case_payload(tracker)
        anonymous = payload["complainant"]["anonymous"]
        result = send_case(payload, key)
        if result.delivery is Delivery.FAILED:
            dispatcher.utter_message(response="utter_complaint_not_sent")
            if result.rejected:
                # Keep the answers; a new key lets a corrected complaint be sent.
                return [*events, SlotSet("submission_key", None)]
            # Not reached, or not saved: the API may still have made the case, so a retry
            # must use the same key or it could make a second one.
            return [*events, SlotSet("submission_key", key)]
        if result.delivery is Delivery.SAVED:
            dispatcher.utter_message(response="utter_complaint_saved")
            _next_steps(dispatcher, anonymous)
            return start_afresh(None)
        dispatcher.utter_message(response="utter_complaint_sent", case_reference=result.reference)
        if result.status_secret:
            dispatcher.utter_message(
                response="utter_status_secret", status_secret=result.status_secret
            )
        _next_steps(dispatcher, anonymous)
        return start_afresh(result.reference)


class ActionSubmitCompliment(Action):
    """Sends a compliment (councils count and report them too)."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_submit_compliment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the compliment anonymously and thank the person."""
        text = (tracker.get_slot("compliment_text") or "").strip()
        # The same words from the same conversation are one compliment, however often sent.
        key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"compliment:{tracker.sender_id}:{text}"))
        payload = {
            "channel": CHANNEL,
            "conversation_id": tracker.sender_id,
            "kind": "compliment",
            "description": text,
            "complainant": complainant_without_consent_check(
                {"type": tracker.get_slot("complainant_type") or "other", "anonymous": True}
            ),
        }
        result = send_case(payload, key)
        if result.delivery is Delivery.FAILED:
            dispatcher.utter_message(response="utter_compliment_not_sent")
            return []
        dispatcher.utter_message(response="utter_compliment_sent")
        return [SlotSet("compliment_text", None)]


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
