"""Fit the four classifiers with cross-validated hyperparameters, and save them."""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Memory, Parallel, delayed
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.metrics import f1_score, fbeta_score, make_scorer, precision_score, recall_score
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    StratifiedKFold,
    cross_val_predict,
)
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from triage.corpus import Example, data_files, load_examples
from triage.decide import OUTSIDE_MINIMUM, STATUTORY_MARGIN, WEAK_SIGN_SCORE, decide_route
from triage.model import artefacts
from triage.model.pipelines import (
    SEED,
    causes_pipeline,
    pool_sentences,
    route_pipeline,
    safeguarding_pipeline,
    service_area_pipeline,
)
from triage.model.preprocess import MAX_MODEL_CHARS, analyse, as_matrix, sentences
from triage.rules import Complaint, RuleFindings, apply_rules, check_safeguarding
from triage.types import CAUSES, ROUTES

SEARCH_FOLDS = 3  # folds for the grid search; `evaluate` uses its own 5 for reporting
MIN_CALIBRATED = 10  # fewest examples of a class for a calibrated SVM (3 inner folds)
ROUTE_GRID = {"classifier__estimator__C": [0.1, 0.3, 1.0, 3.0, 10.0]}
ROUTE_GRID_PLAIN = {"classifier__C": [3.0, 10.0, 30.0]}
CAUSES_GRID = {"classifier__estimator__estimator__C": [0.1, 0.3, 1.0]}
CAUSES_GRID_PLAIN = {"classifier__estimator__C": [1.0, 3.0, 10.0]}
AREA_GRID = {"classifier__estimator__C": [0.1, 0.3, 1.0]}
AREA_GRID_PLAIN = {"classifier__C": [3.0, 10.0, 30.0]}
SAFEGUARDING_GRID = {"classifier__C": [1.0, 3.0, 10.0]}
CAUSE_THRESHOLDS = np.round(np.arange(0.15, 0.8, 0.05), 2)
CAUSE_SENTENCE_WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
SAFEGUARDING_THRESHOLDS = np.round(np.arange(0.2, 0.95, 0.05), 2)
# Route thresholds for ``decide``, chosen on out-of-fold probabilities with the rules applied.
OUTSIDE_MINIMUMS = np.round(np.arange(0.5, 0.91, 0.05), 2)
STATUTORY_MARGINS = np.round(np.arange(0.1, 0.61, 0.05), 2)
# Issue 3: statutory recall matters most (a complaint wrongly kept out of the statutory
# procedure is fault), so it is a floor before route macro-F1 counts. A council that wants
# more caution sets $TRIAGE_STATUTORY_RECALL_FLOOR higher and pays in corporate and
# outside complaints sent to statutory for review.
STATUTORY_RECALL_FLOOR = 0.97


class TrainingError(ValueError):
    """The data cannot train a model (too few examples or labels)."""


@dataclass
class FittedModels:
    """The fitted pipelines and what was learnt while choosing them."""

    route: Pipeline
    causes: Pipeline | None
    cause_labels: list[str]
    cause_threshold: float
    service_area: Pipeline
    safeguarding: Pipeline | None
    safeguarding_threshold: float
    outside_minimum: float = OUTSIDE_MINIMUM
    statutory_margin: float = STATUTORY_MARGIN
    cause_sentence_weight: float = 0.0
    cv_scores: dict[str, float] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)


def n_jobs() -> int:
    """Worker processes for the grid search ($TRIAGE_N_JOBS, default 2)."""
    return int(os.environ.get("TRIAGE_N_JOBS", "2"))


def _splitter(labels: Sequence[Any], folds: int = 5) -> Any:
    """Stratified folds when every class can fill them, plain shuffled folds otherwise."""
    counts = Counter(labels)
    smallest = min(counts.values())
    if smallest >= 2:
        return StratifiedKFold(n_splits=min(folds, smallest), shuffle=True, random_state=SEED)
    return KFold(n_splits=min(folds, max(2, len(labels) // 2)), shuffle=True, random_state=SEED)


def _search(
    pipeline: Pipeline,
    grid: dict[str, list[Any]],
    X: Any,
    y: Any,
    cv: Any,
    scoring: Any,
    jobs: int,
    memory: Memory,
) -> GridSearchCV:
    # The cache lets every candidate (and every classifier) on the same fold reuse the
    # fitted TF-IDF features: the grid costs one featurisation per fold, not per candidate.
    pipeline.set_params(memory=memory)
    search = GridSearchCV(pipeline, grid, cv=cv, scoring=scoring, n_jobs=jobs, refit=True)
    search.fit(X, y)
    return search


def _at_least_one(probabilities: np.ndarray, threshold: float) -> np.ndarray:
    chosen = probabilities >= threshold
    chosen[np.arange(len(chosen)), probabilities.argmax(axis=1)] = True
    return chosen


def statutory_recall_floor() -> float:
    """The statutory recall floor training aims for ($TRIAGE_STATUTORY_RECALL_FLOOR)."""
    raw = os.environ.get("TRIAGE_STATUTORY_RECALL_FLOOR", "").strip()
    if not raw:
        return STATUTORY_RECALL_FLOOR
    try:
        floor = float(raw)
    except ValueError:
        floor = -1.0
    if not 0.5 <= floor <= 1.0:
        raise TrainingError(
            f"TRIAGE_STATUTORY_RECALL_FLOOR must be a number from 0.5 to 1.0, got {raw!r}"
        )
    return floor


def _cause_oof(
    estimator: Pipeline,
    examples: Sequence[Example],
    X: Any,
    Y: np.ndarray,
    cv: Sequence[tuple[np.ndarray, np.ndarray]],
    jobs: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Out-of-fold cause probabilities of each complaint and of its likeliest sentence.

    Returns (complaints x causes) probabilities, the maximum over each complaint's
    sentences (zero where it was not split), and which complaints were split.
    """
    owner: list[int] = []
    texts: list[str] = []
    complainants: list[str | None] = []
    for index, example in enumerate(examples):
        for sentence in sentences(example.text):
            owner.append(index)
            texts.append(sentence)
            complainants.append(example.complainant)
    owners = np.array(owner, dtype=int)
    sentence_X = as_matrix(analyse(texts, complainants)) if texts else None

    def one_fold(train: np.ndarray, test: np.ndarray) -> tuple[Any, ...]:
        fitted = clone(estimator).fit(X[train], Y[train])
        rows = np.flatnonzero(np.isin(owners, test))
        scored = fitted.predict_proba(sentence_X[rows]) if len(rows) else np.zeros((0, Y.shape[1]))
        return test, fitted.predict_proba(X[test]), owners[rows], scored

    complaint = np.zeros(Y.shape)
    sentence_max = np.zeros(Y.shape)
    for test, scored, rows_owner, sentence_scored in Parallel(n_jobs=jobs)(
        delayed(one_fold)(train, test) for train, test in cv
    ):
        complaint[test] = scored
        np.maximum.at(sentence_max, rows_owner, sentence_scored)
    split = np.zeros(len(examples), dtype=bool)
    split[owners] = True
    return complaint, sentence_max, split


def route_objective(
    scores: dict[str, float], floor: float = STATUTORY_RECALL_FLOOR
) -> tuple[bool, float, float]:
    """Sort key for route choices: the statutory recall floor, then macro-F1.

    Below the floor the higher statutory recall wins, then macro-F1.
    """
    recall, macro = scores["route_statutory_recall"], scores["route_macro_f1"]
    if recall >= floor - 1e-9:
        return True, macro, recall
    return False, recall, macro


def choose_route_thresholds(
    routes: Sequence[str],
    probabilities: Sequence[dict[str, float]],
    findings: Sequence[RuleFindings],
    floor: float = STATUTORY_RECALL_FLOOR,
) -> tuple[float, float, dict[str, float]]:
    """The outside minimum and statutory margin for ``decide``, and their scores.

    ``probabilities`` are out-of-fold, so the choice never sees a model's own training
    rows. Among the pairs whose routes (rules applied, as ``decide`` does) reach
    ``floor``, the best route macro-F1 wins; when none reaches it, the best
    statutory recall does. Ties go to the lowest thresholds.
    """
    labels = [r for r in ROUTES if r in routes]
    best: tuple[Any, ...] | None = None
    for outside_minimum in OUTSIDE_MINIMUMS:
        for margin in STATUTORY_MARGINS:
            predicted = [
                decide_route(
                    f, p, outside_minimum=float(outside_minimum), statutory_margin=float(margin)
                )
                for f, p in zip(findings, probabilities, strict=True)
            ]
            recall = recall_score(
                routes, predicted, labels=["statutory"], average="macro", zero_division=0
            )
            macro = f1_score(routes, predicted, labels=labels, average="macro", zero_division=0)
            key = route_objective(
                {"route_statutory_recall": recall, "route_macro_f1": macro}, floor
            )
            if best is None or key > best[0]:
                best = (key, float(outside_minimum), float(margin), recall, macro)
    assert best is not None
    _, outside_minimum, margin, recall, macro = best
    return outside_minimum, margin, {"route_statutory_recall": recall, "route_macro_f1": macro}


def fit_models(
    examples: Sequence[Example],
    X: Any | None = None,
    *,
    search: bool = True,
    jobs: int = 1,
    fixed: dict[str, Any] | None = None,
    today: date | None = None,
    statutory_floor: float | None = None,
) -> FittedModels:
    """Fit route, causes, service-area and safeguarding pipelines on ``examples``.

    ``X`` is the preprocessed matrix when the caller already has it. With ``search`` the
    hyperparameters come from a small cross-validated grid; thresholds for causes and
    safeguarding come from out-of-fold probabilities. Without ``search`` the
    hyperparameters and thresholds in ``fixed`` (a saved model's metadata) are used, which
    is how evaluation refits quickly on each fold. ``today`` dates the rules' 12-month
    check while the route thresholds are chosen (default today). ``statutory_floor`` is
    the statutory recall those thresholds must reach (default ``statutory_recall_floor()``).
    """
    fixed = fixed or {}
    fixed_params = fixed.get("params", {})
    if len(examples) < 6:
        raise TrainingError(f"need at least 6 examples to train, got {len(examples)}")
    if X is None:
        X = as_matrix(analyse([e.text for e in examples], [e.complainant for e in examples]))
    routes = [e.route for e in examples]
    if len(set(routes)) < 2:
        raise TrainingError("need examples of at least two routes")
    cv_scores: dict[str, float] = {}
    floor = statutory_recall_floor() if statutory_floor is None else statutory_floor
    params: dict[str, Any] = {"statutory_recall_floor": floor}
    micro_f1 = "f1_micro"
    f2 = make_scorer(fbeta_score, beta=2, zero_division=0)
    # One BLAS thread per process: these sparse problems are small, and BLAS threads
    # fighting the grid-search workers (or a busy server) made training ten times slower.
    with (
        threadpool_limits(1),
        warnings.catch_warnings(),
        tempfile.TemporaryDirectory(prefix="triage-") as cache,
    ):
        memory = Memory(cache, verbose=0)
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.filterwarnings("ignore", message=".*least populated class.*")
        warnings.filterwarnings("ignore", message=".*not present in all training examples.*")

        # Route.
        calibrated = min(Counter(routes).values()) >= MIN_CALIBRATED
        # Fixed splits, reused by the multi-label causes search (which cannot stratify).
        route_cv = list(_splitter(routes, SEARCH_FOLDS).split(X, routes))
        grid = ROUTE_GRID if calibrated else ROUTE_GRID_PLAIN
        pipeline = route_pipeline(calibrated=calibrated)
        if search:
            # C and the thresholds decide applies are chosen together, on out-of-fold
            # probabilities with the rules applied, for the objective: statutory
            # recall first, then route macro-F1 (``choose_route_thresholds``).
            pipeline.set_params(memory=memory)
            when = today or date.today()
            findings = [apply_rules(Complaint(e.text, e.complainant), when) for e in examples]
            classes = [str(c) for c in np.unique(routes)]
            best_route: tuple[Any, ...] | None = None
            for candidate in ParameterGrid(grid):
                oof = cross_val_predict(
                    clone(pipeline).set_params(**candidate),
                    X,
                    routes,
                    cv=route_cv,
                    method="predict_proba",
                    n_jobs=jobs,
                )
                probabilities = [dict(zip(classes, map(float, row), strict=True)) for row in oof]
                chosen = choose_route_thresholds(routes, probabilities, findings, floor)
                key = route_objective(chosen[2], floor)
                if best_route is None or key > best_route[0]:
                    argmax = [classes[i] for i in oof.argmax(axis=1)]
                    best_route = (key, candidate, chosen, f1_score(routes, argmax, average="macro"))
            assert best_route is not None
            _, params["route"], (outside_minimum, statutory_margin, decided), model_f1 = best_route
            route = pipeline.set_params(**params["route"]).fit(X, routes)
            cv_scores["route_macro_f1"] = model_f1
            cv_scores.update({f"{k}_decided": v for k, v in decided.items()})
        else:
            if fixed_params.get("route_calibrated", calibrated) == calibrated:
                pipeline.set_params(**fixed_params.get("route", {}))
            route = pipeline.fit(X, routes)
            outside_minimum = float(fixed.get("outside_minimum", OUTSIDE_MINIMUM))
            statutory_margin = float(fixed.get("statutory_margin", STATUTORY_MARGIN))
        params["route_calibrated"] = calibrated

        # Causes (multi-label); causes too rare to learn are left to the rules/officer.
        counts = Counter(c for e in examples for c in e.causes)
        labels = [c for c in CAUSES if 2 <= counts[c] <= len(examples) - 2]
        causes: Pipeline | None = None
        cause_threshold = 0.5
        cause_sentence_weight = 0.0
        if labels:
            Y = np.array([[c in e.causes for c in labels] for e in examples], dtype=int)
            # A calibrated SVM per cause needs each cause, and its absence, in every fold.
            causes_calibrated = int(min(Y.sum(axis=0).min(), (1 - Y).sum(axis=0).min())) >= (
                MIN_CALIBRATED
            )
            params["causes_calibrated"] = causes_calibrated
            pipeline = causes_pipeline(calibrated=causes_calibrated)
            if search:
                grid = CAUSES_GRID if causes_calibrated else CAUSES_GRID_PLAIN
                found = _search(pipeline, grid, X, Y, route_cv, micro_f1, jobs, memory)
                causes, cv_scores["causes_micro_f1"] = found.best_estimator_, found.best_score_
                params["causes"] = found.best_params_
                oof, sentence_max, split = _cause_oof(causes, examples, X, Y, route_cv, jobs)
                best_causes: tuple[float, float, float] | None = None
                for weight in CAUSE_SENTENCE_WEIGHTS:
                    pooled = pool_sentences(oof, sentence_max, split, weight)
                    for t in CAUSE_THRESHOLDS:
                        f1 = f1_score(Y, _at_least_one(pooled, t), average="micro", zero_division=0)
                        if best_causes is None or f1 > best_causes[0] + 1e-9:
                            best_causes = (float(f1), float(weight), float(t))
                assert best_causes is not None
                f1, cause_sentence_weight, cause_threshold = best_causes
                cv_scores["causes_micro_f1_tuned"] = f1
            else:
                if fixed_params.get("causes_calibrated", False) == causes_calibrated:
                    pipeline.set_params(**fixed_params.get("causes", {}))
                causes = pipeline.fit(X, Y)
                cause_threshold = float(fixed.get("cause_threshold", 0.5))
                cause_sentence_weight = float(fixed.get("cause_sentence_weight", 0.0))

        # Service area.
        areas = [e.service_area for e in examples]
        area_calibrated = min(Counter(areas).values()) >= MIN_CALIBRATED
        pipeline = service_area_pipeline(calibrated=area_calibrated)
        params["service_area_calibrated"] = area_calibrated
        if len(set(areas)) < 2:
            raise TrainingError("need examples of at least two service areas")
        if search:
            grid = AREA_GRID if area_calibrated else AREA_GRID_PLAIN
            found = _search(pipeline, grid, X, areas, route_cv, "accuracy", jobs, memory)
            area, cv_scores["service_area_accuracy"] = found.best_estimator_, found.best_score_
            params["service_area"] = found.best_params_
        else:
            if fixed_params.get("service_area_calibrated", True) == area_calibrated:
                pipeline.set_params(**fixed_params.get("service_area", {}))
            area = pipeline.fit(X, areas)

        # Safeguarding: the model backs up the lexicon, so its threshold is chosen for
        # recall of "lexicon OR model" (F2), never for the model alone.
        flags = np.array([e.safeguarding for e in examples], dtype=int)
        safeguarding: Pipeline | None = None
        threshold = 1.01  # no model: lexicon only
        if 2 <= flags.sum() <= len(flags) - 2:
            pipeline = safeguarding_pipeline()
            sg_cv = list(_splitter(list(flags), SEARCH_FOLDS).split(X, flags))
            if search:
                found = _search(pipeline, SAFEGUARDING_GRID, X, flags, sg_cv, f2, jobs, memory)
                safeguarding = found.best_estimator_
                params["safeguarding"] = found.best_params_
                oof = cross_val_predict(
                    safeguarding, X, flags, cv=sg_cv, method="predict_proba", n_jobs=jobs
                )[:, 1]
                found_by_rules = [check_safeguarding(Complaint(e.text)) for e in examples]
                strong = np.array([f is not None and f.safeguarding for f in found_by_rules])
                weak = np.array([f is not None and not f.safeguarding for f in found_by_rules])
                lexicon = strong | (weak & (oof >= WEAK_SIGN_SCORE))
                # Recall first, then the fewest false alarms: the highest threshold that
                # keeps the best recall of "lexicon OR model".
                recalls = [
                    recall_score(flags, lexicon | (oof >= t), zero_division=0)
                    for t in SAFEGUARDING_THRESHOLDS
                ]
                best = max(recalls)
                index = max(i for i, r in enumerate(recalls) if r >= best - 1e-9)
                threshold = float(SAFEGUARDING_THRESHOLDS[index])
                chosen = lexicon | (oof >= threshold)
                cv_scores["safeguarding_recall_with_lexicon"] = float(best)
                cv_scores["safeguarding_precision_with_lexicon"] = float(
                    precision_score(flags, chosen, zero_division=0)
                )
            else:
                pipeline.set_params(**fixed_params.get("safeguarding", {}))
                safeguarding = pipeline.fit(X, flags)
                threshold = float(fixed.get("safeguarding_threshold", 0.5))
    # Every pipeline was refitted on the same rows with the same featuriser, so they can
    # share one fitted feature step: one vocabulary to store, load and run.
    shared = route.named_steps["features"]
    for pipeline in (causes, area, safeguarding):
        if pipeline is not None:
            pipeline.steps[0] = ("features", shared)
    return FittedModels(
        route=route,
        causes=causes,
        cause_labels=labels,
        cause_threshold=cause_threshold,
        cause_sentence_weight=cause_sentence_weight,
        service_area=area,
        safeguarding=safeguarding,
        safeguarding_threshold=threshold,
        outside_minimum=outside_minimum,
        statutory_margin=statutory_margin,
        cv_scores={k: round(float(v), 4) for k, v in cv_scores.items()},
        params=params,
    )


def train(
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    feedback_dir: Path | None = None,
    *,
    search: bool = True,
) -> dict[str, Any]:
    """Train on the corpus (plus officer feedback) and save to ``out_dir``; return metadata."""
    started = time.perf_counter()
    files = data_files(data_dir, feedback_dir)
    examples, digest, problems = load_examples(files)
    fitted = fit_models(examples, search=search, jobs=n_jobs())
    trained_at = datetime.now(timezone.utc).replace(microsecond=0)
    stamp = trained_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata: dict[str, Any] = {
        "model_version": f"{stamp}-{digest[:8]}",
        "trained_at": stamp,
        "data_sha256": digest,
        "data_files": [str(p) for p in files],
        "n_examples": len(examples),
        "skipped_lines": problems[:50],
        "label_counts": {
            "route": dict(Counter(e.route for e in examples)),
            "service_area": dict(Counter(e.service_area for e in examples)),
            "causes": dict(Counter(c for e in examples for c in e.causes)),
            "safeguarding": sum(e.safeguarding for e in examples),
        },
        "cv_scores": fitted.cv_scores,
        "params": fitted.params,
        "cause_labels": fitted.cause_labels,
        "cause_threshold": fitted.cause_threshold,
        "cause_sentence_weight": fitted.cause_sentence_weight,
        "safeguarding_threshold": fitted.safeguarding_threshold,
        "outside_minimum": fitted.outside_minimum,
        "statutory_margin": fitted.statutory_margin,
        "max_model_chars": MAX_MODEL_CHARS,
        "seed": SEED,
        "versions": artefacts.library_versions(),
        "training_seconds": round(time.perf_counter() - started, 1),
    }
    artefacts.save(fitted, metadata, artefacts.model_dir(out_dir))
    return metadata
