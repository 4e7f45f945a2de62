"""The web chat: the /chat page, the embed snippet for other websites, and an example page.

The chat itself runs in the browser (`static/chat/chat.js`) and talks to Rasa's REST
channel; these views only hand it its settings and words.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, request, url_for

from intake_api.auth import public
from intake_api.chat.wording import chat_wording

bp = Blueprint("chat", __name__)

EMBED_SNIPPET = (
    '<div id="council-complaints-chat"></div>\n'
    '<script src="{src}" data-target="council-complaints-chat" defer></script>'
)


def widget_settings() -> dict[str, Any]:
    """What the widget needs: where Rasa is, where "Leave this site" goes, its words."""
    config = current_app.config
    return {
        "rasaUrl": config["RASA_URL"],
        "quickExitUrl": config["QUICK_EXIT_URL"],
        "stylesheet": url_for("static", filename="chat/chat.css"),
        "mode": "page",
        "text": chat_wording(config["COUNCIL_NAME"]),
    }


def content_security_policy(rasa_url: str) -> str:
    """Only this service's own scripts and styles; connections only to Rasa."""
    parts = urlsplit(rasa_url)
    rasa = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "'self'"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            f"connect-src {rasa}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def _page(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = content_security_policy(
        current_app.config["RASA_URL"]
    )
    # Not kept by the browser, so "back" after "Leave this site" cannot show the chat again.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/chat")
@public
def chat() -> Response:
    """The chat page."""
    return _page(
        render_template(
            "chat.html",
            widget=widget_settings(),
            wording=chat_wording(current_app.config["COUNCIL_NAME"]),
            council_name=current_app.config["COUNCIL_NAME"],
        )
    )


@bp.get("/chat/embed.js")
@public
def embed() -> Response:
    """The snippet's script: loads the widget into the page that includes it."""
    script = render_template(
        "chat/embed.js",
        widget={**widget_settings(), "mode": "embed"},
        chat_script=url_for("static", filename="chat/chat.js"),
    )
    response = Response(script, mimetype="text/javascript")
    # Short, so a change of settings reaches council websites soon.
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/chat/demo")
@public
def demo() -> Response:
    """An example council page with the chat embedded, and the snippet to copy."""
    embed_url = url_for("chat.embed", _external=True)
    return _page(
        render_template(
            "chat/demo.html",
            widget=widget_settings(),
            council_name=current_app.config["COUNCIL_NAME"],
            snippet=EMBED_SNIPPET.format(src=embed_url),
            api_origin=request.host_url.rstrip("/"),
        )
    )
