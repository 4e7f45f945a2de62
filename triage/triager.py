"""The triager: rules plus model, behind one ``predict`` call."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from triage.decide import decide
from triage.errors import InvalidInput
from triage.rules import Complaint, apply_rules
from triage.types import COMPLAINANTS, TriageResult

if TYPE_CHECKING:
    from triage.model.predictor import Model

MAX_TEXT_CHARS = 100_000


def validate(text: object, complainant: object = None) -> tuple[str, str | None]:
    """Check the input to ``predict``; raise InvalidInput with a plain message if wrong."""
    if not isinstance(text, str):
        raise InvalidInput(f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InvalidInput("text is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(
            f"text is too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})"
        )
    if complainant is not None and complainant not in COMPLAINANTS:
        raise InvalidInput(
            f"complainant must be one of {', '.join(COMPLAINANTS)}, not {complainant!r}"
        )
    return text, complainant  # type: ignore[return-value]


class Triager:
    """Triage complaints with a loaded model and the statutory rules."""

    def __init__(self, model: Model) -> None:
        self.model = model

    @property
    def model_version(self) -> str:
        """The version of the loaded model, recorded on every result."""
        return self.model.version

    @classmethod
    def load(cls, model_dir: Path | str | None = None) -> Triager:
        """Load the model from ``model_dir`` (default $TRIAGE_MODEL_DIR or models/triage)."""
        from triage.model.predictor import Model

        return cls(Model.load(model_dir))

    def predict(
        self,
        text: str,
        complainant: str | None = None,
        *,
        received: date | None = None,
        explain: bool = False,
    ) -> TriageResult:
        """Triage one complaint.

        ``complainant`` is a taxonomy id or None; ``received`` dates the complaint for the
        12-month limit (default today). Raises InvalidInput for empty or unusable input.
        """
        text, complainant = validate(text, complainant)
        today = received or date.today()
        findings = apply_rules(Complaint(text, complainant, received), today)
        scores = self.model.scores(text, complainant, explain=explain)
        return decide(findings, scores)
