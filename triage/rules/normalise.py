"""Text normalisation shared by the rules and the model.

Children and young people write the way they text. The rules and the model both read
"u dont no wot ur sw sed" as "you don't know what your social worker said", so a lexicon
phrase written once matches either spelling.
"""

from __future__ import annotations

import re

# Whole-word replacements, lower case. Kept small and unambiguous: "no" -> "know" is
# left out because "no" is usually a negation.
TEXT_SPEAK: dict[str, str] = {
    "u": "you",
    "ya": "you",
    "yu": "you",
    "ur": "your",
    "youre": "you're",
    "r": "are",
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "ill": "i'll",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "cant": "can't",
    "wont": "won't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "werent": "weren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "shouldnt": "shouldn't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "aint": "ain't",
    "thats": "that's",
    "theyre": "they're",
    "theyve": "they've",
    "wot": "what",
    "wat": "what",
    "wen": "when",
    "coz": "because",
    "cos": "because",
    "cuz": "because",
    "bc": "because",
    "b4": "before",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ppl": "people",
    "sed": "said",
    "sw": "social worker",
    "sws": "social workers",
    "s/w": "social worker",
    "iro": "independent reviewing officer",
    "fc": "foster carer",
    "fcs": "foster carers",
    "lac": "looked after child",
    "cla": "child looked after",
    "sgo": "special guardianship order",
    "cp": "child protection",
    "cin": "child in need",
    "pa": "personal adviser",
    "mum's": "mum's",
    "mam": "mum",
    "mom": "mum",
    "ma": "mum",
    "n": "and",
    "nd": "and",
    "wiv": "with",
    "wid": "with",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "kinda": "kind of",
    "hes": "he's",
    "shes": "she's",
    "tho": "though",
    "2day": "today",
    "2moro": "tomorrow",
    "tmrw": "tomorrow",
    "nite": "night",
    "luv": "love",
    "skool": "school",
    "scool": "school",
    "hurts": "hurts",
    "m8": "mate",
    "2": "to",
}

_WORD = re.compile(r"[a-z0-9/']+")
_NUMBER_BEFORE_UNIT = re.compile(r"\s*(?:years?|yrs?|months?|weeks?|days?|am|pm|%)\b")
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})


def normalise(text: str) -> str:
    """Lower-case ``text``, straighten quotes and expand common text-speak."""
    text = text.translate(_APOSTROPHES).lower()

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        # "2" is "to" only when it is not a number ("2 years ago", "age 2").
        if word == "2" and _NUMBER_BEFORE_UNIT.match(text, match.end()):
            return word
        if word == "2" and match.start() > 0 and text[match.start() - 1].isdigit():
            return word
        return TEXT_SPEAK.get(word, word)

    text = _WORD.sub(replace, text)
    return _SPACES.sub(" ", text).strip()
