import pytest

from triage.rules import Complaint, check_eligibility


@pytest.mark.parametrize(
    ("complainant", "clause"),
    [
        ("child", "s26(3)(a)"),
        ("parent", "s26(3)(b)"),
        ("foster_carer", "s26(3)(d)"),
        ("special_guardian", "s26(3C)"),
        ("advocate", "s26A"),
    ],
)
def test_named_complainants_are_eligible_for_the_statutory_procedure(complainant, clause):
    finding = check_eligibility(Complaint("my social worker never calls", complainant))
    assert finding.rule == "eligible"
    assert clause in finding.citation
    assert not finding.review


def test_relative_needs_the_councils_judgement_of_sufficient_interest():
    finding = check_eligibility(Complaint("my grandson's social worker ignores me", "relative"))
    assert finding.rule == "sufficient_interest"
    assert "s26(3)(e)" in finding.citation


def test_someone_else_is_flagged_for_the_officer_to_decide_interest():
    finding = check_eligibility(Complaint("the social worker was rude", "other"))
    assert finding.rule == "sufficient_interest" and finding.review


def test_person_with_parental_responsibility_is_eligible_whatever_the_label():
    finding = check_eligibility(Complaint("I have parental responsibility for her", "other"))
    assert finding.rule == "eligible" and "s26(3)(c)" in finding.citation


def test_unknown_complainant_asks_for_an_eligibility_check():
    assert check_eligibility(Complaint("help", None)).rule == "complainant_unknown"


def test_eligibility_never_sets_a_route():
    assert check_eligibility(Complaint("x", "other")).route is None
