"""Triage of children's social care complaints: route, causes, service area, safeguarding.

``import triage`` is cheap: spaCy and scikit-learn load only when ``load`` is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from triage.errors import InvalidInput, ModelNotFound
from triage.redaction import redact
from triage.types import CAUSES, COMPLAINANTS, ROUTES, SERVICE_AREAS, TriageResult

if TYPE_CHECKING:
    from triage.triager import Triager

__all__ = [
    "CAUSES",
    "COMPLAINANTS",
    "ROUTES",
    "SERVICE_AREAS",
    "InvalidInput",
    "ModelNotFound",
    "TriageResult",
    "Triager",
    "load",
    "redact",
]


def load(model_dir: Path | str | None = None) -> Triager:
    """Load the trained triager from ``model_dir``, $TRIAGE_MODEL_DIR or <repo>/models/triage.

    Raises ModelNotFound when no trained model is there.
    """
    from triage.triager import Triager

    return Triager.load(model_dir)


def __getattr__(name: str) -> object:
    if name == "Triager":
        from triage.triager import Triager

        return Triager
    raise AttributeError(f"module 'triage' has no attribute {name!r}")
