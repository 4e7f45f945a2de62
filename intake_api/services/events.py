"""Adding to the audit log. Callers commit, as part of their own transaction."""

from __future__ import annotations

from typing import Any

from intake_api.models import Case, Event, db


def record_event(
    action: str, actor: str, case: Case | None = None, detail: dict[str, Any] | None = None
) -> Event:
    """Add an event to the session (it is written when the caller commits)."""
    entry = Event(action=action, actor=actor, case=case, detail=detail or {})
    db.session.add(entry)
    return entry
