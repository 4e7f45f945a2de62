"""A whole complaint, typed to the real assistant, becomes exactly one triaged case."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from .stack import REFERENCE, ROOT, Stack

pytestmark = pytest.mark.e2e


def count_cases(stack: Stack, conversation_id: str | None = None) -> int:
    """Cases in the API's database, read directly rather than through the API."""
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            query = "SELECT count(*) FROM cases"
            params = {}
            if conversation_id is not None:
                query += " WHERE conversation_id = :cid"
                params["cid"] = conversation_id
            return connection.execute(sa.text(query), params).scalar_one()
    finally:
        engine.dispose()


def test_a_young_persons_complaint_becomes_one_triaged_case(stack: Stack) -> None:
    conversation = stack.conversation()
    description = (
        "my social worker never rings me back and nobody tells me whats happening "
        "about moving to my new foster placement"
    )
    answer = conversation.complain_as_young_person(description, "sam.example@example.com")

    match = REFERENCE.search(answer)
    assert match, conversation.show()
    reference = match.group(0)

    listed = stack.api("GET", "/api/v1/cases")
    assert listed.status_code == 200
    references = [item["reference"] for item in listed.json()["items"]]
    assert references.count(reference) == 1

    case = stack.wait_for_triage(reference)
    assert case["description"] == description
    assert case["complainant"]["type"] == "child"
    assert case["complainant"]["email"] == "sam.example@example.com"
    triage = case["triage"]
    assert triage is not None, case
    assert triage["route"] in {"statutory", "corporate", "outside_procedure"}
    assert triage["reasons"]
    assert 0.0 <= triage["confidence"] <= 1.0

    assert count_cases(stack, conversation.sender) == 1


def test_a_complaint_made_while_the_api_is_down_arrives_once_when_it_returns(
    stack: Stack,
) -> None:
    api = stack.services["api"]
    api.stop()
    try:
        conversation = stack.conversation()
        answer = conversation.complain_as_young_person(
            "I am a foster carer and the child in my care has had no visit from a social "
            "worker for four months",
            "I want to stay anonymous",
        )
        assert "saved" in answer.lower(), conversation.show()
        assert not REFERENCE.search(answer)
    finally:
        api.start()
        api.wait_until_healthy()

    deliver = [sys.executable, "-m", "bot.actions.outbox", "deliver"]
    for _ in range(2):  # a second delivery run must not make a second case
        result = subprocess.run(
            deliver, cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr

    assert count_cases(stack, conversation.sender) == 1
