"""The report page template: accessible tables and the charts inline."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import jinja2
import pytest
from flask import Flask

from intake_api.deadlines import add_working_days
from intake_api.reports.engine import Period, Report, build_report
from intake_api.reports.page import TEMPLATE, TEMPLATE_FOLDER, page_context
from intake_api.reports.records import CaseRecord, Equality, StageRecord

YEAR = Period.financial_year(2022)


@pytest.fixture(scope="module")
def report() -> Report:
    records = []
    for i in range(9):
        received = YEAR.start + dt.timedelta(days=30 * i)
        records.append(
            CaseRecord(
                reference=f"CSC-{i}",
                received=received,
                route="statutory",
                service_area="care_leavers",
                complainant_type="child" if i < 2 else "advocate",
                channel="web_chat",
                team="<script>alert(1)</script>" if i == 0 else "Leaving Care",
                causes=("lack_of_support",),
                stages=(
                    StageRecord("stage_1", received, add_working_days(received, 10), None, None),
                ),
                equality=Equality(age_band="16_to_19" if i < 3 else "20_to_24"),
            )
        )
    return build_report(records, YEAR, YEAR.previous_year())


class Page(HTMLParser):
    """Collects what the accessibility checks need."""

    def __init__(self) -> None:
        super().__init__()
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.th = 0
        self.svgs = 0
        self.svg_titles = 0
        self.scripts = 0
        self._in_svg = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th":
            self.th += 1
            if attributes.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                self.th_without_scope += 1
        elif tag == "svg":
            self.svgs += 1
            self._in_svg = True
        elif tag == "title" and self._in_svg:
            self.svg_titles += 1
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False


def _standalone(report: Report) -> str:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(TEMPLATE_FOLDER),
                jinja2.DictLoader({"base.html": "<main>{% block content %}{% endblock %}</main>"}),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(TEMPLATE).render(**page_context(report, csv_url="/r.csv"))


def test_every_table_has_a_caption_and_scoped_headers(report: Report) -> None:
    page = Page()
    page.feed(_standalone(report))
    assert page.tables == len(report.sections)
    assert page.captions == page.tables
    assert page.th > 0 and page.th_without_scope == 0


def test_charts_are_inline_svg_with_titles(report: Report) -> None:
    page = Page()
    page.feed(_standalone(report))
    assert page.svgs == 3
    assert page.svg_titles == 3


def test_text_from_records_is_escaped(report: Report) -> None:
    html = _standalone(report)
    page = Page()
    page.feed(html)
    assert page.scripts == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_previous_period_has_its_own_column(report: Report) -> None:
    html = _standalone(report)
    assert '<th scope="colgroup" colspan="2">Complaints</th>' in html
    assert '<th scope="col">2021/22</th>' in html


def test_suppressed_figures_are_explained(report: Report) -> None:
    html = _standalone(report)
    assert '<abbr title="fewer than 5: hidden to protect privacy">&lt;5</abbr>' in html


def test_download_links_appear_only_when_given(report: Report) -> None:
    assert 'href="/r.csv"' in _standalone(report)
    assert "(PDF)" not in _standalone(report)


def test_page_renders_inside_the_sites_base_template(app: Flask, report: Report) -> None:
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(TEMPLATE_FOLDER), app.jinja_env.loader]  # type: ignore[list-item]
    )
    env = app.jinja_env.overlay(loader=loader)
    with app.test_request_context("/"):
        html = env.get_template(TEMPLATE).render(**page_context(report))
    assert "Skip to main content" in html
    assert f"<title>{report.title} – Children" in html.replace("&#39;", "'")
