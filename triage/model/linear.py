"""Scoring one complaint with the fitted pipelines' own weights, without sklearn's overhead.

Every classifier in the bundle is linear: a calibrated LinearSVC, a logistic regression, or
one calibrated LinearSVC (or logistic regression) per cause. For one complaint, sklearn
spends most of its time on input checks around a handful of dot products. ``fast_proba``
reads the fitted weights once and reproduces ``predict_proba`` exactly (the tests compare
the two), so prediction costs a fraction of the CPU. Anything it does not recognise falls
back to sklearn.
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


def _binary_sigmoid(estimator: Any) -> tuple[np.ndarray, float, float, float] | None:
    """(weights, bias, a, b) with P(label) = expit(-(a * (X @ weights + bias) + b)), or None.

    A binary LogisticRegression is a = -1, b = 0; a calibrated LinearSVC (sigmoid, one
    calibrator, ensemble=False) brings its own a and b.
    """
    if type(estimator) is LogisticRegression and len(estimator.classes_) == 2:
        return estimator.coef_[0], float(estimator.intercept_[0]), -1.0, 0.0
    if (
        isinstance(estimator, CalibratedClassifierCV)
        and estimator.method == "sigmoid"
        and len(estimator.classes_) == 2
        and len(estimator.calibrated_classifiers_) == 1
    ):
        calibrated = estimator.calibrated_classifiers_[0]
        svm = calibrated.estimator
        if isinstance(svm, LinearSVC) and len(calibrated.calibrators) == 1:
            sigmoid = calibrated.calibrators[0]
            return svm.coef_[0], float(svm.intercept_[0]), float(sigmoid.a_), float(sigmoid.b_)
    return None


def _one_vs_rest(classifier: OneVsRestClassifier) -> Proba | None:
    """OneVsRestClassifier on multi-label data: one sigmoid per label (LR or calibrated SVM)."""
    if not classifier.multilabel_:
        return None
    parts = [_binary_sigmoid(e) for e in classifier.estimators_]
    if any(p is None for p in parts):
        return None
    known = [p for p in parts if p is not None]
    decision = _decision(np.vstack([p[0] for p in known]), np.array([p[1] for p in known]))
    a = np.array([p[2] for p in known])
    b = np.array([p[3] for p in known])

    def proba(X: Any) -> np.ndarray:
        return expit(-(a * decision(X) + b))

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
