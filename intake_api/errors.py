"""Errors as JSON for API clients and as pages for people, from one place."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from intake_api.models import db

# Machine-readable code and a plain sentence for each status we send.
DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood."),
    401: ("authentication_required", "You need to sign in or send a valid token."),
    403: ("forbidden", "You do not have permission to do this."),
    404: ("not_found", "We could not find what you asked for."),
    405: ("method_not_allowed", "This address does not accept that method."),
    409: ("conflict", "The request conflicts with the current state of the data."),
    413: ("payload_too_large", "The request is too large."),
    415: (
        "unsupported_media_type",
        "Send the request body as JSON (Content-Type: application/json).",
    ),
    422: ("validation_error", "Some of the information sent is not valid."),
    429: ("too_many_requests", "Too many attempts. Please wait a few minutes and try again."),
    500: ("internal_error", "Something went wrong on our side. Please try again later."),
    503: ("unavailable", "The service is temporarily unavailable. Please try again later."),
}


class APIError(Exception):
    """An error with a status, a stable code, a sentence, and optional field messages."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str | None = None,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        default_code, default_message = DEFAULTS.get(status, ("error", "Something went wrong."))
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.fields = fields
        self.headers = headers or {}
        super().__init__(self.message)


def wants_json() -> bool:
    """API paths always get JSON; elsewhere, whatever the client prefers."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["text/html"]


def error_response(error: APIError) -> Response | tuple[Any, int, dict[str, str]]:
    """Render `error` as JSON or HTML according to the request."""
    headers = dict(error.headers)
    if error.status == 401 and wants_json():
        headers.setdefault("WWW-Authenticate", 'Bearer realm="intake"')
    if wants_json():
        body: dict[str, Any] = {
            "status": error.status,
            "code": error.code,
            "message": error.message,
        }
        if error.fields:
            body["fields"] = error.fields
        return jsonify({"error": body}), error.status, headers
    page = render_template("errors/error.html", error=error)
    return page, error.status, headers


def _from_http_exception(exc: HTTPException) -> APIError:
    status = exc.code or 500
    # Keep a description someone wrote on purpose (abort(400, "...")), not werkzeug's stock one.
    custom = exc.description if exc.description != type(exc).description else None
    headers = {}
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods or [])
    return APIError(status, message=custom, headers=headers)


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on `app`."""

    @app.errorhandler(APIError)
    def handle_api_error(error: APIError):  # type: ignore[no-untyped-def]
        return error_response(error)

    @app.errorhandler(HTTPException)
    def handle_http_exception(exc: HTTPException):  # type: ignore[no-untyped-def]
        if exc.code is not None and exc.code >= 500:
            db.session.rollback()
        return error_response(_from_http_exception(exc))

    @app.errorhandler(500)
    def handle_internal_error(exc: Exception):  # type: ignore[no-untyped-def]
        # A failed request must not leave a half-done transaction for the next one.
        # Flask has already logged the traceback.
        db.session.rollback()
        return error_response(APIError(500))
