"""Reading a message for danger, and for matters another organisation handles."""

from __future__ import annotations

import pytest

from bot.actions.screening import SIGNPOSTS, discloses_danger, signpost_for


@pytest.mark.parametrize(
    "text",
    [
        "my dad hits me every night",
        "he hits me",
        "I want to kill myself",
        "i am not safe at home",
        "someone is hurting me",
    ],
)
def test_the_safeguarding_lexicon_finds_danger(text: str) -> None:
    assert discloses_danger(text)


@pytest.mark.parametrize(
    "text", ["", "   ", None, "my social worker is late", "he does not hit me", "stop"]
)
def test_ordinary_or_negated_words_are_not_danger(text: str | None) -> None:
    assert not discloses_danger(text)


def test_the_nlu_intent_alone_is_enough() -> None:
    assert discloses_danger("i cant say", intent="disclose_danger")
    assert discloses_danger(None, intent="disclose_danger")
    assert not discloses_danger("i cant say", intent="inform")


@pytest.mark.parametrize(
    ("text", "signpost"),
    [
        ("my school excluded me and the head teacher is unfair", "utter_signpost_school"),
        ("the family court judge decided I live with dad", "utter_signpost_court"),
        ("the court case is unfair", "utter_signpost_court"),
        ("I want a copy of my records from social services", "utter_signpost_records"),
        ("I want to see my file", "utter_signpost_records"),
        (
            "we want to appeal the conference decision to put her on a plan",
            "utter_signpost_conference",
        ),
        ("the agency decision maker said we were not suitable to adopt", "utter_signpost_approval"),
        ("the police were rude to me", "utter_signpost_police"),
        ("the police officer arrested my brother", "utter_signpost_police"),
        ("the pcso was rude to my son", "utter_signpost_police"),
        ("the gp refused to see me", "utter_signpost_nhs"),
        ("CAMHS waiting list is too long", "utter_signpost_nhs"),
        ("complain about the hospital", "utter_signpost_nhs"),
        ("the midwife was rude to me", "utter_signpost_nhs"),
        ("the housing association refused to fix the damp", "utter_signpost_other"),
        ("the ombudsman decided against me", "utter_signpost_other"),
        # Bug fixed: "nurse" matched inside "nursery", and "officer" sent probation to police.
        ("the nursery was mean to my daughter", "utter_signpost_other"),
        ("the probation officer never calls me back", "utter_signpost_other"),
    ],
)
def test_signpost_for(text: str, signpost: str) -> None:
    assert signpost_for(text) == signpost


@pytest.mark.parametrize(
    "text", ["", None, "my social worker never visits", "I said bye to my mates at school"]
)
def test_council_matters_are_not_signposted(text: str | None) -> None:
    assert signpost_for(text) is None


def test_every_signpost_is_a_response_in_the_domain() -> None:
    from pathlib import Path

    domain = (Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8")
    for response in SIGNPOSTS.values():
        assert f"  {response}:\n" in domain
