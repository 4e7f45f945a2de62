from dataclasses import replace
from datetime import date

from triage.decide import decide
from triage.rules import Complaint, apply_rules
from triage.types import ModelScores

TODAY = date(2026, 11, 27)


def scores(route: dict[str, float], *, safeguarding: float = 0.0, **extra) -> ModelScores:
    return ModelScores(
        route=route,
        causes=extra.get("causes", ("communication",)),
        cause_probabilities={"communication": 0.8},
        service_area=extra.get("service_area", {"looked_after_children": 0.7, "other": 0.3}),
        safeguarding=safeguarding,
        safeguarding_threshold=0.5,
        model_version="test-model",
        truncated_at=extra.get("truncated_at"),
        top_terms=("social worker",),
    )


def run(text: str, complainant: str | None, model: ModelScores):
    return decide(apply_rules(Complaint(text, complainant), TODAY), model)


CONFIDENT_STATUTORY = {"statutory": 0.9, "corporate": 0.05, "outside_procedure": 0.05}


def test_confident_model_and_no_rule_gives_the_model_route_without_review():
    result = run("my social worker never calls me back", "child", scores(CONFIDENT_STATUTORY))
    assert result.route == "statutory" and not result.needs_review
    assert result.confidence == 0.9 and result.model_version == "test-model"
    assert any("s26(3)(a)" in r for r in result.reasons)


def test_court_rule_overrides_the_model_and_asks_for_review():
    result = run("the judge decided I can't see my kids", "parent", scores(CONFIDENT_STATUTORY))
    assert result.route == "outside_procedure"
    assert result.needs_review, "rules and model disagree"
    assert result.reasons[0].startswith("Mentions court proceedings")
    assert "Reg 8(1)(b)" in result.reasons[0]


def test_rule_and_model_agreeing_needs_no_review():
    model = scores({"statutory": 0.05, "corporate": 0.05, "outside_procedure": 0.9})
    result = run("the judge decided I can't see my kids", "parent", model)
    assert result.route == "outside_procedure" and not result.needs_review


def test_unsure_between_statutory_and_corporate_goes_statutory_with_review():
    model = scores({"statutory": 0.42, "corporate": 0.48, "outside_procedure": 0.10})
    result = run("the office was closed when I came", "parent", model)
    assert result.route == "statutory" and result.needs_review
    assert any("Ombudsman" in r for r in result.reasons)


def test_low_confidence_needs_review():
    model = scores({"statutory": 0.2, "corporate": 0.25, "outside_procedure": 0.55})
    result = run("something happened", "parent", model)
    assert result.route == "outside_procedure" and result.needs_review


def test_lexicon_raises_safeguarding_even_when_the_model_does_not():
    result = run("he hits me and I'm scared to go home", "child", scores(CONFIDENT_STATUTORY))
    assert result.safeguarding and result.needs_review


def test_model_raises_safeguarding_even_when_no_phrase_matches():
    model = scores(CONFIDENT_STATUTORY, safeguarding=0.9)
    result = run("something is very wrong at the house", "child", model)
    assert result.safeguarding and result.needs_review
    assert any("safeguarding" in r for r in result.reasons)


def test_foster_carer_payment_rule_sets_finance_and_fostering():
    model = scores({"statutory": 0.3, "corporate": 0.65, "outside_procedure": 0.05})
    result = run("my fostering allowance is three weeks late", "foster_carer", model)
    assert result.route == "corporate"
    assert result.causes[0] == "finance" and result.service_area == "fostering"


def test_old_complaint_keeps_the_model_route_but_goes_to_an_officer():
    result = run("my social worker was rude 3 years ago", "parent", scores(CONFIDENT_STATUTORY))
    assert result.route == "statutory" and result.needs_review
    assert any("Reg 9" in r for r in result.reasons)


def test_truncation_is_explained_in_the_reasons():
    result = run("x " * 10, "child", scores(CONFIDENT_STATUTORY, truncated_at=5000))
    assert any("first 5,000 characters" in r for r in result.reasons)


def test_eligibility_reasons_are_only_given_for_statutory_routes():
    model = scores({"statutory": 0.05, "corporate": 0.9, "outside_procedure": 0.05})
    result = run("the council website is broken", "child", model)
    assert result.route == "corporate"
    assert not any("s26(3)" in r for r in result.reasons)


def test_unsure_outside_without_a_rule_stays_statutory_for_review():
    model = scores({"statutory": 0.3, "corporate": 0.25, "outside_procedure": 0.45})
    result = run("something happened", "parent", model)
    assert result.route == "statutory" and result.needs_review
    assert any("unsure" in r for r in result.reasons)


def test_weak_safeguarding_sign_counts_only_with_some_model_risk():
    text = "my daughter is self-harming and the social worker did nothing"
    quiet = run(text, "parent", scores(CONFIDENT_STATUTORY, safeguarding=0.01))
    worried = run(text, "parent", scores(CONFIDENT_STATUTORY, safeguarding=0.2))
    assert not quiet.safeguarding and worried.safeguarding
    assert any("self-harm" in r for r in quiet.reasons), "the officer still sees the mention"


def test_complaint_turned_away_for_finished_proceedings_keeps_the_model_route_for_review():
    text = (
        'The complaints team refused to consider my complaint because "it is the subject of '
        'court proceedings". The proceedings finished 2 years ago.'
    )
    result = run(text, "parent", scores(CONFIDENT_STATUTORY))
    assert result.route == "statutory" and result.needs_review
    assert any("seem to be over" in r for r in result.reasons)


def test_foster_carers_own_supervision_goes_corporate_under_fostering():
    text = "My supervising social worker has cancelled four supervision visits in a row."
    result = run(text, "foster_carer", scores(CONFIDENT_STATUTORY))
    assert result.route == "corporate" and result.service_area == "fostering"
    assert result.needs_review, "rule and model disagree"


def test_the_models_own_outside_minimum_keeps_a_leaning_complaint_statutory():
    probabilities = {"statutory": 0.3, "corporate": 0.05, "outside_procedure": 0.65}
    default = run("something happened", "parent", scores(probabilities))
    assert default.route == "outside_procedure"
    model = replace(scores(probabilities), outside_minimum=0.7, statutory_margin=0.3)
    leaning = run("something happened", "parent", model)
    assert leaning.route == "statutory" and leaning.needs_review
    assert any("below the 0.70 it needs on its own" in r for r in leaning.reasons)


def test_the_models_own_statutory_margin_widens_the_doubt_towards_statutory():
    probabilities = {"statutory": 0.35, "corporate": 0.6, "outside_procedure": 0.05}
    assert run("the office was closed", "parent", scores(probabilities)).route == "corporate"
    model = replace(scores(probabilities), statutory_margin=0.3)
    result = run("the office was closed", "parent", model)
    assert result.route == "statutory" and result.needs_review
    assert any("Unclear between statutory (0.35) and corporate (0.60)" in r for r in result.reasons)
