"""Build the statutory complaints report from case records: pure, no I/O.

Regulation 13(3) of the Children Act 1989 Representations Procedure (England) Regulations
2006 requires an annual report. Councils count two different things and say which
(Bexley 2017/18 §2.2, Leicestershire 2022/23 §3):

- complaints **received** in the period (volumes, who complains, what about), and
- complaints, or stages, **closed** in the period (outcomes, response times, learning),
  so that every outcome is known when the report is written.

Every section here carries its ``basis``; the two are never mixed in one table, except
the Croydon-shaped stage summary, which follows the stages received in the period and
says how many of them have since been upheld or answered in time (Croydon Q3 2018/19).

Equality monitoring counts are small enough to identify people, so they are suppressed:
a count from 1 to ``min_cell - 1`` is shown as ``<min_cell`` (primary suppression) and
further cells are hidden (secondary suppression) until no hidden count can be worked out
from the total and the cells still shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from intake_api.deadlines import response_band
from intake_api.reports.records import (
    ACTION_STATUSES,
    NOT_CONSIDERED_REASONS,
    OUTCOMES,
    STAGES,
    CaseRecord,
    StageRecord,
)
from triage.types import CAUSES, COMPLAINANTS, ROUTES, SERVICE_AREAS

RECEIVED = "received"
CLOSED = "closed"
BASES: dict[str, str] = {
    RECEIVED: "Counted by the date received: what arrived in the period.",
    CLOSED: "Counted by the date closed: what was answered or finished in the period.",
}

BANDS: tuple[str, ...] = ("within_10", "11_to_20", "21_to_65", "over_65")
NOT_KNOWN = "not_known"
NOT_RECORDED = "not_recorded"
TOTAL = "total"
SECONDARY_MARK = "[c]"

LABELS: dict[str, str] = {
    "statutory": "Statutory",
    "corporate": "Corporate",
    "outside_procedure": "Outside the procedures",
    "stage_1": "Stage 1",
    "stage_2": "Stage 2",
    "stage_3": "Stage 3",
    "ombudsman": "Ombudsman",
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "no_finding": "No finding",
    "withdrawn": "Withdrawn",
    "within_10": "Within 10 working days",
    "11_to_20": "11 to 20 working days",
    "21_to_65": "21 to 65 working days",
    "over_65": "Over 65 working days",
    "court_proceedings": "Court proceedings",
    "another_organisation": "Another organisation",
    "out_of_time": "Out of time",
    "not_eligible": "Not eligible",
    "looked_after_children": "Looked-after children",
    "children_in_need": "Children in need",
    "children_with_disabilities": "Children with disabilities",
    "special_guardianship_kinship": "Special guardianship and kinship",
    "staff_conduct": "Staff conduct",
    "disputed_decision": "Disputed decision",
    "lack_of_support": "Lack of support",
    "record_accuracy": "Record accuracy",
    "service_failure": "Service failure",
    "complaint_handling": "Complaint handling",
    "foster_carer": "Foster carer",
    "special_guardian": "Special guardian",
    "web_chat": "Web chat",
    "web_form": "Web form",
    "in_person": "In person",
    "in_progress": "In progress",
    NOT_KNOWN: "Not known",
    NOT_RECORDED: "Not recorded",
    TOTAL: "Total",
}


def label_for(key: str) -> str:
    """A reader's label for an identifier: ``children_in_need`` → ``Children in need``."""
    if key in LABELS:
        return LABELS[key]
    return key.replace("_", " ").capitalize()


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """A reporting period, both ends inclusive. Financial years run April to March."""

    start: dt.date
    end: dt.date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: dt.date | None) -> bool:
        """True if ``day`` falls within the period."""
        return day is not None and self.start <= day <= self.end

    @classmethod
    def financial_year(cls, first_year: int) -> Period:
        """The financial year from 1 April ``first_year``: ``financial_year(2018)`` is 2018/19."""
        return cls(
            dt.date(first_year, 4, 1),
            dt.date(first_year + 1, 3, 31),
            f"{first_year}/{(first_year + 1) % 100:02d}",
        )

    @classmethod
    def financial_quarter(cls, first_year: int, quarter: int) -> Period:
        """Quarter 1 to 4 of financial year ``first_year`` (Q1 April–June, Q4 January–March)."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1, 2, 3 or 4")
        month = 4 + 3 * (quarter - 1)
        year = first_year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        start = dt.date(year, month, 1)
        end = _month_after(_month_after(_month_after(start))) - dt.timedelta(days=1)
        return cls(start, end, f"Q{quarter} {first_year}/{(first_year + 1) % 100:02d}")

    @classmethod
    def financial_year_of(cls, day: dt.date) -> Period:
        """The financial year containing ``day``."""
        return cls.financial_year(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def financial_quarter_of(cls, day: dt.date) -> Period:
        """The financial quarter containing ``day``."""
        first_year = day.year if day.month >= 4 else day.year - 1
        return cls.financial_quarter(first_year, (day.month - 4) % 12 // 3 + 1)

    def previous_quarter(self) -> Period:
        """The financial quarter just before this period starts."""
        return Period.financial_quarter_of(self.start - dt.timedelta(days=1))

    def previous_year(self) -> Period:
        """The financial year just before this period starts."""
        return Period.financial_year_of(self.start - dt.timedelta(days=1))

    def months(self) -> list[Period]:
        """The calendar months the period covers, each cut to the period's ends."""
        months = []
        start = self.start
        while start <= self.end:
            end = min(_month_after(start.replace(day=1)) - dt.timedelta(days=1), self.end)
            months.append(Period(start, end, start.strftime("%b %Y")))
            start = end + dt.timedelta(days=1)
        return months


def _month_after(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Measure:
    """A column of a section: ``kind`` is ``count`` or ``percent`` (0 to 100)."""

    key: str
    label: str
    kind: str = "count"


@dataclass(frozen=True)
class Cell:
    """One figure and the previous period's beside it.

    A suppressed figure has ``value`` None and ``hidden`` ``"primary"`` (a small count) or
    ``"secondary"`` (hidden so that a small count cannot be worked out); the number itself
    is not kept, so no output can leak it.
    """

    value: float | None
    previous: float | None = None
    hidden: str | None = None
    previous_hidden: str | None = None


@dataclass(frozen=True)
class Row:
    """One category of a section, its cells in the order of the section's measures."""

    category: str
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Section:
    """One table of the report, counting on one basis (received or closed)."""

    key: str
    title: str
    basis: str
    note: str
    measures: tuple[Measure, ...]
    rows: tuple[Row, ...]
    compares: bool
    suppressed: bool = False

    @property
    def basis_text(self) -> str:
        """What the section counts, in words."""
        return BASES[self.basis]

    def row(self, category: str) -> Row:
        """The row for ``category``; KeyError if the section has none."""
        for row in self.rows:
            if row.category == category:
                return row
        raise KeyError(f"{self.key} has no category {category!r}")

    def cell(self, category: str, measure: str) -> Cell:
        """The cell at ``category`` and ``measure``."""
        index = [m.key for m in self.measures].index(measure)
        return self.row(category).cells[index]

    def value(self, category: str, measure: str) -> float | None:
        """This period's figure (None if suppressed or not applicable)."""
        return self.cell(category, measure).value

    def previous(self, category: str, measure: str) -> float | None:
        """The previous period's figure (None if none, suppressed or not applicable)."""
        return self.cell(category, measure).previous

    def categories(self) -> list[str]:
        """The row categories in order."""
        return [row.category for row in self.rows]


@dataclass(frozen=True)
class Report:
    """The whole report: the period, what it covers and its sections in order."""

    period: Period
    previous: Period | None
    min_cell: int
    routes: tuple[str, ...]
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        """The report's title."""
        return f"Children's social care complaints report {self.period.label}"

    @property
    def scope(self) -> str:
        """Which complaints the breakdowns count, in words."""
        names = " and ".join(label_for(route).lower() for route in self.routes)
        return f"Breakdowns count {names} complaints."

    def section(self, key: str) -> Section:
        """The section called ``key``; KeyError if there is none."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def text(self, cell: Cell, measure: Measure, *, previous: bool = False) -> str:
        """A figure as printed: ``51``, ``45.1%``, ``<5``, ``[c]`` or ``–`` (none)."""
        value = cell.previous if previous else cell.value
        hidden = cell.previous_hidden if previous else cell.hidden
        return format_value(value, hidden, measure.kind, self.min_cell)


def format_value(value: float | None, hidden: str | None, kind: str, min_cell: int) -> str:
    """Print one figure; suppressed figures print as ``<min_cell`` or ``[c]``."""
    if hidden == "primary":
        return f"<{min_cell}"
    if hidden == "secondary":
        return SECONDARY_MARK
    if value is None:
        return "–"
    if kind == "percent":
        return f"{value:.1f}%"
    return str(int(value))


# ---------------------------------------------------------------- building


Figures = dict[str, dict[str, float | None]]  # category -> measure -> value
Builder = Callable[[Sequence[CaseRecord], Period], Figures]


def build_report(
    records: Iterable[CaseRecord],
    period: Period,
    previous: Period | None = None,
    min_cell: int = 5,
    *,
    routes: Sequence[str] = ("statutory",),
) -> Report:
    """Count ``records`` into the report for ``period``, with ``previous`` figures beside.

    ``routes`` says which complaints the breakdowns (stages, service areas, causes, who
    complains, equality) count: the statutory annual report counts statutory complaints.
    The route and "not considered" sections always count every complaint received.
    Equality counts from 1 to ``min_cell - 1`` are suppressed.
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    if previous is not None and previous.end >= period.start:
        raise ValueError("the previous period must end before the period starts")
    for route in routes:
        if route not in ROUTES:
            raise ValueError(f"unknown route {route!r}")
    everything = tuple(records)
    references = Counter(record.reference for record in everything)
    duplicates = sorted(ref for ref, n in references.items() if n > 1)
    if duplicates:
        raise ValueError(f"records repeat references: {', '.join(duplicates[:5])}")
    complaints = tuple(r for r in everything if not r.is_compliment)
    compliments = tuple(r for r in everything if r.is_compliment)
    scoped = tuple(r for r in complaints if r.route in routes)

    def compare(builder: Builder, pool: Sequence[CaseRecord]) -> tuple[Figures, Figures | None]:
        return builder(pool, period), builder(pool, previous) if previous else None

    sections = [
        _section(
            "received_by_route",
            "Complaints received by route",
            RECEIVED,
            "Statutory: Children Act 1989 procedure. Corporate: the council's own procedure. "
            "Outside the procedures: signposted elsewhere.",
            [Measure("complaints", "Complaints")],
            [*ROUTES, TOTAL],
            *compare(_by_route, complaints),
        ),
        _section(
            "received_by_stage",
            "Complaints received at each stage",
            RECEIVED,
            "Counts each stage opened in the period, so a complaint that moved from Stage 1 "
            "to Stage 2 in the period counts at both.",
            [Measure("statutory", "Statutory"), Measure("corporate", "Corporate")],
            list(STAGES),
            *compare(_received_by_stage, complaints),
        ),
        _section(
            "stage_summary",
            "Stages received: outcomes and timeliness so far",
            RECEIVED,
            "Follows the stages received in the period (the Croydon quarterly table): how "
            "many are upheld so far and how many were answered within the timescale, as a "
            "percentage of those received. Stages still open count as open.",
            [
                Measure("received", "Received"),
                *(Measure(o, label_for(o)) for o in OUTCOMES),
                Measure("open", "Still open"),
                Measure("upheld_pct", "Upheld %", "percent"),
                Measure("within_timescale", "Within timescale"),
                Measure("within_timescale_pct", "Within timescale %", "percent"),
            ],
            list(STAGES),
            *compare(_stage_summary, scoped),
        ),
        _section(
            "stage_outcomes",
            "Stages closed: outcomes and timeliness",
            CLOSED,
            "Extended: the timescale was extended as the regulations allow (Stage 1 to 20 "
            "working days, Stage 2 to 65). Fault found is upheld plus partly upheld, as a "
            "share of stages closed. Within timescale means answered by the due date, after "
            "any extension.",
            [
                Measure("closed", "Closed"),
                Measure("extended", "Extended"),
                *(Measure(o, label_for(o)) for o in OUTCOMES),
                Measure("fault_found_pct", "Fault found %", "percent"),
                Measure("within_timescale", "Within timescale"),
                Measure("within_timescale_pct", "Within timescale %", "percent"),
            ],
            list(STAGES),
            *compare(_stage_outcomes, scoped),
        ),
        _section(
            "response_times",
            "Response times of stages closed",
            CLOSED,
            "Working days from receipt to response (England bank holidays excluded). "
            "Stage 1 may take 10 working days, up to 20; Stage 2 25, up to 65.",
            [*(Measure(b, label_for(b)) for b in BANDS), Measure(TOTAL, "Total")],
            ["stage_1", "stage_2"],
            *compare(_response_times, scoped),
        ),
        _section(
            "received_by_month",
            "Complaints received by month",
            RECEIVED,
            "Every complaint received, by the month it arrived.",
            [Measure(route, label_for(route)) for route in ROUTES],
            [month.start.strftime("%Y-%m") for month in period.months()],
            _by_month(complaints, period),
            None,
            labels={m.start.strftime("%Y-%m"): m.label for m in period.months()},
        ),
        _area_section(
            "service_areas", "Complaints by service area", _service_area, scoped, period, previous
        ),
        _area_section("teams", "Complaints by team", _team, scoped, period, previous),
        _section(
            "causes",
            "What complaints were about",
            RECEIVED,
            "A complaint can have several causes, so the causes add up to more than the "
            "number of complaints. The percentage is of complaints received.",
            [Measure("complaints", "Complaints"), Measure("pct", "% of complaints", "percent")],
            [*CAUSES, NOT_RECORDED, TOTAL],
            *compare(_causes, scoped),
            drop_empty=True,
        ),
        _section(
            "complainants",
            "Who complained",
            RECEIVED,
            "The person making the complaint. An advocate acting for a child is counted "
            "under advocate; the child is the complainant in law.",
            [Measure("complaints", "Complaints")],
            [*COMPLAINANTS, TOTAL],
            *compare(_complainants, scoped),
            drop_empty=True,
        ),
        _section(
            "complainant_details",
            "Who complained, in detail",
            RECEIVED,
            "The council's finer labels within each complainant type, where recorded.",
            [Measure("complaints", "Complaints")],
            [],
            *compare(_complainant_details, scoped),
            labels=_detail_labels,
        ),
        _section(
            "channels",
            "How complaints were made",
            RECEIVED,
            "",
            [Measure("complaints", "Complaints")],
            [TOTAL],
            *compare(_channels, scoped),
        ),
        _section(
            "not_considered",
            "Complaints received but not considered",
            RECEIVED,
            "Every complaint received, whatever its route: the reasons a complaint was not "
            "considered under either procedure.",
            [Measure("complaints", "Complaints")],
            [*NOT_CONSIDERED_REASONS, "not_considered", "considered", TOTAL],
            *compare(_not_considered, complaints),
            labels={"not_considered": "Not considered", "considered": "Considered"},
        ),
        _section(
            "advocacy",
            "Advocacy",
            RECEIVED,
            "Whether an advocate was offered, and taken up, for the complaint.",
            [Measure("offered", "Offered"), Measure("taken_up", "Taken up")],
            ["yes", "no", NOT_RECORDED],
            *compare(_advocacy, scoped),
        ),
        _section(
            "compliments",
            "Compliments received",
            RECEIVED,
            "Compliments are counted here only, never as complaints.",
            [Measure("compliments", "Compliments")],
            [*SERVICE_AREAS, TOTAL],
            *compare(_compliments, compliments),
            drop_empty=True,
        ),
        _section(
            "learning_actions",
            "Learning actions",
            CLOSED,
            "Actions arising from complaints with a stage closed in the period, by status.",
            [*(Measure(s, label_for(s)) for s in ACTION_STATUSES), Measure(TOTAL, "Total")],
            [*SERVICE_AREAS, TOTAL],
            *compare(_learning_actions, scoped),
            drop_empty=True,
        ),
    ]
    for dimension in ("age_band", "gender", "ethnicity", "disability"):
        sections.append(_equality_section(dimension, scoped, period, previous, min_cell))
    return Report(period, previous, min_cell, tuple(routes), tuple(sections))


def _section(
    key: str,
    title: str,
    basis: str,
    note: str,
    measures: Sequence[Measure],
    categories: Sequence[str],
    current: Figures,
    previous: Figures | None,
    *,
    labels: dict[str, str] | Callable[[str], str] | None = None,
    drop_empty: bool = False,
) -> Section:
    """Lay out figures as rows: the fixed categories first, then any others found."""
    order = list(categories)
    extra = [c for c in current if c not in order]
    if previous is not None:
        extra += [c for c in previous if c not in order and c not in extra]
    if TOTAL in order:
        order = [c for c in order if c != TOTAL] + sorted(extra, key=_sort_key(current)) + [TOTAL]
    else:
        order += sorted(extra, key=_sort_key(current))

    def label(category: str) -> str:
        if callable(labels):
            return labels(category)
        if labels and category in labels:
            return labels[category]
        return label_for(category)

    rows = []
    for category in order:
        now = current.get(category, {})
        before = previous.get(category, {}) if previous is not None else {}
        if drop_empty and category != TOTAL and not any(now.values()) and not any(before.values()):
            continue
        cells = tuple(
            Cell(
                now.get(m.key, 0 if m.kind == "count" else None),
                before.get(m.key, 0 if m.kind == "count" else None)
                if previous is not None
                else None,
            )
            for m in measures
        )
        rows.append(Row(category, label(category), cells, category == TOTAL))
    return Section(key, title, basis, note, tuple(measures), tuple(rows), previous is not None)


def _sort_key(current: Figures) -> Callable[[str], tuple[float, str]]:
    # Busiest first, as councils list teams; ties alphabetically.
    def key(category: str) -> tuple[float, str]:
        first = next(iter(current.get(category, {}).values()), 0) or 0
        return (-first, category)

    return key


def _pct(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


def _received(records: Iterable[CaseRecord], period: Period) -> list[CaseRecord]:
    return [r for r in records if period.contains(r.received)]


def _by_route(records: Sequence[CaseRecord], period: Period) -> Figures:
    counts = Counter(r.route for r in _received(records, period))
    figures: Figures = {route: {"complaints": counts[route]} for route in ROUTES}
    figures[TOTAL] = {"complaints": sum(counts.values())}
    return figures


def _received_by_stage(records: Sequence[CaseRecord], period: Period) -> Figures:
    figures: Figures = {stage: {"statutory": 0, "corporate": 0} for stage in STAGES}
    for record in records:
        if record.route not in ("statutory", "corporate"):
            continue
        for stage in record.stages:
            if period.contains(stage.opened):
                figures[stage.stage][record.route] = (figures[stage.stage][record.route] or 0) + 1
    return figures


def _stages(
    records: Iterable[CaseRecord], period: Period, when: Callable[[StageRecord], dt.date | None]
) -> dict[str, list[StageRecord]]:
    found: dict[str, list[StageRecord]] = {stage: [] for stage in STAGES}
    for record in records:
        for stage in record.stages:
            if period.contains(when(stage)):
                found[stage.stage].append(stage)
    return found


def _outcome_counts(stages: list[StageRecord]) -> dict[str, float | None]:
    counts = Counter(s.outcome for s in stages)
    return {outcome: counts[outcome] for outcome in OUTCOMES}


def _stage_summary(records: Sequence[CaseRecord], period: Period) -> Figures:
    figures: Figures = {}
    for name, stages in _stages(records, period, lambda s: s.opened).items():
        in_time = sum(1 for s in stages if s.within_timescale())
        outcomes = _outcome_counts(stages)
        figures[name] = {
            "received": len(stages),
            **outcomes,
            "open": sum(1 for s in stages if not s.is_closed),
            "upheld_pct": _pct(outcomes["upheld"] or 0, len(stages)),
            "within_timescale": in_time,
            "within_timescale_pct": _pct(in_time, len(stages)),
        }
    return figures


def _stage_outcomes(records: Sequence[CaseRecord], period: Period) -> Figures:
    figures: Figures = {}
    for name, stages in _stages(records, period, lambda s: s.closed).items():
        in_time = sum(1 for s in stages if s.within_timescale())
        outcomes = _outcome_counts(stages)
        fault = (outcomes["upheld"] or 0) + (outcomes["partly_upheld"] or 0)
        figures[name] = {
            "closed": len(stages),
            "extended": sum(1 for s in stages if s.extended),
            **outcomes,
            "fault_found_pct": _pct(fault, len(stages)),
            "within_timescale": in_time,
            "within_timescale_pct": _pct(in_time, len(stages)),
        }
    return figures


def _response_times(records: Sequence[CaseRecord], period: Period) -> Figures:
    closed = _stages(records, period, lambda s: s.closed)
    figures: Figures = {}
    for name in ("stage_1", "stage_2"):
        bands = Counter(response_band(s.days_taken() or 0) for s in closed[name])
        figures[name] = {band: bands[band] for band in BANDS}
        figures[name][TOTAL] = len(closed[name])
    return figures


def _by_month(records: Sequence[CaseRecord], period: Period) -> Figures:
    figures: Figures = {}
    for month in period.months():
        counts = Counter(r.route for r in _received(records, month))
        figures[month.start.strftime("%Y-%m")] = {route: counts[route] for route in ROUTES}
    return figures


def _service_area(record: CaseRecord) -> str:
    return record.service_area


def _team(record: CaseRecord) -> str:
    return record.team or NOT_RECORDED


def _area_section(
    key: str,
    title: str,
    group: Callable[[CaseRecord], str],
    records: Sequence[CaseRecord],
    period: Period,
    previous: Period | None,
) -> Section:
    def figures(pool: Sequence[CaseRecord], when: Period) -> Figures:
        result: Figures = {}
        received = _received(pool, when)
        for name in sorted({group(r) for r in received}):
            mine = [r for r in received if group(r) == name]
            first = [r.stages[0] for r in mine if r.stages]
            upheld = sum(1 for s in first if s.outcome == "upheld")
            result[name] = {
                "received": len(mine),
                "within_timescale": sum(1 for s in first if s.within_timescale()),
                "upheld": upheld,
                "partly_upheld": sum(1 for s in first if s.outcome == "partly_upheld"),
                "upheld_pct": _pct(upheld, len(mine)),
            }
        total = list(received)
        first = [r.stages[0] for r in total if r.stages]
        upheld = sum(1 for s in first if s.outcome == "upheld")
        result[TOTAL] = {
            "received": len(total),
            "within_timescale": sum(1 for s in first if s.within_timescale()),
            "upheld": upheld,
            "partly_upheld": sum(1 for s in first if s.outcome == "partly_upheld"),
            "upheld_pct": _pct(upheld, len(total)),
        }
        return result

    fixed = [*SERVICE_AREAS, TOTAL] if group is _service_area else [TOTAL]

    def label(category: str) -> str:
        # Team names are the council's own: print them as written.
        if group is _team and category not in (TOTAL, NOT_RECORDED):
            return category
        return label_for(category)

    return _section(
        key,
        title,
        RECEIVED,
        "Timeliness and outcome are those of the first stage the complaint was considered "
        "at (usually Stage 1), so far. Upheld % is upheld as a share of complaints received.",
        [
            Measure("received", "Received"),
            Measure("within_timescale", "Within timescale"),
            Measure("upheld", "Upheld"),
            Measure("partly_upheld", "Partly upheld"),
            Measure("upheld_pct", "Upheld %", "percent"),
        ],
        fixed,
        figures(records, period),
        figures(records, previous) if previous else None,
        labels=label,
        drop_empty=True,
    )


def _causes(records: Sequence[CaseRecord], period: Period) -> Figures:
    received = _received(records, period)
    counts: Counter[str] = Counter()
    for record in received:
        counts.update(record.causes or (NOT_RECORDED,))
    figures: Figures = {
        cause: {"complaints": counts[cause], "pct": _pct(counts[cause], len(received))}
        for cause in (*CAUSES, NOT_RECORDED)
    }
    figures[TOTAL] = {"complaints": len(received), "pct": None}
    return figures


def _complainants(records: Sequence[CaseRecord], period: Period) -> Figures:
    received = _received(records, period)
    counts = Counter(r.complainant_type for r in received)
    figures: Figures = {kind: {"complaints": counts[kind]} for kind in COMPLAINANTS}
    figures[TOTAL] = {"complaints": len(received)}
    return figures


def _complainant_details(records: Sequence[CaseRecord], period: Period) -> Figures:
    counts = Counter(
        f"{r.complainant_type}.{r.complainant_detail or NOT_RECORDED}"
        for r in _received(records, period)
    )
    return {key: {"complaints": n} for key, n in sorted(counts.items())}


def _detail_labels(category: str) -> str:
    kind, _, detail = category.partition(".")
    return f"{label_for(kind)}: {label_for(detail).lower()}"


def _channels(records: Sequence[CaseRecord], period: Period) -> Figures:
    received = _received(records, period)
    figures: Figures = {
        channel: {"complaints": n} for channel, n in Counter(r.channel for r in received).items()
    }
    figures[TOTAL] = {"complaints": len(received)}
    return figures


def _not_considered(records: Sequence[CaseRecord], period: Period) -> Figures:
    received = _received(records, period)
    counts = Counter(r.not_considered_reason for r in received)
    figures: Figures = {reason: {"complaints": counts[reason]} for reason in NOT_CONSIDERED_REASONS}
    not_considered = len(received) - counts[None]
    figures["not_considered"] = {"complaints": not_considered}
    figures["considered"] = {"complaints": counts[None]}
    figures[TOTAL] = {"complaints": len(received)}
    return figures


def _advocacy(records: Sequence[CaseRecord], period: Period) -> Figures:
    received = _received(records, period)

    def answer(value: bool | None) -> str:
        return NOT_RECORDED if value is None else ("yes" if value else "no")

    offered = Counter(answer(r.advocacy_offered) for r in received)
    taken = Counter(answer(r.advocacy_taken_up) for r in received)
    return {
        key: {"offered": offered[key], "taken_up": taken[key]}
        for key in ("yes", "no", NOT_RECORDED)
    }


def _compliments(records: Sequence[CaseRecord], period: Period) -> Figures:
    received = _received(records, period)
    counts = Counter(r.service_area for r in received)
    figures: Figures = {area: {"compliments": counts[area]} for area in SERVICE_AREAS}
    figures[TOTAL] = {"compliments": len(received)}
    return figures


def _learning_actions(records: Sequence[CaseRecord], period: Period) -> Figures:
    counts: Counter[tuple[str, str]] = Counter()
    for record in records:
        if any(period.contains(stage.closed) for stage in record.stages):
            counts.update((a.service_area, a.status) for a in record.learning_actions)
    figures: Figures = {}
    for area in (*SERVICE_AREAS, TOTAL):
        row: dict[str, float | None] = {
            status: (
                counts[(area, status)]
                if area != TOTAL
                else sum(n for (_, s), n in counts.items() if s == status)
            )
            for status in ACTION_STATUSES
        }
        row[TOTAL] = sum(v or 0 for v in row.values())
        figures[area] = row
    return figures


# ---------------------------------------------------------------- equality and suppression


EQUALITY_TITLES = {
    "age_band": "Equality monitoring: age",
    "gender": "Equality monitoring: gender",
    "ethnicity": "Equality monitoring: ethnicity",
    "disability": "Equality monitoring: disability",
}


def _equality_counts(records: Sequence[CaseRecord], period: Period, dimension: str) -> Counter:
    return Counter(
        getattr(record.equality, dimension) or NOT_KNOWN for record in _received(records, period)
    )


def _equality_section(
    dimension: str,
    records: Sequence[CaseRecord],
    period: Period,
    previous: Period | None,
    min_cell: int,
) -> Section:
    current = _equality_counts(records, period, dimension)
    before = _equality_counts(records, previous, dimension) if previous else Counter()
    known = sorted((set(current) | set(before)) - {NOT_KNOWN}, key=_band_order)
    categories = [*known, NOT_KNOWN]
    now_values = [current[c] for c in categories]
    now_hidden, now_total_hidden = suppress(now_values, min_cell)
    if previous:
        before_values = [before[c] for c in categories]
        before_hidden, before_total_hidden = suppress(before_values, min_cell)
    else:
        before_values = [0] * len(categories)
        before_hidden, before_total_hidden = [None] * len(categories), False

    def cell(value: int, hidden: str | None, old: int, old_hidden: str | None) -> Cell:
        return Cell(
            None if hidden else value,
            (None if old_hidden else old) if previous else None,
            hidden,
            old_hidden if previous else None,
        )

    rows = [
        Row(
            c,
            label_for(c),
            (cell(now_values[i], now_hidden[i], before_values[i], before_hidden[i]),),
        )
        for i, c in enumerate(categories)
    ]
    rows.append(
        Row(
            TOTAL,
            label_for(TOTAL),
            (
                cell(
                    sum(now_values),
                    "primary" if now_total_hidden else None,
                    sum(before_values),
                    "primary" if before_total_hidden else None,
                ),
            ),
            is_total=True,
        )
    )
    return Section(
        f"equality_{dimension}",
        EQUALITY_TITLES[dimension],
        RECEIVED,
        f"Counts from 1 to {min_cell - 1} are shown as <{min_cell}. Where one small count "
        f"could be worked out from the total, another figure is hidden too, shown as "
        f"{SECONDARY_MARK}. Not known includes forms not returned.",
        (Measure("complaints", "Complaints"),),
        tuple(rows),
        previous is not None,
        suppressed=any(now_hidden) or now_total_hidden or any(before_hidden),
    )


def _band_order(category: str) -> tuple[int, float, str]:
    # Age bands in age order ("under_16" before "16_to_19" before "65_plus"); others A-Z.
    digits = re.search(r"\d+", category)
    return (
        0 if category.startswith("under") else 1,
        float(digits.group()) if digits else float("inf"),
        category,
    )


def suppress(values: Sequence[int], min_cell: int) -> tuple[list[str | None], bool]:
    """Which counts to hide so that none from 1 to ``min_cell - 1`` can be read or derived.

    Returns a mark per value (``"primary"``, ``"secondary"`` or None) and whether the total
    must be hidden too. Primary: every count from 1 to ``min_cell - 1``. Secondary: the
    smallest other non-zero counts, one at a time, until no hidden count can be narrowed
    to a single value from the published total and the marks (a reader knows a ``<5``
    cell holds 1 to 4 and a ``[c]`` cell at least 5). Zeros are shown: they disclose no
    one. A total from 1 to ``min_cell - 1`` hides everything.
    """
    total = sum(values)
    if 0 < total < min_cell:
        return ["primary" if v else None for v in values], True
    hidden: list[str | None] = ["primary" if 0 < v < min_cell else None for v in values]
    while _recoverable(values, hidden, min_cell, total):
        candidates = [i for i, v in enumerate(values) if hidden[i] is None and v > 0]
        if not candidates:
            return hidden, True
        smallest = min(candidates, key=lambda i: (values[i], i))
        hidden[smallest] = "secondary"
    return hidden, False


def _recoverable(
    values: Sequence[int], hidden: Sequence[str | None], min_cell: int, total: int
) -> bool:
    marked = [i for i, mark in enumerate(hidden) if mark]
    if not marked:
        return False
    hidden_sum = sum(values[i] for i in marked)
    bounds = {i: (1, min_cell - 1) if hidden[i] == "primary" else (min_cell, total) for i in marked}
    for i in marked:
        others_low = sum(bounds[j][0] for j in marked if j != i)
        others_high = sum(bounds[j][1] for j in marked if j != i)
        low = max(bounds[i][0], hidden_sum - others_high)
        high = min(bounds[i][1], hidden_sum - others_low)
        if low >= high:
            return True
    return False
