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

from intake_api.auth import check_csrf, current_officer, officer_required, public
from intake_api.services import cases as case_service
from intake_api.services import officers as officer_service
from intake_api.services.validation import ValidationError, validate_case_filters

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


@bp.get("/")
@officer_required()
def queue():  # type: ignore[no-untyped-def]
    """Cases waiting for officers, safeguarding pinned first."""
    config = current_app.config
    try:
        filters = validate_case_filters(
            request.args, config["API_MAX_PER_PAGE"], config["API_DEFAULT_PER_PAGE"]
        )
    except ValidationError:
        return redirect(url_for("officer.queue"))
    items, total = case_service.list_cases(filters)
    pages = max(1, -(-total // filters.per_page))
    return render_template(
        "officer/queue.html",
        cases=items,
        total=total,
        page=filters.page,
        pages=pages,
        officer=current_officer(),
    )
