"""The intake API: complaints in, triaged and stored, for officers to act on."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. `test_config` replaces the environment (tests pass their settings)."""
    app = Flask(__name__, instance_relative_config=True)

    from intake_api.config import load_config

    load_config(app, test_config)

    from intake_api.models import db

    db.init_app(app)
    with app.app_context():
        _configure_sqlite(db.engine)

    from intake_api.auth import deny_unmarked_views
    from intake_api.errors import register_error_handlers
    from intake_api.filters import register_filters

    register_error_handlers(app)
    register_filters(app)
    deny_unmarked_views(app)

    from intake_api.api import bp as api_bp
    from intake_api.chat import bp as chat_bp
    from intake_api.health import bp as health_bp
    from intake_api.officer import bp as officer_bp
    from intake_api.reports.views import bp as reports_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(officer_bp)
    app.register_blueprint(reports_bp)

    from intake_api.cli import register_commands

    register_commands(app)

    # In worker mode the API never runs the model: only the triage worker loads it.
    if app.config.get("TRIAGE_PRELOAD") and app.config["TRIAGE_MODE"] != "worker":
        from intake_api.services.triaging import preload

        preload(app)

    @app.after_request
    def _security_headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return app


def _configure_sqlite(engine: Any) -> None:
    """Per SQLite connection: enforce foreign keys (SQLite ignores them unless asked), and
    use the write-ahead log, so the API's workers and the triage worker read while another
    writes, and a commit waits for one disk flush instead of two or three."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
