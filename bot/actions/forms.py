"""Validation of the complaint form's answers.

The rules are small pure functions (easy to test, no Rasa needed); `ValidateComplaintForm`
calls them and says what went wrong in plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

#: The complainant types the intake API accepts (see /work/shared/taxonomy.md).
COMPLAINANT_TYPES: tuple[str, ...] = (
    "child",
    "parent",
    "relative",
    "foster_carer",
    "special_guardian",
    "advocate",
    "professional",
    "other",
)

#: Intents that, in a short message, mean "I am asking something", not "this is what happened".
INTERRUPTING_INTENTS = frozenset({"stop", "bot_challenge", "ask_about_process"})
MAX_INTERRUPTION_WORDS = 8

MIN_DESCRIPTION_WORDS = 3
MIN_DESCRIPTION_CHARS = 10
MAX_DESCRIPTION_CHARS = 20_000  # the intake API's limit

# Words that name a child of the speaker: "my son" means the speaker is a parent.
_CHILD_OF_SPEAKER = re.compile(
    r"\bmy (?:(?P<foster>foster (?:child|kid|son|daughter))|"
    r"(?P<relative>grand(?:son|daughter|child|children|kid|kids)|niece|nephew)|"
    r"son|daughter|child|children|kid|kids|kidz|baby|boy|girl|twins|step ?(?:son|daughter))\b"
)

# Checked in this order; the first that matches wins. Misspellings are common ones that
# children (and tired adults on phones) type.
_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "advocate",
        re.compile(
            r"\b(?:advoc\w*|advacat\w*|advercat\w*|on (?:his|her|their|a child'?s|"
            r"the child'?s|behalf of)|behalf|i help (?:a )?(?:child|kid|young person)|"
            r"helping (?:a |the )?(?:child|kid|young person))"
        ),
    ),
    (
        "foster_carer",
        re.compile(r"\b(?:foster(?:ing)? ?(?:carer|parent|mum|mom|mam|dad|family|er)?s?)\b"),
    ),
    ("special_guardian", re.compile(r"\b(?:special guardian\w*|sgo|guardian)\b")),
    (
        "relative",
        re.compile(
            r"\b(?:gran|grann?y|grandma|grandmother|grandad|granddad|grandpa|grandfather|"
            r"grandparent|nan|nana|nanna|aunt|auntie|aunty|uncle|cousin|sister|brother|"
            r"sibling|relative|family member|kinship\w*)s?\b"
        ),
    ),
    (
        "professional",
        re.compile(
            r"\b(?:teacher|tutor|social worker|youth worker|nurse|doctor|gp|health visitor|"
            r"police\w*|professional|worker|counsell?or|therapist|solicitor|lawyer|"
            r"support worker|key worker)s?\b"
        ),
    ),
    (
        "parent",
        re.compile(
            r"\b(?:parent|perant|parant|parnet|mum|mom|mam|mummy|mommy|mother|mothers|"
            r"dad|daddy|father|farther|step ?(?:mum|mom|dad|parent)|carer|career|"
            r"parental responsibility)s?\b"
        ),
    ),
    (
        "child",
        re.compile(
            r"\b(?:child|chiled|chlid|chid|kid|kidd|young ?(?:person|persun|people|un)|"
            r"yung ?(?:person|persun)|yp|teen|teenager|boy|girl|pupil|student|"
            r"care leaver|leaving care|in care|looked after|lac|i'?m the one|its me|"
            r"it'?s me|me myself|myself)\b"
        ),
    ),
    (
        "other",
        re.compile(
            r"\b(?:someone else|somebody else|other|neighbou?r|friend|none of (?:them|these))\b"
        ),
    ),
)

_AGE = re.compile(
    r"\b(?:i'?m|i am|am|aged?)\s+(?P<age>\d{1,2})\b|\b(?P<age2>\d{1,2}) ?(?:yrs?|years?)\b"
)
_SPEAKER_IS_CHILD_OF = re.compile(r"\bmy\s+$")

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A run of digits with the separators people type: spaces, dashes, dots, brackets, +44.
_PHONE_CANDIDATE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
# UK numbers: 01/02/03 landlines and non-geographic, 07 mobiles, 080 freephone.
_UK_PHONE = re.compile(r"^0(?:1\d{8,9}|2\d{9}|3\d{9}|7\d{9}|80\d{7,8})$")
_ANONYMOUS = re.compile(
    r"\b(?:anon\w*|anonymous\w*|anonimous|anonomous|anonamous|annonymous|no|nope|nah|na|"
    r"none|no thanks|rather not|prefer not|secret|private|nobody|no one|"
    r"(?:don'?t|dont|do not|won'?t|will not) (?:want|wanna|contact|give|say|tell|share)|"
    r"not (?:say|tell|give|share))\b"
)


def _normalise(text: str) -> str:
    """Lower-case, straighten quotes and squeeze spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"[^\w'@.+\s-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_complainant_type(text: str | None) -> str | None:
    """Map what the person said about who they are to a complainant type, or None.

    Accepts the exact ids (button payloads) and free text such as "im a kid",
    "I'm his mum", "foster carer", "I help a child". "My mum" means the speaker is the
    child; "my son" means the speaker is a parent.
    """
    if not text:
        return None
    cleaned = _normalise(str(text))
    if cleaned in COMPLAINANT_TYPES:
        return cleaned
    if cleaned.replace(" ", "_") in COMPLAINANT_TYPES:
        return cleaned.replace(" ", "_")

    child_of_speaker = _CHILD_OF_SPEAKER.search(cleaned)
    if child_of_speaker:
        if child_of_speaker.group("foster"):
            return "foster_carer"
        if child_of_speaker.group("relative"):
            return "relative"
        return "parent"

    for complainant_type, pattern in _TYPE_PATTERNS:
        match = pattern.search(cleaned)
        if not match:
            continue
        if complainant_type != "child" and _SPEAKER_IS_CHILD_OF.search(cleaned[: match.start()]):
            # "my mum", "my foster carer", "my social worker": the speaker is the child.
            return "child"
        return complainant_type

    age = _AGE.search(cleaned)
    if age:
        years = int(age.group("age") or age.group("age2"))
        # Care leavers can get support up to 25.
        if 4 <= years <= 25:
            return "child"
    return None


def is_interruption(intent: str | None, text: str | None) -> bool:
    """True when a message given as "what happened" is really a question or a stop.

    Only short messages count: a long description that mentions stopping ("I want them to
    stop moving me") is still a description, whatever the intent classifier thinks.
    """
    words = re.findall(r"\w+", text or "")
    return intent in INTERRUPTING_INTENTS and len(words) <= MAX_INTERRUPTION_WORDS


#: Actions that may run between the person's answer and the form's validation.
_FORM_STEP_ACTIONS = frozenset(
    {"action_listen", "action_extract_slots", "complaint_form", "validate_complaint_form"}
)


def answered_just_now(events: list[dict[str, Any]]) -> bool:
    """True when nothing but the form itself has run since the person's last message.

    False when the form resumes after an interruption ("are you a bot?", "stop" then
    "no, keep going"): that last message is not an answer to the form's question.
    """
    for event in reversed(events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") not in _FORM_STEP_ACTIONS:
            return False
    return False


def description_problem(text: str | None) -> str | None:
    """Say why a description cannot be used ("too_short" or "too_long"), or None if fine."""
    cleaned = (text or "").strip()
    words = re.findall(r"\w+", cleaned)
    if len(words) < MIN_DESCRIPTION_WORDS or len(cleaned) < MIN_DESCRIPTION_CHARS:
        return "too_short"
    if len(cleaned) > MAX_DESCRIPTION_CHARS:
        return "too_long"
    return None


def find_email(text: str | None) -> str | None:
    """Return the first email address in the text, or None."""
    match = _EMAIL.search(text or "")
    return match.group(0).rstrip(".") if match else None


def normalise_uk_phone(raw: str) -> str | None:
    """Return a UK phone number as digits starting with 0 ("07700900123"), or None."""
    digits = re.sub(r"[\s().-]", "", raw)
    if digits.startswith("+44"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0044"):
        digits = "0" + digits[4:].removeprefix("0")
    return digits if _UK_PHONE.match(digits) else None


def find_uk_phone(text: str | None) -> str | None:
    """Return the first valid UK phone number in the text (normalised), or None."""
    for candidate in _PHONE_CANDIDATE.findall(text or ""):
        phone = normalise_uk_phone(candidate)
        if phone:
            return phone
    return None


def wants_anonymity(text: str | None) -> bool:
    """True when the person says they do not want to give contact details."""
    return bool(_ANONYMOUS.search(_normalise(text or "")))


@dataclass(frozen=True)
class ContactChoice:
    """How the person wants to be contacted, as understood from what they typed."""

    email: str | None = None
    phone: str | None = None
    anonymous: bool = False

    @property
    def is_valid(self) -> bool:
        """True when there is a way to reply, or the person chose to stay anonymous."""
        return self.anonymous or bool(self.email or self.phone)

    def summary(self) -> str:
        """A short text for the `contact` slot."""
        if self.anonymous:
            return "anonymous"
        return " and ".join(part for part in (self.email, self.phone) if part)


def parse_contact(text: str | None) -> ContactChoice:
    """Understand a contact answer: an email, a UK phone number, both, or anonymity.

    An email or phone number wins over words like "no" in the same message
    ("no email, my number is 07700 900123").
    """
    email = find_email(text)
    phone = find_uk_phone(text)
    if email or phone:
        return ContactChoice(email=email, phone=phone)
    if wants_anonymity(text):
        return ContactChoice(anonymous=True)
    return ContactChoice()


class ValidateComplaintForm(FormValidationAction):
    """Checks each answer to `complaint_form` and explains any problem."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "validate_complaint_form"

    async def extract_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take "what happened" from the message that answers the question.

        A custom mapping rather than `from_text` with `not_intent`, so a long description
        that the classifier mistakes for "stop" or a question is still kept. Returning
        nothing for a real interruption lets the form reject and the rules answer it.
        """
        if tracker.get_slot("requested_slot") != "description":
            return {}
        if not answered_just_now(tracker.events):
            return {}  # back in the form after an interruption: nothing new was said
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        intent = (message.get("intent") or {}).get("name")
        if is_interruption(intent, text):
            return {}
        return {"description": text}

    def validate_complainant_type(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept a button payload or free text naming who the person is."""
        complainant_type = parse_complainant_type(slot_value)
        if complainant_type is None:
            dispatcher.utter_message(response="utter_invalid_complainant_type")
        return {"complainant_type": complainant_type}

    def validate_description(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept what happened when it is at least a few words.

        A description that discloses danger is kept (it is the complaint) and the person
        is told at once how to get help.
        """
        text = str(slot_value or "").strip()
        if (tracker.latest_message.get("intent") or {}).get("name") == "disclose_danger":
            dispatcher.utter_message(response="utter_get_help_now")
        problem = description_problem(text)
        if problem == "too_short":
            dispatcher.utter_message(response="utter_description_too_short")
            return {"description": None}
        if problem == "too_long":
            dispatcher.utter_message(response="utter_description_too_long")
            return {"description": None}
        return {"description": text}

    def validate_contact(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept an email, a UK phone number, or a wish to stay anonymous."""
        choice = parse_contact(str(slot_value or ""))
        if not choice.is_valid:
            dispatcher.utter_message(response="utter_invalid_contact")
            return {"contact": None}
        if choice.anonymous:
            dispatcher.utter_message(response="utter_anonymous_explained")
        return {
            "contact": choice.summary(),
            "contact_email": choice.email,
            "contact_phone": choice.phone,
            "anonymous": choice.anonymous,
        }
