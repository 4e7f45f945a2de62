"""Validation of the complaint form's answers.

The rules are small pure functions (easy to test, no Rasa needed); `ValidateComplaintForm`
calls them and says what went wrong in plain words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.actions.answers import AGE_BANDS, NONE_GIVEN, NOT_GIVEN
from bot.actions.safeguarding import respond_to_danger
from bot.actions.screening import DANGER_INTENT, discloses_danger, signpost_for
from bot.actions.when import parse_when

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
#: The rules answer them and the form then asks its question again.
INTERRUPTING_INTENTS = frozenset(
    {
        "stop",
        "start_again",
        "bot_challenge",
        "ask_about_process",
        "ask_what_is_advocate",
        "ask_who_sees",
        "ask_for_person",
        "chitchat",
        "disclose_danger",
    }
)
MAX_INTERRUPTION_WORDS = 8
#: Intents that are questions: they interrupt only when the message reads as a question
#: (an answer such as a group's name, "Brightside Advocacy", can look like one).
QUESTION_INTENTS = frozenset(
    {"ask_about_process", "ask_what_is_advocate", "ask_who_sees", "bot_challenge"}
)
_QUESTION_FORM = re.compile(
    r"\?|^\W*(?:what|whats|what's|wat|wot|who|whos|who's|why|how|hows|how's|when|where|"
    r"which|can|could|cud|will|would|do|does|did|is|are|r|am|should|tell me|explain|"
    r"i (?:don'?t|do not|dont) (?:know|get|understand)|wh?y)\b",
    re.IGNORECASE,
)

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


_VIA_ADVOCATE = re.compile(
    r"\b(?:through|thru|via|by|ask|contact|tell) (?:my|an|the) (?:advoc\w*|advacat\w*)\b"
)

_YES = re.compile(
    r"^(?:y|ya|yah|yes|yess+|yeah|yea|yep|yup|ye|ok|okay|k|sure|please|yes please|"
    r"definitely|of course|i do(?! not)|i would|they have|she has|he has|they did|she did|he did|"
    r"correct|right|that'?s right)\b"
)
_NO = re.compile(
    r"^(?:n|no|nah|na|nope|no thanks|no thank you|not really|not now|i don'?t(?! know)|"
    r"i do not(?! know)|"
    r"they haven'?t|she hasn'?t|he hasn'?t|not yet|never)\b"
)
_SKIP = re.compile(
    r"^(?:skip|pass|none|nothing|no|nah|nope|not sure|dunno|don'?t know|do not know|idk|"
    r"no idea|no thanks|no,? that is all|no,? that'?s all|that'?s all|thats it|that'?s it|"
    r"rather not say|i would rather not say|not saying|prefer not to say)\b"
)

_AGE_NUMBER = re.compile(r"\b(\d{1,2})\b")
_AGE_WORDS = {
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}
_RATHER_NOT = re.compile(
    r"\b(?:rather not|prefer not|not say|not saying|won'?t say|dont want to say|"
    r"don'?t want to say|do not want to say|skip|private|secret|pass)\b"
)

#: What each carer answer makes the complainant (taxonomy ids), and how officers see it.
_CARER_ROLES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\bfoster"), "foster_carer", "foster carer"),
    (
        re.compile(r"\b(?:special guardian\w*|sgo|guardian)\b"),
        "special_guardian",
        "special guardian",
    ),
    (
        re.compile(
            r"\b(?:gran\w*|nan\w*|grand\w*|aunt\w*|uncle|cousin|sister|brother|family|"
            r"relative|kinship)\b"
        ),
        "relative",
        "family member",
    ),
    (re.compile(r"\b(?:other|another|step|carer|career)\b"), "parent", "other carer"),
    (re.compile(r"\b(?:parent|mum|mom|mam|mother|dad|father)\b"), "parent", "parent"),
)


def age_band_for(age: int) -> str | None:
    """The age band for an age in years, or None outside 0 to 25."""
    if age < 0:
        return None
    if age < 10:
        return "under_10"
    if age <= 12:
        return "10_to_12"
    if age <= 15:
        return "13_to_15"
    if age <= 17:
        return "16_to_17"
    if age <= 25:
        return "18_to_25"
    return None


def parse_age_band(text: str | None) -> str | None:
    """An age band from a button or typed answer ("13 to 15", "im 12", "rather not say").

    A button's band id is kept as it is; a range picks the band of its first number.
    Returns `NOT_GIVEN` when the person would rather not say, None when unclear.
    """
    if not text:
        return None
    cleaned = _normalise(str(text)).replace(" ", "_")
    if cleaned in AGE_BANDS or cleaned == NOT_GIVEN:
        return cleaned
    cleaned = _normalise(str(text))
    if _RATHER_NOT.search(cleaned):
        return NOT_GIVEN
    if re.search(r"\bunder (?:10|ten)\b", cleaned):
        return "under_10"
    number = _AGE_NUMBER.search(cleaned)
    if number:
        return age_band_for(int(number.group(1)))
    for word, age in _AGE_WORDS.items():
        if re.search(rf"\b{word}\b", cleaned):
            return age_band_for(age)
    return None


def parse_yes_no(text: str | None, intent: str | None = None) -> bool | None:
    """True for yes, False for no, None when unclear. A clear intent decides first."""
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    cleaned = _normalise(text or "")
    if _NO.search(cleaned):
        return False
    if _YES.search(cleaned):
        return True
    return None


def is_skip(text: str | None) -> bool:
    """True when the answer means "nothing to add" or "I do not know"."""
    return bool(_SKIP.search(_normalise(text or "")))


def parse_carer_role(text: str | None) -> tuple[str, str] | None:
    """(complainant type, words for the officer) for a carer's answer, or None."""
    cleaned = _normalise(text or "")
    for pattern, complainant_type, label in _CARER_ROLES:
        if pattern.search(cleaned):
            return complainant_type, label
    return None


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


def is_interruption(intent: str | None, text: str | None, *, keep_danger: bool = False) -> bool:
    """True when a message given as an answer is really a question, a stop or a disclosure.

    Only short messages count: a long description that mentions stopping ("I want them to
    stop moving me") is still a description, whatever the intent classifier thinks. With
    `keep_danger` (for "what happened") a disclosure is kept as the answer; the validator
    then gives help at once.
    """
    if text and text.startswith("/"):
        # A button: its intent is exactly what the person chose.
        return intent in INTERRUPTING_INTENTS and not (keep_danger and intent == "disclose_danger")
    if keep_danger and intent == "disclose_danger":
        return False
    if intent in QUESTION_INTENTS and not _QUESTION_FORM.search(text or ""):
        # "Brightside Advocacy" as the group's name is not "what is an advocate?".
        return False
    words = re.findall(r"\w+", text or "")
    return intent in INTERRUPTING_INTENTS and len(words) <= MAX_INTERRUPTION_WORDS


#: Actions that may run between the person's answer and the form's validation. Every form
#: that takes answers through `answer_text` must be here, or it never takes one.
_FORM_STEP_ACTIONS = frozenset(
    {"action_listen", "action_extract_slots"}
    | {
        f"{prefix}{form}"
        for form in ("complaint_form", "status_form", "compliment_form")
        for prefix in ("", "validate_")
    }
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
    via_advocate: bool = False

    @property
    def is_valid(self) -> bool:
        """True when there is a way to reply, or the person chose to stay anonymous."""
        return self.anonymous or self.via_advocate or bool(self.email or self.phone)

    @property
    def contact_via(self) -> str:
        """How the council should reply: `direct`, `advocate` or `none` (the API's values)."""
        if self.email or self.phone:
            return "direct"
        if self.via_advocate:
            return "advocate"
        return "none"

    def summary(self) -> str:
        """A short text for the `contact` slot."""
        if self.email or self.phone:
            return " and ".join(part for part in (self.email, self.phone) if part)
        if self.via_advocate:
            return "through my advocate"
        return "anonymous"


def parse_contact(text: str | None) -> ContactChoice:
    """Understand a contact answer: an email, a UK phone number, both, or anonymity.

    An email or phone number wins over words like "no" in the same message
    ("no email, my number is 07700 900123").
    """
    email = find_email(text)
    phone = find_uk_phone(text)
    if email or phone:
        return ContactChoice(email=email, phone=phone)
    if _VIA_ADVOCATE.search(_normalise(text or "")):
        return ContactChoice(via_advocate=True)
    if wants_anonymity(text):
        return ContactChoice(anonymous=True)
    return ContactChoice()


#: Complainant types that are a parent or carer of the child.
CARER_TYPES = frozenset({"parent", "foster_carer", "special_guardian", "relative"})
MAX_SHORT_ANSWER_CHARS = 500
MAX_OUTCOME_CHARS = 2000


def complaint_questions(slots: dict[str, Any]) -> list[str]:
    """The questions to ask, in order, for what we know so far about the person.

    A child is asked their age band and offered an advocate (s26A Children Act 1989);
    an advocate gives their organisation, the child's agreement and the child's age;
    a parent or carer says which kind of carer they are.
    """
    who = slots.get("complainant_type")
    questions = ["complainant_type"]
    if who in CARER_TYPES:
        questions.append("carer_role")
    if who == "advocate":
        questions += ["advocate_organisation", "child_consent"]
    if who in ("child", "advocate"):
        questions.append("age_band")
    questions += ["description", "add_more", "when", "service_worker", "desired_outcome"]
    if who == "child":
        questions.append("advocate_offer")
    questions.append("contact")
    return questions


def answer_text(tracker: Tracker, slot: str, *, keep_danger: bool = False) -> str | None:
    """The person's answer to the form's question for `slot`, or None.

    None when another question is being asked, when nothing new was said (back in the form
    after an interruption), or when the message is really a question, a stop or a
    disclosure (the rules answer those and the form asks again).
    """
    if tracker.get_slot("requested_slot") != slot:
        return None
    if not answered_just_now(tracker.events):
        return None
    message = tracker.latest_message or {}
    text = (message.get("text") or "").strip()
    intent = (message.get("intent") or {}).get("name")
    if not text:
        return None
    if is_interruption(intent, text, keep_danger=keep_danger):
        # Words that show danger are never just a stop or a question, whatever the
        # classifier thought ("i dont want to live any more" can look like "stop"): take
        # them as the answer, so the validator gives help at once.
        if intent != DANGER_INTENT and not text.startswith("/") and discloses_danger(text):
            return text
        return None
    return text


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the person's last message."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def _entity(tracker: Tracker, name: str) -> str | None:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == name and entity.get("value") is not None:
            return str(entity["value"])
    return None


_Validator = Callable[[Any, Any, CollectingDispatcher, Tracker, DomainDict], dict[str, Any]]


def _screened(validate: _Validator) -> _Validator:
    """Screen the answer for danger (help first, see `_screen`), then validate it as usual.

    A long message is taken as the answer whatever its intent, so a disclosure given as
    "who are you?" or "how can we reach you?" must be caught here: once the slot is set,
    the safeguarding rule never runs.
    """

    @functools.wraps(validate)
    def screened(
        self: Any,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        events = _screen(dispatcher, tracker, str(slot_value or "").strip())
        return {**events, **validate(self, slot_value, dispatcher, tracker, domain)}

    return screened


def _answer_extractor(slot: str, *, keep_danger: bool = False) -> Any:
    """An `extract_<slot>` method that takes the answer to that slot's question as given.

    A custom mapping rather than `from_text` with `not_intent`, so a long answer that the
    classifier mistakes for "stop" or a question is still kept (see `answer_text`).
    """

    async def extract(
        self: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = answer_text(tracker, slot, keep_danger=keep_danger)
        return {slot: text} if text else {}

    extract.__name__ = f"extract_{slot}"
    extract.__doc__ = f"The answer to the question for `{slot}`."
    return extract


class ValidateComplaintForm(FormValidationAction):
    """Checks each answer to `complaint_form` and explains any problem."""

    def name(self) -> str:
        """The action name Rasa calls."""
        return "validate_complaint_form"

    async def get_validation_events(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Validate only the answer just given.

        When the form starts again after "change an answer", Rasa sends every answer
        already given for validation once more. They were checked when given: checking
        them again would repeat messages, add "added" to what happened, and raise a
        second urgent case for a disclosure already passed on.
        """
        if tracker.get_slot("requested_slot") is None or not answered_just_now(tracker.events):
            return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]
        return await super().get_validation_events(dispatcher, tracker, domain)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Ask only what fits the person (see `complaint_questions`)."""
        return complaint_questions(tracker.current_slot_values())

    # --- extraction: each slot takes the answer to its own question -------------------

    async def extract_complainant_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A button's entity, or the typed answer."""
        if tracker.get_slot("requested_slot") != "complainant_type":
            return {}
        button = _entity(tracker, "complainant_type")
        message = tracker.latest_message or {}
        # An entity in "I'm a parent, I want to stop" must not hide the stop from the rules.
        interrupted = is_interruption(latest_intent(tracker), message.get("text"))
        if button and answered_just_now(tracker.events) and not interrupted:
            return {"complainant_type": button}
        text = answer_text(tracker, "complainant_type")
        return {"complainant_type": text} if text else {}

    # Most answers are free text taken as given; "what happened" and "anything to add"
    # keep a disclosure of danger as the answer (the validator gives help at once).
    extract_carer_role = _answer_extractor("carer_role")
    extract_advocate_organisation = _answer_extractor("advocate_organisation")
    extract_description = _answer_extractor("description", keep_danger=True)
    extract_add_more = _answer_extractor("add_more", keep_danger=True)
    extract_when = _answer_extractor("when")
    extract_service_worker = _answer_extractor("service_worker")
    extract_desired_outcome = _answer_extractor("desired_outcome")
    extract_advocate_offer = _answer_extractor("advocate_offer")
    extract_contact = _answer_extractor("contact")

    async def extract_child_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes fills the slot. A no is left to the rules, which explain and stop kindly."""
        if tracker.get_slot("requested_slot") != "child_consent":
            return {}
        if latest_intent(tracker) == "deny":
            return {}
        text = answer_text(tracker, "child_consent")
        if text is None:
            return {}
        return {"child_consent": text}

    async def extract_age_band(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A button, an `age` entity or the typed answer."""
        text = answer_text(tracker, "age_band")
        if text is None:
            return {}
        return {"age_band": _entity(tracker, "age") or text}

    # --- validation ------------------------------------------------------------------

    @_screened
    def validate_complainant_type(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept a button payload or free text naming who the person is.

        Free text such as "I'm his foster carer" also answers the carer question; the
        generic "parent or carer" button leaves it to be asked. An age in the same
        message ("im 12") answers the age question.
        """
        complainant_type = parse_complainant_type(slot_value)
        if complainant_type is None:
            dispatcher.utter_message(response="utter_invalid_complainant_type")
            return {"complainant_type": None}
        result: dict[str, Any] = {"complainant_type": complainant_type}
        from_button = _entity(tracker, "complainant_type") is not None
        if complainant_type in CARER_TYPES and not from_button:
            role = parse_carer_role(str(slot_value))
            result["carer_role"] = role[1] if role else complainant_type.replace("_", " ")
        age = _entity(tracker, "age")
        if complainant_type == "child" and not from_button:
            band = parse_age_band(age) if age else None
            if band is None:
                match = _AGE.search(_normalise(str(slot_value)))
                if match:
                    band = age_band_for(int(match.group("age") or match.group("age2")))
            if band:
                result["age_band"] = band
        return result

    @_screened
    def validate_carer_role(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Parent, foster carer, special guardian or family member: refines the type."""
        role = parse_carer_role(str(slot_value or ""))
        if role is None:
            dispatcher.utter_message(response="utter_invalid_button")
            return {"carer_role": None}
        complainant_type, label = role
        return {"carer_role": label, "complainant_type": complainant_type}

    @_screened
    def validate_advocate_organisation(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """A short organisation name (or "independent")."""
        text = str(slot_value or "").strip()
        if len(text) < 2:
            dispatcher.utter_message(response="utter_invalid_organisation")
            return {"advocate_organisation": None}
        return {"advocate_organisation": text[:200]}

    @_screened
    def validate_child_consent(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Only a clear yes records the child's agreement; anything unclear asks again."""
        answer = parse_yes_no(str(slot_value or ""), latest_intent(tracker))
        if answer is True:
            return {"child_consent": True}
        dispatcher.utter_message(response="utter_invalid_yes_no")
        return {"child_consent": None}

    @_screened
    def validate_age_band(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """An age band, or "rather not say" (which is fine)."""
        band = parse_age_band(str(slot_value or ""))
        if band is None:
            dispatcher.utter_message(response="utter_invalid_age_band")
        return {"age_band": band}

    def validate_description(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept what happened when it is at least a few words.

        A description that discloses danger is kept (it is the complaint) and the person
        is told at once how to get help, and an urgent case is raised. A matter for a
        school, a court, the NHS or the police is kept too, with a word on where else to go.
        """
        text = str(slot_value or "").strip()
        events = _screen(dispatcher, tracker, text)
        problem = description_problem(text)
        if problem == "too_short":
            dispatcher.utter_message(response="utter_description_too_short")
            return {**events, "description": None}
        if problem == "too_long":
            dispatcher.utter_message(response="utter_description_too_long")
            return {**events, "description": None}
        signpost = signpost_for(text)
        if signpost:
            dispatcher.utter_message(response=signpost)
            dispatcher.utter_message(response="utter_can_still_send")
        return {**events, "description": text}

    def validate_add_more(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Add the extra words to what happened, or note there is nothing more."""
        text = str(slot_value or "").strip()
        if is_skip(text) or parse_yes_no(text, latest_intent(tracker)) is False:
            return {"add_more": NONE_GIVEN}
        events = _screen(dispatcher, tracker, text)
        description = (tracker.get_slot("description") or "").strip()
        combined = f"{description}\n{text}".strip()
        if len(combined) > MAX_DESCRIPTION_CHARS:
            dispatcher.utter_message(response="utter_description_too_long")
            return {**events, "add_more": None}
        dispatcher.utter_message(response="utter_added")
        return {**events, "description": combined, "add_more": "added"}

    def validate_when(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Understand when it happened; more than a year ago is fine, and flagged."""
        text = str(slot_value or "").strip()[:200]
        events = _screen(dispatcher, tracker, text)
        when = parse_when(text)
        if when.over_12_months:
            dispatcher.utter_message(response="utter_when_over_a_year")
        return {
            **events,
            "when": text,
            "when_date": when.start.isoformat() if when.start else None,
            "when_over_12_months": when.over_12_months,
        }

    def validate_service_worker(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Optional: a team or worker, or "skip"."""
        return _optional_answer(
            "service_worker", MAX_SHORT_ANSWER_CHARS, slot_value, dispatcher, tracker
        )

    def validate_desired_outcome(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """What they want to happen; "I do not know" is a fine answer."""
        return _optional_answer(
            "desired_outcome", MAX_OUTCOME_CHARS, slot_value, dispatcher, tracker
        )

    @_screened
    def validate_advocate_offer(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Yes or no to an advocate; both are fine and recorded on the case."""
        answer = parse_yes_no(str(slot_value or ""), latest_intent(tracker))
        if answer is None:
            dispatcher.utter_message(response="utter_invalid_yes_no")
            return {"advocate_offer": None}
        if answer:
            dispatcher.utter_message(response="utter_advocate_yes")
            return {"advocate_offer": "yes"}
        dispatcher.utter_message(response="utter_advocate_no")
        return {"advocate_offer": "no"}

    @_screened
    def validate_contact(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept an email, a UK phone number, "through my advocate", or anonymity.

        An advocate must leave a way to reply: the council answers the child through them.
        """
        choice = parse_contact(str(slot_value or ""))
        advocate = tracker.get_slot("complainant_type") == "advocate"
        if advocate and not (choice.email or choice.phone):
            dispatcher.utter_message(response="utter_advocate_contact_needed")
            return {"contact": None}
        if not choice.is_valid:
            dispatcher.utter_message(response="utter_invalid_contact")
            return {"contact": None}
        if choice.anonymous:
            dispatcher.utter_message(response="utter_anonymous_explained")
        if choice.via_advocate:
            dispatcher.utter_message(response="utter_contact_via_advocate")
        return {
            "contact": choice.summary(),
            "contact_email": choice.email,
            "contact_phone": choice.phone,
            "anonymous": choice.anonymous,
            "contact_via": "advocate" if advocate else choice.contact_via,
        }


def _optional_answer(
    slot: str, limit: int, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """A free-text answer the person may skip ("skip", "I do not know"), screened for danger."""
    text = str(slot_value or "").strip()
    if is_skip(text):
        return {slot: NONE_GIVEN}
    return {**_screen(dispatcher, tracker, text), slot: text[:limit]}


def _screen(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> dict[str, Any]:
    """Give help at once when an answer discloses danger (see `respond_to_danger`).

    Returns the slots to set (the safeguarding flag and any urgent case's reference).
    """
    if discloses_danger(text, latest_intent(tracker)):
        return respond_to_danger(dispatcher, tracker, text)
    return {}
