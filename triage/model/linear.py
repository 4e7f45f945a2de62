"""Scoring one complaint with the fitted pipelines' own weights, without sklearn's overhead.

Every classifier in the bundle is linear: a calibrated LinearSVC, a logistic regression, or
one logistic regression per cause. For one complaint, sklearn spends most of its time on
input checks around a handful of dot products. ``LinearScorer`` reads the fitted weights
once and reproduces ``predict_proba`` exactly (the tests compare the two), so prediction
costs a fraction of the CPU. Anything it does not recognise falls back to sklearn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, softmax
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

Proba = Callable[[Any], np.ndarray]


def fast_transform(features: ColumnTransformer) -> Callable[[np.ndarray], Any] | None:
    """``features.transform`` as a plain loop over the fitted vectorizers, or None."""
    if not getattr(features, "sparse_output_", False):
        return None
    parts: list[tuple[Any, Any]] = []
    for _, transformer, columns in features.transformers_:
        if isinstance(transformer, str):
            if transformer != "drop":
                return None
            continue
        if not isinstance(columns, int):
            return None
        parts.append((transformer, columns))

    def transform(X: np.ndarray) -> Any:
        return sp.hstack([t.transform(X[:, column]) for t, column in parts]).tocsr()

    return transform


def _decision(coef: np.ndarray, intercept: np.ndarray) -> Callable[[Any], np.ndarray]:
    weights = np.ascontiguousarray(coef.T)
    bias = np.asarray(intercept, dtype=float)

    def decision(X: Any) -> np.ndarray:
        return np.asarray(X @ weights) + bias

    return decision


def _calibrated(classifier: CalibratedClassifierCV) -> Proba | None:
    """CalibratedClassifierCV(LinearSVC, sigmoid, ensemble=False): one SVM, one sigmoid each."""
    if len(classifier.calibrated_classifiers_) != 1 or classifier.method != "sigmoid":
        return None
    calibrated = classifier.calibrated_classifiers_[0]
    svm = calibrated.estimator
    if not isinstance(svm, LinearSVC) or list(svm.classes_) != list(classifier.classes_):
        return None
    decision = _decision(svm.coef_, svm.intercept_)
    a = np.array([c.a_ for c in calibrated.calibrators], dtype=float)
    b = np.array([c.b_ for c in calibrated.calibrators], dtype=float)
    n_classes = len(classifier.classes_)

    def proba(X: Any) -> np.ndarray:
        scores = expit(-(a * decision(X) + b))
        if n_classes == 2:
            out = np.column_stack([1.0 - scores[:, 0], scores[:, 0]])
        else:
            total = scores.sum(axis=1, keepdims=True)
            uniform = np.full_like(scores, 1.0 / n_classes)
            out = np.divide(scores, total, out=uniform, where=total != 0)
        out[(out > 1.0) & (out <= 1.0 + 1e-5)] = 1.0
        return out

    return proba


def _logistic(classifier: LogisticRegression) -> Proba | None:
    """LogisticRegression.predict_proba: one-vs-rest sigmoids or a softmax."""
    decision = _decision(classifier.coef_, classifier.intercept_)
    binary = len(classifier.classes_) <= 2
    multi_class = getattr(classifier, "multi_class", "deprecated")
    ovr = multi_class in ("ovr", "warn") or (
        multi_class in ("auto", "deprecated") and (binary or classifier.solver == "liblinear")
    )

    def proba(X: Any) -> np.ndarray:
        scores = decision(X)
        if ovr:
            p = expit(scores)
            if binary:
                return np.column_stack([1.0 - p[:, 0], p[:, 0]])
            return p / p.sum(axis=1, keepdims=True)
        if binary:
            return softmax(np.column_stack([-scores[:, 0], scores[:, 0]]), axis=1)
        return softmax(scores, axis=1)

    return proba


def _one_vs_rest(classifier: OneVsRestClassifier) -> Proba | None:
    """OneVsRestClassifier(LogisticRegression) on multi-label data: one sigmoid per label."""
    if not classifier.multilabel_:
        return None
    estimators = classifier.estimators_
    if not all(isinstance(e, LogisticRegression) and len(e.classes_) == 2 for e in estimators):
        return None
    coef = np.vstack([e.coef_[0] for e in estimators])
    intercept = np.array([e.intercept_[0] for e in estimators])
    decision = _decision(coef, intercept)

    def proba(X: Any) -> np.ndarray:
        return expit(decision(X))

    return proba


def fast_proba(classifier: Any) -> Proba | None:
    """A function equal to ``classifier.predict_proba`` without sklearn's checks, or None."""
    if isinstance(classifier, CalibratedClassifierCV):
        return _calibrated(classifier)
    if isinstance(classifier, OneVsRestClassifier):
        return _one_vs_rest(classifier)
    if type(classifier) is LogisticRegression:
        return _logistic(classifier)
    return None
