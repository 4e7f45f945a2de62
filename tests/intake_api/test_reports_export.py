"""The tidy CSV: one row per figure, the figures exactly as the report holds them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from intake_api.deadlines import add_working_days
from intake_api.reports.engine import Period, Report, build_report
from intake_api.reports.export import COLUMNS, to_csv
from intake_api.reports.records import CaseRecord, Equality, StageRecord

Q2, Q3 = Period.financial_quarter(2018, 2), Period.financial_quarter(2018, 3)


def _complaint(number: int, received: dt.date, team: str, gender: str | None) -> CaseRecord:
    stage = StageRecord(
        "stage_1",
        received,
        add_working_days(received, 10),
        add_working_days(received, 8 if number % 3 else 14),
        "upheld" if number % 4 == 0 else "not_upheld",
    )
    return CaseRecord(
        reference=f"CSC-{number}",
        received=received,
        route="statutory",
        service_area="children_in_need",
        complainant_type="parent",
        channel="email",
        team=team,
        causes=("communication", "delay") if number % 2 else ("delay",),
        stages=(stage,),
        equality=Equality(gender=gender),
    )


@pytest.fixture(scope="module")
def report() -> Report:
    records = [
        _complaint(i, Q3.start + dt.timedelta(days=i), "North", "female" if i < 3 else "male")
        for i in range(20)
    ]
    records += [
        _complaint(100 + i, Q2.start + dt.timedelta(days=i), "South", None) for i in range(7)
    ]
    records.append(_complaint(200, Q3.start, '=HYPERLINK("http://x")', "male"))
    return build_report(records, Q3, Q2)


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_the_tidy_columns_and_a_row_per_figure(report: Report) -> None:
    rows = _read(to_csv(report))
    assert tuple(rows[0]) == COLUMNS
    expected = sum(len(s.rows) * len(s.measures) for s in report.sections)
    assert len(rows) == expected
    keys = {(r["section"], r["measure"], r["category"]) for r in rows}
    assert len(keys) == expected  # no figure twice


def test_csv_round_trips_every_figure(report: Report) -> None:
    rows = {(r["section"], r["measure"], r["category"]): r for r in _read(to_csv(report))}
    for section in report.sections:
        for row in section.rows:
            for measure, cell in zip(section.measures, row.cells, strict=True):
                key = (section.key, measure.key, row.category.lstrip("'"))
                found = rows.get(key) or rows[(section.key, measure.key, "'" + row.category)]
                assert found["basis"] == section.basis
                if cell.hidden:
                    assert found["value"] in ("<5", "[c]")
                elif cell.value is None:
                    assert found["value"] == ""
                elif measure.kind == "percent":
                    assert float(found["value"]) == round(cell.value, 1)
                else:
                    assert int(found["value"]) == cell.value
                if section.compares and not cell.previous_hidden and cell.previous is not None:
                    assert float(found["previous_value"]) == pytest.approx(cell.previous, abs=0.05)


def test_csv_keeps_received_and_closed_apart(report: Report) -> None:
    rows = _read(to_csv(report))
    basis = {r["section"]: r["basis"] for r in rows}
    assert basis["stage_summary"] == "received"
    assert basis["stage_outcomes"] == "closed"
    assert basis["response_times"] == "closed"


def test_csv_prints_suppressed_counts_as_less_than_five(report: Report) -> None:
    rows = _read(to_csv(report))
    female = next(
        r for r in rows if r["section"] == "equality_gender" and r["category"] == "female"
    )
    assert female["value"] == "<5"
    assert "3" not in female["value"]


def test_csv_percentages_are_plain_numbers_and_counts_whole(report: Report) -> None:
    rows = _read(to_csv(report))
    stage_1 = {
        r["measure"]: r
        for r in rows
        if r["section"] == "stage_summary" and r["category"] == "stage_1"
    }
    assert stage_1["received"]["value"] == "21"
    assert stage_1["received"]["previous_value"] == "7"
    assert stage_1["within_timescale_pct"]["value"] == "66.7"  # 14 of 21


def test_csv_defuses_spreadsheet_formulas_in_team_names(report: Report) -> None:
    teams = [r["category"] for r in _read(to_csv(report)) if r["section"] == "teams"]
    assert '\'=HYPERLINK("http://x")' in teams
    assert not any(name.startswith("=") for name in teams)


def test_csv_leaves_previous_value_empty_without_a_previous_period() -> None:
    report = build_report([_complaint(1, Q3.start, "North", None)], Q3)
    assert {r["previous_value"] for r in _read(to_csv(report))} == {""}
