"""Reaching a person, plain-words fallback, and compliments."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.actions.council import CouncilContacts
from bot.actions.forms import answer_text, description_problem, latest_intent

#: What each intent means, in words a child knows, for "Did you mean ...?".
INTENT_WORDS: dict[str, str] = {
    "make_complaint": "you want to complain",
    "check_status": "you want to check a complaint",
    "give_compliment": "you want to say thank you",
    "ask_about_process": "you want to know what happens next",
    "ask_what_is_advocate": "you want to know about advocates",
    "ask_who_sees": "you want to know who will see it",
    "ask_for_person": "you want to talk to a person",
    "disclose_danger": "you are not safe",
    "stop": "you want to stop",
    "start_again": "you want to start again",
    "greet": "you are saying hello",
    "goodbye": "you are saying bye",
}
MIN_COMPLIMENT_WORDS = 6


class ActionRequestPerson(Action):
    """Says how to reach a person, and flags the complaint for a person to call back."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "action_request_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Give the complaints team's and the advocacy service's contact details."""
        contacts = CouncilContacts.from_env()
        dispatcher.utter_message(
            response="utter_how_to_reach_person",
            complaints_phone=contacts.complaints_phone,
            complaints_email=contacts.complaints_email,
            advocacy_phone=contacts.advocacy_phone,
        )
        if tracker.get_slot("case_reference"):
            dispatcher.utter_message(
                response="utter_quote_reference", case_reference=tracker.get_slot("case_reference")
            )
        else:
            dispatcher.utter_message(response="utter_person_will_call")
        return [SlotSet("handoff_requested", True)]


class ActionDefaultAskAffirmation(Action):
    """The first stage of the two-stage fallback, in plain words: "Did you mean ...?"."""

    def name(self) -> str:
        """Overrides Rasa's default action of this name."""
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Offer the most likely meaning, or ask to say it another way."""
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        guess = next(
            (item.get("name") for item in ranking if item.get("name") in INTENT_WORDS), None
        )
        if guess is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(
            text=f"Sorry, I am not sure. Do you mean {INTENT_WORDS[guess]}?",
            buttons=[
                {"title": "Yes", "payload": f"/{guess}"},
                {"title": "No, something else", "payload": "/out_of_scope"},
            ],
        )
        return []


class ValidateComplimentForm(FormValidationAction):
    """Takes the compliment in the person's own words."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "validate_compliment_form"

    async def extract_compliment_text(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The opening message when it already says the thanks, else the answer."""
        message = tracker.latest_message or {}
        text = (message.get("text") or "").strip()
        if tracker.get_slot("requested_slot") is None and not tracker.get_slot("compliment_text"):
            words = text.split()
            if latest_intent(tracker) == "give_compliment" and len(words) >= MIN_COMPLIMENT_WORDS:
                return {"compliment_text": text}
            return {}
        answer = answer_text(tracker, "compliment_text")
        return {"compliment_text": answer} if answer else {}

    def validate_compliment_text(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """A few words at least."""
        text = str(slot_value or "").strip()
        if description_problem(text):
            dispatcher.utter_message(response="utter_description_too_short")
            return {"compliment_text": None}
        return {"compliment_text": text}
