"""Label identifiers and the result type of triage.

The identifiers are exactly those of the project taxonomy; the intake API stores them and
the reports count them, so they never change without a data migration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ROUTES: tuple[str, ...] = ("statutory", "corporate", "outside_procedure")

CAUSES: tuple[str, ...] = (
    "communication",
    "staff_conduct",
    "delay",
    "disputed_decision",
    "lack_of_support",
    "record_accuracy",
    "finance",
    "confidentiality",
    "service_failure",
    "complaint_handling",
)

SERVICE_AREAS: tuple[str, ...] = (
    "looked_after_children",
    "child_protection",
    "children_in_need",
    "children_with_disabilities",
    "fostering",
    "adoption",
    "special_guardianship_kinship",
    "care_leavers",
    "early_help",
    "assessment",
    "other",
)

COMPLAINANTS: tuple[str, ...] = (
    "child",
    "parent",
    "relative",
    "foster_carer",
    "special_guardian",
    "advocate",
    "professional",
    "other",
)


@dataclass(frozen=True)
class TriageResult:
    """The triage of one complaint: where it goes, what it is about, and why."""

    route: str
    causes: tuple[str, ...]
    service_area: str
    safeguarding: bool
    confidence: float
    needs_review: bool
    reasons: tuple[str, ...]
    model_version: str
    explanation: dict[str, Any] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready data (lists, not tuples)."""
        data = asdict(self)
        data["causes"] = list(self.causes)
        data["reasons"] = list(self.reasons)
        data["confidence"] = round(float(self.confidence), 4)
        if self.explanation is None:
            del data["explanation"]
        return data


@dataclass(frozen=True)
class ModelScores:
    """What the trained model says about one complaint, before the rules are applied.

    Probabilities are keyed by label id. ``causes`` lists the causes the model predicts
    (each probability over its tuned threshold, at least one). ``outside_minimum`` and
    ``statutory_margin`` are the route thresholds the model was trained with (None: the
    defaults in ``triage.decide``).
    """

    route: dict[str, float]
    causes: tuple[str, ...]
    cause_probabilities: dict[str, float]
    service_area: dict[str, float]
    safeguarding: float
    safeguarding_threshold: float
    model_version: str
    truncated_at: int | None = None
    top_terms: tuple[str, ...] = ()
    explanation: dict[str, Any] | None = None
    outside_minimum: float | None = None
    statutory_margin: float | None = None
