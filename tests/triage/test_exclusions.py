import pytest

from triage.rules import Complaint, check_exclusions


def rules(text: str) -> set[str]:
    return {f.rule for f in check_exclusions(Complaint(text, "parent"))}


def test_complaint_about_a_judges_decision_is_outside_procedure():
    findings = check_exclusions(Complaint("the judge decided I can't see my kids", "parent"))
    assert findings[0].rule == "court_proceedings"
    assert findings[0].route == "outside_procedure" and findings[0].decisive
    assert "Reg 8(1)(b)" in findings[0].reason


@pytest.mark.parametrize(
    "text",
    [
        "the council is in care proceedings against me",
        "the family court made a child arrangements order",
        "cafcass wrote a report for the final hearing",
    ],
)
def test_court_proceedings_are_recognised(text):
    assert "court_proceedings" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "the school excluded my daughter",
        "we are appealing the EHCP to the SEND tribunal",
        "she did not get a school place at admissions",
    ],
)
def test_school_and_education_matters_are_outside_procedure(text):
    assert "education" in rules(text)


def test_passing_mention_of_school_is_left_to_the_model():
    assert rules("i didnt even get to say bye to my mates at school") == set()


@pytest.mark.parametrize(
    "text",
    [
        "I want to complain about the police",
        "the police officer was rude and arrested my son",
        "camhs waiting list is 18 months",
        "the GP refused to refer him",
    ],
)
def test_other_organisations_are_outside_procedure(text):
    assert "other_organisation" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "I made a subject access request in May",
        "I asked for a copy of my file and never got it",
        "I want to see my records from when I was in care",
    ],
)
def test_asking_for_records_goes_to_the_information_commissioner(text):
    assert "subject_access" in rules(text)


def test_records_shared_wrongly_is_confidentiality_not_subject_access():
    assert rules("my carer got sent a copy of my review notes with mum's address") == set()


def test_ordinary_statutory_complaint_has_no_exclusion():
    assert rules("my social worker never visits and my care plan is not followed") == set()


@pytest.mark.parametrize(
    "text",
    [
        "My grandson's academy has stopped answering every email I send about his timetable.",
        "HMRC has stopped the child benefit for the two girls who live with me.",
        "A PCSO told the whole street my boy has a social worker.",
        "The benefits office sent my new address to my ex.",
        "Our housing association refused the stairlift the OT recommended.",
        "my uni said i cant have the bursary",
        "Where do I complain about Ofsted?",
        "The DBS service lost my form again.",
    ],
)
def test_another_body_named_as_the_subject_is_outside_procedure(text):
    assert "other_organisation" in rules(text)


def test_a_school_referral_that_starts_a_complaint_about_the_council_is_left_to_the_model():
    text = (
        "My daughter's school made a referral in January. The social worker came once, "
        "then nothing for four months."
    )
    assert rules(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "I don't agree with the contact decision and there is no court case.",
        "It is not a court matter, it is about how the social worker spoke to me.",
    ],
)
def test_a_court_named_only_to_deny_it_is_not_court_proceedings(text):
    assert rules(text) == set()


def test_complaint_turned_away_for_court_proceedings_that_are_over_is_for_the_officer():
    text = (
        'The complaints team refused to consider my complaint because "it is the subject of '
        'court proceedings". The proceedings finished 2 years ago and my complaint is about '
        "contact arrangements since then."
    )
    findings = check_exclusions(Complaint(text, "parent"))
    assert [f.rule for f in findings] == ["court_proceedings_over"]
    assert not findings[0].decisive and findings[0].review
    assert "Reg 8(1)(b)" in findings[0].citation


@pytest.mark.parametrize(
    "text",
    [
        "At the final hearing the council agreed to pay for a bunk bed under the support plan. "
        "It never came.",
        "The judge made a child arrangements order to me but the council still won't give me "
        "the kinship payment they said I'd get.",
    ],
)
def test_a_commitment_the_council_made_at_court_and_did_not_keep_is_for_the_officer(text):
    findings = check_exclusions(Complaint(text, "special_guardian"))
    assert [f.rule for f in findings] == ["court_promise_not_kept"]
    assert not findings[0].decisive and findings[0].review


def test_appealing_the_order_stays_with_the_court_even_after_a_promise():
    text = (
        "I was told at the hearing the support plan would include an allowance but the order "
        "says nothing about it. I want to appeal the order."
    )
    assert "court_proceedings" in rules(text)


def test_complaint_turned_away_while_proceedings_are_live_stays_with_the_court():
    text = (
        "The complaints team refused to take my complaint about the threshold decision "
        "because care proceedings have now started."
    )
    assert "court_proceedings" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "They said to ring the police. The police haven't come and she has stopped answering.",
        "The assessment was copied to the nursery. The nursery didn't need to know that.",
        "She is autistic. Her school is excellent but the short breaks have stopped.",
    ],
)
def test_another_body_that_did_not_act_is_left_to_the_model(text):
    assert "other_organisation" not in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "i dont agree with the conference putting me and my sister on a plan. how do i appeal it",
        "The conference changed my son's category from neglect to physical abuse. Overturn it.",
        "I want to appeal against the child protection conference refusing to end her plan.",
    ],
)
def test_appeal_against_a_conference_decision_is_outside_procedure(text):
    findings = list(check_exclusions(Complaint(text, "parent")))
    assert [f.rule for f in findings] == ["conference_appeal"]
    assert findings[0].decisive and "Working Together" in findings[0].citation


def test_conference_decision_with_a_wrong_council_report_stays_statutory():
    text = (
        "The initial conference report listed referrals about a different family. The decision "
        "to put my son on a plan was based partly on those."
    )
    assert "conference_appeal" not in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "We were told we aren't suitable to adopt after the assessment. We want it reviewed.",
        "The fostering panel recommended ending our approval and the agency decision maker agreed.",
    ],
)
def test_approval_decisions_go_to_the_independent_review_mechanism(text):
    findings = check_exclusions(Complaint(text, "foster_carer"))
    assert [f.rule for f in findings] == ["approval_review"]
    assert "Independent Review Mechanism" in findings[0].citation


def test_a_carer_disputing_a_fee_band_at_review_is_not_an_approval_appeal():
    text = "I disagree with the decision to lower the skill level on my approval at my review."
    assert "approval_review" not in rules(text)


def test_independent_fostering_agency_paying_its_own_carer_is_another_organisation():
    text = "The independent fostering agency I foster for has stopped my pay."
    assert "other_organisation" in rules(text)


def test_child_in_care_asking_to_see_their_file_is_for_an_officer_not_turned_away():
    text = (
        "I have been in care since I was 11 and I've had six placements. I asked to see my "
        "file to understand why I'm in care and nobody has helped me."
    )
    findings = {f.rule: f for f in check_exclusions(Complaint(text, "child"))}
    assert "subject_access" not in findings
    finding = findings["records_request_in_care"]
    assert not finding.decisive and finding.review
    assert "subject access request" in finding.reason


@pytest.mark.parametrize(
    "text",
    [
        "I want to see my records from when I was in care",
        "I'm in care and I made a subject access request to see my file in May",
    ],
)
def test_former_or_formal_records_requests_stay_subject_access(text):
    assert rules(text) == {"subject_access"}


@pytest.mark.parametrize(
    "text",
    [
        "The school made a referral in January. The social worker's assessment says my son's "
        "father lives with us, which he hasn't for four years.",
        "After the police did a welfare check, your front door team opened an assessment and "
        "nobody told my sister what was happening for three months.",
    ],
)
def test_another_body_beside_the_councils_own_service_is_for_the_officer(text):
    findings = [f for f in check_exclusions(Complaint(text, "parent")) if f.route]
    assert findings and all(not f.decisive and f.review for f in findings)
    assert "answers for its part" in findings[0].reason


@pytest.mark.parametrize(
    "text",
    [
        "My complaint is about the social worker swearing at me, not the court case.",
        "The judge made a care order and I accept it. The social worker has not visited since.",
        "I know the court case is separate but the social worker hasn't arranged contact.",
    ],
)
def test_a_court_named_but_disclaimed_is_for_the_officer(text):
    findings = check_exclusions(Complaint(text, "parent"))
    assert [f.rule for f in findings] == ["court_not_complained_of"]
    assert not findings[0].decisive and findings[0].review


@pytest.mark.parametrize(
    "text",
    [
        "The judge made a care order. The council told the court I could have monthly contact.",
        "The judge said contact should be increased, and the council still hasn't done it.",
        "The court hearing has been moved because the council's report isn't done.",
    ],
)
def test_the_council_not_doing_what_it_told_the_court_is_for_the_officer(text):
    assert rules(text) == {"court_promise_not_kept"}


def test_disclaiming_does_not_save_an_appeal_against_the_order():
    text = "I accept that the social worker tried, but I am appealing the order the judge made."
    assert "court_proceedings" in rules(text)


def test_an_approval_decision_the_writer_accepts_is_for_the_officer():
    text = (
        "The agency decision maker decided not to approve us. We have accepted that. Our "
        "complaint is that the social worker was rude to us at every visit."
    )
    (finding,) = check_exclusions(Complaint(text, "parent"))
    assert finding.rule == "approval_review" and finding.review and not finding.decisive


def test_a_subject_access_request_the_writer_is_not_complaining_about_is_for_the_officer():
    text = "I don't want to complain about the SAR. My records say I was excluded and I never was."
    findings = [f for f in check_exclusions(Complaint(text, "child")) if f.rule == "subject_access"]
    assert findings and findings[0].review and not findings[0].decisive


@pytest.mark.parametrize(
    "text",
    [
        "The county court evicted me last month and nobody from leaving care came with me.",
        "His sw hasnt told him anything about his court case and he's anxious.",
    ],
)
def test_a_court_named_beside_the_councils_own_service_is_for_the_officer(text):
    (finding,) = [f for f in check_exclusions(Complaint(text, "child")) if f.route]
    assert finding.rule == "court_proceedings"
    assert finding.review and not finding.decisive
    assert "answers for its part" in finding.reason


def test_a_court_decision_alone_still_decides():
    (finding,) = check_exclusions(Complaint("the family court gave my ex custody", "parent"))
    assert finding.rule == "court_proceedings" and finding.decisive
