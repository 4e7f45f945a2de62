"""`/healthz`: is the app up and can it reach its database."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from intake_api.auth import public
from intake_api.models import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():  # type: ignore[no-untyped-def]
    """200 when the database answers, 503 otherwise (for load balancers and `make up`)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
