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
