"""The fast linear scorer must give exactly what the sklearn pipelines give."""

import numpy as np
import pytest

from triage.model.linear import fast_proba, fast_transform
from triage.model.preprocess import analyse, as_matrix

TEXTS = [
    ("my social worker never rings me back", "child"),
    ("the judge decided I cannot see my children", "parent"),
    ("my allowance as a foster carer is three weeks late again", "foster_carer"),
    ("he hits me and I am scared to go home", None),
    ("the receptionist was rude and the website form lost my message", "other"),
]


@pytest.mark.parametrize("key", ["route", "causes", "service_area", "safeguarding"])
def test_fast_scores_equal_the_pipelines_predict_proba(triager, key):
    pipeline = triager.model.bundle[key]
    X = as_matrix(analyse([t for t, _ in TEXTS], [c for _, c in TEXTS]))
    features, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
    transform, proba = fast_transform(features), fast_proba(classifier)
    assert transform is not None and proba is not None
    rows = features.transform(X)
    assert (transform(X) != rows).nnz == 0
    np.testing.assert_allclose(proba(rows), classifier.predict_proba(rows), rtol=1e-9, atol=1e-12)


def test_unknown_classifiers_fall_back_to_sklearn():
    from sklearn.naive_bayes import MultinomialNB

    assert fast_proba(MultinomialNB()) is None


def test_calibrated_svm_per_cause_scores_equal_predict_proba():
    """The causes pipeline on real-sized data: a calibrated LinearSVC per cause."""
    from triage.model.pipelines import causes_pipeline

    rng = np.random.default_rng(0)
    words = ["late", "rude", "money", "never", "told", "wrong", "shared", "visit", "plan", "help"]
    texts = [" ".join(rng.choice(words, size=6)) for _ in range(90)]
    Y = np.array([[w in t for w in ("late", "rude", "money")] for t in texts], dtype=int)
    X = as_matrix(analyse(texts))
    pipeline = causes_pipeline(calibrated=True).fit(X, Y)
    features, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
    proba = fast_proba(classifier)
    assert proba is not None
    rows = features.transform(X)
    np.testing.assert_allclose(proba(rows), classifier.predict_proba(rows), rtol=1e-9, atol=1e-12)
