"""Jinja filters for showing stored values to officers."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask

from intake_api.models import isoformat

# Councils in England: officers read times in UK local time (GMT or BST).
LOCAL_ZONE = ZoneInfo("Europe/London")


def local_time(moment: datetime | None) -> str:
    """`27 Nov 2026, 07:40` in UK time; stored times are UTC (naive from SQLite)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_ZONE).strftime("%d %b %Y, %H:%M")


def label(identifier: str | None) -> str:
    """A taxonomy id as words: `looked_after_children` → `looked after children`."""
    return (identifier or "").replace("_", " ")


AGE_BAND_WORDS = {
    "under_10": "Under 10",
    "10_to_12": "10 to 12",
    "13_to_15": "13 to 15",
    "16_to_17": "16 or 17",
    "18_to_25": "18 to 25 (care leaver age)",
}


def age_band(band: str | None) -> str:
    """An age band as words: `13_to_15` → `13 to 15`; older free-text values as stored."""
    return AGE_BAND_WORDS.get(band or "", label(band))


def register_filters(app: Flask) -> None:
    """Add the filters to `app`'s Jinja environment."""
    app.jinja_env.filters["isoformat"] = isoformat
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["age_band"] = age_band
