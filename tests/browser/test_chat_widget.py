"""The web chat in a real browser, against the real intake API, Rasa and action server.

A young person on a phone or with only a keyboard must be able to complain, leave fast,
and come back after a reload; the page must pass axe-core's serious checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browser_checks import PHONE, assert_no_serious_axe_violations, save_screenshot
from e2e.stack import EMBED_HOST_ORIGIN, Stack
from playwright.sync_api import Page, Route, expect

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

REFERENCE = re.compile(r"\bCC-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
GREETING = "I am a chat helper"
WIDGET = "section.ccc"
BOT = ".ccc-msg-bot"
LOG_KEYS = "() => [sessionStorage.getItem('ccChatLog'), sessionStorage.getItem('ccChatSender')]"
# The element that really has focus, looking inside the widget's shadow root.
FOCUSED = """() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el ? (el.id || el.textContent.trim()) : null;
}"""


def open_chat(page: Page, stack: Stack) -> None:
    """Open /chat and wait for the assistant's greeting."""
    page.goto(f"{stack.api_url}/chat")
    expect(page.locator(BOT).first).to_contain_text(GREETING, timeout=60_000)
    expect(page.locator(WIDGET)).to_have_attribute("aria-busy", "false")


def focused(page: Page) -> str | None:
    return page.evaluate(FOCUSED)


def wait_for_answer(page: Page, bot_messages_before: int) -> None:
    """Wait until the assistant has answered the last message."""
    expect(page.locator(WIDGET)).to_have_attribute("aria-busy", "false", timeout=120_000)
    assert page.locator(BOT).count() > bot_messages_before


def press_and_wait(page: Page, key: str) -> None:
    """Press a key that sends something, then wait for the answer."""
    before = page.locator(BOT).count()
    page.keyboard.press(key)
    wait_for_answer(page, before)


def tab_to(page: Page, name: str, key: str = "Tab", limit: int = 12) -> None:
    """Press Tab (or Shift+Tab) until the control called `name` has focus."""
    for _ in range(limit):
        if focused(page) == name:
            return
        page.keyboard.press(key)
    assert focused(page) == name, f"could not reach {name!r} with {key}"


def test_a_young_person_complains_with_the_keyboard_and_gets_a_reference(
    new_page: Callable[..., Page], stack: Stack
) -> None:
    page = new_page()
    open_chat(page, stack)
    # Screen readers hear each new message from the live log.
    log = page.get_by_role("log", name="Chat with the helper")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log.get_by_role("listitem")).to_have_count(1)

    # The first stop is the way out.
    page.keyboard.press("Tab")
    assert focused(page) == "Leave this site"

    tab_to(page, "I want to complain")
    press_and_wait(page, "Enter")
    # Answered with a button, so focus moves to the next question's buttons.
    expect(page.locator(BOT).last).to_contain_text("who are you")
    assert focused(page) == "A child or young person"
    press_and_wait(page, "Enter")

    expect(page.locator(BOT).last).to_contain_text("How old are you?")
    assert focused(page) == "Under 10"
    tab_to(page, "13 to 15")
    press_and_wait(page, "Enter")

    expect(page.locator(BOT).last).to_contain_text("What happened?")
    assert focused(page) == "ccc-input"
    description = (
        "My social worker keeps changing and nobody tells me when I can see my little brother again"
    )
    page.keyboard.type(description)
    press_and_wait(page, "Enter")
    expect(page.locator(".ccc-msg-user").last).to_have_text(f"You said: {description}")

    # The rest are typed: focus stays in the message box.
    for question, answer in (
        ("Is there more", "no"),
        ("When did it happen?", "since the summer"),
        ("team or a worker", "my social worker"),
        ("What would you like to happen", "to see my brother every week"),
        ("Would you like one?", "yes please"),
    ):
        expect(page.locator(BOT).last).to_contain_text(question)
        assert focused(page) == "ccc-input"
        page.keyboard.type(answer)
        press_and_wait(page, "Enter")

    expect(page.locator(BOT).last).to_contain_text("How can we get back to you?")
    assert focused(page) == "ccc-input"
    page.keyboard.type("sam.example@example.com")
    press_and_wait(page, "Enter")

    # The read-back; typed answers keep focus in the message box, so say yes there.
    expect(page.locator(BOT).filter(has_text="Here is what you told me")).to_contain_text(
        description
    )
    assert focused(page) == "ccc-input"
    page.keyboard.type("yes")
    press_and_wait(page, "Enter")

    sent = page.locator(BOT).filter(has_text="Your number is")
    expect(sent).to_have_count(1)
    reference = REFERENCE.search(sent.inner_text())
    assert reference, sent.inner_text()
    expect(sent.locator(".ccc-reference")).to_have_text(reference.group(0))
    save_screenshot(page, "chat-complaint-sent")

    listed = stack.api("GET", "/api/v1/cases", params={"per_page": 100})
    assert listed.status_code == 200
    cases = {case["reference"]: case for case in listed.json()["items"]}
    assert reference.group(0) in cases
    case = stack.api("GET", f"/api/v1/cases/{reference.group(0)}").json()
    assert case["description"] == description
    assert case["channel"] == "web_chat"
    assert case["complainant"]["type"] == "child"
    assert case["child"]["age_band"] == "13_to_15"
    assert case["advocacy"] == {"offered": True, "accepted": True}


def test_a_reload_keeps_the_conversation_but_a_new_browser_does_not(
    new_page: Callable[..., Page], stack: Stack
) -> None:
    page = new_page()
    open_chat(page, stack)
    page.get_by_role("button", name="What happens after?").click()
    wait_for_answer(page, 1)
    expect(page.locator(BOT).filter(has_text="10 working days")).to_have_count(1)
    transcript = page.locator(".ccc-log").inner_text()
    stored = page.evaluate(LOG_KEYS)

    page.reload()
    expect(page.locator(BOT).filter(has_text="10 working days")).to_have_count(1)
    assert page.locator(".ccc-log").inner_text() == transcript
    assert page.locator(BOT).filter(has_text=GREETING).count() == 1
    assert page.evaluate(LOG_KEYS) == stored

    other = new_page()
    open_chat(other, stack)
    expect(other.locator(".ccc-msg")).to_have_count(1)
    assert other.evaluate(LOG_KEYS)[1] != stored[1]


@pytest.mark.parametrize("how", ["button", "escape twice"])
def test_leaving_the_site_wipes_the_chat_and_replaces_the_page(
    new_page: Callable[..., Page], stack: Stack, how: str
) -> None:
    exit_url = f"{stack.api_url}/healthz"
    page = new_page()
    page.goto(f"{stack.api_url}/healthz?before")
    open_chat(page, stack)
    page.get_by_role("textbox", name="Type your message").fill("hello")
    press_and_wait(page, "Enter")
    assert page.evaluate(LOG_KEYS)[0]
    history = page.evaluate("() => history.length")

    if how == "button":
        page.get_by_role("button", name="Leave this site").click()
    else:
        page.keyboard.press("Escape")
        page.wait_for_timeout(100)
        assert page.url.endswith("/chat"), "one Escape alone must not leave"
        page.keyboard.press("Escape")
    page.wait_for_url(exit_url)

    # Same origin as the chat, so its sessionStorage would still be there.
    assert page.evaluate(LOG_KEYS) == [None, None]
    assert page.evaluate("() => history.length") == history, "the chat must be replaced"
    page.go_back()
    page.wait_for_url(re.compile(r"/healthz\?before$"))
    page.go_forward()
    page.wait_for_url(exit_url)


def test_on_a_360px_phone_nothing_scrolls_sideways_even_with_text_at_200_percent(
    new_page: Callable[..., Page], stack: Stack
) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    open_chat(page, stack)
    page.get_by_role("textbox", name="Type your message").fill(
        "averyveryverylongwordwithoutanyspacesthatcouldpushthepagesideways@example.com"
    )
    press_and_wait(page, "Enter")
    page.get_by_text("Who sees what you write").click()
    overflow = "() => document.documentElement.scrollWidth - window.innerWidth"

    assert page.evaluate(overflow) <= 0
    save_screenshot(page, "chat-phone-360")

    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    assert page.evaluate(overflow) <= 0
    button = page.get_by_role("button", name="Leave this site").bounding_box()
    assert button is not None and button["x"] + button["width"] <= PHONE["width"]
    save_screenshot(page, "chat-phone-360-text-200")


def test_the_chat_page_has_no_serious_accessibility_problems(
    browser_page: Page, stack: Stack
) -> None:
    open_chat(browser_page, stack)
    browser_page.get_by_text("Who sees what you write").click()
    assert_no_serious_axe_violations(browser_page)
    save_screenshot(browser_page, "chat-page")

    browser_page.get_by_role("button", name="I want to complain").click()
    wait_for_answer(browser_page, 1)
    assert_no_serious_axe_violations(browser_page)
    save_screenshot(browser_page, "chat-page-quick-replies")


def test_the_chat_works_embedded_in_a_council_website(
    new_page: Callable[..., Page], stack: Stack
) -> None:
    council_page = f"{EMBED_HOST_ORIGIN}/complaints"
    host_html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Exampleshire Council</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body {{ font-family: serif; margin: 0 1rem; }} button {{ background: hotpink; }}</style>
</head><body><main><h1>Complaints</h1><p>Use our chat.</p>
<div id="council-complaints-chat"></div>
<script src="{stack.api_url}/chat/embed.js" data-target="council-complaints-chat" defer></script>
</main></body></html>"""
    # Chromium lets a page reach a loopback service (the API, Rasa) only with this
    # permission; on the internet both sides are public and it is not needed.
    page = new_page(axe=True, permissions=["local-network-access"])

    def council_site(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=host_html)

    page.route(f"{EMBED_HOST_ORIGIN}/**", council_site)
    page.goto(council_page)
    expect(page.locator(BOT).first).to_contain_text(GREETING, timeout=60_000)
    expect(page.get_by_role("heading", level=2, name="Tell us what's wrong")).to_be_visible()
    # The council's own button styles do not leak into the chat.
    colour = page.locator(".ccc-reply").first.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(255, 255, 255)"

    page.get_by_role("button", name="What happens after?").click()
    wait_for_answer(page, 1)  # Rasa accepted the council website's origin (CORS)
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "chat-embedded")

    page.get_by_role("button", name="Leave this site").click()
    page.wait_for_url(f"{stack.api_url}/healthz")
    page.goto(council_page)
    expect(page.locator(BOT).first).to_contain_text(GREETING, timeout=60_000)
    expect(page.locator(".ccc-msg")).to_have_count(1)


def test_the_example_page_shows_the_chat_and_the_snippet(browser_page: Page, stack: Stack) -> None:
    browser_page.goto(f"{stack.api_url}/chat/demo")
    expect(browser_page.locator(BOT).first).to_contain_text(GREETING, timeout=60_000)
    expect(browser_page.locator(".demo-snippet")).to_contain_text("/chat/embed.js")
    assert_no_serious_axe_violations(browser_page)
    save_screenshot(browser_page, "chat-demo-page")


def test_when_the_assistant_is_down_the_chat_says_sorry_and_can_try_again(
    new_page: Callable[..., Page], stack: Stack
) -> None:
    page = new_page()
    failures = [1]

    def flaky(route: Route) -> None:
        if failures:
            failures.pop()
            route.abort()
        else:
            route.continue_()

    page.route("**/webhooks/rest/webhook", flaky)
    page.goto(f"{stack.api_url}/chat")
    expect(page.locator(BOT).first).to_contain_text("not working right now")
    page.get_by_role("button", name="Try again").click()
    expect(page.locator(BOT).last).to_contain_text(GREETING, timeout=60_000)
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)


def test_the_typing_indicator_shows_while_waiting_and_keeps_still_for_reduced_motion(
    new_page: Callable[..., Page], stack: Stack
) -> None:
    page = new_page(reduced_motion="reduce")
    held: list[Route] = []
    page.route("**/webhooks/rest/webhook", lambda route: held.append(route))
    page.goto(f"{stack.api_url}/chat")
    typing = page.get_by_role("status")
    expect(typing).to_have_text("The helper is typing")
    animation = page.locator(".ccc-dots span").first.evaluate(
        "s => getComputedStyle(s).animationName"
    )
    assert animation == "none"
    held[0].continue_()
    expect(page.locator(BOT).first).to_contain_text(GREETING, timeout=60_000)
    expect(typing).to_have_text("")


def test_focus_is_always_visible(new_page: Callable[..., Page], stack: Stack) -> None:
    page = new_page()
    open_chat(page, stack)
    for name in ["Leave this site", "Who sees what you write", "I want to complain", "ccc-input"]:
        tab_to(page, name)
        outline = page.evaluate(
            """() => {
                let el = document.activeElement;
                while (el.shadowRoot && el.shadowRoot.activeElement) {
                    el = el.shadowRoot.activeElement;
                }
                const style = getComputedStyle(el);
                return [style.outlineStyle, style.outlineWidth, style.boxShadow];
            }"""
        )
        assert outline[0] == "solid" and outline[1] == "3px", (name, outline)
        assert "255, 221, 0" in outline[2], (name, outline)
