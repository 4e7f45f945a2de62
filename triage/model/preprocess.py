"""spaCy preprocessing: normalised lemmas with negation marks, and pattern features.

A blank English pipeline with the lookup lemmatizer (spacy-lookups-data) keeps this
offline and fast. Each complaint becomes two strings the scikit-learn pipelines read:
the lemma text ("social worker not_ring i back") and the pattern text
("PAT_court PAT_ago_years COMPLAINANT_child").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher

from triage.rules import Complaint, check_corporate, check_exclusions, find_disclosures
from triage.rules.normalise import normalise

MAX_MODEL_CHARS = 5000
# Causes are also scored sentence by sentence (see ``pipelines.pool_sentences``).
MAX_SENTENCES = 25
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")

PHRASES: dict[str, tuple[str, ...]] = {
    "court": (
        "court",
        "judge",
        "magistrate",
        "magistrates",
        "care proceedings",
        "court order",
        "hearing",
        "cafcass",
        "solicitor",
        "barrister",
        "placement order",
        "contact order",
        "child arrangements order",
        "final hearing",
        "appeal",
    ),
    "school": (
        "school",
        "teacher",
        "head teacher",
        "headteacher",
        "senco",
        "ehcp",
        "sen",
        "exclusion",
        "excluded",
        "admissions",
        "academy",
        "college",
        "classroom",
        "tribunal",
    ),
    "payment": (
        "allowance",
        "allowances",
        "payment",
        "payments",
        "paid",
        "pay",
        "fee",
        "fees",
        "money",
        "mileage",
        "expenses",
        "invoice",
        "arrears",
        "backdated",
        "financial",
        "means test",
        "charge",
        "charged",
        "bill",
    ),
    "health": (
        "nhs",
        "gp",
        "doctor",
        "hospital",
        "camhs",
        "nurse",
        "midwife",
        "health visitor",
        "paediatrician",
        "ambulance",
        "a&e",
        "mental health team",
    ),
    "police": ("police", "officer arrested", "arrested", "custody", "probation", "pc"),
    "subject_access": (
        "subject access",
        "subject access request",
        "sar",
        "my file",
        "my records",
        "copy of my file",
        "data protection",
        "gdpr",
        "information commissioner",
        "ico",
        "records",
        "file",
    ),
    "complaint_process": (
        "complaint",
        "complained",
        "complaints",
        "stage 1",
        "stage 2",
        "stage one",
        "stage two",
        "investigation",
        "ombudsman",
        "response",
        "acknowledged",
    ),
    "neighbour": ("neighbour", "neighbours", "next door", "member of the public", "parked"),
    "other_body": (
        "nursery",
        "pre-school",
        "preschool",
        "university",
        "job centre",
        "jobcentre",
        "home office",
        "student finance",
        "child maintenance",
        "housing association",
        "refuge",
        "bus company",
        "charity",
        "independent fostering agency",
        "regional adoption agency",
        "agency",
        "dentist",
        "clinic",
        "therapy service",
        "wheelchair service",
        "psychiatrist",
        "pcso",
        "ombudsman",
        "dwp",
        "universal credit",
        "not the council",
        "run by",
    ),
    "employment": (
        "overtime",
        "grievance",
        "hr",
        "job evaluation",
        "my team manager",
        "my line manager",
        "caseloads",
        "employed by the council",
        "my employer",
        "salary",
    ),
    "data_rights": (
        "gdpr",
        "data protection",
        "right to erasure",
        "data subject",
        "blacked out",
        "redacted",
        "my files",
        "my records",
        "adoption records",
        "access to records",
    ),
    "customer_service": (
        "reception",
        "receptionist",
        "front desk",
        "website",
        "online form",
        "phone system",
        "phone menu",
        "switchboard",
        "voicemail",
        "on hold",
        "newsletter",
        "leaflet",
        "parking",
        "car park",
        "lift",
        "toilet",
        "building",
        "office",
        "council tax",
        "finance department",
        "payments team",
        "debt recovery",
        "invoice",
        "consultation",
        "policy",
        "spending",
        "cuts",
        "closure",
        "close the",
        "staff car",
        "admin team",
    ),
    "fostering_cue": (
        "foster carer",
        "foster carers",
        "fostering",
        "foster placement",
        "supervising social worker",
        "fostering panel",
        "foster child",
        "foster son",
        "foster daughter",
    ),
    "sgo_cue": (
        "special guardian",
        "special guardianship",
        "sgo",
        "special guardianship order",
        "kinship",
        "kinship carer",
        "connected person",
        "grandparent carer",
    ),
    "adoption_cue": (
        "adoption",
        "adopted",
        "adopter",
        "adopters",
        "adoptive",
        "adoption support",
        "letterbox",
        "birth family",
        "post adoption",
    ),
    "care_leaver_cue": (
        "care leaver",
        "care leavers",
        "leaving care",
        "personal adviser",
        "pathway plan",
        "staying put",
        "local offer",
        "setting up home",
        "leaving care grant",
    ),
    "disability_cue": (
        "disabled",
        "disability",
        "disabilities",
        "autism",
        "autistic",
        "short breaks",
        "respite",
        "adaptations",
        "wheelchair",
        "complex needs",
        "learning disability",
        "occupational therapist",
    ),
    "child_protection_cue": (
        "child protection",
        "child protection plan",
        "child protection conference",
        "strategy meeting",
        "section 47",
        "s47",
        "core group",
        "conference",
        "risk",
    ),
    "early_help_cue": (
        "early help",
        "family hub",
        "family support",
        "children's centre",
        "parenting course",
        "family support worker",
        "team around the family",
    ),
    "looked_after_cue": (
        "in care",
        "looked after",
        "children's home",
        "placement",
        "iro",
        "independent reviewing officer",
        "care plan",
        "lac review",
        "looked after review",
        "contact",
        "family time",
    ),
    "assessment_cue": (
        "assessment",
        "assessed",
        "front door",
        "mash",
        "referral",
        "single assessment",
        "child and family assessment",
    ),
    "child_in_need_cue": ("child in need", "cin", "section 17", "cin plan", "in need"),
}
_MONTH_WORDS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
_NUMBER_WORDS = ["a", "an", "one", "two", "three", "four", "five", "six", "few", "couple"]
_NEGATION_CUES = frozenset({"not", "n't", "never", "no", "nobody", "nothing", "nor", "without"})
_NEGATION_STOP = frozenset({".", ",", ";", "!", "?", "but", "and", "because", "so", "though"})


@dataclass(frozen=True)
class Analysed:
    """A complaint as the classifiers read it."""

    words: str
    patterns: str
    truncated_at: int | None
    # The normalised text as written, for word n-grams that keep what lemmas and negation
    # marks fold together ("was told" v "told", "still not" v "not").
    phrases: str = ""


def _token_patterns() -> dict[str, list[list[dict[str, Any]]]]:
    number = {"LIKE_NUM": True}
    word_number = {"LOWER": {"IN": _NUMBER_WORDS}}
    years = {"LOWER": {"IN": ["year", "years", "yr", "yrs"]}}
    months = {"LOWER": {"IN": ["month", "months"]}}
    weeks = {"LOWER": {"IN": ["week", "weeks", "day", "days"]}}
    month_name = {"LOWER": {"IN": _MONTH_WORDS}}
    return {
        "ago_years": [[n, years, {"LOWER": "ago"}] for n in (number, word_number)]
        + [
            [{"LOWER": {"IN": ["over", "more"]}}, {"OP": "?"}, word_number, years, {"LOWER": "ago"}]
        ],
        "ago_months": [[n, months, {"LOWER": "ago"}] for n in (number, word_number)],
        "ago_weeks": [[n, weeks, {"LOWER": "ago"}] for n in (number, word_number)],
        "last_month_name": [[{"LOWER": {"IN": ["last", "since", "in"]}}, month_name]],
        "month_year": [[month_name, {"SHAPE": "dddd"}]],
        "year": [[{"LOWER": {"IN": ["in", "since", "from"]}}, {"SHAPE": "dddd"}]],
        "duration": [
            [
                {"LOWER": {"IN": ["for", "over"]}},
                n,
                {
                    "LOWER": {
                        "IN": ["year", "years", "month", "months", "week", "weeks", "day", "days"]
                    }
                },
            ]
            for n in (number, word_number)
        ],
        "waiting": [
            [{"LEMMA": {"IN": ["wait", "chase"]}}],
            [{"LOWER": "still"}, {"LOWER": "waiting"}],
        ],
        "no_reply": [
            [
                {"LOWER": {"IN": ["no", "never"]}},
                {
                    "LOWER": {
                        "IN": [
                            "reply",
                            "response",
                            "answer",
                            "call",
                            "replied",
                            "responded",
                            "answered",
                        ]
                    }
                },
            ]
        ],
    }


@lru_cache(maxsize=1)
def build_nlp() -> tuple[Language, PhraseMatcher, Matcher]:
    """Build the blank English pipeline and the matchers (once per process)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, terms in PHRASES.items():
        phrases.add(label, [nlp.make_doc(term) for term in terms])
    matcher = Matcher(nlp.vocab)
    for label, patterns in _token_patterns().items():
        matcher.add(label, patterns)
    return nlp, phrases, matcher


def _words(doc: spacy.tokens.Doc) -> str:
    out: list[str] = []
    negate = 0
    for token in doc:
        lower = token.lower_
        if lower in _NEGATION_STOP or token.is_punct:
            negate = 0
            continue
        if token.is_space:
            continue
        if lower in _NEGATION_CUES or lower == "not":
            out.append("not")
            negate = 3
            continue
        word = "NUM" if token.like_num else (token.lemma_ or lower).lower()
        if negate and token.is_alpha and not token.is_stop:
            word = f"not_{word}"
            negate -= 1
        out.append(word)
    return " ".join(out)


def _patterns(doc: spacy.tokens.Doc, text: str, complainant: str | None) -> list[str]:
    _, phrases, matcher = build_nlp()
    labels = {f"PAT_{doc.vocab.strings[match_id]}" for match_id, _, _ in phrases(doc)}
    labels |= {f"PAT_{doc.vocab.strings[match_id]}" for match_id, _, _ in matcher(doc)}
    complaint = Complaint(text=text, complainant=complainant)
    for disclosure in find_disclosures(text):
        prefix = "SGNEG" if disclosure.negated else "SG"
        labels.add(f"{prefix}_{disclosure.kind.replace(' ', '_').replace('-', '_')}")
    for finding in (*check_exclusions(complaint), *check_corporate(complaint)):
        labels.add(f"RULE_{finding.rule}")
    labels.add(f"COMPLAINANT_{complainant or 'unknown'}")
    return sorted(labels)


def analyse(
    texts: Sequence[str], complainants: Iterable[str | None] | None = None, batch_size: int = 64
) -> list[Analysed]:
    """Preprocess complaints for the classifiers (text truncated to MAX_MODEL_CHARS)."""
    nlp, _, _ = build_nlp()
    complainants = list(complainants) if complainants is not None else [None] * len(texts)
    clipped = [t[:MAX_MODEL_CHARS] for t in texts]
    normalised = [normalise(t) for t in clipped]
    out: list[Analysed] = []
    for doc, text, original, complainant in zip(
        nlp.pipe(normalised, batch_size=batch_size), clipped, texts, complainants, strict=True
    ):
        truncated = MAX_MODEL_CHARS if len(original) > MAX_MODEL_CHARS else None
        patterns = " ".join(_patterns(doc, text, complainant))
        out.append(Analysed(_words(doc), patterns, truncated, doc.text))
    return out


def sentences(text: str) -> list[str]:
    """The sentences of three words or more (the first MAX_SENTENCES), or [] if under two."""
    parts = [
        part.strip()
        for part in _SENTENCE_BREAK.split(text[:MAX_MODEL_CHARS])
        if len(part.split()) >= 3
    ]
    return parts[:MAX_SENTENCES] if len(parts) >= 2 else []


def as_matrix(analysed: Sequence[Analysed]) -> Any:
    """The three-column object array (words, patterns, phrases) the pipelines take."""
    import numpy as np

    matrix = np.empty((len(analysed), 3), dtype=object)
    for row, item in enumerate(analysed):
        matrix[row, 0] = item.words
        matrix[row, 1] = item.patterns
        matrix[row, 2] = item.phrases
    return matrix
