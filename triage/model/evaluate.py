"""Stratified k-fold evaluation of the whole triage (rules + model + decide)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import StratifiedKFold

from triage.corpus import Example, data_files, load_examples
from triage.decide import decide
from triage.model import artefacts
from triage.model.pipelines import SEED
from triage.model.predictor import Model
from triage.model.preprocess import analyse, as_matrix
from triage.model.train import fit_models, n_jobs
from triage.rules import Complaint, apply_rules
from triage.types import CAUSES, ROUTES, SERVICE_AREAS

METRICS_FILE = "metrics.json"
NESTED = "nested: chosen inside each training fold"


def folds_for(examples: Sequence[Example], k: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified (by route) train/test index pairs, seeded so every comparison shares them."""
    routes = [e.route for e in examples]
    smallest = min(routes.count(r) for r in set(routes))
    k = max(2, min(k, smallest))
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED)
    return list(splitter.split(np.zeros(len(routes)), routes))


def score(examples: Sequence[Example], predictions: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per-label precision/recall/F1, confusion matrix and headline figures."""
    true_route = [e.route for e in examples]
    pred_route = [p["route"] for p in predictions]
    route_labels = [r for r in ROUTES if r in true_route or r in pred_route]
    true_area = [e.service_area for e in examples]
    pred_area = [p["service_area"] for p in predictions]
    area_labels = [a for a in SERVICE_AREAS if a in true_area or a in pred_area]
    true_causes = np.array([[c in e.causes for c in CAUSES] for e in examples], dtype=int)
    pred_causes = np.array([[c in p["causes"] for c in CAUSES] for p in predictions], dtype=int)
    true_sg = np.array([e.safeguarding for e in examples], dtype=int)
    pred_sg = np.array([bool(p["safeguarding"]) for p in predictions], dtype=int)
    p, r, f, s = precision_recall_fscore_support(
        true_causes, pred_causes, average=None, zero_division=0
    )
    sg_p, sg_r, sg_f, _ = precision_recall_fscore_support(
        true_sg, pred_sg, average="binary", zero_division=0
    )
    route_report = classification_report(
        true_route, pred_route, labels=route_labels, output_dict=True, zero_division=0
    )
    return {
        "n": len(examples),
        "route_macro_f1": f1_score(
            true_route, pred_route, labels=route_labels, average="macro", zero_division=0
        ),
        "statutory_recall": route_report.get("statutory", {}).get("recall", 0.0),
        "causes_micro_f1": f1_score(true_causes, pred_causes, average="micro", zero_division=0),
        "service_area_accuracy": accuracy_score(true_area, pred_area),
        "safeguarding_recall": sg_r,
        "safeguarding_precision": sg_p,
        "safeguarding_f1": sg_f,
        "route_report": route_report,
        "route_confusion": {
            "labels": route_labels,
            "matrix": confusion_matrix(true_route, pred_route, labels=route_labels).tolist(),
        },
        "service_area_report": classification_report(
            true_area, pred_area, labels=area_labels, output_dict=True, zero_division=0
        ),
        "causes_report": {
            cause: {
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1-score": float(f[i]),
                "support": int(s[i]),
            }
            for i, cause in enumerate(CAUSES)
        },
        "needs_review_rate": float(np.mean([bool(p.get("needs_review")) for p in predictions])),
    }


def cross_validated_predictions(
    examples: Sequence[Example],
    folds: Sequence[tuple[np.ndarray, np.ndarray]],
    fixed: dict[str, Any] | None = None,
    today: date | None = None,
    *,
    nested: bool = False,
    jobs: int = 1,
    statutory_floor: float | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
    """Out-of-fold results of the full triage and of the model alone, and training seconds.

    With ``nested`` every fold repeats the whole selection (grid search and thresholds) on
    its own training part, so the test fold never influences a choice: the honest figure.
    Otherwise the hyperparameters in ``fixed`` (a saved model's metadata, chosen on all
    the data) are reused, which is quicker but slightly optimistic.
    """
    X = as_matrix(analyse([e.text for e in examples], [e.complainant for e in examples]))
    today = today or date.today()
    system: list[dict[str, Any]] = [{} for _ in examples]
    model_only: list[dict[str, Any]] = [{} for _ in examples]
    train_seconds = 0.0
    for fold, (train_idx, test_idx) in enumerate(folds):
        started = time.perf_counter()
        fitted = fit_models(
            [examples[i] for i in train_idx],
            X[train_idx],
            search=nested,
            jobs=jobs,
            fixed=None if nested else fixed,
            today=today,
            statutory_floor=statutory_floor,
        )
        train_seconds += time.perf_counter() - started
        model = Model(artefacts.as_bundle(fitted), {"model_version": f"cv-fold-{fold}"})
        for i in test_idx:
            example = examples[i]
            scores = model.scores(example.text, example.complainant)
            findings = apply_rules(Complaint(example.text, example.complainant), today)
            system[i] = decide(findings, scores).to_dict()
            model_only[i] = {
                "route": max(scores.route, key=scores.route.__getitem__),
                "causes": list(scores.causes),
                "service_area": max(scores.service_area, key=scores.service_area.__getitem__),
                "safeguarding": scores.safeguarding >= scores.safeguarding_threshold,
                "route_probabilities": scores.route,
                "safeguarding_score": scores.safeguarding,
            }
    return system, model_only, train_seconds / max(1, len(folds))


def evaluate(
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    feedback_dir: Path | None = None,
    *,
    folds: int = 5,
    nested: bool = True,
) -> dict[str, Any]:
    """Cross-validate rules + model on the corpus and write ``metrics.json`` to the model dir.

    By default (``nested``) each fold selects its own hyperparameters and thresholds on its
    training part only. With ``nested=False`` the saved model's hyperparameters are reused
    when there is one (quicker, slightly optimistic), else the pipeline defaults.
    """
    directory = artefacts.model_dir(out_dir)
    examples, digest, _ = load_examples(data_files(data_dir, feedback_dir))
    if len(examples) < 10:
        raise ValueError(f"need at least 10 examples to evaluate, got {len(examples)}")
    fixed: dict[str, Any] = {}
    if not nested and (directory / artefacts.METADATA_FILE).is_file():
        fixed = json.loads((directory / artefacts.METADATA_FILE).read_text(encoding="utf-8"))
    splits = folds_for(examples, folds)
    system, model_only, _ = cross_validated_predictions(
        examples, splits, fixed, nested=nested, jobs=n_jobs()
    )
    source = NESTED if nested else fixed.get("model_version", "pipeline defaults")
    metrics = {
        "evaluated_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data_sha256": digest,
        "folds": len(splits),
        "hyperparameters_from": source,
        "system": score(examples, system),
        "model_only": score(examples, model_only),
    }
    directory.mkdir(parents=True, exist_ok=True)
    (directory / METRICS_FILE).write_text(
        json.dumps(metrics, indent=2, sort_keys=True, default=float) + "\n", encoding="utf-8"
    )
    metrics["path"] = str(directory / METRICS_FILE)
    return metrics


def summary(metrics: dict[str, Any]) -> str:
    """A short plain-text summary of ``evaluate``'s metrics."""
    lines = [
        f"{metrics['folds']}-fold cross-validation on {metrics['system']['n']} examples; "
        f"hyperparameters: {metrics['hyperparameters_from']}"
    ]
    keys = (
        "route_macro_f1",
        "statutory_recall",
        "causes_micro_f1",
        "service_area_accuracy",
        "safeguarding_recall",
        "safeguarding_precision",
        "needs_review_rate",
    )
    lines.append(f"{'metric':<26}{'rules+model':>12}{'model only':>12}")
    for key in keys:
        lines.append(f"{key:<26}{metrics['system'][key]:>12.3f}{metrics['model_only'][key]:>12.3f}")
    confusion = metrics["system"]["route_confusion"]
    lines.append(
        "route confusion (rows true, columns predicted): " + ", ".join(confusion["labels"])
    )
    for label, row in zip(confusion["labels"], confusion["matrix"], strict=True):
        lines.append(f"  {label:<20}" + "".join(f"{v:>6}" for v in row))
    lines.append(f"{'label (rules+model)':<30}{'precision':>10}{'recall':>10}{'F1':>10}{'n':>7}")
    system = metrics["system"]
    for group in ("route_report", "causes_report", "service_area_report"):
        for label, row in system[group].items():
            if not isinstance(row, dict) or label in ("macro avg", "weighted avg", "micro avg"):
                continue
            lines.append(
                f"  {label:<28}{row['precision']:>10.3f}{row['recall']:>10.3f}"
                f"{row['f1-score']:>10.3f}{int(row['support']):>7}"
            )
    if "path" in metrics:
        lines.append(f"metrics written to {metrics['path']}")
    return "\n".join(lines)
