"""Models: `intake_api/models.py`."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from intake_api.models import Case, Event, db, isoformat


def test_events_cannot_be_changed_or_deleted(app, post_case):
    post_case()
    with app.app_context():
        entry = db.session.scalars(select(Event)).first()
        entry.action = "case.tampered"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(Event)).first())
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.commit()


def test_a_stale_case_update_is_refused(app, post_case):
    reference = post_case().get_json()["reference"]
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        assert case.version_id == 1
        # Someone else saves the case meanwhile.
        db.session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(version_id=2, status="new")
            .execution_options(synchronize_session=False)
        )
        case.status = "new"
        case.description = "Changed by a second officer."
        with pytest.raises(StaleDataError):
            db.session.commit()
        db.session.rollback()


def test_an_update_bumps_the_version(app, post_case):
    reference = post_case().get_json()["reference"]
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        case.description = "Edited."
        db.session.commit()
        assert case.version_id == 2


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 27, 7, 40, tzinfo=timezone.utc),
        datetime(2026, 11, 27, 7, 40),
    ],
)
def test_times_are_shown_in_utc_with_z(moment):
    assert isoformat(moment) == "2026-11-27T07:40:00Z"
