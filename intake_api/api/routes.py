"""The API's views: parse the request, call a service, render JSON."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for

from intake_api.auth import (
    allow,
    csrf_token,
    current_actor,
    current_actor_details,
    current_officer,
    current_token,
    public,
)
from intake_api.errors import APIError
from intake_api.models import Case
from intake_api.services import admin as admin_service
from intake_api.services import cases as case_service
from intake_api.services import lifecycle
from intake_api.services import queue as queue_service
from intake_api.services import status as status_service
from intake_api.services.validation import validate_case_filters, validate_idempotency_key

bp = Blueprint("api", __name__, url_prefix="/api/v1")

OFFICER = "officer"


def _json_body() -> Any:
    """The parsed JSON body: 415 if it is not JSON, 400 if it does not parse."""
    if not request.is_json:
        raise APIError(415)
    try:
        return json.loads(request.get_data(cache=True) or b"")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise APIError(
            400,
            code="malformed_json",
            message="The request body is not valid JSON.",
        ) from exc


def _case_response(case: Case, status: int = 200) -> Any:
    """The case in full, with its version as the ETag."""
    body = case.detail_dict(include_private=current_officer() is not None)
    return jsonify(body), status, {"ETag": case.etag}


@bp.after_request
def _no_store(response):  # type: ignore[no-untyped-def]
    # Case data is personal data: never cached by browsers or proxies.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.post("/cases")
@allow(scopes=("cases:create",))
def create_case():  # type: ignore[no-untyped-def]
    """Make a case (201), or return the one this Idempotency-Key already made (200)."""
    key = validate_idempotency_key(request.headers.get("Idempotency-Key"))
    payload = _json_body()
    outcome = case_service.create_case(payload, key, actor=current_actor())
    status = 201 if outcome.created else 200
    body = outcome.render()
    location = url_for("api.get_case", reference=body["reference"])
    return jsonify(body), status, {"Location": location, "ETag": f'"{body["version"]}"'}


@bp.get("/cases")
@allow(scopes=("cases:read",), min_role=OFFICER)
def list_cases():  # type: ignore[no-untyped-def]
    """A page of the queue: filters, sort and paging as in the OpenAPI document."""
    config = current_app.config
    filters = validate_case_filters(
        request.args, config["API_MAX_PER_PAGE"], config["API_DEFAULT_PER_PAGE"]
    )
    items, total = queue_service.list_cases(filters)
    return jsonify(
        {
            "items": [item.to_dict() for item in items],
            "total": total,
            "page": filters.page,
            "per_page": filters.per_page,
        }
    )


@bp.get("/cases/<reference>")
@allow(scopes=("cases:read",), min_role=OFFICER)
def get_case(reference: str):  # type: ignore[no-untyped-def]
    """One case in full; an officer's viewing is audited."""
    officer = current_officer() is not None
    return _case_response(case_service.view_case(reference, current_actor(), officer))


@bp.patch("/cases/<reference>")
@allow(min_role=OFFICER)
def update_case(reference: str):  # type: ignore[no-untyped-def]
    """Change recorded details (child, consent, advocacy, team, kind); needs If-Match."""
    expected = lifecycle.parse_if_match(request.headers.get("If-Match"))
    payload = _json_body()
    case = lifecycle.update_details(reference, payload, expected, current_actor_details())
    return _case_response(case)


@bp.post("/cases/<reference>/actions/<name>")
@allow(min_role=OFFICER)
def case_action(reference: str, name: str):  # type: ignore[no-untyped-def]
    """Run one lifecycle action on the case; needs If-Match."""
    if name not in lifecycle.ACTIONS:
        raise APIError(404, message=f"There is no action called {name!r}.")
    expected = lifecycle.parse_if_match(request.headers.get("If-Match"))
    payload = _json_body() if request.content_length or request.is_json else {}
    case = lifecycle.perform(reference, name, payload, expected, current_actor_details())
    return _case_response(case)


@bp.get("/cases/<reference>/events")
@allow(min_role="manager")
def case_events(reference: str):  # type: ignore[no-untyped-def]
    """The case's audit log (managers and admins)."""
    return jsonify({"items": case_service.case_events(reference)})


@bp.post("/status")
@public
def check_status():  # type: ignore[no-untyped-def]
    """The public "check my complaint": reference and secret in, stage and date out."""
    payload = _json_body()
    token = current_token()
    if token is not None and "status:check" in (token.scopes or []):
        answer = status_service.check_status(
            payload, f"token:{token.id}", current_app.config["STATUS_MAX_PER_TOKEN"]
        )
    else:
        answer = status_service.check_status(payload, request.remote_addr or "unknown")
    return jsonify(answer)


@bp.get("/me")
@allow(min_role=OFFICER)
def me():  # type: ignore[no-untyped-def]
    """The signed-in officer, and the CSRF token their session must send with writes."""
    officer = current_officer()
    return jsonify({"officer": officer.to_dict(), "csrf_token": csrf_token()})  # type: ignore[union-attr]


@bp.get("/officers")
@allow(min_role="admin")
def list_officers():  # type: ignore[no-untyped-def]
    """Every officer account (admins)."""
    return jsonify({"items": [officer.to_dict() for officer in admin_service.list_officers()]})


@bp.post("/officers")
@allow(min_role="admin")
def create_officer():  # type: ignore[no-untyped-def]
    """Add an officer (admins)."""
    officer = admin_service.create_officer(_json_body(), current_actor())
    return jsonify(officer.to_dict()), 201


@bp.patch("/officers/<int:officer_id>")
@allow(min_role="admin")
def update_officer(officer_id: int):  # type: ignore[no-untyped-def]
    """Change an officer's role, name or active flag (admins)."""
    officer = admin_service.update_officer(officer_id, _json_body(), current_actor_details())
    return jsonify(officer.to_dict())


@bp.get("/tokens")
@allow(min_role="admin")
def list_tokens():  # type: ignore[no-untyped-def]
    """Every token, never its value (admins)."""
    return jsonify({"items": [token.to_dict() for token in admin_service.list_tokens()]})


@bp.post("/tokens")
@allow(min_role="admin")
def create_token():  # type: ignore[no-untyped-def]
    """Issue a token; its value is in this response only (admins)."""
    issued = admin_service.issue_token(_json_body(), current_actor())
    return jsonify({**issued.token.to_dict(), "token": issued.raw}), 201


@bp.post("/tokens/<int:token_id>/revoke")
@allow(min_role="admin")
def revoke_token(token_id: int):  # type: ignore[no-untyped-def]
    """Revoke a token at once (admins)."""
    return jsonify(admin_service.revoke_token(token_id, current_actor()).to_dict())


@bp.get("/openapi.json")
@public
def openapi():  # type: ignore[no-untyped-def]
    """The OpenAPI 3.1 description of this API."""
    with current_app.open_resource("openapi.json") as handle:
        document = json.load(handle)
    return jsonify(document)
