import pytest

from triage.rules import Complaint, check_corporate


def test_late_allowance_to_a_foster_carer_is_corporate():
    findings = check_corporate(
        Complaint("my fostering allowance is three weeks late", "foster_carer")
    )
    assert [f.rule for f in findings] == ["foster_carer_payment"]
    assert findings[0].route == "corporate" and findings[0].decisive
    assert findings[0].causes == ("finance",) and findings[0].service_area == "fostering"


def test_foster_carer_complaint_about_the_child_is_not_a_payment_matter():
    text = "the supervising social worker has not visited our foster son for months"
    assert check_corporate(Complaint(text, "foster_carer")) == ()


def test_payment_and_lateness_far_apart_do_not_count():
    text = (
        "I am a foster carer. The payment for the school trip was fine. The real problem is that "
        "the social worker missed three reviews and the plan is late."
    )
    assert check_corporate(Complaint(text, "foster_carer")) == ()


def test_neighbour_with_no_interest_in_the_child_is_corporate():
    findings = check_corporate(
        Complaint("I am a neighbour and the social workers keep parking across my drive", "other")
    )
    assert [f.rule for f in findings] == ["no_sufficient_interest"]
    assert findings[0].route == "corporate"


def test_relative_talking_about_next_door_keeps_their_interest():
    text = "my grandson lives next door to me and his social worker never visits"
    assert check_corporate(Complaint(text, "other")) == ()


def test_foster_carers_own_supervision_is_corporate():
    text = "Our supervising social worker has visited once this year and never books our training."
    findings = check_corporate(Complaint(text, "foster_carer"))
    assert [f.rule for f in findings] == ["foster_carer_own_treatment"]
    assert findings[0].route == "corporate" and findings[0].decisive
    assert findings[0].service_area == "fostering"
    assert "para 2.3" in findings[0].citation


@pytest.mark.parametrize(
    "text",
    [
        "Our supervising social worker won't tell us about the boy's contact with his dad.",
        "I foster a child with complex needs and we were promised specialist training.",
        "I disagree with the decision at my review to lower the skill level on my approval.",
    ],
)
def test_foster_carer_supervision_about_a_child_or_approval_is_left_to_the_model(text):
    assert check_corporate(Complaint(text, "foster_carer")) == ()


def test_someone_else_mentioning_training_is_not_a_carer_matter():
    text = "the training for parents at the family hub was cancelled"
    assert check_corporate(Complaint(text, "parent")) == ()


@pytest.mark.parametrize(
    "text",
    [
        "We are foster to adopt carers and the allowance stopped the day the placement order "
        "was made, three months before the adoption order.",
        "In 2015 the council stopped the fostering allowance for my granddaughter when I took a "
        "residence order. I want the back pay.",
        "We foster and since he turned 18 under staying put the allowance has been paid late.",
    ],
)
def test_money_tied_to_a_childs_order_or_plan_is_not_a_foster_carer_payment(text):
    rules = {f.rule for f in check_corporate(Complaint(text, "foster_carer"))}
    assert "foster_carer_payment" not in rules
