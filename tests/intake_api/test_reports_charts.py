"""Charts are well-formed, self-describing SVG with no outside assets."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from intake_api.deadlines import add_working_days
from intake_api.reports.charts import bar_chart, report_charts
from intake_api.reports.engine import Period, Report, build_report
from intake_api.reports.records import CaseRecord, StageRecord

SVG = "{http://www.w3.org/2000/svg}"
YEAR = Period.financial_year(2022)


@pytest.fixture(scope="module")
def report() -> Report:
    records = []
    for i in range(30):
        received = YEAR.start + dt.timedelta(days=11 * i)
        records.append(
            CaseRecord(
                reference=f"CSC-{i}",
                received=received,
                route="corporate" if i % 5 == 0 else "statutory",
                service_area="fostering",
                complainant_type="foster_carer",
                channel="letter",
                causes=("finance",) if i % 2 else ("finance", "communication"),
                stages=(
                    StageRecord(
                        "stage_1",
                        received,
                        add_working_days(received, 10),
                        add_working_days(received, 5 + i),
                        "partly_upheld",
                    ),
                ),
            )
        )
    return build_report(records, YEAR, YEAR.previous_year())


@pytest.mark.parametrize("name", ["volumes", "causes", "timeliness"])
def test_chart_is_well_formed_svg_with_title_and_description(report: Report, name: str) -> None:
    svg = report_charts(report)[name]
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and "2022/23" in title.text
    assert desc is not None and desc.text
    labelled_by = root.get("aria-labelledby", "").split()
    assert labelled_by == [title.get("id"), desc.get("id")]
    assert root[0] is title  # first child, as SVG accessibility asks


@pytest.mark.parametrize("name", ["volumes", "causes", "timeliness"])
def test_chart_loads_nothing_from_outside(report: Report, name: str) -> None:
    svg = report_charts(report)[name]
    for forbidden in ("<script", "<image", "href", "@import", "url(", "<style", "style="):
        assert forbidden not in svg


def test_chart_ids_are_unique_on_a_page(report: Report) -> None:
    ids = [
        element.get("id")
        for svg in report_charts(report).values()
        for element in ET.fromstring(svg).iter()
        if element.get("id")
    ]
    assert len(ids) == len(set(ids))


def test_description_lists_every_figure(report: Report) -> None:
    desc = ET.fromstring(report_charts(report)["causes"]).find(f"{SVG}desc")
    assert desc is not None and desc.text
    causes = report.section("causes")
    assert f"Finance: 2022/23 {causes.value('finance', 'complaints')}" in desc.text
    assert "2021/22 0" in desc.text  # the previous year beside


def test_timeliness_chart_shows_the_four_bands(report: Report) -> None:
    desc = ET.fromstring(report_charts(report)["timeliness"]).find(f"{SVG}desc")
    assert desc is not None and desc.text
    for band in ("Within 10", "11 to 20", "21 to 65", "Over 65"):
        assert band in desc.text


def test_labels_are_escaped() -> None:
    svg = bar_chart("c", "A & B <b>", "Summary", ["<script>x</script>"], [("S & T", [3])])
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "A & B <b>"  # type: ignore[union-attr]
    assert "<script>" not in svg


def test_empty_chart_still_draws() -> None:
    root = ET.fromstring(bar_chart("e", "Nothing", "No complaints.", [], [("2022/23", [])]))
    assert root.find(f"{SVG}desc").text == "No complaints. No figures."  # type: ignore[union-attr]


def test_series_must_match_categories() -> None:
    with pytest.raises(ValueError):
        bar_chart("c", "T", "S", ["a", "b"], [("x", [1])])
