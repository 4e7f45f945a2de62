import json
import shutil
from pathlib import Path

from triage.corpus import Example
from triage.model.evaluate import evaluate, folds_for, score, summary


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
    assert (
        saved["hyperparameters_from"]
        == json.loads((out / "metadata.json").read_text())["model_version"]
    )
    text = summary(metrics)
    assert "statutory_recall" in text and "metrics written to" in text
