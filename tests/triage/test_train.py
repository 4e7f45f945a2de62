import pytest

from triage.model.train import (
    STATUTORY_RECALL_FLOOR,
    TrainingError,
    choose_route_thresholds,
    statutory_recall_floor,
)
from triage.rules import RuleFindings


def probabilities(statutory: float, corporate: float, outside: float) -> dict[str, float]:
    return {"statutory": statutory, "corporate": corporate, "outside_procedure": outside}


def test_route_thresholds_first_reach_the_statutory_recall_floor():
    # Statutory complaints the model sends outside with 0.6 and 0.7: only an outside minimum
    # above 0.7 keeps all of them statutory, at the cost of one outside complaint.
    routes = ["statutory"] * 8 + ["outside_procedure"] * 3 + ["corporate"] * 2
    probs = (
        [probabilities(0.9, 0.05, 0.05)] * 6
        + [probabilities(0.35, 0.05, 0.6), probabilities(0.25, 0.05, 0.7)]
        + [probabilities(0.05, 0.05, 0.9)] * 2
        + [probabilities(0.25, 0.0, 0.75)]
        + [probabilities(0.05, 0.9, 0.05)] * 2
    )
    outside_minimum, margin, achieved = choose_route_thresholds(
        routes, probs, [RuleFindings(())] * len(routes)
    )
    assert 0.7 < outside_minimum <= 0.75
    assert achieved["route_statutory_recall"] >= STATUTORY_RECALL_FLOOR
    assert margin == 0.1, "ties go to the lowest margin"


def test_route_thresholds_maximise_macro_f1_once_the_floor_is_met():
    # Every statutory complaint is clear, so the lowest outside minimum keeps the confident
    # outside complaint (0.55) outside.
    routes = ["statutory"] * 4 + ["outside_procedure", "corporate"]
    probs = [probabilities(0.9, 0.05, 0.05)] * 4 + [
        probabilities(0.4, 0.05, 0.55),
        probabilities(0.05, 0.9, 0.05),
    ]
    outside_minimum, _, achieved = choose_route_thresholds(
        routes, probs, [RuleFindings(())] * len(routes)
    )
    assert outside_minimum == 0.5
    assert achieved["route_macro_f1"] == 1.0


def test_a_higher_floor_buys_statutory_recall_with_the_other_routes():
    # One statutory complaint looks corporate (0.35 v 0.6): only a floor of 1.0 keeps it,
    # by a margin wide enough to send a real corporate complaint to statutory too.
    routes = ["statutory"] * 9 + ["corporate"] * 3
    probs = (
        [probabilities(0.9, 0.05, 0.05)] * 8
        + [probabilities(0.35, 0.6, 0.05)]
        + [probabilities(0.05, 0.9, 0.05)] * 2
        + [probabilities(0.4, 0.55, 0.05)]
    )
    findings = [RuleFindings(())] * len(routes)
    _, low_margin, low = choose_route_thresholds(routes, probs, findings, floor=0.8)
    _, high_margin, high = choose_route_thresholds(routes, probs, findings, floor=1.0)
    assert low["route_statutory_recall"] < 1.0 <= high["route_statutory_recall"]
    assert high_margin > low_margin
    assert high["route_macro_f1"] < low["route_macro_f1"]


def test_the_floor_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRIAGE_STATUTORY_RECALL_FLOOR", raising=False)
    assert statutory_recall_floor() == STATUTORY_RECALL_FLOOR
    monkeypatch.setenv("TRIAGE_STATUTORY_RECALL_FLOOR", "0.98")
    assert statutory_recall_floor() == 0.98


@pytest.mark.parametrize("raw", ["high", "0.3", "1.5"])
def test_a_floor_that_is_not_a_recall_is_refused(monkeypatch, raw):
    monkeypatch.setenv("TRIAGE_STATUTORY_RECALL_FLOOR", raw)
    with pytest.raises(TrainingError, match="TRIAGE_STATUTORY_RECALL_FLOOR"):
        statutory_recall_floor()
