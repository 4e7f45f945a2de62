"""The PDF: a real PDF, with the report's words and figures in it, made offline."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zlib

import pytest

from intake_api.deadlines import add_working_days
from intake_api.reports.engine import Period, Report, build_report
from intake_api.reports.records import CaseRecord, Equality, StageRecord

pytest.importorskip("reportlab", reason="reportlab is needed for PDF output")

from intake_api.reports.pdf import to_pdf

Q3 = Period.financial_quarter(2018, 3)


@pytest.fixture(scope="module")
def report() -> Report:
    records = []
    for i in range(12):
        received = Q3.start + dt.timedelta(days=6 * i)
        records.append(
            CaseRecord(
                reference=f"CSC-{i}",
                received=received,
                route="statutory",
                service_area="child_protection",
                complainant_type="parent",
                channel="phone",
                team="Child Protection & Proceedings",
                causes=("staff_conduct",),
                stages=(
                    StageRecord(
                        "stage_1",
                        received,
                        add_working_days(received, 10),
                        add_working_days(received, 9),
                        "upheld",
                    ),
                ),
                equality=Equality(gender="female" if i < 2 else "male"),
            )
        )
    return build_report(records, Q3, Q3.previous_quarter())


def _text(pdf: bytes) -> str:
    """The text drawn on the pages: every content stream, inflated."""
    chunks = []
    for header, stream in re.findall(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", pdf, re.S):
        if b"/ASCII85Decode" in header:
            stream = base64.a85decode(stream.strip(), adobe=True)
        if b"/FlateDecode" in header:
            stream = zlib.decompress(stream)
        chunks.append(stream.decode("latin-1"))
    return "\n".join(chunks)


@pytest.fixture(scope="module")
def pdf(report: Report) -> bytes:
    return to_pdf(report)


def test_pdf_is_a_pdf(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_pdf_contains_the_title_headings_and_figures(pdf: bytes) -> None:
    text = _text(pdf)
    assert "Q3 2018/19" in text
    assert "Stages received: outcomes and timeliness so far" in text
    assert "Child Protection & Proceedings" in text
    assert r"12 \(0\)" in text  # 12 this quarter, 0 the quarter before (parens escaped)
    assert b"/Title (Children's social care complaints report Q3 2018/19)" in pdf


def test_pdf_shows_suppressed_counts_not_the_numbers(pdf: bytes) -> None:
    text = _text(pdf)
    assert r"<5 \(0\)" in text  # 2 women this quarter, none the quarter before
    assert r"[c] \(0\)" in text  # the 10 men hidden too: 12 - 10 would give the 2 away


def test_pdf_uses_only_the_standard_fonts(pdf: bytes) -> None:
    assert b"/FontFile" not in pdf  # nothing embedded, nothing fetched
    assert b"/Helvetica" in pdf


def test_pdf_is_reproducible(report: Report, pdf: bytes) -> None:
    assert to_pdf(report) == pdf
