"""Every case the assistant sends passes the intake API's own validation (the contract).

The bot never imports the intake API; this test does, so a change on either side that
would make the API refuse the bot's cases (a 422 the person sees as "not sent") fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from bot_test_support import ANSWERS, case_body, json_response, make_tracker, run_action

from bot.actions.safeguarding import alert_payload
from bot.actions.submission import ActionSubmitCompliment, build_case_payload
from intake_api.services.validation import validate_case_payload

ADVOCATE = {
    "complainant_type": "advocate",
    "advocate_organisation": "Coram Voice",
    "child_consent": True,
    "age_band": "16_to_17",
    "description": "The council has missed every deadline on her case.",
    "when": "ages ago",
    "when_over_12_months": True,
    "contact_email": "jo@advocacy.org.uk",
    "contact_via": "advocate",
    "anonymous": False,
}
PARENT = {
    "complainant_type": "relative",
    "carer_role": "family member",
    "description": "Nobody asked me to be assessed to look after him.",
    "when": "12/03/2025",
    "when_date": "2025-03-12",
    "when_over_12_months": False,
    "service_worker": "the fostering team",
    "desired_outcome": "an assessment",
    "contact_phone": "07700900123",
    "contact_via": "direct",
    "anonymous": False,
    "handoff_requested": True,
}
SKIPPED = {
    "complainant_type": "child",
    "age_band": "not_given",
    "description": "They moved me and did not ask me.",
    "add_more": "none",
    "when": "not sure",
    "service_worker": "none",
    "desired_outcome": "none",
    "advocate_offer": None,
    "contact": "anonymous",
    "contact_via": "none",
    "anonymous": True,
}
AFTER_ALERT = {**ANSWERS, "safeguarding_disclosed": True, "alert_reference": "CC-K3M9-7QXT"}


@pytest.mark.parametrize(
    "slots",
    [ANSWERS, ADVOCATE, PARENT, SKIPPED, AFTER_ALERT],
    ids=["child", "advocate", "parent", "anonymous-skipped", "after-an-alert"],
)
def test_complaints_are_accepted(slots: dict[str, Any]) -> None:
    case = validate_case_payload(build_case_payload(make_tracker(slots)))
    assert case.description == slots["description"]
    assert case.complainant.type == slots["complainant_type"]


def test_the_new_fields_arrive_as_sent() -> None:
    advocate = validate_case_payload(build_case_payload(make_tracker(ADVOCATE)))
    assert (advocate.complainant.consent, advocate.complainant.organisation) == (
        True,
        "Coram Voice",
    )
    assert advocate.complainant.contact_via == "advocate"
    assert advocate.child == {"age_band": "16_to_17"}
    assert advocate.over_12_months is True

    child = validate_case_payload(build_case_payload(make_tracker(AFTER_ALERT)))
    assert (child.advocacy_offered, child.advocacy_accepted) == (True, True)
    assert child.safeguarding_disclosed is True
    assert child.related_reference == "CC-K3M9-7QXT"
    assert str(child.events_on) == "2025-03-01"

    parent = validate_case_payload(build_case_payload(make_tracker(PARENT)))
    assert parent.complainant.detail == "family member"
    assert parent.handoff_requested is True


@pytest.mark.parametrize(
    "slots",
    [
        {},
        {"complainant_type": "advocate", "advocate_organisation": "Coram Voice"},
        {"complainant_type": "advocate", "child_consent": True, "contact_via": "advocate"},
        {"complainant_type": "child", "description": "My social worker never visits."},
    ],
    ids=["nothing-known", "advocate-before-consent", "advocate-with-consent", "child"],
)
def test_urgent_alerts_are_accepted(slots: dict[str, Any]) -> None:
    tracker = make_tracker(slots, text="my dad hits me", intent="disclose_danger")
    case = validate_case_payload(alert_payload(tracker, "my dad hits me"))
    assert case.safeguarding_disclosed is True


@pytest.mark.parametrize("who", [None, "child", "advocate", "foster_carer"])
def test_compliments_are_accepted(fake_api: Any, who: str | None) -> None:
    session = fake_api(json_response(201, case_body()))
    tracker = make_tracker(
        {"compliment_text": "My foster carer always listens to me.", "complainant_type": who}
    )
    run_action(ActionSubmitCompliment(), tracker)
    assert validate_case_payload(session.payloads[0]).kind == "compliment"
