"""Redaction of personal data from complaint text.

Pure regular expressions (no spaCy), so the intake API can redact exports cheaply.
Redaction is deliberately greedy: a false redaction costs a word, a missed one leaks a
person's details into a training set or a report (UK GDPR Article 5(1)(c), data
minimisation).
"""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{2,4}}"
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}"
    r"|\d{4}-\d{2}-\d{2})"
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_DOB = re.compile(
    rf"\b(?P<lead>(?:d\.?o\.?b\.?|date\s+of\s+birth|birthday|born(?:\s+on)?)\s*(?:is|was|:|-)?\s*)"
    rf"(?P<date>{_DATE})",
    re.IGNORECASE,
)
# UK numbers: +44 / 0044 / 0 then 9-10 digits with spaces, dots, dashes or brackets.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)"
    r"\d{2,4}\)?(?:[\s.-]?\d){6,8}(?!\d)"
)
_POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
_NHS_NUMBER = re.compile(r"\b\d{3}\s?\d{3}\s?\d{4}\b")

# A name introduced as a name: "my name is Jo Bloggs", "I'm called jo", "my son, Sam,".
_INTRO = (
    r"(?:my\s+name\s+is|my\s+name's|name\s*:|i\s*'?\s*m\s+called|i\s+am\s+called|"
    r"call\s+me|this\s+is|i\s+am|i'm|im|"
    r"(?:my|our|her|his)\s+(?:son|daughter|child|kid|brother|sister|grandson|granddaughter|"
    r"nephew|niece|baby|foster\s+(?:son|daughter|child)|social\s+worker|sw)"
    r"(?:\s*,|\s+(?:is\s+)?(?:called|named))?)"
)
# Words that follow "I am", "my son" etc. but are not names.
_NOT_A_NAME_WORDS = """a an the and or but not no so very really just only also still too at in
    on of for to with from by about is was be been being am are were it this that there here he
    she they we you i me my his her their our your going gonna writing complaining calling
    ringing trying told feeling scared worried upset angry sad fine ok okay happy unhappy sorry
    disabled autistic aged age years year old months month foster parent mum mom dad mother
    father carer guardian grandparent grandmother grandfather nan nana grandad special social
    worker sw who what when where why how because as if than then now bullied hurt homeless
    pregnant living staying care leaving"""
_NOT_A_NAME = frozenset(_NOT_A_NAME_WORDS.split())
_NAME_WORD = r"[A-Za-z][A-Za-z'-]{1,30}"
_NAME_INTRO = re.compile(
    rf"\b(?P<lead>{_INTRO})\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)",
    re.IGNORECASE,
)


def _redact_name(match: re.Match[str]) -> str:
    lead = match.group("lead")
    words = match.group("name").split()
    if not words or words[0].lower() in _NOT_A_NAME:
        return match.group(0)
    # "I am"/"this is" introduce a name only when it is capitalised ("I am Jo").
    weak_lead = re.fullmatch(r"(?:this\s+is|i\s+am|i'm|im)", lead.strip(), re.IGNORECASE)
    if weak_lead and not words[0][0].isupper():
        return match.group(0)
    # Keep the second word unless it also looks like a surname (capitalised, not a stopword).
    if len(words) == 2 and (words[1].lower() in _NOT_A_NAME or not words[1][0].isupper()):
        return f"{lead} [NAME] {words[1]}"
    return f"{lead} [NAME]"


def redact(text: str) -> str:
    """Replace personal data in ``text`` with placeholders such as ``[EMAIL]``.

    Covers email addresses, UK phone numbers, postcodes, National Insurance and NHS
    numbers, dates of birth, and names introduced as names ("my name is ...",
    "I'm called ...", "my son Sam ...").
    """
    if not text:
        return text
    text = _EMAIL.sub("[EMAIL]", text)
    text = _DOB.sub(lambda m: f"{m.group('lead')}[DOB]", text)
    text = _PHONE.sub("[PHONE]", text)
    text = _NI_NUMBER.sub("[NI_NUMBER]", text)
    text = _NHS_NUMBER.sub("[NHS_NUMBER]", text)
    text = _POSTCODE.sub("[POSTCODE]", text)
    text = _NAME_INTRO.sub(_redact_name, text)
    return text
