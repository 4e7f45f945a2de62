"""Scoring one complaint with the saved pipelines, with feature-level explanations."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.pipeline import Pipeline
from threadpoolctl import ThreadpoolController

from triage.model import artefacts
from triage.model.linear import fast_proba, fast_transform
from triage.model.pipelines import pool_sentences
from triage.model.preprocess import analyse, as_matrix, sentences
from triage.types import ModelScores

_READABLE = ("words__", "patterns__", "phrases__")
_PATTERN_WORDS = {
    "ago_years": "a date years ago",
    "ago_months": "a date months ago",
    "ago_weeks": "a recent date",
    "last_month_name": "a month named",
    "month_year": "a month and year",
    "year": "a year named",
    "duration": "how long something took",
    "waiting": "waiting or chasing",
    "no_reply": "no reply",
    "subject_access": "asking for records",
    "complaint_process": "the complaint itself",
}


def describe_feature(kind: str, term: str) -> str | None:
    """A feature as an officer would read it, or None for filler words."""
    if kind in ("words", "phrases"):
        from spacy.lang.en.stop_words import STOP_WORDS

        words = [w.removeprefix("not_") for w in term.split()]
        if all(w in STOP_WORDS or w == "NUM" or len(w) < 3 for w in words):
            return None
        return f'"{term.replace("not_", "not ")}"'
    if kind != "patterns":
        return None
    prefix, _, name = term.partition("_")
    if prefix == "PAT":
        return _PATTERN_WORDS.get(
            name, f"words about {name.removesuffix('_cue').replace('_', ' ')}"
        )
    if prefix == "COMPLAINANT":
        return f"who is complaining ({name.replace('_', ' ')})"
    if prefix == "RULE":
        return f"the {name.replace('_', ' ')} rule"
    if prefix == "SG":
        return f"safeguarding words ({name.replace('_', ' ')})"
    return None


def _coefficients(classifier: Any) -> np.ndarray | None:
    """Linear weights (classes x features), averaged over calibration folds."""
    if hasattr(classifier, "calibrated_classifiers_"):
        coefs = [c.estimator.coef_ for c in classifier.calibrated_classifiers_]
        return np.mean(coefs, axis=0)
    if hasattr(classifier, "coef_"):
        return np.asarray(classifier.coef_)
    return None


def _class_weights(coef: np.ndarray, index: int) -> np.ndarray:
    if coef.shape[0] == 1:  # binary: one row for the positive class
        return coef[0] if index == 1 else -coef[0]
    return coef[index]


class _Rows:
    """One call's input and its feature rows, cached per featuriser.

    The pipelines share one fitted featuriser, so the text is transformed once and every
    classifier reads the same row. The cache lives with the call, not the model, so
    concurrent requests never see each other's rows.
    """

    def __init__(self, matrix: Any) -> None:
        self.matrix = matrix
        self.cache: dict[int, Any] = {}


class Model:
    """The trained pipelines, loaded from a model directory."""

    def __init__(self, bundle: dict[str, Any], metadata: dict[str, Any]) -> None:
        self.bundle = bundle
        self.metadata = metadata
        self.version: str = metadata["model_version"]

    @classmethod
    def load(cls, directory: Path | str | None = None) -> Model:
        """Load from ``directory`` (default: the configured model directory)."""
        bundle, metadata = artefacts.load(artefacts.model_dir(directory))
        return cls(bundle, metadata)

    @cached_property
    def _feature_names(self) -> dict[str, np.ndarray]:
        names = {}
        for key in ("route", "causes", "service_area", "safeguarding"):
            pipeline = self.bundle.get(key)
            if pipeline is not None:
                names[key] = pipeline.named_steps["features"].get_feature_names_out()
        return names

    @cached_property
    def _fast(self) -> dict[str, tuple[Any, Any]]:
        """Per pipeline, the featuriser and classifier as plain functions (None: use sklearn)."""
        fast = {}
        for key in ("route", "causes", "service_area", "safeguarding"):
            pipeline = self.bundle.get(key)
            if pipeline is not None:
                fast[key] = (
                    fast_transform(pipeline.named_steps["features"]),
                    fast_proba(pipeline.named_steps["classifier"]),
                )
        return fast

    def _features(self, key: str, X: _Rows) -> Any:
        """The feature row for pipeline ``key``; pipelines sharing a featuriser share it."""
        features = self.bundle[key].named_steps["features"]
        cached = X.cache.get(id(features))
        if cached is None:
            transform = self._fast[key][0]
            cached = (transform or features.transform)(X.matrix).tocsr()
            X.cache[id(features)] = cached
        return cached

    def _proba(self, key: str, X: _Rows) -> np.ndarray:
        proba = self._fast[key][1] or self.bundle[key].named_steps["classifier"].predict_proba
        return proba(self._features(key, X))

    def _top_features(
        self,
        key: str,
        pipeline: Pipeline,
        X: _Rows,
        class_index: int,
        limit: int,
        readable_only: bool,
        classifier: Any = None,
    ) -> list[dict[str, Any]]:
        """Features that pushed the prediction towards class ``class_index`` most."""
        classifier = classifier if classifier is not None else pipeline.named_steps["classifier"]
        coef = _coefficients(classifier)
        if coef is None:
            return []
        row = self._features(key, X)[0]
        weights = _class_weights(coef, class_index)
        contributions = row.data * weights[row.indices]
        names = self._feature_names[key][row.indices]
        order = np.argsort(-contributions)
        out = []
        for i in order:
            if contributions[i] <= 0 or len(out) >= limit:
                break
            kind, _, term = str(names[i]).partition("__")
            if readable_only:
                described = describe_feature(kind, term)
                if described is None or any(o["feature"] == described for o in out):
                    continue
                term = described
            out.append({"feature": term, "kind": kind, "weight": round(float(contributions[i]), 4)})
        return out

    def scores(
        self, text: str, complainant: str | None = None, *, explain: bool = False
    ) -> ModelScores:
        """Probabilities for route, causes, service area and safeguarding."""
        # One complaint is a tiny problem: BLAS threads only add contention.
        with (
            self._threads.limit(limits=1),
            sklearn.config_context(assume_finite=True, skip_parameter_validation=True),
        ):
            return self._scores(text, complainant, explain)

    @cached_property
    def _threads(self) -> ThreadpoolController:
        return ThreadpoolController()

    def _scores(self, text: str, complainant: str | None, explain: bool) -> ModelScores:
        analysed = analyse([text], [complainant])
        X = _Rows(as_matrix(analysed))
        route_pipe: Pipeline = self.bundle["route"]
        route_p = self._proba("route", X)[0]
        route = {str(c): float(p) for c, p in zip(route_pipe.classes_, route_p, strict=True)}
        top_route = int(np.argmax(route_p))

        labels: list[str] = list(self.bundle["cause_labels"])
        cause_probabilities: dict[str, float] = {}
        causes: tuple[str, ...] = ()
        if self.bundle["causes"] is not None:
            cause_p = self._proba("causes", X)[0]
            weight = float(self.bundle.get("cause_sentence_weight", 0.0))
            parts = sentences(text) if weight > 0 else []
            if parts:
                rows = _Rows(as_matrix(analyse(parts, [complainant] * len(parts))))
                sentence_max = self._proba("causes", rows).max(axis=0)
                cause_p = pool_sentences(
                    cause_p[None, :], sentence_max[None, :], np.ones(1, dtype=bool), weight
                )[0]
            cause_probabilities = {c: float(p) for c, p in zip(labels, cause_p, strict=True)}
            threshold = float(self.bundle["cause_threshold"])
            chosen = [c for c, p in zip(labels, cause_p, strict=True) if p >= threshold]
            if not chosen:
                chosen = [labels[int(np.argmax(cause_p))]]
            causes = tuple(sorted(chosen, key=lambda c: -cause_probabilities[c]))

        area_pipe: Pipeline = self.bundle["service_area"]
        area_p = self._proba("service_area", X)[0]
        service_area = {str(c): float(p) for c, p in zip(area_pipe.classes_, area_p, strict=True)}

        safeguarding = 0.0
        if self.bundle["safeguarding"] is not None:
            safeguarding = float(self._proba("safeguarding", X)[0][1])

        top_terms = tuple(
            f["feature"]
            for f in self._top_features("route", route_pipe, X, top_route, 3, readable_only=True)
        )
        explanation = self.explain(X, route_pipe, top_route, causes) if explain else None
        return ModelScores(
            route=route,
            causes=causes,
            cause_probabilities=cause_probabilities,
            service_area=service_area,
            safeguarding=safeguarding,
            safeguarding_threshold=float(self.bundle["safeguarding_threshold"]),
            model_version=self.version,
            truncated_at=analysed[0].truncated_at,
            top_terms=top_terms,
            explanation=explanation,
            outside_minimum=self.bundle.get("outside_minimum"),
            statutory_margin=self.bundle.get("statutory_margin"),
        )

    def explain(
        self, X: _Rows, route_pipe: Pipeline, top_route: int, causes: tuple[str, ...]
    ) -> dict[str, Any]:
        """Top weighted terms and patterns behind each part of the prediction."""
        explanation: dict[str, Any] = {
            "route": {
                "label": str(route_pipe.classes_[top_route]),
                "features": self._top_features("route", route_pipe, X, top_route, 8, False),
            }
        }
        area_pipe: Pipeline = self.bundle["service_area"]
        area_index = int(np.argmax(self._proba("service_area", X)[0]))
        explanation["service_area"] = {
            "label": str(area_pipe.classes_[area_index]),
            "features": self._top_features("service_area", area_pipe, X, area_index, 8, False),
        }
        causes_pipe = self.bundle["causes"]
        if causes_pipe is not None:
            labels = list(self.bundle["cause_labels"])
            estimators = causes_pipe.named_steps["classifier"].estimators_
            explanation["causes"] = {
                cause: self._top_features(
                    "causes",
                    causes_pipe,
                    X,
                    1,
                    5,
                    False,
                    classifier=estimators[labels.index(cause)],
                )
                for cause in causes
            }
        sg_pipe = self.bundle["safeguarding"]
        if sg_pipe is not None:
            explanation["safeguarding"] = self._top_features(
                "safeguarding", sg_pipe, X, 1, 5, False
            )
        return explanation
