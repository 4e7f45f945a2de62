"""The officers' workspace in a real browser, against the real intake API (and triage).

A young person's complaint arrives through the assistant; an officer signs in, finds it
in the queue with its triage, corrects the route with a reason and escalates it to
Stage 2. The queue and the case page must pass axe-core's serious checks; screenshots
are kept for review.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from browser_checks import assert_no_serious_axe_violations, save_screenshot
from e2e.stack import REFERENCE, Stack
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "officer pages in a real browser"
COMPLAINT = (
    "I am 14 and in foster care. My social worker keeps cancelling our visits and nobody "
    "tells me what is happening with my care plan or when I can see my brother."
)

URGENT = "My mum's boyfriend hits me and I am scared to go home tonight."


def create_officer(stack: Stack, email: str, role: str = "officer") -> None:
    """Add an officer with the CLI, the way a council would (password from the env)."""
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "flask"),
            "--app",
            "intake_api",
            "create-officer",
            "--email",
            email,
            "--name",
            "Priya Patel",
            "--role",
            role,
            "--password-env",
            "OFFICER_PASSWORD",
            "--if-missing",
        ],
        cwd=ROOT,
        env={**stack.env, "OFFICER_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def complain_through_the_assistant(stack: Stack) -> str:
    """A young person's complaint, typed to the real assistant; returns its reference."""
    conversation = stack.conversation()
    answer = conversation.complain_as_young_person(COMPLAINT, "jay.example@example.com")
    match = REFERENCE.search(answer)
    assert match, conversation.show()
    return match.group(0)


def submit_complaint(stack: Stack, description: str = COMPLAINT) -> dict:
    """A young person's complaint, through the API as the chat would send it."""
    response = stack.api(
        "POST",
        "/api/v1/cases",
        json={
            "channel": "web_chat",
            "conversation_id": f"browser-{uuid.uuid4()}",
            "description": description,
            "complainant": {"type": "child", "anonymous": False, "name": "Jay"},
        },
        headers={"Idempotency-Key": f"officer-browser-{uuid.uuid4()}"},
    )
    assert response.status_code == 201, response.text
    return stack.wait_for_triage(response.json()["reference"])


def sign_in(page: Page, stack: Stack, email: str) -> None:
    page.goto(f"{stack.api_url}/officer/")
    expect(page).to_have_url(re.compile(r"/officer/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Case queue", level=1)).to_be_visible()


def test_an_officer_corrects_the_route_and_escalates_a_young_persons_complaint(
    browser_page: Page, stack: Stack
) -> None:
    page = browser_page
    reference = complain_through_the_assistant(stack)
    created = stack.wait_for_triage(reference)
    triage = created["triage"]
    assert triage is not None, created
    email = f"priya-{uuid.uuid4().hex[:8]}@council.test"
    create_officer(stack, email)

    urgent = submit_complaint(stack, URGENT)
    sign_in(page, stack, email)
    if urgent["safeguarding"]:
        rows = page.locator("table.queue tbody tr")
        expect(rows.first).to_contain_text(urgent["reference"])
        expect(rows.first).to_contain_text("Safeguarding")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_be_visible()
    expect(row).to_contain_text(triage["route"].replace("_", " ").capitalize())
    expect(row).to_contain_text(re.compile("On track|Due within 2 working days"))
    page.get_by_label("Search text or reference").fill(reference)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 case matches the filters")).to_be_visible()
    page.goto(f"{stack.api_url}/officer/")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "officer-queue")

    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.get_by_text(COMPLAINT[:40])).to_be_visible()

    # A looked-after child's complaint about visits and their care plan is statutory; if
    # the model already said so, the officer moves it the other way, to test the form.
    target = "corporate" if triage["route"] == "statutory" else "statutory"
    page.locator("#override_triage > summary").click()
    form = page.locator("#override_triage form")
    form.get_by_label("Route").select_option(target)
    # First without a reason: the page must explain, keep the choice, and save nothing.
    form.get_by_role("button", name="Save corrected triage").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Give a reason")
    summary.get_by_role("link").first.click()
    expect(page.locator("#override_triage-reason")).to_be_focused()
    form = page.locator("#override_triage form")
    expect(form.get_by_label("Route")).to_have_value(target)
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "officer-case-error")
    form.get_by_label("Reason for the change").fill(
        "Reviewed with the team manager: the route needed correcting."
    )
    form.get_by_role("button", name="Save corrected triage").click()
    expect(page.get_by_role("status")).to_contain_text("Triage corrected.")

    page.locator("#escalate > summary").click()
    page.locator("#escalate form").get_by_label("Reason or note (optional)").fill(
        "Jay asked for an investigation on the phone."
    )
    page.get_by_role("button", name="Escalate to stage 2").click()
    expect(page.get_by_role("status")).to_contain_text("Case escalated.")

    summary_list = page.locator(".case-summary")
    expect(summary_list).to_contain_text("Stage 2")
    expect(summary_list).to_contain_text(target.capitalize())
    audit = page.locator("table.audit")
    expect(audit).to_contain_text("Override triage")
    expect(audit).to_contain_text("Escalate")
    expect(audit).to_contain_text("Priya Patel")
    expect(audit).to_contain_text("Viewed")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "officer-case")


def test_the_case_page_on_a_phone_keeps_actions_reachable(new_page, stack: Stack) -> None:
    from browser_checks import PHONE

    page = new_page(axe=True, viewport=PHONE)
    reference = submit_complaint(stack)["reference"]
    email = f"sam-{uuid.uuid4().hex[:8]}@council.test"
    create_officer(stack, email)
    sign_in(page, stack, email)
    page.get_by_role("link", name=reference).click()
    page.locator("#add_note > summary").click()
    page.get_by_role("textbox", name="Note", exact=True).fill("Called Jay back.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_contain_text("Note added.")
    expect(page.locator(".notes")).to_contain_text("Called Jay back.")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "officer-case-phone")
