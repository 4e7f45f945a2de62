"""Actions that read back, change or forget the answers to the complaint form."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

#: Slots that hold one complaint's answers. Cleared after sending, on stop, or on "start again".
COMPLAINT_SLOTS: tuple[str, ...] = (
    "complainant_type",
    "description",
    "contact",
    "contact_email",
    "contact_phone",
    "anonymous",
    "submission_key",
    "change_slot",
)

#: What each "change" choice clears, so the form asks for it again.
CHANGE_GROUPS: dict[str, tuple[str, ...]] = {
    "complainant_type": ("complainant_type",),
    "description": ("description",),
    "contact": ("contact", "contact_email", "contact_phone", "anonymous"),
    "all": COMPLAINT_SLOTS,
}

#: Who the person is, in plain words, for the read-back.
COMPLAINANT_LABELS: dict[str, str] = {
    "child": "a child or young person",
    "parent": "a parent or carer",
    "relative": "a family member",
    "foster_carer": "a foster carer",
    "special_guardian": "a special guardian",
    "advocate": "someone who helps a child (advocate)",
    "professional": "someone who works with children",
    "other": "someone else",
}

READ_BACK_MAX_CHARS = 600


def forget_complaint() -> list[EventType]:
    """Events that clear every answer of the current complaint."""
    return [SlotSet(slot, None) for slot in COMPLAINT_SLOTS]


def clear_answer(change_slot: str | None) -> list[EventType]:
    """Events that clear the answer(s) the person wants to change.

    An unknown choice clears nothing, so the person simply sees the read-back again.
    The idempotency key is always dropped: changed answers are a new submission.
    """
    slots = CHANGE_GROUPS.get(change_slot or "", ())
    events: list[EventType] = [SlotSet(slot, None) for slot in slots]
    for slot in ("submission_key", "change_slot"):
        if slot not in slots:
            events.append(SlotSet(slot, None))
    return events


def describe_contact(email: str | None, phone: str | None, anonymous: bool | None) -> str:
    """How we will get back to the person, in plain words."""
    if anonymous:
        return "you chose to stay anonymous"
    parts = []
    if email:
        parts.append(f"email {email}")
    if phone:
        parts.append(f"phone {phone}")
    return " and ".join(parts) if parts else "not given"


def shorten(text: str, limit: int = READ_BACK_MAX_CHARS) -> str:
    """Cut long text at a word boundary so the read-back fits on a phone screen."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


class ActionReadBack(Action):
    """Reads the answers back (the rules then ask `utter_ask_confirm`)."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_read_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Send the read-back."""
        complainant_type = tracker.get_slot("complainant_type")
        dispatcher.utter_message(
            response="utter_read_back",
            who=COMPLAINANT_LABELS.get(complainant_type, "someone else"),
            what=shorten(tracker.get_slot("description") or ""),
            how=describe_contact(
                tracker.get_slot("contact_email"),
                tracker.get_slot("contact_phone"),
                tracker.get_slot("anonymous"),
            ),
        )
        return []


class ActionClearAnswer(Action):
    """Clears the answer the person wants to change so the form asks it again."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_clear_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Clear the slot(s) named by the `change_slot` slot."""
        return clear_answer(tracker.get_slot("change_slot"))


class ActionForgetComplaint(Action):
    """Forgets the answers when the person stops."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_forget_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Clear every answer of the current complaint."""
        return forget_complaint()
