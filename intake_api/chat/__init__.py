"""The web chat page; the page itself talks to Rasa's REST channel."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from intake_api.auth import public

bp = Blueprint("chat", __name__)


@bp.get("/chat")
@public
def chat():  # type: ignore[no-untyped-def]
    """Render the chat page with where to find Rasa."""
    config = current_app.config
    return render_template(
        "chat.html",
        rasa_url=config["RASA_URL"],
        council_name=config["COUNCIL_NAME"],
        quick_exit_url=config["QUICK_EXIT_URL"],
    )
