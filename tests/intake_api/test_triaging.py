"""Loading the Triager: `intake_api/services/triaging.py`, and the real model end to end."""

from __future__ import annotations

import pytest

import triage
from triage.errors import ModelNotFound


@pytest.fixture
def app_config():
    """No injected Triager: the app loads the real one with `triage.load()`."""
    return {"TRIAGER": None}


class CountingTriager:
    def __init__(self):
        self.calls = 0

    def predict(self, text, complainant="other", *, received=None):
        self.calls += 1
        return triage.TriageResult(
            route="corporate",
            causes=("finance",),
            service_area="fostering",
            safeguarding=False,
            confidence=0.8,
            needs_review=False,
            reasons=("counted",),
            model_version="counting-1",
        )


def test_the_triager_is_loaded_once_on_first_use_and_kept(app, post_case, monkeypatch):
    loads = []

    def fake_load():
        loads.append(1)
        return CountingTriager()

    monkeypatch.setattr(triage, "load", fake_load)
    assert "triager" not in app.extensions
    first = post_case().get_json()
    post_case()
    assert len(loads) == 1
    assert app.extensions["triager"].calls == 2
    assert first["triage"]["route"] == "corporate"
    assert first["triage"]["causes"] == ["finance"]


def test_a_failed_load_is_retried_by_the_next_complaint(app, post_case, monkeypatch):
    outcomes = [ModelNotFound("not trained yet"), CountingTriager()]

    def fake_load():
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(triage, "load", fake_load)
    assert post_case().get_json()["triage"] is None
    assert post_case().get_json()["triage"]["model_version"] == "counting-1"


def test_the_real_model_triages_a_complaint(post_case, complaint):
    try:
        triage.load()
    except ModelNotFound:
        pytest.skip("No trained triage model (run `python -m triage train`).")
    response = post_case(
        complaint(
            description=(
                "I am 14 and in foster care. My social worker never answers my calls and "
                "nobody told me my contact with my mum was stopped."
            )
        )
    )
    assert response.status_code == 201
    result = response.get_json()["triage"]
    assert result is not None
    assert result["route"] in triage.ROUTES
    assert set(result["causes"]) <= set(triage.CAUSES)
    assert result["service_area"] in triage.SERVICE_AREAS
    assert isinstance(result["safeguarding"], bool)
    assert 0.0 <= result["confidence"] <= 1.0
    assert result["model_version"]


def test_preload_loads_the_triager_in_the_background(app, monkeypatch):
    import triage
    from intake_api.services import triaging

    loaded = object()
    calls = []

    def fake_load():
        calls.append(1)
        return loaded

    monkeypatch.setattr(triage, "load", fake_load)
    app.config["TRIAGER"] = None
    app.extensions.pop("triager", None)
    triaging.preload(app).join(timeout=10)
    assert calls == [1]
    assert app.extensions["triager"] is loaded
