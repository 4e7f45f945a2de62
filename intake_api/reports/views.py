"""The statutory complaints report for managers: a page, and CSV and PDF downloads.

``GET /officer/reports`` shows the form (period type, financial year, quarter) and the
report for the period chosen, the current financial year unless told, with the previous
period beside it. ``/officer/reports.csv`` and ``/officer/reports.pdf`` take the same
query and send the same figures as files. Managers and admins only: the report shows
team-level performance and equality monitoring, which is management information, so
case officers are refused (403) like every other unlisted role.

Every report made is written to the audit log (``report.viewed``, ``report.downloaded``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from intake_api.auth import current_actor, current_officer, officer_required
from intake_api.errors import APIError
from intake_api.models import db
from intake_api.reports.adapter import load_records
from intake_api.reports.engine import Period, Report, build_report
from intake_api.reports.export import to_csv
from intake_api.reports.page import TEMPLATE_FOLDER, page_context
from intake_api.reports.pdf import to_pdf
from intake_api.services import stages as clock
from intake_api.services.events import record_event

bp = Blueprint("reports", __name__, url_prefix="/officer", template_folder=str(TEMPLATE_FOLDER))

REPORT_ROLES = ("manager", "admin")
PERIOD_TYPES = ("year", "quarter")
# Which complaints the breakdowns count: the Regulation 13(3) report is the statutory one.
SCOPES: dict[str, tuple[str, ...]] = {
    "statutory": ("statutory",),
    "corporate": ("corporate",),
    "both": ("statutory", "corporate"),
}
FIRST_YEAR = 2000


@dataclass(frozen=True)
class ReportQuery:
    """What the form asked for, checked."""

    period_type: str
    year: int
    quarter: int | None
    scope: str

    @property
    def period(self) -> Period:
        if self.period_type == "quarter":
            return Period.financial_quarter(self.year, self.quarter or 1)
        return Period.financial_year(self.year)

    @property
    def previous(self) -> Period:
        period = self.period
        return (
            period.previous_quarter() if self.period_type == "quarter" else period.previous_year()
        )

    def args(self) -> dict[str, str]:
        """The query string that asks for this report again."""
        args = {"period": self.period_type, "year": str(self.year)}
        if self.quarter is not None:
            args["quarter"] = str(self.quarter)
        args["scope"] = self.scope
        return args

    def filename(self, extension: str) -> str:
        """``complaints-report-2018-19-q3-statutory.csv`` and the like."""
        name = f"complaints-report-{self.year}-{(self.year + 1) % 100:02d}"
        if self.quarter is not None:
            name += f"-q{self.quarter}"
        return f"{name}-{self.scope}.{extension}"


def parse_query(args: Any, on: dt.date) -> ReportQuery:
    """Check the query string; APIError 400 naming every bad field."""
    errors: dict[str, str] = {}
    unknown = sorted(set(args) - {"period", "year", "quarter", "scope"})
    if unknown:
        errors["query"] = f"Unknown parameter {', '.join(unknown)}."
    current = Period.financial_year_of(on).start.year
    period_type = args.get("period", "year")
    if period_type not in PERIOD_TYPES:
        errors["period"] = "period must be year or quarter."
    year: int = current
    raw_year = args.get("year")
    if raw_year not in (None, ""):
        if not raw_year.isdigit() or not FIRST_YEAR <= int(raw_year) <= current:
            errors["year"] = (
                f"year must be the first year of a financial year from {FIRST_YEAR} to "
                f"{current} (2018 means 2018/19)."
            )
        else:
            year = int(raw_year)
    quarter: int | None = None
    raw_quarter = args.get("quarter")
    if period_type == "quarter":
        if raw_quarter in (None, ""):
            # This year: the quarter we are in; an earlier year: its last quarter.
            quarter = (on.month - 4) % 12 // 3 + 1 if year == current else 4
        elif raw_quarter not in ("1", "2", "3", "4"):
            errors["quarter"] = "quarter must be 1, 2, 3 or 4 (Q1 is April to June)."
        else:
            quarter = int(raw_quarter)
    elif raw_quarter not in (None, "", "1", "2", "3", "4"):
        # The form sends its quarter box with a yearly report too: a valid one is ignored.
        errors["quarter"] = "quarter must be 1, 2, 3 or 4 (Q1 is April to June)."
    scope = args.get("scope", "statutory")
    if scope not in SCOPES:
        errors["scope"] = f"scope must be one of {', '.join(SCOPES)}."
    if errors:
        message = "This report cannot be made: " + " ".join(errors.values())
        raise APIError(400, message=message, fields=errors)
    return ReportQuery(period_type, year, quarter, scope)


def make_report(query: ReportQuery) -> tuple[Report, list[tuple[str, str]]]:
    """Read the cases and count the report (with the cases that could not be counted)."""
    period, previous = query.period, query.previous
    loaded = load_records(db.session, previous.start, period.end)
    min_cell = int(current_app.config.get("REPORT_MIN_CELL", 5))
    report = build_report(loaded.records, period, previous, min_cell, routes=SCOPES[query.scope])
    return report, loaded.skipped


def _audit(action: str, query: ReportQuery, report: Report, fmt: str, skipped: int) -> None:
    detail = {
        "period": report.period.label,
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "scope": query.scope,
        "format": fmt,
        "skipped_cases": skipped,
    }
    record_event(action, current_actor(), None, detail)
    db.session.commit()


@bp.get("/reports")
@officer_required(*REPORT_ROLES)
def report_page():  # type: ignore[no-untyped-def]
    """The form and the report for the period chosen."""
    on = clock.today()
    query = parse_query(request.args, on)
    report, skipped = make_report(query)
    _audit("report.viewed", query, report, "html", len(skipped))
    qs = urlencode(query.args())
    context = page_context(
        report,
        csv_url=f"{url_for('reports.report_csv')}?{qs}",
        pdf_url=f"{url_for('reports.report_pdf')}?{qs}",
    )
    current = Period.financial_year_of(on).start.year
    return render_template(
        "reports/officer_report.html",
        **context,
        query=query,
        years=list(range(current, max(FIRST_YEAR, min(query.year, current - 10)) - 1, -1)),
        scopes=list(SCOPES),
        skipped=skipped,
        officer=current_officer(),
    )


def _download(body: bytes | str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/reports.csv")
@officer_required(*REPORT_ROLES)
def report_csv():  # type: ignore[no-untyped-def]
    """The report's figures as CSV, a row per figure."""
    query = parse_query(request.args, clock.today())
    report, skipped = make_report(query)
    _audit("report.downloaded", query, report, "csv", len(skipped))
    return _download(to_csv(report).encode("utf-8"), "text/csv", query.filename("csv"))


@bp.get("/reports.pdf")
@officer_required(*REPORT_ROLES)
def report_pdf():  # type: ignore[no-untyped-def]
    """The report as a PDF."""
    query = parse_query(request.args, clock.today())
    report, skipped = make_report(query)
    _audit("report.downloaded", query, report, "pdf", len(skipped))
    return _download(to_pdf(report), "application/pdf", query.filename("pdf"))
