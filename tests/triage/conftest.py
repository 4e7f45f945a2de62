"""Fixtures for the triage tests: a small labelled corpus and a model trained on it once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# (text, complainant, route, causes, service_area, safeguarding)
SEEDS: list[tuple[str, str, str, list[str], str, bool]] = [
    (
        "my social worker never rings me back and nobody tells me about contact",
        "child",
        "statutory",
        ["communication"],
        "looked_after_children",
        False,
    ),
    (
        "i have had four social workers this year and none of them visit me",
        "child",
        "statutory",
        ["service_failure"],
        "looked_after_children",
        False,
    ),
    (
        "they moved my placement with no warning and i lost all my stuff",
        "child",
        "statutory",
        ["disputed_decision"],
        "looked_after_children",
        False,
    ),
    (
        "the assessment of my son took five months and is full of mistakes",
        "parent",
        "statutory",
        ["delay", "record_accuracy"],
        "assessment",
        False,
    ),
    (
        "the social worker was rude to me and laughed at my concerns in the meeting",
        "parent",
        "statutory",
        ["staff_conduct"],
        "child_protection",
        False,
    ),
    (
        "the child protection conference minutes say things I never said",
        "parent",
        "statutory",
        ["record_accuracy"],
        "child_protection",
        False,
    ),
    (
        "we asked for respite for our disabled daughter and were refused",
        "parent",
        "statutory",
        ["lack_of_support"],
        "children_with_disabilities",
        False,
    ),
    (
        "my pathway plan was never done and my personal adviser does not reply",
        "child",
        "statutory",
        ["service_failure", "communication"],
        "care_leavers",
        False,
    ),
    (
        "the adoption support assessment has been delayed for months",
        "parent",
        "statutory",
        ["delay"],
        "adoption",
        False,
    ),
    (
        "he hits me at home and I am scared to go home tonight",
        "child",
        "statutory",
        ["lack_of_support"],
        "child_protection",
        True,
    ),
    (
        "my allowance as a foster carer is three weeks late again",
        "foster_carer",
        "corporate",
        ["finance"],
        "fostering",
        False,
    ),
    (
        "the fostering payments team paid the wrong amount and never replied",
        "foster_carer",
        "corporate",
        ["finance", "communication"],
        "fostering",
        False,
    ),
    (
        "the receptionist at the council offices was rude and kept me waiting an hour",
        "parent",
        "corporate",
        ["staff_conduct"],
        "other",
        False,
    ),
    (
        "the council website form times out and loses my message",
        "parent",
        "corporate",
        ["service_failure"],
        "other",
        False,
    ),
    (
        "I am a neighbour and the social workers park across my drive every week",
        "other",
        "corporate",
        ["staff_conduct"],
        "other",
        False,
    ),
    (
        "the judge decided I cannot see my children and I want it overturned",
        "parent",
        "outside_procedure",
        ["disputed_decision"],
        "child_protection",
        False,
    ),
    (
        "the school excluded my son and the head teacher will not listen",
        "parent",
        "outside_procedure",
        ["disputed_decision"],
        "other",
        False,
    ),
    (
        "I want a copy of my file from when I was in care under subject access",
        "child",
        "outside_procedure",
        ["record_accuracy"],
        "care_leavers",
        False,
    ),
    (
        "the police officer was rude when he came to the house",
        "parent",
        "outside_procedure",
        ["staff_conduct"],
        "other",
        False,
    ),
    (
        "camhs waiting list is eighteen months and my daughter needs help",
        "parent",
        "outside_procedure",
        ["delay"],
        "other",
        False,
    ),
]
VARIANTS = (
    "",
    " This has happened again.",
    " Please can someone help.",
    " I am really upset about it.",
    " Nobody listens.",
)


def write_corpus(folder: Path, variants: tuple[str, ...] = VARIANTS) -> Path:
    """Write a tiny corpus (each seed with a few endings) to ``folder/corpus.jsonl``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for text, complainant, route, causes, area, safeguarding in SEEDS:
            for ending in variants:
                handle.write(
                    json.dumps(
                        {
                            "text": text + ending,
                            "complainant": complainant,
                            "route": route,
                            "causes": causes,
                            "service_area": area,
                            "safeguarding": safeguarding,
                            "source": "test",
                        }
                    )
                    + "\n"
                )
    return path


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the small test corpus."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder)
    return folder


@pytest.fixture(scope="session")
def model_dir(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained once per session on the small corpus (grid search included)."""
    from triage.model.train import train

    out = tmp_path_factory.mktemp("model")
    empty_feedback = tmp_path_factory.mktemp("no-feedback")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRIAGE_N_JOBS", "1")  # a process pool costs more than it saves here
        train(corpus_dir, out, empty_feedback)
    return out


@pytest.fixture(scope="session")
def triager(model_dir: Path):
    """The triager loaded from the session's model."""
    import triage

    return triage.load(model_dir)
