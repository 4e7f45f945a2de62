from triage.model.train import STATUTORY_RECALL_FLOOR, choose_route_thresholds
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
