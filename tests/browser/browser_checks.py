"""Checks any page can get in a real browser: axe-core accessibility rules and screenshots.

Used by the chat tests here and meant for the officer pages too:

    def test_the_queue_is_accessible(browser_page, stack):
        browser_page.goto(f"{stack.api_url}/officer/")
        assert_no_serious_axe_violations(browser_page)
        save_screenshot(browser_page, "officer-queue")

Nothing is fetched from the network: axe-core comes from tests/browser/node_modules
(`npm ci --prefix tests/browser`), the browser is Debian's Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

BROWSER_TESTS = Path(__file__).resolve().parent
ROOT = BROWSER_TESTS.parents[1]
AXE_SCRIPT = BROWSER_TESTS / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

# Debian's Chromium as this workplace runs it: headless, nothing fetched in the background.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1024, "height": 800}
PHONE = {"width": 360, "height": 740}

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}


def axe_violations(page: Page, include: str | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the page (or the part matching the CSS selector `include`) and
    return its violations: rule id, impact, help, and the failing nodes."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci --prefix tests/browser`.")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """async ([include, tags]) => {
            const context = include ? { include: [include] } : document;
            const results = await window.axe.run(context, {
                runOnly: { type: "tag", values: tags },
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
            }));
        }""",
        [include, AXE_TAGS],
    )


def assert_no_serious_axe_violations(page: Page, include: str | None = None) -> None:
    """Fail if axe-core finds a serious or critical violation; lesser ones are printed.

    axe is added as a script tag, so a page with a Content-Security-Policy needs a browser
    context made with `bypass_csp=True` (the `new_page` fixture's `axe=True`).
    """
    violations = axe_violations(page, include)
    for violation in violations:
        print(f"axe {violation['impact']}: {violation['id']} – {violation['help']}")
    serious = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not serious, f"axe found serious problems on {page.url}:\n" + json.dumps(
        serious, indent=2
    )


def save_screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a PNG of the page as artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if full_page:
        # From the top, so sticky headers are drawn where a person first sees them.
        page.evaluate("() => window.scrollTo(0, 0)")
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
