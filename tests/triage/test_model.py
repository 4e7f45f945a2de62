"""Smoke test of the whole flow: train on a small corpus, load, predict."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import triage
from triage.types import CAUSES, ROUTES, SERVICE_AREAS


def test_importing_triage_does_not_load_spacy_or_sklearn():
    code = (
        "import sys, triage; "
        "assert 'spacy' not in sys.modules and 'sklearn' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_load_without_a_model_raises_model_not_found(tmp_path: Path):
    with pytest.raises(triage.ModelNotFound):
        triage.load(tmp_path)


def test_training_saves_the_artefact_and_its_metadata(model_dir: Path):
    metadata = json.loads((model_dir / "metadata.json").read_text())
    assert (model_dir / "model.skops").is_file()
    assert len(metadata["data_sha256"]) == 64
    assert {"scikit-learn", "spacy", "skops"} <= set(metadata["versions"])
    assert "route_macro_f1" in metadata["cv_scores"]
    assert metadata["trained_at"] and metadata["model_version"].startswith(metadata["trained_at"])


def test_trained_model_predicts_valid_labels(triager):
    result = triager.predict("my social worker never rings me back", complainant="child")
    assert result.route in ROUTES
    assert result.causes and set(result.causes) <= set(CAUSES)
    assert result.service_area in SERVICE_AREAS
    assert 0.0 <= result.confidence <= 1.0
    assert result.model_version == triager.model_version
    assert result.reasons


def test_trained_model_learns_the_obvious_cases(triager):
    assert triager.predict("the judge decided I cannot see my children").route == (
        "outside_procedure"
    )
    assert triager.predict("he hits me and I am scared to go home", "child").safeguarding


def test_empty_text_raises_invalid_input(triager):
    with pytest.raises(triage.InvalidInput):
        triager.predict("   ")


def test_unknown_complainant_raises_invalid_input(triager):
    with pytest.raises(ValueError, match="complainant"):
        triager.predict("hello", complainant="martian")


def test_explanation_lists_top_weighted_features(triager):
    result = triager.predict("the school excluded my son", "parent", explain=True)
    explanation = result.to_dict()["explanation"]
    assert explanation["route"]["features"]
    assert "service_area" in explanation


def test_model_dir_defaults_to_the_environment(monkeypatch, model_dir: Path):
    monkeypatch.setenv("TRIAGE_MODEL_DIR", str(model_dir))
    assert (
        triage.load().model_version
        == json.loads((model_dir / "metadata.json").read_text())["model_version"]
    )


def test_concurrent_predictions_match_sequential_ones(triager):
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        "the judge decided I cannot see my children",
        "my allowance as a foster carer is three weeks late again",
        "my social worker never rings me back",
    ] * 4
    expected = [triager.predict(t).to_dict() for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda t: triager.predict(t).to_dict(), texts))
    assert got == expected


def test_route_thresholds_chosen_in_training_are_saved_and_used(model_dir: Path, triager):
    from triage.model.train import OUTSIDE_MINIMUMS, STATUTORY_MARGINS

    metadata = json.loads((model_dir / "metadata.json").read_text())
    assert metadata["outside_minimum"] in OUTSIDE_MINIMUMS
    assert metadata["statutory_margin"] in STATUTORY_MARGINS
    assert "route_statutory_recall_decided" in metadata["cv_scores"]
    scores = triager.model.scores("my social worker never rings me back", "child")
    assert scores.outside_minimum == metadata["outside_minimum"]
    assert scores.statutory_margin == metadata["statutory_margin"]


def test_cause_sentence_weight_is_saved_and_lets_a_sentence_raise_a_cause(model_dir, triager):
    from triage.model.predictor import Model
    from triage.model.train import CAUSE_SENTENCE_WEIGHTS

    metadata = json.loads((model_dir / "metadata.json").read_text())
    assert metadata["cause_sentence_weight"] in CAUSE_SENTENCE_WEIGHTS
    text = (
        "The assessment of my son took five months. Nobody rings me back. "
        "The social worker was rude to me at the meeting."
    )
    bundle = triager.model.bundle

    def probabilities(weight: float) -> dict[str, float]:
        model = Model({**bundle, "cause_sentence_weight": weight}, triager.model.metadata)
        return model.scores(text, "parent").cause_probabilities

    whole, pooled = probabilities(0.0), probabilities(1.0)
    assert all(pooled[c] >= whole[c] - 1e-12 for c in whole)
    assert any(pooled[c] > whole[c] + 1e-6 for c in whole)
