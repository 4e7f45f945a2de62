"""The JSON API: `intake_api/api/routes.py`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intake_api.models import Event, db


def test_creating_a_case_returns_201_with_reference_and_triage(post_case, triager):
    response = post_case()
    assert response.status_code == 201
    case = response.get_json()
    assert case["reference"].startswith("CC-")
    assert response.headers["Location"] == f"/api/v1/cases/{case['reference']}"
    assert case["status"] == "new"
    assert case["channel"] == "web_chat"
    assert case["complainant"]["type"] == "child"
    assert case["triage"]["route"] == "statutory"
    assert case["triage"]["model_version"] == "fake-1"
    assert case["triage"]["source"] == "model"
    assert triager.calls == [(case["description"], "child")]


def test_replaying_the_same_key_and_body_returns_200_and_the_same_case(post_case, triager):
    first = post_case(key="retry-key-0001")
    again = post_case(key="retry-key-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert len(triager.calls) == 1


def test_replay_ignores_key_order_in_the_body(client, bot_headers, complaint):
    body = complaint()
    reordered = dict(reversed(list(body.items())))
    headers = {**bot_headers, "Idempotency-Key": "order-key-01"}
    first = client.post("/api/v1/cases", json=body, headers=headers)
    again = client.post("/api/v1/cases", json=reordered, headers=headers)
    assert again.status_code == 200
    assert again.get_json()["reference"] == first.get_json()["reference"]


def test_reusing_a_key_with_a_different_body_is_409(post_case, complaint):
    post_case(key="reused-key-01")
    response = post_case(complaint(description="Something else entirely."), key="reused-key-01")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("key", "code"),
    [(None, "idempotency_key_required"), ("short", "idempotency_key_invalid")],
)
def test_a_missing_or_bad_idempotency_key_is_400(client, bot_headers, complaint, key, code):
    headers = dict(bot_headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    response = client.post("/api/v1/cases", json=complaint(), headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer "]
)
def test_creating_a_case_without_a_valid_token_is_401(client, complaint, authorization):
    headers = {"Idempotency-Key": "no-token-key-01"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = client.post("/api/v1/cases", json=complaint(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    error = response.get_json()["error"]
    assert error["status"] == 401
    assert error["message"].endswith(".")


def test_a_signed_in_officer_cannot_create_cases(client, auth, complaint):
    auth.officer()
    auth.login()
    response = client.post(
        "/api/v1/cases", json=complaint(), headers={"Idempotency-Key": "officer-key-01"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 20001}, "description"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"channel": None}, "channel"),
        ({"complainant": None}, "complainant"),
        ({"complainant": {"type": "neighbour"}}, "complainant.type"),
        ({"complainant": {"type": "parent", "email": "not-an-email"}}, "complainant.email"),
        ({"complainant": {"type": "parent", "anonymous": "yes"}}, "complainant.anonymous"),
        ({"conversation_id": 42}, "conversation_id"),
    ],
)
def test_invalid_fields_are_422_with_a_message_for_each(post_case, complaint, change, field):
    response = post_case(complaint(**change))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert error["fields"][field].endswith(".")


def test_a_body_that_is_not_an_object_is_422(post_case):
    response = post_case(["not", "an", "object"])
    assert response.status_code == 422
    assert "body" in response.get_json()["error"]["fields"]


def test_malformed_json_is_400(client, bot_headers):
    response = client.post(
        "/api/v1/cases",
        data='{"channel": "web_chat",',
        headers={
            **bot_headers,
            "Idempotency-Key": "bad-json-key",
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_a_body_that_is_not_json_is_415(client, bot_headers):
    response = client.post(
        "/api/v1/cases",
        data="description=hello",
        headers={**bot_headers, "Idempotency-Key": "form-key-01"},
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415


def test_triage_failure_still_creates_the_case_and_logs_an_event(app, post_case, triager):
    triager.error = RuntimeError("model exploded")
    response = post_case()
    assert response.status_code == 201
    case = response.get_json()
    assert case["triage"] is None
    with app.app_context():
        actions = db.session.scalars(select(Event.action).order_by(Event.id)).all()
        failed = db.session.scalar(select(Event).where(Event.action == "triage.failed"))
        assert failed.detail["error"] == "RuntimeError"
        assert failed.case.reference == case["reference"]
    assert actions[-2:] == ["case.created", "triage.failed"]


def test_a_missing_model_still_creates_the_case(app, post_case, monkeypatch):
    from intake_api.services import triaging

    def no_model():
        from triage.errors import ModelNotFound

        raise ModelNotFound("no model")

    monkeypatch.setattr(triaging, "get_triager", no_model)
    response = post_case()
    assert response.status_code == 201
    assert response.get_json()["triage"] is None
    assert response.get_json()["triage_status"] == "failed"


def test_getting_a_case_by_reference(client, post_case, reader_headers):
    reference = post_case().get_json()["reference"]
    response = client.get(f"/api/v1/cases/{reference}", headers=reader_headers)
    assert response.status_code == 200
    assert response.get_json()["reference"] == reference
    assert response.headers["Cache-Control"] == "no-store"


def test_a_reference_typed_loosely_still_finds_the_case(client, post_case, reader_headers):
    reference = post_case().get_json()["reference"]
    loose = reference.lower().replace("-", " ")
    response = client.get(f"/api/v1/cases/{loose}", headers=reader_headers)
    assert response.status_code == 200


def test_an_unknown_reference_is_404(client, reader_headers):
    response = client.get("/api/v1/cases/CC-AAAA-AAAA", headers=reader_headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_listing_cases_puts_safeguarding_first(client, post_case, complaint, reader_headers):
    post_case(complaint(description="Nobody answers my emails."))
    urgent = post_case(complaint(description="My foster carer hurt me last night.")).get_json()
    post_case(complaint(description="The assessment is late."))
    response = client.get("/api/v1/cases", headers=reader_headers)
    assert response.status_code == 200
    listing = response.get_json()
    assert listing["total"] == 3
    assert (listing["page"], listing["per_page"]) == (1, 50)
    assert listing["items"][0]["reference"] == urgent["reference"]
    assert listing["items"][0]["triage"]["safeguarding"] is True


def test_listing_cases_pages(client, post_case, complaint, reader_headers):
    for number in range(5):
        post_case(complaint(description=f"Complaint number {number}."))
    first = client.get("/api/v1/cases?per_page=2", headers=reader_headers).get_json()
    last = client.get("/api/v1/cases?per_page=2&page=3", headers=reader_headers).get_json()
    assert first["total"] == 5
    assert len(first["items"]) == 2
    assert len(last["items"]) == 1
    seen = {item["reference"] for item in first["items"]} | {last["items"][0]["reference"]}
    assert len(seen) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("safeguarding=true", ["hurt"]),
        ("safeguarding=false", ["unsure", "late"]),
        ("needs_review=true", ["unsure"]),
        ("route=statutory", ["hurt", "unsure", "late"]),
        ("route=corporate", []),
        ("status=new", ["hurt", "unsure", "late"]),
    ],
)
def test_listing_cases_filters(client, post_case, complaint, reader_headers, query, expected):
    for word in ("late", "unsure", "hurt"):
        post_case(complaint(description=f"Someone {word} me.", conversation_id=word))
    listing = client.get(f"/api/v1/cases?{query}", headers=reader_headers).get_json()
    assert [item["conversation_id"] for item in listing["items"]] == expected
    assert listing["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("per_page=lots", "per_page"),
        ("route=somewhere", "route"),
        ("safeguarding=maybe", "safeguarding"),
    ],
)
def test_bad_list_filters_are_422(client, reader_headers, query, field):
    response = client.get(f"/api/v1/cases?{query}", headers=reader_headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_listing_cases_needs_a_token_or_officer(client):
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get("/api/v1/cases/CC-AAAA-AAAA").status_code == 401


def test_openapi_document_describes_every_api_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.rule == "/healthz":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                served.add((path, method))
    assert served == documented


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_openapi_references_resolve_and_match_what_the_api_returns(client, post_case):
    document = client.get("/api/v1/openapi.json").get_json()
    for ref in _refs(document):
        target = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
    schemas = document["components"]["schemas"]
    case = post_case().get_json()
    assert set(case) == set(schemas["CreatedCase"]["required"])
    assert set(case) - {"status_secret"} == set(schemas["Case"]["required"])
    assert set(case["triage"]) == set(schemas["Triage"]["required"])
    assert set(case["complainant"]) == set(schemas["Complainant"]["required"])
