"""scikit-learn pipelines, one per question, each with named steps.

Every pipeline reads the three-column array from ``preprocess.as_matrix``: TF-IDF over
word 1-3-grams and character n-grams of the lemma text, over word 1-3-grams of the
normalised text as written, plus binary pattern features.
"""

from __future__ import annotations

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

SEED = 1989  # the Children Act; any fixed number would do


def features(min_df: int = 2) -> ColumnTransformer:
    """Lemma-text word and character TF-IDF, written-text word TF-IDF, and patterns.

    N-grams seen in fewer than ``min_df`` complaints are dropped: rare trigrams add only
    noise and size.
    """
    return ColumnTransformer(
        [
            (
                "words",
                TfidfVectorizer(
                    token_pattern=r"\S+", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df
                ),
                0,
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=max(2, min_df),
                    max_features=40_000,
                ),
                0,
            ),
            (
                "patterns",
                CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True),
                1,
            ),
            (
                "phrases",
                TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=min_df),
                2,
            ),
        ]
    )


def route_pipeline(calibrated: bool = True) -> Pipeline:
    """Route: linear SVM with sigmoid-calibrated probabilities (plain LR on tiny data).

    ``ensemble=False``: one SVM refitted on all the data, with a calibrator learnt from
    cross-validated scores; a third of the prediction cost of averaging three SVMs.
    """
    return Pipeline([("features", features()), ("classifier", _single_label(calibrated))])


def _single_label(calibrated: bool) -> CalibratedClassifierCV | LogisticRegression:
    """One label of many: a calibrated linear SVM, or plain logistic regression on tiny data."""
    if calibrated:
        return CalibratedClassifierCV(
            LinearSVC(class_weight="balanced", C=0.5, random_state=SEED),
            method="sigmoid",
            cv=3,
            ensemble=False,
        )
    return LogisticRegression(class_weight="balanced", C=10.0, max_iter=2000)


def causes_pipeline(calibrated: bool = True) -> Pipeline:
    """Causes (multi-label): one calibrated linear SVM per cause (plain LR on tiny data)."""
    per_cause: CalibratedClassifierCV | LogisticRegression
    if calibrated:
        per_cause = CalibratedClassifierCV(
            LinearSVC(class_weight="balanced", C=0.3, random_state=SEED),
            method="sigmoid",
            cv=3,
            ensemble=False,
        )
    else:
        per_cause = LogisticRegression(class_weight="balanced", C=3.0, solver="liblinear")
    return Pipeline([("features", features()), ("classifier", OneVsRestClassifier(per_cause))])


def service_area_pipeline(calibrated: bool = True) -> Pipeline:
    """Service area: linear SVM with calibrated probabilities (plain LR on tiny data)."""
    return Pipeline([("features", features()), ("classifier", _single_label(calibrated))])


def safeguarding_pipeline() -> Pipeline:
    """Safeguarding: logistic regression, its threshold tuned for recall."""
    classifier = LogisticRegression(class_weight="balanced", C=3.0, solver="liblinear")
    return Pipeline([("features", features()), ("classifier", classifier)])


def pool_sentences(
    complaint: np.ndarray, sentence_max: np.ndarray, has_sentences: np.ndarray, weight: float
) -> np.ndarray:
    """Cause probabilities of whole complaints, raised towards their likeliest sentence.

    A long complaint with several causes dilutes each one in its TF-IDF row; the same model
    scoring each sentence finds a cause that one sentence states plainly. ``complaint`` and
    ``sentence_max`` are (complaints x causes); ``has_sentences`` marks the complaints that
    were split; ``weight`` (0 to 1, chosen in training) is how far a complaint's
    probability moves to the larger of the two.
    """
    pooled = complaint.copy()
    rows = np.asarray(has_sentences, dtype=bool)
    pooled[rows] = (1 - weight) * complaint[rows] + weight * np.maximum(
        complaint[rows], sentence_max[rows]
    )
    return pooled
