"""The report pages: cases in the database, figures out on the page and in the files.

The Croydon Q3 2018/19 and Kent 2007/08 cases of ``test_reports_engine`` are written to
the database through the models, and the page and the CSV must print the published
figures exactly.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from test_reports_adapter import store
from test_reports_engine import (
    CROYDON_Q2,
    CROYDON_Q3,
    CROYDON_TEAMS,
    KENT_SUBJECTS,
    croydon_records,
    kent_records,
)

from intake_api.models import Event, db

CROYDON = "/officer/reports?period=quarter&year=2018&quarter=3"
CROYDON_CSV = "/officer/reports.csv?period=quarter&year=2018&quarter=3"
KENT_CSV = "/officer/reports.csv?period=year&year=2007"
PATHS = ["/officer/reports", "/officer/reports.csv", "/officer/reports.pdf"]


@pytest.fixture
def manager(auth: Any) -> None:
    auth.officer("manager@council.test", "manager")
    auth.login("manager@council.test")


class Tables(HTMLParser):
    """Every table on the page: caption, and rows of cell texts (header cell first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self.th_without_scope = 0
        self._text: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "id": None})
        elif tag == "caption":
            self._in_caption = True
            self.tables[-1]["id"] = dict(attrs).get("id")
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            if tag == "th" and "scope" not in dict(attrs):
                self.th_without_scope += 1
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._text is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._text).split()))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._text is not None:
            self._text.append(data)

    def table(self, key: str) -> dict[str, Any]:
        for table in self.tables:
            if table["id"] == f"caption-{key}":
                return table
        raise KeyError(key)


def _page(client: FlaskClient, url: str) -> Tables:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    parser = Tables()
    parser.feed(response.get_data(as_text=True))
    return parser


def _row(table: dict[str, Any], label: str) -> list[str]:
    for row in table["rows"]:
        if row and row[0] == label:
            return row[1:]
    raise KeyError(label)


def _csv(client: FlaskClient, url: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    return {
        (row["section"], row["measure"], row["category"]): (row["value"], row["previous_value"])
        for row in reader
    }


@pytest.fixture
def croydon(app: Flask) -> None:
    with app.app_context():
        store(croydon_records())


@pytest.fixture
def kent(app: Flask) -> None:
    with app.app_context():
        store(kent_records())


# stage_summary measures, each shown as (this period, previous period) with comparison.
SUMMARY = [
    "received",
    "upheld",
    "partly_upheld",
    "not_upheld",
    "no_finding",
    "withdrawn",
    "open",
    "upheld_pct",
    "within_timescale",
    "within_timescale_pct",
]
LABELS = {
    "stage_1": "Stage 1",
    "stage_2": "Stage 2",
    "stage_3": "Stage 3",
    "ombudsman": "Ombudsman",
}


@pytest.mark.usefixtures("croydon", "manager")
def test_croydon_stage_table_on_the_page(client: FlaskClient) -> None:
    summary = _page(client, CROYDON).table("stage_summary")
    assert "Q3 2018/19" in summary["caption"]
    for name, label in LABELS.items():
        cells = _row(summary, label)
        for measure, now, before in zip(
            ("received", "upheld", "within_timescale"),
            CROYDON_Q3[name],
            CROYDON_Q2[name],
            strict=True,
        ):
            index = 2 * SUMMARY.index(measure)
            assert cells[index] == str(now), (name, measure)
            assert cells[index + 1] == str(before), (name, measure, "Q2")
    stage_1 = _row(summary, "Stage 1")
    assert stage_1[2 * SUMMARY.index("upheld_pct")] == "13.7%"  # "14%"
    assert stage_1[2 * SUMMARY.index("within_timescale_pct") + 1] == "27.5%"  # "27%"


@pytest.mark.usefixtures("croydon", "manager")
def test_croydon_figures_in_the_csv(client: FlaskClient) -> None:
    figures = _csv(client, CROYDON_CSV)
    for name in LABELS:
        for measure, now, before in zip(
            ("received", "upheld", "within_timescale"),
            CROYDON_Q3[name],
            CROYDON_Q2[name],
            strict=True,
        ):
            assert figures[("stage_summary", measure, name)] == (str(now), str(before))
    for team, (_, volume, in_sla, upheld) in CROYDON_TEAMS.items():
        assert figures[("teams", "received", team)][0] == str(volume)
        assert figures[("teams", "within_timescale", team)][0] == str(in_sla)
        assert figures[("teams", "upheld", team)][0] == str(upheld)


@pytest.mark.usefixtures("croydon", "manager")
def test_croydon_team_table_on_the_page(client: FlaskClient) -> None:
    page = _page(client, CROYDON)
    teams = page.table("teams")
    header = [m for m in teams["rows"][0]]
    assert header  # measures row
    for team, (_, volume, _in_sla, _upheld) in CROYDON_TEAMS.items():
        assert _row(teams, team)[0] == str(volume)


@pytest.mark.usefixtures("kent", "manager")
def test_kent_cause_counts_through_the_database(client: FlaskClient) -> None:
    figures = _csv(client, KENT_CSV)
    expected: dict[str, int] = {}
    for cause, n in KENT_SUBJECTS.values():
        expected[cause or "not_recorded"] = expected.get(cause or "not_recorded", 0) + n
    expected["not_recorded"] += 1  # the complaint that went straight to Stage Two
    for cause, n in expected.items():
        assert figures[("causes", "complaints", cause)][0] == str(n), cause
    assert figures[("causes", "complaints", "total")][0] == "178"
    assert figures[("received_by_route", "complaints", "statutory")][0] == "178"
    assert figures[("received_by_route", "complaints", "corporate")][0] == "89"
    assert figures[("compliments", "compliments", "total")][0] == "36"
    assert figures[("equality_ethnicity", "complaints", "white_british")][0] == "81"
    assert figures[("equality_ethnicity", "complaints", "african")][0] == "<5"


@pytest.mark.usefixtures("kent", "manager")
def test_kent_cause_table_on_the_page(client: FlaskClient) -> None:
    response = client.get("/officer/reports?period=year&year=2007")
    assert 'value="2007" selected' in response.get_data(as_text=True)  # an old year stays
    causes = _page(client, "/officer/reports?period=year&year=2007").table("causes")
    assert _row(causes, "Staff conduct")[0] == "51"
    assert _row(causes, "Disputed decision")[0] == "54"


# ---------------------------------------------------------------- the page itself


@pytest.mark.usefixtures("manager")
def test_default_is_the_current_financial_year(client: FlaskClient, set_today: Any) -> None:
    import datetime as dt

    set_today(dt.date(2025, 2, 10))
    response = client.get("/officer/reports")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "report 2024/25" in body
    assert "2023/24" in body  # the previous year beside it
    assert 'value="2024" selected' in body


@pytest.mark.usefixtures("manager")
def test_quarter_defaults_to_the_current_one(client: FlaskClient, set_today: Any) -> None:
    import datetime as dt

    set_today(dt.date(2025, 2, 10))
    body = client.get("/officer/reports?period=quarter").get_data(as_text=True)
    assert "Q4 2024/25" in body and "Q3 2024/25" in body


@pytest.mark.usefixtures("croydon", "manager")
def test_page_is_accessible(client: FlaskClient) -> None:
    response = client.get(CROYDON)
    body = response.get_data(as_text=True)
    page = Tables()
    page.feed(body)
    assert page.tables and all(table["caption"].strip() for table in page.tables)
    assert page.th_without_scope == 0
    assert body.count("<svg") >= 3 and "<title" in body  # charts inline, each titled
    assert 'lang="en-GB"' in body
    for control in ("report-year", "report-quarter", "report-scope"):
        assert f'<label for="{control}"' in body
    assert "<legend>Period</legend>" in body
    assert "reports.csv?period=quarter&amp;year=2018&amp;quarter=3" in body
    assert "reports.pdf?period=quarter&amp;year=2018&amp;quarter=3" in body


@pytest.mark.usefixtures("manager")
def test_untriaged_cases_are_named_not_hidden(app: Flask, client: FlaskClient) -> None:
    from test_reports_adapter import _varied

    from intake_api.models import Case

    with app.app_context():
        store(_varied()[:1])
        case = db.session.query(Case).one()
        case.route = None
        case.triage_results.clear()
        db.session.commit()
    body = client.get("/officer/reports?year=2023").get_data(as_text=True)
    assert "1 case not yet triaged" in body and "CSC-A0001" in body


# ---------------------------------------------------------------- downloads


@pytest.mark.usefixtures("croydon", "manager")
def test_csv_download_headers(client: FlaskClient) -> None:
    response = client.get(CROYDON_CSV + "&scope=statutory")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="complaints-report-2018-19-q3-statutory.csv"'
    )
    assert response.get_data(as_text=True).startswith("section,measure,category")


@pytest.mark.usefixtures("croydon", "manager")
def test_pdf_download_headers(client: FlaskClient) -> None:
    response = client.get("/officer/reports.pdf?period=year&year=2018")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="complaints-report-2018-19-statutory.pdf"'
    )
    assert response.data.startswith(b"%PDF")


@pytest.mark.usefixtures("manager")
def test_each_report_is_audited(app: Flask, client: FlaskClient) -> None:
    client.get("/officer/reports?period=year&year=2020")
    client.get("/officer/reports.csv?period=quarter&year=2020&quarter=2")
    client.get("/officer/reports.pdf?period=year&year=2020&scope=both")
    with app.app_context():
        events = db.session.query(Event).filter(Event.action.like("report.%")).all()
        seen = [
            (e.action, e.detail["format"], e.detail["period"], e.detail["scope"]) for e in events
        ]
        actors = {e.actor for e in events}
    assert seen == [
        ("report.viewed", "html", "2020/21", "statutory"),
        ("report.downloaded", "csv", "Q2 2020/21", "statutory"),
        ("report.downloaded", "pdf", "2020/21", "both"),
    ]
    assert len(actors) == 1 and next(iter(actors)).startswith("officer:")


# ---------------------------------------------------------------- bad queries


@pytest.mark.usefixtures("manager")
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=month", "period"),
        ("year=twenty", "year"),
        ("year=1999", "year"),
        ("year=2999", "year"),
        ("period=quarter&year=2020&quarter=5", "quarter"),
        ("period=year&quarter=0", "quarter"),
        ("scope=everything", "scope"),
        ("colour=red", "query"),
    ],
)
@pytest.mark.parametrize("path", PATHS)
def test_bad_query_is_refused_clearly(
    client: FlaskClient, path: str, query: str, field: str
) -> None:
    response = client.get(f"{path}?{query}", headers={"Accept": "application/json"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert field in error["fields"]
    assert error["message"].startswith("This report cannot be made:")
    html = client.get(f"{path}?{query}")
    assert html.status_code == 400
    assert "This report cannot be made" in html.get_data(as_text=True)


# ---------------------------------------------------------------- who may see it


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_is_sent_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/officer/login" in response.headers["Location"]
    assert client.get(path, headers={"Accept": "application/json"}).status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_case_officer_is_refused(auth: Any, client: FlaskClient, path: str) -> None:
    auth.officer()
    auth.login()
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_may_see_it(auth: Any, client: FlaskClient, role: str) -> None:
    auth.officer(f"{role}@council.test", role)
    auth.login(f"{role}@council.test")
    assert client.get("/officer/reports").status_code == 200
    assert client.get("/officer/reports.csv").status_code == 200


def test_token_of_a_manager_works_but_a_bot_token_does_not(
    client: FlaskClient, manager_headers: dict[str, str], bot_headers: dict[str, str]
) -> None:
    assert client.get("/officer/reports.csv", headers=manager_headers).status_code == 200
    response = client.get("/officer/reports.csv", headers=bot_headers)
    assert response.status_code in (302, 401)
