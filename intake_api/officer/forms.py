"""Turning the case page's HTML forms into the payloads `services.lifecycle.perform` takes.

Each reader takes the posted form and returns the payload and any problems only a form
has (a number typed as words, no cause ticked). The service checks everything else, so
the rules live in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.datastructures import MultiDict

Form = MultiDict[str, str]
Reader = Callable[[Form], tuple[dict[str, Any], dict[str, str]]]


def _text(form: Form, name: str) -> str | None:
    value = form.get(name, "").strip()
    return value or None


def _copy(form: Form, *names: str) -> dict[str, Any]:
    """The named fields that were filled in (blank means "not given")."""
    return {name: value for name in names if (value := _text(form, name)) is not None}


def _nothing(form: Form) -> tuple[dict[str, Any], dict[str, str]]:
    return {}, {}


def _override_triage(form: Form) -> tuple[dict[str, Any], dict[str, str]]:
    payload = _copy(form, "route", "service_area", "reason")
    errors: dict[str, str] = {}
    causes = [cause for cause in form.getlist("causes") if cause]
    if causes:
        payload["causes"] = causes
    else:
        errors["causes"] = "Choose at least one cause."
    if "reason" not in payload:
        errors["reason"] = "Give a reason for the change: it is kept in the record."
    return payload, errors


def _assign(form: Form) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    chosen = form.get("officer_id", "")
    officer_id: int | None = None
    if chosen:
        if chosen.isdigit() and len(chosen) <= 9:
            officer_id = int(chosen)
        else:
            errors["officer_id"] = "Choose an officer from the list."
    return {"officer_id": officer_id, "team": _text(form, "team")}, errors


def _extend(form: Form) -> tuple[dict[str, Any], dict[str, str]]:
    payload = _copy(form, "reason")
    errors: dict[str, str] = {}
    days = _text(form, "working_days")
    if days is not None:
        if days.isdigit() and len(days) <= 4:
            payload["working_days"] = int(days)
        else:
            errors["working_days"] = "Give the working days as a whole number, like 20."
    return payload, errors


def _reader(*names: str) -> Reader:
    def read(form: Form) -> tuple[dict[str, Any], dict[str, str]]:
        return _copy(form, *names), {}

    return read


READERS: dict[str, Reader] = {
    "accept_triage": _nothing,
    "override_triage": _override_triage,
    "assign": _assign,
    "acknowledge": _nothing,
    "extend": _extend,
    "pause": _reader("reason", "on"),
    "resume": _reader("reason", "on"),
    "escalate": _reader("requested_on", "reason"),
    "record_outcome": _reader("outcome", "closed_on"),
    "add_learning_action": _reader("description", "owner", "due_on"),
    "add_note": _reader("body"),
    "close": _reader("outcome", "not_considered_reason", "reason"),
    "reopen": _reader("reason"),
}

# What each action is called on the page and in messages.
TITLES: dict[str, str] = {
    "accept_triage": "Accept the triage",
    "override_triage": "Correct the triage",
    "assign": "Assign",
    "acknowledge": "Acknowledge",
    "extend": "Extend the deadline",
    "pause": "Pause the clock",
    "resume": "Resume the clock",
    "escalate": "Escalate to the next stage",
    "record_outcome": "Record the outcome",
    "add_learning_action": "Add a learning action",
    "add_note": "Add a note",
    "close": "Close the case",
    "reopen": "Reopen the case",
}

DONE: dict[str, str] = {
    "accept_triage": "Triage accepted.",
    "override_triage": "Triage corrected.",
    "assign": "Assignment saved.",
    "acknowledge": "Complaint acknowledged.",
    "extend": "Deadline extended.",
    "pause": "Clock paused.",
    "resume": "Clock resumed.",
    "escalate": "Case escalated.",
    "record_outcome": "Outcome recorded.",
    "add_learning_action": "Learning action added.",
    "add_note": "Note added.",
    "close": "Case closed.",
    "reopen": "Case reopened.",
}


def read_form(action: str, form: Form) -> tuple[dict[str, Any], dict[str, str]]:
    """The payload for `action` from the posted form, and the form's own problems."""
    return READERS[action](form)


def parse_version(raw: str | None) -> int | None:
    """The case version the form was rendered with (hidden field), if it is a number."""
    if raw and raw.isdigit() and len(raw) <= 9:
        return int(raw)
    return None
