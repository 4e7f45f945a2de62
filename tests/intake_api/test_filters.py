"""Template filters: `intake_api/filters.py`."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from intake_api.filters import label, local_time


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 1, 15, 9, 30, tzinfo=timezone.utc), "15 Jan 2026, 09:30"),
        (datetime(2026, 7, 15, 9, 30, tzinfo=timezone.utc), "15 Jul 2026, 10:30"),
        (datetime(2026, 7, 15, 9, 30), "15 Jul 2026, 10:30"),
        (None, ""),
    ],
)
def test_times_are_shown_in_uk_local_time(moment, shown):
    assert local_time(moment) == shown


def test_labels_read_as_words():
    assert label("special_guardianship_kinship") == "special guardianship kinship"
    assert label(None) == ""
