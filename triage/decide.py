"""Combine the rule findings and the model's scores into one triage result.

Rules override the model; when the two disagree, or the model is unsure, an officer
reviews. When the doubt is between statutory and corporate the complaint goes statutory:
the Ombudsman treats a wrongly withheld statutory investigation as fault causing
injustice. Safeguarding is raised if either the lexicon or the model sees it.
"""

from __future__ import annotations

from triage.rules.findings import Finding, RuleFindings
from triage.types import ModelScores, TriageResult

REVIEW_THRESHOLD = 0.6
# Defaults for a model that carries no thresholds of its own (training chooses both on
# inner folds). Statutory and corporate closer than this margin: statutory, for review.
STATUTORY_MARGIN = 0.2
# Without a rule, "outside the procedures" needs a model this sure; below it the complaint
# stays statutory for an officer to check, so nobody is turned away on a guess.
OUTSIDE_MINIMUM = 0.5
# A weak safeguarding sign ("self-harming") counts when the model gives at least this.
WEAK_SIGN_SCORE = 0.1
ROUTE_WORDS = {
    "statutory": "a statutory complaint",
    "corporate": "a corporate complaint",
    "outside_procedure": "outside both complaints procedures",
}
# When several decisive rules fire, the most specific signpost wins.
_RULE_PRIORITY = (
    "court_proceedings",
    "subject_access",
    "other_organisation",
    "education",
    "employment",
    "conference_appeal",
    "approval_review",
    "out_of_time",
    "foster_carer_payment",
    "foster_carer_own_treatment",
    "no_sufficient_interest",
)


def _priority(finding: Finding) -> int:
    return _RULE_PRIORITY.index(finding.rule) if finding.rule in _RULE_PRIORITY else 99


def deciding_rules(findings: RuleFindings) -> list[Finding]:
    """The decisive findings, the one that settles the route first."""
    return sorted(findings.decisive(), key=_priority)


def _model_route(
    route_p: dict[str, float], outside_minimum: float, statutory_margin: float
) -> tuple[str, bool, str | None]:
    """The model's route, whether it is unsure, and a reason when unsure."""
    ranked = sorted(route_p.items(), key=lambda item: item[1], reverse=True)
    top, top_p = ranked[0]
    statutory_p = route_p.get("statutory", 0.0)
    corporate_p = route_p.get("corporate", 0.0)
    if top in ("statutory", "corporate") and abs(statutory_p - corporate_p) < statutory_margin:
        return (
            "statutory",
            True,
            (
                f"Unclear between statutory ({statutory_p:.2f}) and corporate "
                f"({corporate_p:.2f}): treated as statutory until an officer decides, because "
                "wrongly withholding a statutory investigation is fault (Ombudsman)."
            ),
        )
    if top == "outside_procedure" and top_p < outside_minimum:
        return (
            "statutory",
            True,
            (
                "The model leans to outside both complaints procedures but is unsure "
                f"({top_p:.2f}, below the {outside_minimum:.2f} it needs on its own) and no rule "
                "shows why: treated as statutory until an officer decides, so nobody is turned "
                "away on a guess."
            ),
        )
    if top_p < REVIEW_THRESHOLD:
        return top, True, f"The model is unsure (confidence {top_p:.2f}): an officer should check."
    return top, False, None


def route_thresholds(scores: ModelScores) -> tuple[float, float]:
    """The model's own outside minimum and statutory margin, else this module's defaults.

    Training chooses both on inner folds (``triage.model.train``); a model saved before
    that carries neither.
    """
    outside = scores.outside_minimum if scores.outside_minimum is not None else OUTSIDE_MINIMUM
    margin = scores.statutory_margin if scores.statutory_margin is not None else STATUTORY_MARGIN
    return outside, margin


def decide_route(
    findings: RuleFindings,
    route_p: dict[str, float],
    *,
    outside_minimum: float = OUTSIDE_MINIMUM,
    statutory_margin: float = STATUTORY_MARGIN,
) -> str:
    """The route ``decide`` gives, from the rule findings and route probabilities alone.

    Training calls it to choose the two thresholds on out-of-fold probabilities.
    """
    decisive = deciding_rules(findings)
    model_route = _model_route(route_p, outside_minimum, statutory_margin)[0]
    return (decisive[0].route or model_route) if decisive else model_route


def decide(
    findings: RuleFindings, scores: ModelScores, *, threshold: float = REVIEW_THRESHOLD
) -> TriageResult:
    """Decide route, causes, service area and safeguarding from rules and model.

    ``threshold`` is the model confidence under which an officer reviews the result.
    """
    reasons: list[str] = []
    review = False
    outside_minimum, statutory_margin = route_thresholds(scores)
    model_route, unsure, unsure_reason = _model_route(
        scores.route, outside_minimum, statutory_margin
    )
    model_top = max(scores.route, key=scores.route.__getitem__)
    terms = ", ".join(scores.top_terms[:3])
    model_reason = (
        f"The model reads this as {ROUTE_WORDS.get(model_top, model_top)} "
        f"(probability {scores.route[model_top]:.2f})"
        + (f", mainly from {terms}." if terms else ".")
    )

    decisive = deciding_rules(findings)
    if decisive:
        winner = decisive[0]
        route = winner.route or model_route
        reasons.append(winner.reason)
        reasons.extend(f.reason for f in decisive[1:] if f.route != route)
        if winner.review:
            review = True
        if route != model_top:
            review = True
            reasons.append(model_reason + " The rule above takes precedence; please confirm.")
        else:
            reasons.append(model_reason)
    else:
        route = model_route
        reasons.append(model_reason)
        if unsure:
            review = True
            if unsure_reason:
                reasons.append(unsure_reason)
        for finding in findings.advisory():
            review = review or finding.review or finding.route != route
            reasons.append(finding.reason)

    confidence = float(scores.route.get(route, 0.0))
    if confidence < threshold:
        review = True

    # Reasons from the other rules (eligibility, time, safeguarding) that still apply.
    for finding in findings.findings:
        if finding.route or finding.reason in reasons or finding.rule == "possible_safeguarding":
            continue
        eligibility = finding.rule in ("eligible", "sufficient_interest", "complainant_unknown")
        if eligibility and route != "statutory":
            continue
        reasons.append(finding.reason)
        review = review or finding.review

    causes = list(scores.causes)
    service_area = max(scores.service_area, key=scores.service_area.__getitem__)
    for finding in decisive[:1]:
        for cause in finding.causes:
            if cause not in causes:
                causes.insert(0, cause)
        if finding.service_area:
            service_area = finding.service_area

    weak_sign = findings.by_rule("possible_safeguarding")
    lexicon_safeguarding = findings.safeguarding or (
        weak_sign is not None and scores.safeguarding >= WEAK_SIGN_SCORE
    )
    model_safeguarding = scores.safeguarding >= scores.safeguarding_threshold
    safeguarding = lexicon_safeguarding or model_safeguarding
    if weak_sign is not None and not findings.safeguarding:
        reasons.append(weak_sign.reason)
    if model_safeguarding and not lexicon_safeguarding:
        reasons.append(
            f"The model sees a possible safeguarding concern (score {scores.safeguarding:.2f}) "
            "though no listed phrase matched: check today whether a child is at risk now."
        )
        review = True
    if safeguarding:
        review = True

    if scores.truncated_at:
        reasons.append(
            f"The text is long: the model read only the first {scores.truncated_at:,} "
            "characters; the rules read all of it."
        )
    return TriageResult(
        route=route,
        causes=tuple(causes),
        service_area=service_area,
        safeguarding=safeguarding,
        confidence=round(confidence, 4),
        needs_review=review,
        reasons=tuple(reasons),
        model_version=scores.model_version,
        explanation=scores.explanation,
    )
