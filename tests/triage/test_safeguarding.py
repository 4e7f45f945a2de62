import pytest

from triage.rules import Complaint, check_safeguarding, find_disclosures


@pytest.mark.parametrize(
    "text",
    [
        "he hits me",
        "my stepdad hits me when mum is out",
        "im scared 2 go home",
        "I am scared to go home tonight",
        "i want to kill myself",
        "i wanna die",
        "he touched me and said not to tell",
        "i dont feel safe at home",
        "he never stops hitting me",
        "my mum locks me in my room",
        "there is no food in the house and i'm looking after my baby sister on my own",
        "he said he'll kill me if i tell",
        "a man she met online gives her alcohol",
        "ive got the tablets saved up",
        "she has been cutting herself",
        "He turned up at nursery today saying he was collecting them",
        "my ex-partner keeps turning up outside the school",
        "the older boys at the park give him weed",
        "i dont want to live anymore",
    ],
)
def test_disclosure_of_current_harm_is_flagged(text):
    finding = check_safeguarding(Complaint(text))
    assert finding is not None and finding.safeguarding and finding.review


@pytest.mark.parametrize(
    "text",
    [
        "he has never hit me",
        "my foster carer doesn't hit me, she is lovely",
        "I am not scared to go home",
        "my social worker never rings me back",
        "the assessment was late and full of mistakes",
        "i dont want to live with my carers anymore",
        "my college kicked me off my course",
        "they won't let me do my hair the way my mum did it",
        "the allowance was agreed because of the older boy's needs",
        "the older girl has her own room",
    ],
)
def test_negated_or_harmless_text_is_not_flagged(text):
    assert check_safeguarding(Complaint(text)) is None


def test_negation_in_another_clause_does_not_hide_a_disclosure():
    assert check_safeguarding(Complaint("it's not fair, he hits me every night")) is not None


def test_text_speak_is_read_like_plain_english():
    assert check_safeguarding(Complaint("ur not listnin, he hits me n im scared 2 go home"))


def test_disclosures_report_their_kind_and_negation():
    found = find_disclosures("he never hit me")
    assert found and found[0].kind == "physical harm" and found[0].negated


def test_reason_tells_the_officer_to_act_today():
    finding = check_safeguarding(Complaint("he hits me"))
    assert finding is not None and "today" in finding.reason


def test_self_harm_mentioned_as_background_is_only_a_weak_sign():
    finding = check_safeguarding(Complaint("CAMHS discharged her though she is still self-harming"))
    assert finding is not None and finding.rule == "possible_safeguarding"
    assert not finding.safeguarding


def test_disputed_record_of_harm_is_not_a_disclosure():
    text = "the social worker wrote that i said my mum hits me. i never said that"
    assert check_safeguarding(Complaint(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "a new social worker just turned up at school",
        "my grandson turned up at my door at midnight",
    ],
)
def test_someone_turning_up_is_only_a_weak_sign(text):
    finding = check_safeguarding(Complaint(text))
    assert finding is not None and not finding.safeguarding
    assert finding.rule == "possible_safeguarding"


@pytest.mark.parametrize(
    "text",
    [
        "the council minibus nearly hit me on my bike",
        "the social worker asked my daughter whether I hit her",
    ],
)
def test_a_near_miss_or_a_question_is_only_a_weak_sign(text):
    finding = check_safeguarding(Complaint(text))
    assert finding is not None and not finding.safeguarding


@pytest.mark.parametrize(
    "text",
    [
        "the outcome was found unsubstantiated and she did it by text",
        'the notes from my supervision visit say the room was "unsafe". That is wrong',
        "the referral said my children were left alone at night. That is false",
        "my sw wrote in the plan that im scared of my mum. i never said that",
        "I don't feel safe sharing anything with my personal adviser now",
    ],
)
def test_reported_words_and_trust_in_a_worker_are_not_disclosures(text):
    assert check_safeguarding(Complaint(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "he did it again last night",
        "if he hits me again im running",
        "my dad nearly hit me so hard",
    ],
)
def test_repeated_or_real_harm_is_still_found(text):
    assert check_safeguarding(Complaint(text)) is not None


@pytest.mark.parametrize(
    "text",
    [
        "my eldest has moved back in and we are seriously overcrowded",
        "she said we all have to do stuff we dont like",
        "staff keep coming into my room without knocking",
        "She did it three weeks after the deadline",
    ],
)
def test_phrases_that_need_the_right_person_are_weak_signs(text):
    finding = check_safeguarding(Complaint(text))
    assert finding is not None and not finding.safeguarding


@pytest.mark.parametrize(
    "text",
    [
        "she will take me out for a milkshake but she never turns up",
        "I have to push my daughter's chair in the rain from the car park",
        "my manager stopped my supervision after I raised unsafe caseloads",
    ],
)
def test_everyday_phrases_are_not_disclosures(text):
    assert check_safeguarding(Complaint(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "the man named in the plan has moved back in with my sister",
        "he makes me do stuff and says not to tell",
        "he'll take them abroad and i'll never see them",
        "he pushed my daughter down the stairs",
    ],
)
def test_the_same_phrases_with_the_person_who_harms_are_still_found(text):
    finding = check_safeguarding(Complaint(text))
    assert finding is not None and finding.safeguarding
