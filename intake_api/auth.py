"""Who is asking: service tokens, officer sessions, and the deny-by-default rule.

Every view must say who may call it with one of the decorators here. A view without
one is refused (see `deny_unmarked_views`), so a forgotten decorator fails closed.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, g, redirect, request, session, url_for

from intake_api.errors import APIError, wants_json
from intake_api.models import Officer, ServiceToken, db
from intake_api.services.tokens import find_valid_token

F = TypeVar("F", bound=Callable[..., Any])

ACCESS_ATTR = "_intake_access"
# Case work needs at least the first role; each role may do all the ones before it.
ROLE_RANK = {"officer": 1, "manager": 2, "admin": 3}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Actor:
    """Who is doing something, as the services layer needs it: the audit name, and the
    officer and role when a person (signed in, or through their own token) is acting."""

    name: str
    officer_id: int | None = None
    role: str | None = None

    def at_least(self, role: str) -> bool:
        """Whether this actor's role is `role` or above."""
        return ROLE_RANK.get(self.role or "", 0) >= ROLE_RANK[role]


# Flask's own static route has no decorator of ours.
PUBLIC_ENDPOINTS = {"static"}


def _mark(view: Callable[..., Any], access: str) -> None:
    setattr(view, ACCESS_ATTR, access)


def public(view: F) -> F:
    """Anyone may call this view."""
    _mark(view, "public")
    return view


def token_required(view: F) -> F:
    """Only a service token (`Authorization: Bearer ...`) may call this view."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_token() is None:
            raise APIError(401, message="Send a valid service token in the Authorization header.")
        return view(*args, **kwargs)

    _mark(wrapped, "token")
    return wrapped  # type: ignore[return-value]


def officer_or_token_required(view: F) -> F:
    """A signed-in officer or a service token may call this view."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_token() is None and current_officer() is None:
            raise APIError(401)
        return view(*args, **kwargs)

    _mark(wrapped, "officer_or_token")
    return wrapped  # type: ignore[return-value]


def officer_required(*roles: str) -> Callable[[F], F]:
    """A signed-in, active officer may call this view; with `roles`, only those roles.

    People are sent to the sign-in page; API clients get 401. A wrong role gets 403.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            officer = current_officer()
            if officer is None:
                if wants_json():
                    raise APIError(401)
                return redirect(url_for("officer.login", next=request.full_path.rstrip("?")))
            if roles and officer.role not in roles:
                raise APIError(403)
            return view(*args, **kwargs)

        _mark(wrapped, "officer")
        return wrapped  # type: ignore[return-value]

    return decorator


def allow(*, scopes: tuple[str, ...] = (), min_role: str | None = None) -> Callable[[F], F]:
    """Who may call this API view: a machine token holding one of `scopes`, and/or an
    officer of at least `min_role` (signed in, or with a token issued to them).

    No credentials, or a kind of caller the view never accepts: 401. The right kind but
    not enough: 403. A signed-in session writing must send the CSRF token in the
    `X-CSRF-Token` header (bearer tokens are not sent by browsers on their own, so they
    need none).
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = current_token()
            officer = current_officer()
            if token is not None and token.officer_id is None:
                if not scopes:
                    raise APIError(401, message="Sign in as an officer to do this.")
                if not set(scopes) & set(token.scopes or []):
                    raise APIError(403, message="This token is not allowed to do this.")
            elif officer is not None:
                if min_role is None:
                    raise APIError(401, message="Send a valid service token to do this.")
                if ROLE_RANK.get(officer.role, 0) < ROLE_RANK[min_role]:
                    raise APIError(403, message=f"Only a {min_role} or above may do this.")
                if token is None and request.method not in SAFE_METHODS:
                    check_csrf_header()
            else:
                raise APIError(401)
            return view(*args, **kwargs)

        _mark(wrapped, "allow")
        return wrapped  # type: ignore[return-value]

    return decorator


def current_actor_details() -> Actor:
    """The caller as an `Actor` for the services layer."""
    officer = current_officer()
    token = current_token()
    if officer is not None:
        return Actor(name=f"officer:{officer.id}", officer_id=officer.id, role=officer.role)
    if token is not None:
        return Actor(name=f"token:{token.name}")
    return Actor(name="anonymous")


def check_csrf_header() -> None:
    """Refuse a signed-in JSON write without the session's CSRF token in its header."""
    sent = request.headers.get(CSRF_HEADER, "")
    expected = session.get("csrf_token")
    if not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise APIError(
            403,
            code="csrf_failed",
            message=(
                f"Send the {CSRF_HEADER} header with the token from GET /api/v1/me "
                "(signed-in sessions only)."
            ),
        )


def current_token() -> ServiceToken | None:
    """The unrevoked service token sent with this request, if any."""
    if "service_token" not in g:
        g.service_token = None
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() == "bearer" and raw.strip():
            g.service_token = find_valid_token(raw)
    return g.service_token


def current_officer() -> Officer | None:
    """The active officer signed in on this session, if any."""
    if "officer" not in g:
        g.officer = None
        token = current_token()
        if token is not None:
            # A bearer token decides who is calling; the session is ignored.
            if token.officer_id is not None:
                officer = db.session.get(Officer, token.officer_id)
                if officer is not None and officer.active:
                    g.officer = officer
            return g.officer
        if _bearer_sent():
            return None
        officer_id = session.get("officer_id")
        if isinstance(officer_id, int):
            officer = db.session.get(Officer, officer_id)
            if officer is not None and officer.active:
                g.officer = officer
    return g.officer


def _bearer_sent() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def current_actor() -> str:
    """How the audit log names whoever is making this request."""
    return current_actor_details().name


def csrf_token() -> str:
    """The session's CSRF token, made on first use (templates call this)."""
    token = session.get("csrf_token")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf_token"] = token
    return token


def check_csrf() -> None:
    """Refuse a form post whose `csrf_token` field does not match the session's."""
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf_token")
    if not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise APIError(
            400,
            code="csrf_failed",
            message="This form has expired. Please go back, reload the page and try again.",
        )


def deny_unmarked_views(app: Flask) -> None:
    """Refuse any request to a view that has no access decorator."""

    @app.before_request
    def _deny_unmarked() -> None:
        if request.routing_exception is not None or request.endpoint is None:
            return  # 404 or 405 follows
        if request.endpoint in PUBLIC_ENDPOINTS:
            return
        view = current_app.view_functions.get(request.endpoint)
        if getattr(view, ACCESS_ATTR, None) is None:
            current_app.logger.error("View %s has no access decorator", request.endpoint)
            raise APIError(403)

    app.jinja_env.globals["csrf_token"] = csrf_token
