"""The procedure's stages and their clocks: which stage follows which, and when each is due.

Pure functions over the models (no commits): the actions in `services.lifecycle` call them
inside their own transactions. Every date comes from `intake_api.deadlines`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app

from intake_api.deadlines import (
    STAGE_2_REQUEST,
    STAGE_3_REPORT,
    STAGE_3_REQUEST,
    STAGE_3_RESPONSE,
    CorporateTimescales,
    Timescale,
    add_working_days,
    statutory_stage,
)
from intake_api.models import PROCEDURE_ROUTES, Case, CaseStage

UK = ZoneInfo("Europe/London")

NEXT_STAGE: dict[str, dict[str, str]] = {
    "statutory": {"stage_1": "stage_2", "stage_2": "stage_3", "stage_3": "ombudsman"},
    # The corporate procedure has two stages, then the Ombudsman.
    "corporate": {"stage_1": "stage_2", "stage_2": "ombudsman"},
}
# After a response, how long the complainant has to ask for the next stage.
REQUEST_WINDOW: dict[tuple[str, str], Timescale] = {
    ("statutory", "stage_1"): STAGE_2_REQUEST,
    ("statutory", "stage_2"): STAGE_3_REQUEST,
}


def today() -> dt.date:
    """Today's date in England (deadlines are counted in UK days)."""
    return dt.datetime.now(UK).date()


def uk_date(moment: dt.datetime) -> dt.date:
    """The UK calendar date of a stored time (naive means UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(UK).date()


def corporate_timescales() -> CorporateTimescales:
    """The council's corporate timescales, from configuration."""
    config = current_app.config
    return CorporateTimescales(
        acknowledge=int(config["CORPORATE_ACKNOWLEDGE_DAYS"]),
        stage_1=int(config["CORPORATE_STAGE_1_DAYS"]),
        stage_2=int(config["CORPORATE_STAGE_2_DAYS"]),
    )


def acknowledge_days(route: str) -> int:
    """Working days to acknowledge a complaint on `route`."""
    if route == "corporate":
        return corporate_timescales().acknowledge
    return int(current_app.config["STATUTORY_ACKNOWLEDGE_DAYS"])


def timescale(route: str, stage: str) -> Timescale | None:
    """The response timescale of `stage` on `route`; None where no limit is set (the
    Ombudsman sets its own)."""
    if stage == "ombudsman" or route not in PROCEDURE_ROUTES:
        return None
    number = int(stage.removeprefix("stage_"))
    if route == "statutory":
        return statutory_stage(number)
    return corporate_timescales().stage(number)


def due_date(stage: CaseStage) -> dt.date | None:
    """The effective due date of `stage`: its timescale (or extension) from opening, plus
    the working days it spent paused.

    Statutory Stage 3 moves through three clocks: the panel meets within 30 working days
    of the request, reports within 5 of meeting, and the council responds within 15 of
    the report.
    """
    scale = timescale(stage.route, stage.stage)
    if scale is None:
        return None
    if stage.route == "statutory" and stage.stage == "stage_3":
        if stage.report_on is not None:
            return STAGE_3_RESPONSE.due(stage.report_on, paused_days=stage.paused_days)
        if stage.panel_on is not None:
            return STAGE_3_REPORT.due(stage.panel_on, paused_days=stage.paused_days)
    days = stage.extended_working_days or scale.working_days
    # An extension may be shorter than the longest the law allows, so count directly.
    return add_working_days(stage.opened_on, days + stage.paused_days)


def open_stage(case: Case, route: str, name: str, opened_on: dt.date) -> CaseStage:
    """Add a new open stage row to `case` (the caller closes any earlier one)."""
    scale = timescale(route, name)
    stage = CaseStage(
        route=route,
        stage=name,
        opened_on=opened_on,
        working_days=scale.working_days if scale else None,
        paused_days=0,
    )
    stage.due_on = due_date(stage)
    case.stages.append(stage)
    return stage


def close_stage(
    stage: CaseStage, closed_on: dt.date, reason: str, outcome: str | None = None
) -> None:
    """Close `stage`, and start the complainant's window to ask for the next one."""
    stage.closed_on = closed_on
    stage.closed_reason = reason
    stage.outcome = outcome
    stage.paused_on = None
    window = REQUEST_WINDOW.get((stage.route, stage.stage))
    if reason == "responded" and window is not None:
        stage.request_due_on = window.due(closed_on)


def refresh_summary(case: Case) -> None:
    """Copy the current stage and its deadline onto the case, for the queue.

    `due_on` is the officers' next deadline: the open stage's due date; once a stage is
    answered, the last day the complainant may ask for the next one (then it can close).
    """
    stage = case.current_stage
    case.stage = stage.stage if stage is not None else None
    if case.status == "closed" or stage is None:
        case.due_on = None
    elif stage.closed_on is None:
        case.due_on = stage.due_on
    else:
        case.due_on = stage.request_due_on
