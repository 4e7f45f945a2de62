"""Actions that start, read back, change or forget the answers to the complaint form."""

from __future__ import annotations

import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.screening import discloses_danger

#: Slots that hold one complaint's answers. Cleared after sending, on stop, or on "start again".
COMPLAINT_SLOTS: tuple[str, ...] = (
    "complainant_type",
    "carer_role",
    "advocate_organisation",
    "child_consent",
    "age_band",
    "description",
    "add_more",
    "when",
    "when_date",
    "when_over_12_months",
    "service_worker",
    "desired_outcome",
    "advocate_offer",
    "contact",
    "contact_email",
    "contact_phone",
    "contact_via",
    "anonymous",
    "submission_key",
    "change_slot",
)

#: Kept for the whole conversation: they belong to the person, not to one set of answers.
#: `safeguarding_disclosed`, `alert_reference` and `handoff_requested` are cleared only
#: once a complaint carrying them has been sent.
CARRIED_SLOTS: tuple[str, ...] = ("safeguarding_disclosed", "alert_reference", "handoff_requested")

#: What each "change" choice clears, so the form asks for it again.
CHANGE_GROUPS: dict[str, tuple[str, ...]] = {
    "complainant_type": (
        "complainant_type",
        "carer_role",
        "advocate_organisation",
        "child_consent",
        "age_band",
        "advocate_offer",
        "contact",
        "contact_email",
        "contact_phone",
        "contact_via",
        "anonymous",
    ),
    "age_band": ("age_band",),
    "description": ("description", "add_more"),
    "when": ("when", "when_date", "when_over_12_months"),
    "service": ("service_worker",),
    "outcome": ("desired_outcome",),
    "advocate": ("advocate_offer",),
    "contact": ("contact", "contact_email", "contact_phone", "contact_via", "anonymous"),
    "all": COMPLAINT_SLOTS,
}

#: Who the person is, in plain words, for the read-back.
COMPLAINANT_LABELS: dict[str, str] = {
    "child": "a child or young person",
    "parent": "a parent or carer",
    "relative": "a family member who cares for a child",
    "foster_carer": "a foster carer",
    "special_guardian": "a special guardian",
    "advocate": "an advocate helping a child",
    "professional": "someone who works with children",
    "other": "someone else",
}

#: The officer's words for a type with no carer answer (sent as `complainant.detail`).
COMPLAINANT_DETAIL: dict[str, str] = {"professional": "professional"}

AGE_LABELS: dict[str, str] = {
    "under_10": "under 10",
    "10_to_12": "10 to 12",
    "13_to_15": "13 to 15",
    "16_to_17": "16 or 17",
    "18_to_25": "18 to 25",
    "not_given": "you did not say",
}

READ_BACK_MAX_CHARS = 600
#: Age bands the intake API takes; `not_given` stays in the conversation only.
AGE_BANDS: tuple[str, ...] = ("under_10", "10_to_12", "13_to_15", "16_to_17", "18_to_25")
NOT_GIVEN = "not_given"
#: The answer kept for an optional question the person skipped.
NONE_GIVEN = "none"


def new_submission_key() -> str:
    """A fresh idempotency key for one version of a complaint's answers."""
    return str(uuid.uuid4())


def forget_complaint() -> list[EventType]:
    """Events that clear every answer of the current complaint ("stop", "start again").

    The carried flags stay, so a later complaint in this conversation still carries them.
    """
    return [SlotSet(slot, None) for slot in COMPLAINT_SLOTS]


def start_afresh(case_reference: str | None) -> list[EventType]:
    """Events once a complaint has gone to the council (or waits in the outbox).

    Every answer and flag is on the case now, so every slot goes back to empty, in one
    event (Rasa checks and stores each event; a SlotSet per slot made this the slowest
    turn), keeping only the new case's reference when there is one.
    """
    events: list[EventType] = [AllSlotsReset()]
    if case_reference:
        events.append(SlotSet("case_reference", case_reference))
    return events


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


def describe_contact(
    email: str | None, phone: str | None, anonymous: bool | None, via: str | None = None
) -> str:
    """How we will get back to the person, in plain words."""
    if anonymous:
        return "you chose to stay anonymous"
    parts = []
    if email:
        parts.append(f"email {email}")
    if phone:
        parts.append(f"phone {phone}")
    if parts:
        return " and ".join(parts)
    if via == "advocate":
        return "through your advocate"
    return "not given"


def shorten(text: str, limit: int = READ_BACK_MAX_CHARS) -> str:
    """Cut long text at a word boundary so the read-back fits on a phone screen."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _skipped_or(value: Any, fallback: str = "you did not say") -> str:
    text = str(value or "").strip()
    return fallback if not text or text == NONE_GIVEN else shorten(text, 200)


def read_back_lines(slots: dict[str, Any]) -> list[str]:
    """One short line per answer, in the order they were asked."""
    who = slots.get("complainant_type")
    lines = [f"Who you are: {COMPLAINANT_LABELS.get(who, 'someone else')}"]
    if slots.get("carer_role") and who != "child":
        lines[0] += f" ({slots['carer_role']})"
    if who == "advocate":
        lines.append(f"Your group: {_skipped_or(slots.get('advocate_organisation'))}")
        lines.append("The child said yes to this: yes")
    if slots.get("age_band"):
        label = "Age of the child" if who == "advocate" else "Your age"
        lines.append(f"{label}: {AGE_LABELS.get(slots['age_band'], 'you did not say')}")
    lines.append(f"What happened: {shorten(slots.get('description') or '')}")
    lines.append(f"When: {_skipped_or(slots.get('when'))}")
    lines.append(f"Who it is about: {_skipped_or(slots.get('service_worker'))}")
    lines.append(f"What you want: {_skipped_or(slots.get('desired_outcome'))}")
    if who == "child":
        offer = {"yes": "yes please", "no": "no thanks"}.get(slots.get("advocate_offer") or "")
        lines.append(f"An advocate: {offer or 'you did not say'}")
    lines.append(
        "How we get back to you: "
        + describe_contact(
            slots.get("contact_email"),
            slots.get("contact_phone"),
            slots.get("anonymous"),
            slots.get("contact_via"),
        )
    )
    return lines


class ActionStartComplaint(Action):
    """Starts the complaint form, and gives help first if the opening words show danger."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_start_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Say how the questions work (help first when the person is in danger)."""
        from bot.actions.safeguarding import respond_to_danger

        events: list[EventType] = []
        text = (tracker.latest_message or {}).get("text") or ""
        if not text.startswith("/") and discloses_danger(text):
            slots = respond_to_danger(dispatcher, tracker, text)
            events += [SlotSet(name, value) for name, value in slots.items()]
        dispatcher.utter_message(response="utter_start_complaint")
        return events


class ActionReadBack(Action):
    """Reads the answers back (the rules then ask `utter_ask_confirm`) and gives these
    answers their idempotency key.

    The key is made here, once per version of the answers (changing one clears it), so it
    is saved with the conversation before the person says "send it": if sending fails
    half-way (the API made the case but the reply was lost, or Rasa restarted), saying yes
    again sends the same key and the API returns the same case, never a second one.
    """

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_read_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Send the read-back; make the key unless these answers already have one."""
        lines = read_back_lines(tracker.current_slot_values())
        dispatcher.utter_message(response="utter_read_back", summary="\n".join(lines))
        if tracker.get_slot("submission_key"):
            return []
        return [SlotSet("submission_key", new_submission_key())]


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
        """Clear every answer of the current complaint (the safety flags stay).

        A "stop" whose words show danger ("i dont want to live any more") gets help first.
        """
        from bot.actions.safeguarding import respond_to_danger

        events: list[dict[str, Any]] = []
        text = (tracker.latest_message or {}).get("text") or ""
        if not text.startswith("/") and discloses_danger(text):
            slots = respond_to_danger(dispatcher, tracker, text)
            events += [SlotSet(name, value) for name, value in slots.items()]
        return [*forget_complaint(), *events]


class ActionStartAgain(Action):
    """Clears the answers so the person can start the complaint again."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_start_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Say so, and clear every answer (the safety flags stay)."""
        dispatcher.utter_message(response="utter_start_again")
        return [*forget_complaint(), SlotSet("requested_slot", None)]
