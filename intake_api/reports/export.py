"""The report as one tidy CSV: a row per figure, ready for a spreadsheet or Power BI.

Columns: ``section, measure, category, value, previous_value, basis``. Counts are whole
numbers, percentages are numbers from 0 to 100 to one decimal place (no ``%`` sign), a
suppressed figure is ``<5`` (or ``[c]`` when hidden to protect another), and an empty
cell means not applicable (a percentage of nothing, or no previous period).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from intake_api.reports.engine import Measure, Report, format_value

COLUMNS: tuple[str, ...] = ("section", "measure", "category", "value", "previous_value", "basis")

# A spreadsheet runs a cell starting with one of these as a formula; team names are free
# text typed by officers, so they are defused (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: float | None, hidden: str | None, measure: Measure, min_cell: int) -> str:
    if value is None and hidden is None:
        return ""
    if measure.kind == "percent" and hidden is None:
        return f"{value:.1f}"
    return format_value(value, hidden, measure.kind, min_cell)


def _safe_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_rows(report: Report) -> Iterator[tuple[str, str, str, str, str, str]]:
    """Every figure of ``report`` as a CSV row, sections and rows in report order."""
    for section in report.sections:
        for row in section.rows:
            for measure, cell in zip(section.measures, row.cells, strict=True):
                previous = (
                    _plain(cell.previous, cell.previous_hidden, measure, report.min_cell)
                    if section.compares
                    else ""
                )
                yield (
                    section.key,
                    measure.key,
                    _safe_text(row.category),
                    _plain(cell.value, cell.hidden, measure, report.min_cell),
                    previous,
                    section.basis,
                )


def to_csv(report: Report) -> str:
    """``report`` as CSV text with a header row (RFC 4180, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(csv_rows(report))
    return buffer.getvalue()
