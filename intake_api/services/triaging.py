"""Triaging cases: getting the Triager (injected in config, or `triage.load()` once,
lazily), running it without ever losing a complaint, and recording its result.

Whether triage runs in the request or in the triage worker after commit is the
`TRIAGE_MODE` setting (`inline` or `worker`); both go through `triage_case`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app

from intake_api.models import Case, TriageResult
from intake_api.services import lifecycle
from intake_api.services import stages as clock
from intake_api.services.events import record_event

logger = logging.getLogger(__name__)

_lock = threading.Lock()


def get_triager() -> Any:
    """The app's Triager (anything with `predict(text, complainant=...)`).

    `app.config["TRIAGER"]` wins (tests inject a fake there). Otherwise the model is loaded
    on first use and kept on the app. A failed load is not remembered, so a model trained
    after start-up is picked up by the next complaint. Raises whatever loading raises.
    """
    injected = current_app.config.get("TRIAGER")
    if injected is not None:
        return injected
    extensions = current_app.extensions
    if "triager" not in extensions:
        with _lock:
            if "triager" not in extensions:
                import triage  # imported here: spaCy and scikit-learn are slow to import

                extensions["triager"] = triage.load()
    return extensions["triager"]


def preload(app: Any) -> threading.Thread:
    """Load the model in the background at start-up, so the first complaint is not slow.

    A failure is only logged: `get_triager` tries again on the next complaint.
    """

    def load() -> None:
        with app.app_context():
            try:
                get_triager()
            except Exception:  # any failure means "try again on the next complaint"
                app.logger.warning("Triage model not loaded at start-up; will retry on use.")

    thread = threading.Thread(target=load, name="triage-preload", daemon=True)
    thread.start()
    return thread


@dataclass(frozen=True)
class Attempt:
    """What one triage attempt gave: the result, or the error and whether a retry may
    succeed (a model not trained yet, say) or never will (unusable text)."""

    outcome: dict[str, Any] | None
    error: dict[str, Any] | None = None
    retryable: bool = False


def run_triage(text: str, complainant: str, received_on: dt.date | None) -> Attempt:
    """Triage one complaint's text; never raises (a complaint is never lost to triage)."""
    from triage.errors import InvalidInput, TriageError

    try:
        triager = get_triager()
        result = triager.predict(text, complainant=complainant, received=received_on)
        outcome = result.to_dict()
        check_labels(outcome)
        return Attempt(outcome)
    except InvalidInput as exc:  # the text itself cannot be triaged: no retry helps
        logger.warning("Triage refused the text: %r", exc)
        return Attempt(None, _failure(exc), retryable=False)
    except TriageError as exc:  # expected, e.g. no model trained yet: no traceback
        logger.warning("Triage failed: %r", exc)
        return Attempt(None, _failure(exc), retryable=True)
    except Exception as exc:  # anything else must still leave a case
        logger.exception("Triage failed")
        return Attempt(None, _failure(exc), retryable=True)


def _failure(exc: Exception) -> dict[str, Any]:
    return {"error": type(exc).__name__, "message": str(exc)[:500]}


def check_labels(outcome: dict[str, Any]) -> None:
    """Refuse a result whose labels are not the taxonomy's: they would be counted wrongly."""
    from triage.types import CAUSES, ROUTES, SERVICE_AREAS

    if outcome.get("route") not in ROUTES:
        raise ValueError(f"triage gave an unknown route: {outcome.get('route')!r}")
    if outcome.get("service_area") not in SERVICE_AREAS:
        raise ValueError(f"triage gave an unknown service area: {outcome.get('service_area')!r}")
    unknown = set(outcome.get("causes") or []) - set(CAUSES)
    if unknown:
        raise ValueError(f"triage gave unknown causes: {sorted(unknown)}")
    if not isinstance(outcome.get("safeguarding"), bool):
        raise ValueError("triage gave no safeguarding flag")


def triage_row(outcome: dict[str, Any]) -> TriageResult:
    """The model's result as a triage history row."""
    confidence = outcome.get("confidence")
    return TriageResult(
        route=outcome["route"],
        causes=list(outcome.get("causes") or []),
        service_area=outcome["service_area"],
        safeguarding=bool(outcome["safeguarding"]),
        confidence=float(confidence) if confidence is not None else None,
        needs_review=bool(outcome.get("needs_review", False)),
        reasons=[str(reason) for reason in outcome.get("reasons") or []],
        model_version=outcome.get("model_version"),
        source="model",
    )


def record_triage(case: Case, outcome: dict[str, Any]) -> None:
    """Apply the model's result to a complaint: labels, route, Stage 1 from the day it was
    received, and the audit events. The caller commits."""
    lifecycle.apply_triage(case, triage_row(outcome))
    lifecycle.change_route(case, outcome["route"], case.received_on or clock.today())
    record_event(
        "triage.completed",
        "system",
        case,
        {
            "route": outcome["route"],
            "safeguarding": bool(outcome["safeguarding"]),
            "model_version": outcome.get("model_version"),
        },
    )
    if outcome["safeguarding"]:
        record_event("safeguarding.flagged", "system", case, {})


def triage_case(case: Case) -> Attempt:
    """Triage `case` now and record the result, or the failure when no retry can help;
    the caller commits (and decides what a retryable failure means)."""
    attempt = run_triage(case.description, case.complainant.type, case.received_on)
    if attempt.outcome is not None:
        record_triage(case, attempt.outcome)
    return attempt
