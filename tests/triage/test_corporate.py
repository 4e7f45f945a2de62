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
