import json
import shutil
from pathlib import Path

from triage.corpus import Example
from triage.model.evaluate import NESTED, evaluate, folds_for, score, summary


def example(route: str, safeguarding: bool = False) -> Example:
    return Example("text", "child", route, ("delay",), "assessment", safeguarding)


def test_score_reports_statutory_recall_and_the_confusion_matrix():
    examples = [example("statutory"), example("statutory"), example("corporate", True)]
    predictions = [
        {
            "route": "statutory",
            "causes": ["delay"],
            "service_area": "assessment",
            "safeguarding": False,
        },
        {"route": "corporate", "causes": ["delay"], "service_area": "other", "safeguarding": False},
        {
            "route": "corporate",
            "causes": ["delay"],
            "service_area": "assessment",
            "safeguarding": True,
        },
    ]
    metrics = score(examples, predictions)
    assert metrics["statutory_recall"] == 0.5
    assert metrics["route_confusion"]["matrix"] == [[1, 1], [0, 1]]
    assert metrics["causes_micro_f1"] == 1.0
    assert metrics["safeguarding_recall"] == 1.0


def test_folds_are_stratified_and_reproducible():
    examples = [example("statutory")] * 10 + [example("corporate")] * 5
    first, second = folds_for(examples, 5), folds_for(examples, 5)
    assert [list(t) for _, t in first] == [list(t) for _, t in second]
    assert all(sum(examples[i].route == "corporate" for i in test) == 1 for _, test in first)


def test_evaluate_writes_metrics_json_and_a_summary(corpus_dir: Path, model_dir: Path, tmp_path):
    out = tmp_path / "model"
    shutil.copytree(model_dir, out)
    metrics = evaluate(corpus_dir, out, tmp_path / "no-feedback", folds=3)
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["folds"] == 3 and "route_report" in saved["system"]
    text = summary(metrics)
    assert "statutory_recall" in text and "metrics written to" in text


def test_evaluate_chooses_hyperparameters_inside_each_fold_by_default(
    corpus_dir: Path, model_dir: Path, tmp_path
):
    out = tmp_path / "model"
    shutil.copytree(model_dir, out)
    evaluate(corpus_dir, out, tmp_path / "no-feedback", folds=3)
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["hyperparameters_from"] == NESTED
    assert "nested" in summary(saved)


def test_evaluate_can_reuse_the_saved_models_hyperparameters(
    corpus_dir: Path, model_dir: Path, tmp_path
):
    out = tmp_path / "model"
    shutil.copytree(model_dir, out)
    evaluate(corpus_dir, out, tmp_path / "no-feedback", folds=3, nested=False)
    saved = json.loads((out / "metrics.json").read_text())
    assert (
        saved["hyperparameters_from"]
        == json.loads((out / "metadata.json").read_text())["model_version"]
    )


def test_nested_evaluation_searches_on_the_training_rows_only(corpus_dir: Path, monkeypatch):
    from triage.corpus import data_files, load_examples
    from triage.model import evaluate as evaluation

    examples, _, _ = load_examples(data_files(corpus_dir, corpus_dir / "no-feedback"))
    folds = folds_for(examples, 3)
    calls = []
    real_fit = evaluation.fit_models

    def recording_fit(train_examples, X, **kwargs):
        calls.append((list(train_examples), kwargs["search"], kwargs["fixed"]))
        return real_fit(train_examples, X, **kwargs)

    monkeypatch.setattr(evaluation, "fit_models", recording_fit)
    evaluation.cross_validated_predictions(examples, folds, {"params": {}}, nested=True)
    for (train_examples, search, fixed), (_, test_idx) in zip(calls, folds, strict=True):
        held_out = {examples[i].text for i in test_idx}
        assert search and fixed is None
        assert not held_out & {e.text for e in train_examples}
