"""Officers' actions on a case: each one validated, checked against the case version,
applied, audited and committed as one transaction.

Views call `perform(reference, name, payload, expected_version, actor)` or
`update_details(...)`; nothing else here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from intake_api.auth import Actor
from intake_api.deadlines import add_working_days, working_days_between
from intake_api.errors import APIError
from intake_api.models import (
    ACTION_STATUSES,
    CASE_KINDS,
    NOT_CONSIDERED_REASONS,
    OUTCOMES,
    PROCEDURE_ROUTES,
    Case,
    CaseCause,
    Child,
    LearningAction,
    Note,
    Officer,
    StagePause,
    TriageResult,
    db,
    utcnow,
)
from intake_api.references import normalise_reference
from intake_api.services import stages as clock
from intake_api.services.events import record_event
from intake_api.services.validation import (
    Payload,
    ValidationError,
    child_changes,
    is_row_id,
)
from triage.types import CAUSES, ROUTES, SERVICE_AREAS

NOTE_MAX = 20000
# Actions an officer may still take on a closed case; anything else needs a manager.
OPEN_ON_CLOSED = {"add_note", "add_learning_action", "update_learning_action", "reopen"}


class VersionConflict(APIError):
    """The client changed an older version of the case than the one stored."""

    def __init__(self, sent: int | None, current: int) -> None:
        super().__init__(
            409,
            code="version_conflict",
            message=(
                f"Someone else changed this case since you loaded it (you sent version "
                f"{sent}, it is now version {current}). Nothing was saved: reload the case, "
                "check their changes and try again."
            ),
            headers={"ETag": f'"{current}"'},
        )


# ---------------------------------------------------------------- payload checks


def _refuse(message: str, field: str = "action") -> APIError:
    """A request that is well-formed but not possible in the case's current state."""
    return APIError(422, code="invalid_state", message=message, fields={field: message})


# ---------------------------------------------------------------- loading and saving


def load_case(reference: str) -> Case:
    """The case with this reference; 404 if there is none."""
    found = db.session.scalar(select(Case).where(Case.reference == normalise_reference(reference)))
    if found is None:
        raise APIError(404, message="There is no case with that reference.")
    return found


def parse_if_match(header: str | None) -> int:
    """The case version in an `If-Match` header (`"3"`, `W/"3"` or `3`); 428 if absent."""
    if header is None or not header.strip():
        raise APIError(
            428,
            code="precondition_required",
            message=(
                "Send an If-Match header with the case's ETag (its version) so that no one's "
                "changes are overwritten."
            ),
        )
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9:
        raise APIError(
            400,
            code="bad_if_match",
            message='The If-Match header must be the case ETag, for example "3".',
        )
    return int(value)


def _commit(case: Case, expected: int) -> None:
    """Save, turning a concurrent change into a 409 (nothing is half-saved)."""
    case.updated_at = utcnow()  # every change bumps the version, even a note
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        current = db.session.scalar(select(Case.version_id).where(Case.id == case.id))
        raise VersionConflict(expected, int(current or 0)) from None


def _start(reference: str, expected: int) -> Case:
    case = load_case(reference)
    if case.version_id != expected:
        raise VersionConflict(expected, case.version_id)
    return case


# ---------------------------------------------------------------- triage and routing


def _set_causes(case: Case, causes: list[str]) -> None:
    keep = set(causes)
    case.cause_rows = [row for row in case.cause_rows if row.cause in keep]
    held = {row.cause for row in case.cause_rows}
    for cause in causes:
        if cause not in held:
            case.cause_rows.append(CaseCause(cause=cause))


def apply_triage(case: Case, row: TriageResult) -> None:
    """Make `row` the case's current triage and copy its labels onto the case.

    The model's result never clears what the person told the bot: a danger disclosed in
    the chat keeps the case safeguarding, and a disclosure or a sign that the matter is
    over 12 months old (Reg 9) keeps it for an officer's review. An officer's own triage
    is their decision.
    """
    case.triage_results.append(row)
    case.triage_state = "done"
    case.triage_retry_at = None
    case.service_area = row.service_area
    case.safeguarding = row.safeguarding
    case.needs_review = row.needs_review
    if row.source == "model":
        if case.safeguarding_disclosed:
            case.safeguarding = True
        if case.safeguarding_disclosed or case.time_limit_flag is not None:
            case.needs_review = True
    _set_causes(case, list(row.causes or []))


def change_route(case: Case, route: str, on: dt.date) -> dict[str, Any]:
    """Move the case to `route`, keeping history.

    An open stage is closed as `rerouted` and Stage 1 of the new procedure opens. Its
    clock starts on the day the case was received if no procedure had started yet (the
    complaint was always this route's); otherwise on the day of re-routing, `on`: e.g. a
    corporate complaint found to be statutory gets the full statutory 10 working days
    from the day it was re-routed.
    """
    previous = case.route
    case.route = route
    if previous == route:
        return {}
    detail: dict[str, Any] = {"from": previous, "to": route}
    current = case.current_stage
    if current is not None and current.closed_on is None:
        clock.close_stage(current, on, "rerouted")
    if route in PROCEDURE_ROUTES and case.kind == "complaint" and case.status != "closed":
        started = on if case.stages else (case.received_on or on)
        stage = clock.open_stage(case, route, "stage_1", started)
        detail.update(stage_opened_on=started.isoformat(), due_on=_iso(stage.due_on))
        if case.status in ("paused", "responded"):
            case.status = "open"
        if case.acknowledged_at is None:
            case.acknowledge_due_on = add_working_days(started, clock.acknowledge_days(route))
    clock.refresh_summary(case)
    return detail


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _accept_triage(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    body.check()
    current = case.triage
    if current is None:
        raise _refuse("This case has no triage to accept: correct it with override_triage.")
    row = TriageResult(
        route=current.route,
        causes=list(current.causes or []),
        service_area=current.service_area,
        safeguarding=current.safeguarding,
        confidence=current.confidence,
        needs_review=False,
        reasons=list(current.reasons or []),
        model_version=current.model_version,
        source="officer",
        officer_id=actor.officer_id,
        override_reason=None,
    )
    apply_triage(case, row)
    detail = change_route(case, row.route, clock.today()) if case.route != row.route else {}
    return {"route": row.route, **({"reroute": detail} if detail else {})}


def _override_triage(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    reason = body.reason()
    route = body.choice("route", ROUTES)
    area = body.choice("service_area", SERVICE_AREAS)
    safeguarding = body.flag("safeguarding")
    causes = body.data.get("causes")
    if causes is not None and (
        not isinstance(causes, list)
        or not causes
        or any(cause not in CAUSES for cause in causes)
        or len(set(causes)) != len(causes)
    ):
        body.errors["causes"] = f"This must be a list of one or more of: {', '.join(CAUSES)}."
        causes = None
    current = case.triage
    if current is None and (route is None or area is None or causes is None):
        body.errors.setdefault(
            "route", "This case was never triaged: give route, causes and service_area."
        )
    if route is None and area is None and causes is None and safeguarding is None:
        body.errors.setdefault("route", "Change at least one of route, causes, service_area.")
    body.check()
    row = TriageResult(
        route=route or current.route,  # type: ignore[union-attr]
        causes=list(causes if causes is not None else current.causes or []),  # type: ignore[union-attr]
        service_area=area or current.service_area,  # type: ignore[union-attr]
        safeguarding=(
            safeguarding if safeguarding is not None else bool(current and current.safeguarding)
        ),
        confidence=None,
        needs_review=False,
        reasons=[f"Officer override: {reason}"],
        model_version=None,
        source="officer",
        officer_id=actor.officer_id,
        override_reason=reason,
    )
    previous = current.to_dict() if current else None
    apply_triage(case, row)
    detail: dict[str, Any] = {
        "reason": reason,
        "from": {k: previous[k] for k in ("route", "causes", "service_area", "safeguarding")}
        if previous
        else None,
        "to": {
            "route": row.route,
            "causes": row.causes,
            "service_area": row.service_area,
            "safeguarding": row.safeguarding,
        },
    }
    if case.route != row.route:
        detail["reroute"] = change_route(case, row.route, clock.today())
    if row.safeguarding and not (current and current.safeguarding):
        record_event("safeguarding.flagged", actor.name, case, {"by": "officer"})
    return detail


def _reroute(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    reason = body.reason()
    route = body.choice("route", ROUTES, required=True)
    body.check()
    if route == case.route:
        raise _refuse(f"The case is already on the {route} route.", "route")
    current = case.triage
    row = TriageResult(
        route=route,  # type: ignore[arg-type]
        causes=list(current.causes or []) if current else [],
        service_area=current.service_area if current else "other",
        safeguarding=bool(current and current.safeguarding),
        confidence=None,
        needs_review=False,
        reasons=[f"Officer re-routed: {reason}"],
        source="officer",
        officer_id=actor.officer_id,
        override_reason=reason,
    )
    apply_triage(case, row)
    return {"reason": reason, **change_route(case, route, clock.today())}  # type: ignore[arg-type]


# ---------------------------------------------------------------- the stage clock


def _open_stage_or_refuse(case: Case):  # type: ignore[no-untyped-def]
    stage = case.current_stage
    if stage is None or stage.closed_on is not None:
        raise _refuse("No stage is open on this case.")
    return stage


def _assign(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    officer_id = body.data.get("officer_id")
    team = body.text("team", 100)
    if not body.has("officer_id") and not body.has("team"):
        body.errors["officer_id"] = "Give officer_id (or null to unassign), team, or both."
    officer = None
    if officer_id is not None:
        if not is_row_id(officer_id):
            body.errors["officer_id"] = "This must be an officer's id, or null."
        else:
            officer = db.session.get(Officer, officer_id)
            if officer is None or not officer.active:
                body.errors["officer_id"] = "There is no active officer with this id."
    body.check()
    detail: dict[str, Any] = {}
    if body.has("officer_id"):
        detail["from_officer_id"] = case.assignee_id
        case.assignee = officer
        case.assignee_id = officer.id if officer else None
        detail["officer_id"] = case.assignee_id
    if body.has("team"):
        case.team = team
        detail["team"] = team
    return detail


def _acknowledge(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    body.check()
    if case.acknowledged_at is not None:
        raise _refuse("This case was already acknowledged.")
    if case.kind == "complaint" and case.route is None:
        raise _refuse("Accept or correct the triage before acknowledging this complaint.")
    case.acknowledged_at = utcnow()
    if case.status == "new":
        case.status = "open"
    late = case.acknowledge_due_on is not None and clock.today() > case.acknowledge_due_on
    return {"late": late}


def _extend(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    reason = body.reason()
    days = body.integer("working_days", 1, 1000)
    body.check()
    stage = _open_stage_or_refuse(case)
    scale = clock.timescale(stage.route, stage.stage)
    if scale is None or scale.extended_working_days is None:
        raise _refuse(
            f"The {stage.route} {stage.stage.replace('_', ' ')} cannot be extended: "
            "its timescale allows no extension."
        )
    if stage.route == "statutory" and stage.stage == "stage_3":
        raise _refuse("Stage 3 cannot be extended.")
    days = days or scale.extended_working_days
    if not scale.working_days < days <= scale.extended_working_days:
        raise ValidationError(
            {
                "working_days": (
                    f"An extension must be more than {scale.working_days} and at most "
                    f"{scale.extended_working_days} working days in all."
                )
            }
        )
    stage.extended_working_days = days
    stage.extension_reason = reason
    stage.due_on = clock.due_date(stage)
    stage.extended_to = stage.due_on
    clock.refresh_summary(case)
    return {"reason": reason, "working_days": days, "due_on": _iso(stage.due_on)}


def _pause(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    reason = body.reason()
    on = body.past_day("on") or clock.today()
    body.check()
    stage = _open_stage_or_refuse(case)
    if stage.paused_on is not None:
        raise _refuse("The stage clock is already paused.")
    if on < stage.opened_on:
        raise ValidationError({"on": "A pause cannot start before the stage opened."})
    stage.paused_on = on
    stage.pauses.append(StagePause(paused_on=on, reason=reason))  # type: ignore[arg-type]
    case.status = "paused"
    return {"reason": reason, "on": on.isoformat()}


def _resume(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    reason = body.reason(required=False)
    on = body.past_day("on") or clock.today()
    body.check()
    stage = _open_stage_or_refuse(case)
    if stage.paused_on is None:
        raise _refuse("The stage clock is not paused.")
    if on < stage.paused_on:
        raise ValidationError({"on": "The clock cannot resume before it was paused."})
    pause = stage.pauses[-1]
    days = working_days_between(stage.paused_on, on)
    pause.resumed_on = on
    pause.resume_reason = reason
    pause.working_days = days
    stage.paused_days = (stage.paused_days or 0) + days
    stage.paused_on = None
    stage.due_on = clock.due_date(stage)
    if stage.extended:
        stage.extended_to = stage.due_on
    case.status = "open" if case.acknowledged_at or case.kind == "compliment" else "new"
    clock.refresh_summary(case)
    return {"working_days_paused": days, "due_on": _iso(stage.due_on)}


def _escalate(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    requested_on = body.past_day("requested_on") or clock.today()
    reason = body.reason(required=False)
    body.check()
    stage = case.current_stage
    if stage is None:
        raise _refuse("This case has no stage to escalate from.")
    following = clock.NEXT_STAGE[stage.route].get(stage.stage)
    if following is None:
        raise _refuse("This case is already with the Ombudsman: there is no next stage.")
    if stage.paused_on is not None:
        raise _refuse("Resume the stage clock before escalating.")
    if requested_on < stage.opened_on:
        raise ValidationError({"requested_on": "The request cannot be before the stage opened."})
    late = stage.request_due_on is not None and requested_on > stage.request_due_on
    if stage.closed_on is None:
        clock.close_stage(stage, requested_on, "escalated")
    new = clock.open_stage(case, stage.route, following, requested_on)
    case.status = "open"
    clock.refresh_summary(case)
    return {
        "from": stage.stage,
        "to": following,
        "requested_on": requested_on.isoformat(),
        "late_request": late,
        "due_on": _iso(new.due_on),
        "reason": reason,
    }


def _record_milestone(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    milestone = body.choice("milestone", ("panel_held", "panel_report_sent"), required=True)
    on = body.past_day("on")
    if on is None and "on" not in body.errors:
        body.errors["on"] = "Give the date as YYYY-MM-DD."
    body.check()
    stage = _open_stage_or_refuse(case)
    if (stage.route, stage.stage) != ("statutory", "stage_3"):
        raise _refuse("Panel dates belong to statutory Stage 3.")
    if on < stage.opened_on:  # type: ignore[operator]
        raise ValidationError({"on": "This cannot be before Stage 3 opened."})
    if milestone == "panel_held":
        stage.panel_on = on
    else:
        if stage.panel_on is None:
            raise _refuse("Record when the panel met before its report.")
        stage.report_on = on
    stage.due_on = clock.due_date(stage)
    clock.refresh_summary(case)
    return {"milestone": milestone, "on": _iso(on), "due_on": _iso(stage.due_on)}


def _record_outcome(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    outcome = body.choice("outcome", OUTCOMES, required=True)
    closed_on = body.past_day("closed_on") or clock.today()
    body.check()
    stage = _open_stage_or_refuse(case)
    if stage.paused_on is not None:
        raise _refuse("Resume the stage clock before recording the outcome.")
    if closed_on < stage.opened_on:
        raise ValidationError({"closed_on": "The stage cannot close before it opened."})
    clock.close_stage(stage, closed_on, "responded", outcome)
    case.status = "responded"
    clock.refresh_summary(case)
    return {
        "stage": stage.stage,
        "outcome": outcome,
        "closed_on": closed_on.isoformat(),
        "in_time": stage.due_on is None or closed_on <= stage.due_on,
        "request_due_on": _iso(stage.request_due_on),
    }


def _close(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    reason = body.reason(required=False)
    not_considered = body.choice("not_considered_reason", NOT_CONSIDERED_REASONS)
    outcome = body.choice("outcome", OUTCOMES)
    body.check()
    if case.status == "closed":
        raise _refuse("This case is already closed.")
    stage = case.current_stage
    today = clock.today()
    if stage is not None and stage.closed_on is None:
        if stage.paused_on is not None:
            raise _refuse("Resume the stage clock before closing the case.")
        if not_considered:
            clock.close_stage(stage, today, "not_considered")
        elif outcome:
            clock.close_stage(stage, today, "responded", outcome)
        else:
            raise _refuse(
                "The open stage has no outcome: give outcome, or not_considered_reason.",
                "outcome",
            )
    case.not_considered_reason = not_considered
    case.status = "closed"
    case.closed_at = utcnow()
    clock.refresh_summary(case)
    return {"reason": reason, "not_considered_reason": not_considered, "outcome": outcome}


def _reopen(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    reason = body.reason()
    body.check()
    if not actor.at_least("manager"):
        raise APIError(403, message="Only a manager may reopen a case.")
    if case.status != "closed":
        raise _refuse("Only a closed case can be reopened.")
    stage = case.current_stage
    if stage is not None and stage.closed_reason in ("case_closed", "not_considered"):
        stage.closed_on = None
        stage.closed_reason = None
    previous = case.not_considered_reason
    case.not_considered_reason = None
    case.closed_at = None
    if stage is not None and stage.closed_on is not None:
        case.status = "responded"
    else:
        case.status = "open" if case.acknowledged_at else "new"
    clock.refresh_summary(case)
    return {"reason": reason, "previous_not_considered_reason": previous}


# ---------------------------------------------------------------- learning and notes


def _learning_fields(body: Payload, action: LearningAction | None) -> None:
    description = body.text("description", 5000, required=action is None)
    owner = body.text("owner", 200)
    status = body.choice("status", ACTION_STATUSES)
    due_on = body.day("due_on")
    body.check()
    target = action
    if target is None:
        return
    if description is not None:
        target.description = description
    if body.has("owner"):
        target.owner = owner
    if status is not None:
        target.status = status
    if body.has("due_on"):
        target.due_on = due_on


def _add_learning_action(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    action = LearningAction(status="planned")
    action.description = ""
    _learning_fields(body, None)
    action.description = body.text("description", 5000) or ""
    action.owner = body.text("owner", 200)
    action.status = body.choice("status", ACTION_STATUSES) or "planned"
    action.due_on = body.day("due_on")
    case.learning_actions.append(action)
    db.session.flush()
    return {"learning_action_id": action.id, "status": action.status}


def _update_learning_action(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    action_id = body.integer("id", 1, 2**31 - 1, required=True)
    body.check()
    action = next((item for item in case.learning_actions if item.id == action_id), None)
    if action is None:
        raise ValidationError({"id": "This case has no learning action with this id."})
    before = action.status
    _learning_fields(body, action)
    return {"learning_action_id": action.id, "from_status": before, "status": action.status}


def _add_note(case: Case, body: Payload, actor: Actor) -> dict[str, Any]:
    text = body.text("body", NOTE_MAX, required=True, label="Write the note: it cannot be empty.")
    body.check()
    note = Note(author=actor.name, body=text)  # type: ignore[arg-type]
    case.notes.append(note)
    db.session.flush()
    return {"note_id": note.id}  # the note's text stays out of the audit log


ACTIONS: dict[str, Callable[[Case, Payload, Actor], dict[str, Any]]] = {
    "accept_triage": _accept_triage,
    "override_triage": _override_triage,
    "reroute": _reroute,
    "assign": _assign,
    "acknowledge": _acknowledge,
    "extend": _extend,
    "pause": _pause,
    "resume": _resume,
    "escalate": _escalate,
    "record_milestone": _record_milestone,
    "record_outcome": _record_outcome,
    "close": _close,
    "reopen": _reopen,
    "add_learning_action": _add_learning_action,
    "update_learning_action": _update_learning_action,
    "add_note": _add_note,
}


def perform(reference: str, name: str, payload: Any, expected: int, actor: Actor) -> Case:
    """Run action `name` on the case, in one audited transaction.

    Raises 404 for an unknown action or case, 409 for a stale version, 403 when the role
    is not enough, 422 for bad input or an action the case's state does not allow.
    """
    handler = ACTIONS.get(name)
    if handler is None:
        raise APIError(404, message=f"There is no action called {name!r}.")
    body = Payload(payload)
    case = _start(reference, expected)
    if case.status == "closed" and name not in OPEN_ON_CLOSED and not actor.at_least("manager"):
        raise APIError(403, message="This case is closed: only a manager may change it.")
    try:
        detail = handler(case, body, actor)
    except APIError:
        db.session.rollback()
        raise
    record_event(f"case.{name}", actor.name, case, detail)
    _commit(case, expected)
    return case


# ---------------------------------------------------------------- details (PATCH)

COMPLAINANT_TEXT = {"detail": 64, "advocate_organisation": 200}


def set_child(case: Case, changes: dict[str, Any]) -> None:
    """Apply checked child fields to the case, making the child record if needed."""
    if not changes:
        return
    if case.child is None:
        case.child = Child()
    for name, value in changes.items():
        setattr(case.child, name, value)


def update_details(reference: str, payload: Any, expected: int, actor: Actor) -> Case:
    """Change the case's recorded details: child, complainant consent and advocate,
    advocacy, team and kind. Audited by field name (values stay out of the log)."""
    body = Payload(payload)
    child = child_changes(body.data.get("child"), body.errors)
    complainant_raw = body.data.get("complainant")
    complainant: dict[str, Any] = {}
    if complainant_raw is not None:
        if not isinstance(complainant_raw, dict):
            body.errors["complainant"] = "This must be an object."
        else:
            inner = Payload(complainant_raw)
            for name, limit in COMPLAINANT_TEXT.items():
                if inner.has(name):
                    complainant[name] = inner.text(name, limit)
            if inner.has("consent_recorded"):
                complainant["consent_recorded"] = inner.flag("consent_recorded")
            body.errors.update({f"complainant.{k}": v for k, v in inner.errors.items()})
    simple: dict[str, Any] = {}
    for name in ("advocacy_offered", "advocacy_taken_up"):
        if body.has(name):
            simple[name] = body.flag(name)
    if body.has("team"):
        simple["team"] = body.text("team", 100)
    if body.has("kind"):
        simple["kind"] = body.choice("kind", CASE_KINDS, required=True)
    if not (child or complainant or simple) and not body.errors:
        body.errors["body"] = (
            "Send at least one of child, complainant, advocacy_offered, advocacy_taken_up, "
            "team, kind."
        )
    offered = simple.get("advocacy_offered")
    if simple.get("advocacy_taken_up") and offered is False:
        body.errors["advocacy_taken_up"] = "Advocacy cannot be taken up if it was not offered."
    body.check()
    case = _start(reference, expected)
    if case.status == "closed" and not actor.at_least("manager"):
        raise APIError(403, message="This case is closed: only a manager may change it.")
    if simple.get("advocacy_taken_up") and "advocacy_offered" not in simple:
        if case.advocacy_offered is False:
            raise ValidationError(
                {"advocacy_taken_up": "Advocacy cannot be taken up if it was not offered."}
            )
        case.advocacy_offered = True
    if "kind" in simple and simple["kind"] != case.kind and case.stages:
        raise _refuse("A complaint with stages cannot become a compliment.", "kind")
    set_child(case, child)
    for name, value in complainant.items():
        setattr(case.complainant, name, value)
    if "consent_recorded" in complainant:
        case.complainant.consent_recorded_at = utcnow() if complainant["consent_recorded"] else None
    for name, value in simple.items():
        setattr(case, name, value)
    record_event(
        "case.updated",
        actor.name,
        case,
        {
            "child": sorted(child),
            "complainant": sorted(complainant),
            "fields": sorted(simple),
        },
    )
    _commit(case, expected)
    return case
