"""The report as a PDF for committee papers: tables and charts, built with ReportLab.

Pure Python and offline: the standard PDF fonts (Helvetica) need no font files, and
nothing is fetched. ReportLab is imported when a PDF is made, not when this module is.
The same input gives the same bytes (``invariant``), so a published PDF can be checked.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from intake_api.reports.engine import TOTAL, Report, Section, label_for

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

COLOURS = ("#1d70b8", "#b35900")


def _cell_text(report: Report, section: Section, row_index: int, column: int) -> str:
    row = section.rows[row_index]
    measure, cell = section.measures[column], row.cells[column]
    text = report.text(cell, measure)
    if section.compares:
        text += f" ({report.text(cell, measure, previous=True)})"
    return text


def _table(report: Report, section: Section, styles: Any, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    small = styles["table"]
    right = styles["table_number"]
    header = [Paragraph("", small)] + [
        Paragraph(escape(measure.label), right) for measure in section.measures
    ]
    body = [
        [Paragraph(escape(row.label), small)]
        + [_cell_text(report, section, i, c) for c in range(len(section.measures))]
        for i, row in enumerate(section.rows)
    ]
    first = min(200.0, width * 0.3)
    rest = min(90.0, (width - first) / max(len(section.measures), 1))
    table = Table(
        [header, *body],
        colWidths=[first] + [rest] * len(section.measures),
        repeatRows=1,
        hAlign="LEFT",
    )
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.HexColor("#0b0c0c")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for i, row in enumerate(section.rows, start=1):
        if row.is_total:
            style.append(("FONT", (0, i), (-1, i), "Helvetica-Bold", 8))
    table.setStyle(TableStyle(style))
    return table


def _bar_drawing(
    title: str,
    categories: list[str],
    series: list[tuple[str, list[float]]],
    width: float,
    *,
    horizontal: bool = False,
) -> Drawing:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    height = 40 + (18 * len(categories) * max(len(series), 1) if horizontal else 180)
    drawing = Drawing(width, height + 40)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (170, 20) if horizontal else (40, 40)
    chart.width = width - chart.x - 40
    chart.height = height - 30
    chart.data = [tuple(values) for _, values in series] or [(0,) * len(categories)]
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    peak = max((v for _, values in series for v in values), default=0)
    chart.valueAxis.valueMax = max(peak * 1.15, 1)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.fontSize = 7
    if horizontal:
        chart.categoryAxis.reverseDirection = 1
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
    else:
        chart.barLabels.nudge = 7
    for index in range(len(series)):
        chart.bars[index].fillColor = colors.HexColor(COLOURS[index % len(COLOURS)])
    drawing.add(chart)
    drawing.add(String(0, height + 28, title, fontName="Helvetica-Bold", fontSize=10))
    legend = Legend()
    legend.x, legend.y = width - 160, height + 34
    legend.fontName, legend.fontSize = "Helvetica", 8
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor(COLOURS[i % len(COLOURS)]), name) for i, (name, _) in enumerate(series)
    ]
    drawing.add(legend)
    return drawing


def _chart_flowables(report: Report, width: float) -> list[Any]:
    months = report.section("received_by_month")
    volumes = [
        (m.label, [months.value(c, m.key) or 0 for c in months.categories()])
        for m in months.measures
        if m.key == "statutory" or any(months.value(c, m.key) for c in months.categories())
    ]
    causes = report.section("causes")
    cause_rows = [c for c in causes.categories() if c != TOTAL]
    times = report.section("response_times")
    bands = [m.key for m in times.measures if m.key != TOTAL]

    def periods(section: Section, rows: list[str], measure: str | None) -> list[Any]:
        def pick(row: str, previous: bool) -> float:
            key = measure or row
            cat = row if measure else "stage_1"
            value = section.previous(cat, key) if previous else section.value(cat, key)
            return value or 0

        out = [(report.period.label, [pick(r, False) for r in rows])]
        if section.compares and report.previous is not None:
            out.append((report.previous.label, [pick(r, True) for r in rows]))
        return out

    return [
        _bar_drawing(
            "Complaints received by month",
            [months.row(c).label for c in months.categories()],
            volumes,
            width,
        ),
        _bar_drawing(
            "What complaints were about (a complaint can have several causes)",
            [label_for(c) for c in cause_rows],
            periods(causes, cause_rows, "complaints"),
            width,
            horizontal=True,
        ),
        _bar_drawing(
            "Stage 1 response times (working days), stages closed in the period",
            [label_for(b) for b in bands],
            periods(times, bands, None),
            width,
        ),
    ]


def to_pdf(report: Report) -> bytes:
    """``report`` as a landscape A4 PDF: summary, charts, then every section's table."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=report.title,
        author="Children's social care complaints",
        subject="Annual report under Regulation 13(3), Children Act 1989 Representations "
        "Procedure (England) Regulations 2006",
        invariant=1,
        lang="en-GB",
        displayDocTitle=1,
    )
    styles = getSampleStyleSheet()
    styles.add(ParagraphStyle("table", parent=styles["BodyText"], fontSize=8, leading=10))
    styles.add(ParagraphStyle("table_number", parent=styles["table"], alignment=TA_RIGHT))
    width = doc.width
    comparison = (
        f" Previous period ({report.previous.label}) in brackets." if report.previous else ""
    )
    story: list[Any] = [
        Paragraph(escape(report.title), styles["Title"]),
        Paragraph(
            escape(
                f"Period {report.period.start:%d %B %Y} to {report.period.end:%d %B %Y}. "
                f"{report.scope}{comparison} Counts from 1 to {report.min_cell - 1} in "
                f"equality monitoring are shown as <{report.min_cell}; [c] marks a figure "
                "hidden so that a small count cannot be worked out."
            ),
            styles["BodyText"],
        ),
        Spacer(1, 6 * mm),
    ]
    for drawing in _chart_flowables(report, width):
        story += [drawing, Spacer(1, 6 * mm)]
    for section in report.sections:
        story.append(
            KeepTogether(
                [
                    Paragraph(escape(section.title), styles["Heading2"]),
                    Paragraph(
                        escape(f"{section.basis_text} {section.note}".strip()),
                        styles["BodyText"],
                    ),
                    Spacer(1, 2 * mm),
                    _table(report, section, styles, width),
                ]
            )
        )
        story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return buffer.getvalue()
