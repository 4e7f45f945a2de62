"""The API's views: parse the request, call a service, render JSON."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for

from intake_api.auth import current_actor, officer_or_token_required, public, token_required
from intake_api.errors import APIError
from intake_api.services import cases as case_service
from intake_api.services.validation import validate_case_filters, validate_idempotency_key

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _json_body() -> Any:
    """The parsed JSON body: 415 if it is not JSON, 400 if it does not parse."""
    if not request.is_json:
        raise APIError(415)
    try:
        return json.loads(request.get_data(cache=True) or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise APIError(
            400,
            code="malformed_json",
            message="The request body is not valid JSON.",
        ) from exc


@bp.after_request
def _no_store(response):  # type: ignore[no-untyped-def]
    # Case data is personal data: never cached by browsers or proxies.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.post("/cases")
@token_required
def create_case():  # type: ignore[no-untyped-def]
    """Make a case (201), or return the one this Idempotency-Key already made (200)."""
    key = validate_idempotency_key(request.headers.get("Idempotency-Key"))
    payload = _json_body()
    outcome = case_service.create_case(payload, key, actor=current_actor())
    status = 201 if outcome.created else 200
    location = url_for("api.get_case", reference=outcome.case.reference)
    return jsonify(outcome.case.to_dict()), status, {"Location": location}


@bp.get("/cases")
@officer_or_token_required
def list_cases():  # type: ignore[no-untyped-def]
    """A page of cases, safeguarding first; filter by route, status, needs_review, safeguarding."""
    config = current_app.config
    filters = validate_case_filters(
        request.args, config["API_MAX_PER_PAGE"], config["API_DEFAULT_PER_PAGE"]
    )
    items, total = case_service.list_cases(filters)
    return jsonify(
        {
            "items": [item.to_dict() for item in items],
            "total": total,
            "page": filters.page,
            "per_page": filters.per_page,
        }
    )


@bp.get("/cases/<reference>")
@officer_or_token_required
def get_case(reference: str):  # type: ignore[no-untyped-def]
    """One case by its reference."""
    return jsonify(case_service.get_case(reference).to_dict())


@bp.get("/openapi.json")
@public
def openapi():  # type: ignore[no-untyped-def]
    """The OpenAPI 3.1 description of this API."""
    with current_app.open_resource("openapi.json") as handle:
        document = json.load(handle)
    return jsonify(document)
