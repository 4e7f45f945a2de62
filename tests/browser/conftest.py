"""A real browser for page tests: Debian's Chromium driven by Playwright, headless.

One browser for the whole session; each test gets fresh contexts (like new browser
windows with nothing stored). Playwright gives every launch a new, empty profile.
Never `playwright install`: nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_checks import CHROMIUM_ARGS, DESKTOP
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real browser (Chromium, headless)")


def chromium_path() -> str:
    """Debian's Chromium, or $CHROMIUM_PATH."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is missing: `apt-get install chromium` (or set CHROMIUM_PATH).")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


class PageProblems:
    """What went wrong inside a page that no assertion would see: uncaught script errors
    and Content-Security-Policy refusals."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.errors.append(f"CSP: {message.text}")


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a page in a new context (nothing stored). Keywords go to `new_context`, e.g.
    `viewport=PHONE`, `reduced_motion="reduce"`; `axe=True` lets axe-core's script tag past
    the page's Content-Security-Policy. Fails the test on script errors or CSP refusals."""
    contexts: list[BrowserContext] = []
    problems = PageProblems()

    def open_page(axe: bool = False, **options: Any) -> Page:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(bypass_csp=axe, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems.errors, "\n".join(problems.errors)


@pytest.fixture
def browser_page(new_page: Callable[..., Page]) -> Page:
    """A desktop-sized page in a fresh context, ready for axe-core."""
    return new_page(axe=True)
