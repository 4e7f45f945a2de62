"""Charts as SVG text, drawn server-side by hand: no script, no fonts, no third-party assets.

Each chart is an ``<svg role="img">`` whose ``<title>`` and ``<desc>`` (joined by
``aria-labelledby``) say what it shows and list every figure, so a screen reader user
gets the same information as a sighted one; the tables beside the charts carry it too.
Bars are labelled with their values and series differ in shade as well as hue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from intake_api.reports.engine import TOTAL, Report, Section, label_for

SVG_NS = "http://www.w3.org/2000/svg"
# GOV.UK design system blue and a dark orange: distinguishable with common colour
# vision deficiencies and in greyscale, and at least 3:1 against white.
COLOURS: tuple[str, ...] = ("#1d70b8", "#b35900", "#505a5f")
FONT = 'font-family="Helvetica, Arial, sans-serif"'

Series = tuple[str, Sequence[float]]

_BAND_SHORT = {
    "within_10": "Within 10",
    "11_to_20": "11 to 20",
    "21_to_65": "21 to 65",
    "over_65": "Over 65",
}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _nice_ceiling(value: float, ticks: int = 4) -> float:
    """The top of the axis: ``ticks`` steps of 1, 2 or 5 times a power of ten."""
    raw = max(value / ticks, 1.0)
    exponent = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if step * exponent >= raw:
            return ticks * step * exponent
    return ticks * 10 * exponent  # pragma: no cover - the loop always returns


def _describe(categories: Sequence[str], series: Sequence[Series]) -> str:
    parts = []
    for i, category in enumerate(categories):
        figures = ", ".join(f"{name} {_number(values[i])}" for name, values in series)
        parts.append(f"{category}: {figures}")
    return "; ".join(parts) + "." if parts else "No figures."


def bar_chart(
    chart_id: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    horizontal: bool = False,
) -> str:
    """A grouped bar chart as SVG text, with ``<title>`` and a ``<desc>`` of every figure.

    ``summary`` opens the description; the figures follow it. ``series`` pairs a name with
    one value per category. ``chart_id`` makes the element ids unique on a page.
    """
    if any(len(values) != len(categories) for _, values in series):
        raise ValueError("every series needs one value per category")
    desc = f"{summary} {_describe(categories, series)}"
    peak = _nice_ceiling(max((v for _, values in series for v in values), default=0))
    body = (
        _horizontal(categories, series, peak) if horizontal else _vertical(categories, series, peak)
    )
    width, height, content = body
    legend = _legend(series, width)
    return (
        f'<svg xmlns="{SVG_NS}" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="report-chart" {FONT} font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="16" y="20" font-size="14" font-weight="bold" fill="#0b0c0c" '
        f'aria-hidden="true">{escape(title)}</text>'
        f"{legend}{content}</svg>"
    )


def _legend(series: Sequence[Series], width: int) -> str:
    parts = []
    x = 16
    for index, (name, _) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<rect x="{x}" y="32" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 18}" y="42" fill="#0b0c0c">{escape(name)}</text>'
        )
        x += 30 + 7 * len(name)
    return f'<g class="legend" aria-hidden="true">{"".join(parts)}</g>' if x < width else ""


def _vertical(
    categories: Sequence[str], series: Sequence[Series], peak: float
) -> tuple[int, int, str]:
    left, top, bottom = 48, 64, 40
    # Wide enough for a "Sep 2022" label under each group, and no narrower than 480.
    group = max(72, 24 * max(len(series), 1) + 16)
    width = max(480, left + 16 + group * len(categories))
    group = (width - left - 16) / max(len(categories), 1)
    height = 320
    plot = height - top - bottom
    bar = min(48.0, (group - 16) / max(len(series), 1))
    parts = []
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot - plot * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" '
            f'stroke-width="{1 if tick else 1.5}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#0b0c0c">'
            f"{_number(value)}</text>"
        )
    for i, category in enumerate(categories):
        x0 = left + 8 + group * i + (group - 16 - bar * len(series)) / 2
        for s, (_, values) in enumerate(series):
            value = values[i]
            h = plot * value / peak
            x = x0 + bar * s
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot - h:.1f}" width="{bar - 2:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[s % len(COLOURS)]}"/>'
                f'<text x="{x + (bar - 2) / 2:.1f}" y="{top + plot - h - 4:.1f}" '
                f'text-anchor="middle" font-size="10" fill="#0b0c0c">{_number(value)}</text>'
            )
        cx = x0 + bar * len(series) / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot + 16}" text-anchor="middle" '
            f'fill="#0b0c0c">{escape(category)}</text>'
        )
    return width, height, f'<g aria-hidden="true">{"".join(parts)}</g>'


def _horizontal(
    categories: Sequence[str], series: Sequence[Series], peak: float
) -> tuple[int, int, str]:
    left, top, right = 200, 60, 48
    width = 640
    row = max(24, 16 * max(len(series), 1) + 10)
    height = top + row * max(len(categories), 1) + 28
    plot = width - left - right
    bar = (row - 10) / max(len(series), 1)
    parts = []
    for tick in range(5):
        x = left + plot * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 24}" stroke="#b1b4b6"/>'
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="#0b0c0c">'
            f"{_number(peak * tick / 4)}</text>"
        )
    for i, category in enumerate(categories):
        y0 = top + row * i + 5
        parts.append(
            f'<text x="{left - 8}" y="{y0 + (row - 10) / 2 + 4:.1f}" text-anchor="end" '
            f'fill="#0b0c0c">{escape(category)}</text>'
        )
        for s, (_, values) in enumerate(series):
            value = values[i]
            w = plot * value / peak
            y = y0 + bar * s
            parts.append(
                f'<rect x="{left}" y="{y:.1f}" width="{w:.1f}" height="{bar - 2:.1f}" '
                f'fill="{COLOURS[s % len(COLOURS)]}"/>'
                f'<text x="{left + w + 4:.1f}" y="{y + bar / 2 + 2:.1f}" font-size="10" '
                f'fill="#0b0c0c">{_number(value)}</text>'
            )
    return width, height, f'<g aria-hidden="true">{"".join(parts)}</g>'


def _series(report: Report, section: Section, measure: str, rows: Sequence[str]) -> list[Series]:
    now = [section.value(r, measure) or 0 for r in rows]
    series: list[Series] = [(report.period.label, now)]
    if section.compares and report.previous is not None:
        series.append((report.previous.label, [section.previous(r, measure) or 0 for r in rows]))
    return series


def volume_chart(report: Report) -> str:
    """Complaints received month by month in the period, by route."""
    section = report.section("received_by_month")
    months = section.categories()
    series: list[Series] = []
    for measure in section.measures:
        values = [section.value(month, measure.key) or 0 for month in months]
        if any(values) or measure.key == "statutory":
            series.append((measure.label, values))
    return bar_chart(
        "chart-volumes",
        f"Complaints received by month, {report.period.label}",
        "Bar chart of complaints received each month, by route.",
        [section.row(month).label for month in months],
        series,
    )


def causes_chart(report: Report) -> str:
    """What complaints were about: complaints mentioning each cause."""
    section = report.section("causes")
    rows = [c for c in section.categories() if c != TOTAL]
    return bar_chart(
        "chart-causes",
        f"What complaints were about, {report.period.label}",
        "Bar chart of complaints mentioning each cause; a complaint can have several.",
        [label_for(c) for c in rows],
        _series(report, section, "complaints", rows),
        horizontal=True,
    )


def timeliness_chart(report: Report) -> str:
    """Stage 1 response times, in working-day bands, for stages closed in the period."""
    section = report.section("response_times")
    bands = [m.key for m in section.measures if m.key != TOTAL]
    series: list[Series] = [
        (report.period.label, [section.value("stage_1", b) or 0 for b in bands])
    ]
    if section.compares and report.previous is not None:
        series.append((report.previous.label, [section.previous("stage_1", b) or 0 for b in bands]))
    return bar_chart(
        "chart-timeliness",
        f"Stage 1 response times, {report.period.label}",
        "Bar chart of Stage 1 complaints answered in the period, by working days taken. "
        "The statutory timescale is 10 working days, up to 20 for complex complaints.",
        [_BAND_SHORT[b] for b in bands],
        series,
    )


def report_charts(report: Report) -> dict[str, str]:
    """The three charts of ``report`` by name: ``volumes``, ``causes``, ``timeliness``."""
    return {
        "volumes": volume_chart(report),
        "causes": causes_chart(report),
        "timeliness": timeliness_chart(report),
    }
