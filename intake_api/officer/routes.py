"""Officer views: parse the form or query, call a service, render a template."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from intake_api.auth import (
    check_csrf,
    current_actor_details,
    current_officer,
    officer_required,
    public,
)
from intake_api.errors import APIError
from intake_api.models import CASE_STATUSES, NOT_CONSIDERED_REASONS, OUTCOMES, STAGES
from intake_api.officer import forms
from intake_api.officer import views_data as data
from intake_api.services import cases as case_service
from intake_api.services import lifecycle
from intake_api.services import officers as officer_service
from intake_api.services import stages as clock
from intake_api.services.validation import ValidationError, validate_case_filters
from triage.types import CAUSES, ROUTES, SERVICE_AREAS

bp = Blueprint("officer", __name__, url_prefix="/officer")

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@bp.after_request
def _page_headers(response):  # type: ignore[no-untyped-def]
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _safe_next(target: str | None) -> str:
    """Only send people on to our own officer pages after signing in."""
    if target and target.startswith("/officer/") and not target.startswith("//"):
        return target
    return url_for("officer.queue")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():  # type: ignore[no-untyped-def]
    """The sign-in form, and signing in."""
    if request.method == "GET" and current_officer() is not None:
        return redirect(url_for("officer.queue"))
    error = None
    email = ""
    status = 200
    if request.method == "POST":
        check_csrf()
        email = request.form.get("email", "").strip()
        password = request.form.get("password", "")
        if not email or not password:
            error = "Enter your email address and password."
            status = 422
        else:
            try:
                officer = officer_service.authenticate(
                    email, password, request.remote_addr or "unknown"
                )
            except officer_service.SignInThrottled as exc:
                error = exc.message
                status = 429
                officer = None
            if officer is not None:
                next_page = _safe_next(request.args.get("next"))
                session.clear()  # a fresh session on sign-in: no fixation
                session["officer_id"] = officer.id
                session.permanent = True
                return redirect(next_page)
            if error is None:
                error = "The email address or password is not right."
                status = 401
    return render_template("officer/login.html", error=error, email=email), status


@bp.post("/logout")
@officer_required()
def logout():  # type: ignore[no-untyped-def]
    """Sign out."""
    check_csrf()
    officer = current_officer()
    if officer is not None:
        officer_service.record_logout(officer)
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("officer.login"))


# The queue's GET form: every filter of `GET /api/v1/cases` that officers use.
FILTER_NAMES = (
    "q",
    "route",
    "stage",
    "status",
    "cause",
    "service_area",
    "assignee",
    "overdue",
    "due_within",
    "needs_review",
    "safeguarding",
    "handoff",
    "sort",
    "per_page",
)
SORTS = {"urgency": "Urgency", "due": "Due date", "created": "Newest"}
CONFLICT_MESSAGE = (
    "Someone else changed this case. Your change was not saved. Here is the latest version."
)


def _choices() -> dict[str, object]:
    """The option lists every officer page's forms use."""
    return {
        "routes": ROUTES,
        "causes": CAUSES,
        "service_areas": SERVICE_AREAS,
        "statuses": CASE_STATUSES,
        "stages": STAGES,
        "outcomes": OUTCOMES,
        "not_considered_reasons": NOT_CONSIDERED_REASONS,
        "sorts": SORTS,
    }


@bp.get("/")
@officer_required()
def queue():  # type: ignore[no-untyped-def]
    """Cases waiting for officers: counts, filters, safeguarding pinned first."""
    config = current_app.config
    chosen = {name: request.args.get(name, "").strip() for name in FILTER_NAMES}
    errors: dict[str, str] = {}
    try:
        filters = validate_case_filters(
            request.args, config["API_MAX_PER_PAGE"], config["API_DEFAULT_PER_PAGE"]
        )
    except ValidationError as exc:
        errors = dict(exc.fields or {})
        filters = None
    if filters is not None:
        items, total = data.pinned_cases(filters)
        page, per_page = filters.page, filters.per_page
    else:
        items, total, page, per_page = [], 0, 1, config["API_DEFAULT_PER_PAGE"]
    pages = max(1, -(-total // per_page))
    kept = {name: value for name, value in chosen.items() if value}
    return render_template(
        "officer/queue.html",
        cases=items,
        total=total,
        page=page,
        pages=pages,
        kept=kept,
        chosen=chosen,
        errors=errors,
        counts=data.status_counts(),
        officers=data.active_officers(),
        officer=current_officer(),
        light=data.traffic_light,
        filtered=bool(kept.keys() - {"sort", "per_page", "page"}),
        **_choices(),
    ), (400 if errors else 200)


def _render_case(
    case,  # type: ignore[no-untyped-def]
    *,
    status: int = 200,
    action: str | None = None,
    errors: dict[str, str] | None = None,
    conflict: bool = False,
    problem: str | None = None,
):
    """The case page; after a failed action, with that form's input and its problems."""
    submitted = request.form if action else None

    def value(name: str, field: str, default: object = "") -> object:
        """What the officer typed into this form, if it came back; else `default`."""
        if submitted is not None and name == action:
            return submitted.get(field, "")
        return default

    def values(name: str, field: str, default: list[str]) -> list[str]:
        if submitted is not None and name == action:
            return submitted.getlist(field)
        return default

    summary = [(f"{action}-{field}", message) for field, message in (errors or {}).items()]
    officer = current_officer()
    stage = case.current_stage
    return render_template(
        "officer/case.html",
        case=case,
        stage=stage,
        stage_open=stage is not None and stage.closed_on is None,
        next_stage=clock.NEXT_STAGE.get(stage.route, {}).get(stage.stage) if stage else None,
        officer=officer,
        is_manager=current_actor_details().at_least("manager"),
        events=data.audit_log(case),
        later_cases=data.later_cases(case),
        names=data.officer_names(),
        describe=data.describe_detail,
        officers=data.active_officers(),
        light=data.traffic_light,
        stage_light=data.stage_light,
        titles=forms.TITLES,
        action=action,
        errors=errors or {},
        summary=summary,
        conflict=conflict,
        problem=problem,
        value=value,
        values=values,
        **_choices(),
    ), status


@bp.get("/cases/<reference>")
@officer_required()
def case_page(reference: str):  # type: ignore[no-untyped-def]
    """One case in full, with the forms for every action; the viewing is audited."""
    case = case_service.view_case(reference, current_actor_details().name, officer=True)
    if case.reference != reference:
        return redirect(url_for("officer.case_page", reference=case.reference))
    return _render_case(case)


@bp.post("/cases/<reference>/actions/<action>")
@officer_required()
def case_action(reference: str, action: str):  # type: ignore[no-untyped-def]
    """Run one action from the case page; on a problem, show the page again with the
    officer's input kept and the problem explained."""
    check_csrf()
    if action not in forms.READERS:
        raise APIError(404, message=f"There is no action called {action!r}.")
    version = forms.parse_version(request.form.get("version"))
    if version is None:
        raise APIError(
            400,
            code="missing_version",
            message="This form did not say which version of the case it changed. Reload the "
            "case and try again.",
        )
    payload, form_errors = forms.read_form(action, request.form)
    try:
        if form_errors:
            raise ValidationError(form_errors)
        case = lifecycle.perform(reference, action, payload, version, current_actor_details())
    except lifecycle.VersionConflict:
        latest = case_service.get_case(reference)
        return _render_case(latest, status=409, action=action, conflict=True)
    except APIError as exc:
        if exc.status != 422:
            raise
        latest = case_service.get_case(reference)
        fields = dict(exc.fields or {})
        if form_errors:
            fields = {**fields, **form_errors}
        return _render_case(latest, status=422, action=action, errors=fields)
    flash(forms.DONE[action])
    return redirect(url_for("officer.case_page", reference=case.reference))
