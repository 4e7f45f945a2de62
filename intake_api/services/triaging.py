"""Getting the Triager for this app: injected in config, or `triage.load()` once, lazily."""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app

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
