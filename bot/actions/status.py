"""Checking on a complaint already made: its reference plus the secret given with it."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.actions.forms import answer_text, answered_just_now
from bot.actions.intake_client import IntakeClient, IntakeRejected, IntakeUnavailable

logger = logging.getLogger(__name__)

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_REFERENCE = re.compile(rf"\bCC[\s-]?([{_ALPHABET}]{{4}})[\s-]?([{_ALPHABET}]{{4}})\b", re.I)
_SECRET_CHARS = re.compile(r"[^A-Za-z0-9]")
#: A message that is nothing but a secret as we give it out ("ABCD-EFGH", "abcd efgh").
_SECRET_SHAPE = re.compile(rf"\s*[{_ALPHABET}]{{4}}[\s-]?[{_ALPHABET}]{{4}}\s*", re.I)
SECRET_MIN, SECRET_MAX = 6, 24


def find_reference(text: str | None) -> str | None:
    """A case reference typed any way ("cc k3m9 7qxt") as `CC-K3M9-7QXT`, or None."""
    match = _REFERENCE.search(text or "")
    if not match:
        return None
    first, second = (part.upper() for part in match.groups())
    if not all(ch in _ALPHABET for ch in first + second):
        return None
    return f"CC-{first}-{second}"


def clean_secret(text: str | None) -> str | None:
    """The secret as letters and digits only, or None when it cannot be one."""
    compact = _SECRET_CHARS.sub("", text or "").upper()
    return compact if SECRET_MIN <= len(compact) <= SECRET_MAX else None


def _answer_in_code(tracker: Tracker, text: str) -> str | None:
    """`text` as the answer to the question just asked, when it is only a code (a reference
    or a secret) that the intent classifier took for something else; None if the message
    was not an answer to this question, or was a button."""
    if not answered_just_now(tracker.events) or text.startswith("/"):
        return None
    return text.strip()


class ValidateStatusForm(FormValidationAction):
    """Checks the reference and secret before asking the intake API."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "validate_status_form"

    async def extract_check_reference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A reference in the message that started the check, or the answer to the question."""
        text = (tracker.latest_message or {}).get("text") or ""
        requested = tracker.get_slot("requested_slot")
        if requested is None and tracker.get_slot("check_reference") is None:
            reference = find_reference(text)
            return {"check_reference": reference} if reference else {}
        answer = answer_text(tracker, "check_reference")
        if answer is None and requested == "check_reference" and find_reference(text):
            # Just the number: whatever the classifier made of "cc k3m9 7qxt", it is the answer.
            answer = _answer_in_code(tracker, text)
        return {"check_reference": answer} if answer else {}

    async def extract_check_secret(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The secret, as typed."""
        answer = answer_text(tracker, "check_secret")
        text = (tracker.latest_message or {}).get("text") or ""
        asked = tracker.get_slot("requested_slot") == "check_secret"
        if answer is None and asked and _SECRET_SHAPE.fullmatch(text):
            # Random letters ("mfhp tzz3") can look like anything to the classifier.
            answer = _answer_in_code(tracker, text)
        return {"check_secret": answer} if answer else {}

    def validate_check_reference(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """A reference like CC-K3M9-7QXT."""
        reference = find_reference(str(slot_value or ""))
        if reference is None:
            dispatcher.utter_message(response="utter_invalid_reference")
        return {"check_reference": reference}

    def validate_check_secret(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """The secret word: letters and numbers."""
        secret = clean_secret(str(slot_value or ""))
        if secret is None:
            dispatcher.utter_message(response="utter_invalid_secret")
        return {"check_secret": secret}


class ActionCheckStatus(Action):
    """Asks the intake API where the complaint is, and says it in plain words."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer, then forget the secret (it is not kept in the conversation)."""
        reference = tracker.get_slot("check_reference")
        secret = tracker.get_slot("check_secret")
        forget: list[EventType] = [SlotSet("check_reference", None), SlotSet("check_secret", None)]
        if not reference or not secret:
            dispatcher.utter_message(response="utter_status_not_found")
            return forget
        try:
            answer = IntakeClient.from_env().check_status(reference, secret)
        except IntakeRejected as exc:
            if exc.status == 429:
                dispatcher.utter_message(response="utter_status_too_many_tries")
            elif exc.is_auth_error:
                logger.error("intake API refused the status check token: %s", exc)
                dispatcher.utter_message(response="utter_status_unavailable")
            else:
                dispatcher.utter_message(response="utter_status_not_found")
            return forget
        except IntakeUnavailable as exc:
            logger.warning("status check failed: %s", exc)
            dispatcher.utter_message(response="utter_status_unavailable")
            return forget
        dispatcher.utter_message(
            response="utter_status_answer",
            case_reference=answer.reference,
            status_message=answer.message or "We have your complaint.",
        )
        return forget
