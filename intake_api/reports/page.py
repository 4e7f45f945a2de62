"""What the report page template needs: the report and its charts, ready to render.

The view that serves the page is wired elsewhere; it renders ``TEMPLATE`` with
``page_context(report)`` from a blueprint whose ``template_folder`` is
``TEMPLATE_FOLDER``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from intake_api.reports.charts import report_charts
from intake_api.reports.engine import Report

TEMPLATE = "reports/report.html"
TEMPLATE_FOLDER = Path(__file__).parent / "templates"


def page_context(
    report: Report, *, csv_url: str | None = None, pdf_url: str | None = None
) -> dict[str, Any]:
    """Template variables for ``report``: the report, its SVG charts and download links.

    The charts are marked safe: ``charts.py`` writes them and escapes every label.
    """
    charts = {name: Markup(svg) for name, svg in report_charts(report).items()}
    return {"report": report, "charts": charts, "csv_url": csv_url, "pdf_url": pdf_url}
