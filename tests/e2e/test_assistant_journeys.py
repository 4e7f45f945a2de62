"""Whole conversations with the real assistant, action server and intake API.

Each journey is one kind of person or one unhappy path from issue #4; each checks what
the person is told and what the council's system of record then holds.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from .stack import REFERENCE, YOUNG_PERSON_ANSWERS, Conversation, Stack

pytestmark = pytest.mark.e2e

SECRET = re.compile(r"\b[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}\b")


def case_references(stack: Stack, conversation: Conversation) -> list[str]:
    """The references of the cases made from one conversation, oldest first."""
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT reference FROM cases WHERE conversation_id = :cid ORDER BY id"),
                {"cid": conversation.sender},
            )
            return [row[0] for row in rows]
    finally:
        engine.dispose()


def get_case(stack: Stack, reference: str) -> dict:
    response = stack.api("GET", f"/api/v1/cases/{reference}")
    assert response.status_code == 200, response.text
    return response.json()


def the_reference(answer: str, conversation: Conversation) -> str:
    match = REFERENCE.search(answer)
    assert match, conversation.show()
    return match.group(0)


def test_an_advocate_with_the_childs_agreement_files_for_them(stack: Stack) -> None:
    conversation = stack.conversation()
    answer = conversation.complain(
        "I am an advocate and I want to make a complaint for a young person I support",
        {
            "who are you": '/inform{"complainant_type": "advocate"}',
            "name of your group": "Brightside Advocacy",
            "said yes": "/affirm",
            "How old is the child": "16 or 17",
            "What happened?": (
                "The young person was moved to a new placement with one day of notice and "
                "nobody asked for her views first"
            ),
            "Is there more": "no, that is all",
            "When did it happen": "3 weeks ago",
            "team or a worker": "the children in care team",
            "What would you like to happen": "An apology and a say in future moves",
            "get back to you": "advocate@example.org",
        },
        read_back="Brightside Advocacy",
    )
    reference = the_reference(answer, conversation)
    assert case_references(stack, conversation) == [reference]
    case = get_case(stack, reference)
    complainant = case["complainant"]
    assert complainant["type"] == "advocate"
    assert complainant["advocate_organisation"] == "Brightside Advocacy"
    assert complainant["consent_recorded"] is True
    assert complainant["contact_via"] == "advocate"
    assert complainant["email"] == "advocate@example.org"
    assert case["child"]["age_band"] == "16_to_17"
    assert case["service_mentioned"] == "the children in care team"
    assert case["desired_outcome"] == "An apology and a say in future moves"
    assert case["when"]["text"] == "3 weeks ago"
    assert case["when"]["over_12_months"] is False


def test_an_advocate_without_the_childs_agreement_sends_nothing(stack: Stack) -> None:
    conversation = stack.conversation()
    conversation.say("i want to complain on behalf of a child")
    conversation.say('/inform{"complainant_type": "advocate"}')
    asked = conversation.text(conversation.say("Northgate Children's Rights"))
    assert "said yes" in asked, conversation.show()
    answer = conversation.text(conversation.say("/deny"))
    assert "Nothing has been sent" in answer, conversation.show()
    assert "say yes first" in answer, conversation.show()
    assert case_references(stack, conversation) == []
    slots = conversation.tracker()["slots"]
    assert slots["complainant_type"] is None and slots["advocate_organisation"] is None


def test_a_disclosure_mid_form_gets_help_first_and_an_urgent_case(stack: Stack) -> None:
    conversation = stack.conversation()
    for message in (
        "i want to complain",
        '/inform{"complainant_type": "child"}',
        "12",
        "my social worker never comes to see me",
        "no",
    ):
        conversation.say(message)
    # Asked when it happened, the child says something else entirely.
    help_now = conversation.text(conversation.say("my stepdad hits me when mum is out"))
    assert "999" in help_now and "0800 1111" in help_now, conversation.show()
    assert "pass this on" in help_now, conversation.show()
    # The form then carries on where it was.
    assert "When did it happen?" in help_now, conversation.show()

    urgent = case_references(stack, conversation)
    assert len(urgent) == 1, conversation.show()
    alert = get_case(stack, urgent[0])
    assert alert["safeguarding"] is True
    assert "my stepdad hits me" in alert["description"]

    # Nobody is pushed to finish; if they do, the complaint is linked to the urgent case.
    answer = conversation.complain("last month", YOUNG_PERSON_ANSWERS)
    reference = the_reference(answer, conversation)
    assert case_references(stack, conversation) == [urgent[0], reference]
    complaint = get_case(stack, reference)
    assert complaint["safeguarding"] is True
    assert complaint["related_reference"] == urgent[0]

    queue = stack.api("GET", "/api/v1/cases", params={"safeguarding": "true", "per_page": 100})
    listed = [item["reference"] for item in queue.json()["items"]]
    assert urgent[0] in listed and reference in listed


def test_a_child_checks_their_complaint_with_the_number_and_secret(stack: Stack) -> None:
    conversation = stack.conversation()
    answer = conversation.complain(
        "i want to make a complaint",
        {**YOUNG_PERSON_ANSWERS, "get back to you": "kai.example@example.com"},
    )
    reference = the_reference(answer, conversation)
    secret = SECRET.search(answer.split(reference, 1)[1])
    assert secret, conversation.show()

    later = stack.conversation()
    asked = later.text(later.say(f"can I check my complaint {reference}"))
    assert "secret word" in asked, later.show()
    answer = later.text(later.say(secret.group(0).lower().replace("-", " ")))
    assert f"I found your complaint {reference}" in answer, later.show()
    assert "Your complaint" in answer or "We have your complaint" in answer, later.show()

    wrong = stack.conversation()
    wrong.say("check my complaint")
    wrong.say(reference)
    answer = wrong.text(wrong.say("ABCD-EFGH"))
    assert "could not find" in answer, wrong.show()
    assert reference not in answer


def test_a_compliment_is_recorded(stack: Stack) -> None:
    conversation = stack.conversation()
    answer = conversation.text(
        conversation.say(
            "I want to say thank you to my foster carer Jo, she always listens to me and helps"
        )
    )
    if "who do you want to thank" in answer.lower():
        answer = conversation.text(conversation.say("my foster carer Jo always listens to me"))
    assert "pass it on" in answer, conversation.show()
    references = case_references(stack, conversation)
    assert len(references) == 1
    assert get_case(stack, references[0])["kind"] == "compliment"


def test_a_school_matter_is_signposted_but_can_still_be_sent(stack: Stack) -> None:
    conversation = stack.conversation()
    answer = conversation.complain(
        "i want to complain",
        {
            **YOUNG_PERSON_ANSWERS,
            "What happened?": "my school excluded me for a week and it was not fair",
            "When did it happen": "2 years ago",
        },
    )
    said = conversation.show()
    assert "Schools have their own way to complain" in said
    assert "over a year ago" in said
    reference = the_reference(answer, conversation)
    case = get_case(stack, reference)
    assert case["when"]["over_12_months"] is True
    assert case["needs_review"] is True


def test_asking_for_a_person_flags_the_case(stack: Stack) -> None:
    conversation = stack.conversation()
    conversation.say("i want to complain")
    conversation.say('/inform{"complainant_type": "child"}')
    answer = conversation.text(conversation.say("can i talk to a real person"))
    assert "complaints team" in answer, conversation.show()
    assert "How old are you?" in answer, conversation.show()
    answer = conversation.complain("13 to 15", YOUNG_PERSON_ANSWERS)
    reference = the_reference(answer, conversation)
    assert get_case(stack, reference)["handoff_requested"] is True
