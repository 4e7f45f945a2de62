"""Errors raised by the triage package."""

from __future__ import annotations


class TriageError(Exception):
    """Base class for triage errors."""


class ModelNotFound(TriageError):
    """No trained model exists in the model directory (run `python -m triage train`)."""


class InvalidInput(TriageError, ValueError):
    """The text or complainant given to `predict` cannot be triaged."""
