"""Retention, subject access export and erasure: `intake_api/services/privacy.py` and
the `retention`, `export-person` and `erase-person` commands."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, update

from intake_api.models import Case, Event, db

TEXT = "My name is Jamie Smith, call me on 07700 900123. Nobody told me about contact."


def _close(cases, reference, days_ago, app):
    cases.ok(reference, "record_outcome", {"outcome": "not_upheld"})
    cases.ok(reference, "close")
    with app.app_context():
        db.session.execute(
            update(Case)
            .where(Case.reference == reference)
            .values(closed_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago))
        )
        db.session.commit()


def _person(**extra):
    return {"type": "parent", "name": "Jamie Smith", "email": "Jamie@Example.org",
            "phone": "+44 7700 900123", **extra}  # fmt: skip


def test_retention_anonymises_only_cases_closed_longer_ago_than_asked(app, runner, cases):
    old = cases.new(TEXT, complainant=_person())
    recent = cases.new(TEXT, complainant=_person())
    still_open = cases.new(TEXT, complainant=_person())
    cases.patch(old, {"child": {"name": "Robin", "age_band": "13_to_15"}})
    cases.ok(old, "add_note", {"body": "Jamie was upset."})
    _close(cases, old, 3000, app)
    _close(cases, recent, 10, app)
    result = runner.invoke(args=["retention", "--older-than-days", "2200"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [old]
    case = cases.get(old)
    assert "Jamie" not in case["description"] and "07700" not in case["description"]
    assert "Nobody told me about contact." in case["description"]
    assert (case["complainant"]["name"], case["complainant"]["email"]) == (None, None)
    assert case["complainant"]["phone"] is None
    assert case["child"]["name"] is None
    assert case["child"]["age_band"] == "13_to_15"
    assert case["notes"][0]["body"] == "[removed]"
    assert case["anonymised_at"]
    # What the statistics need is kept.
    assert case["stages"][0]["outcome"] == "not_upheld"
    assert (case["route"], case["complainant"]["type"]) == ("statutory", "parent")
    assert "Jamie" in cases.get(recent)["description"]
    assert "Jamie" in cases.get(still_open)["description"]
    with app.app_context():
        events = db.session.scalars(select(Event).where(Event.action == "case.anonymised")).all()
        assert [event.actor for event in events] == ["cli:retention"]


def test_retention_dry_run_changes_nothing(app, runner, cases):
    old = cases.new(TEXT, complainant=_person())
    _close(cases, old, 3000, app)
    result = runner.invoke(args=["retention", "--older-than-days", "100", "--dry-run"])
    assert result.stdout.split() == [old]
    assert "Jamie" in cases.get(old)["description"]


def test_retention_defaults_to_the_configured_period(app, runner, cases):
    old = cases.new(TEXT, complainant=_person())
    _close(cases, old, 365 * 5, app)
    assert runner.invoke(args=["retention"]).stdout.split() == []
    _close_again = 365 * 7
    with app.app_context():
        db.session.execute(
            update(Case)
            .where(Case.reference == old)
            .values(closed_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=_close_again))
        )
        db.session.commit()
    assert runner.invoke(args=["retention"]).stdout.split() == [old]


def test_export_person_finds_every_case_by_email_or_phone_however_written(runner, cases):
    first = cases.new(TEXT, complainant=_person())
    second = cases.new("Another complaint.", complainant={"type": "parent", "phone": "07700900123"})
    cases.new("Someone else's complaint.", complainant={"type": "parent", "email": "x@y.org"})
    cases.ok(first, "add_note", {"body": "Called back."})
    by_email = runner.invoke(args=["export-person", "--email", "jamie@example.ORG"])
    assert by_email.exit_code == 0, by_email.output
    data = json.loads(by_email.stdout)
    assert [case["reference"] for case in data["cases"]] == [first]
    assert data["cases"][0]["notes"][0]["body"] == "Called back."
    assert data["cases"][0]["events"][0]["action"] == "case.created"
    by_phone = json.loads(runner.invoke(args=["export-person", "--phone", "07700 900123"]).stdout)
    assert {case["reference"] for case in by_phone["cases"]} == {first, second}


def test_export_and_erase_need_an_email_or_a_phone(runner):
    assert runner.invoke(args=["export-person"]).exit_code != 0
    assert runner.invoke(args=["erase-person", "--yes"]).exit_code != 0


def test_erase_person_removes_personal_data_and_keeps_the_statistics(app, runner, cases):
    reference = cases.new(TEXT, complainant=_person())
    other = cases.new(TEXT, complainant={"type": "parent", "email": "other@example.org"})
    cases.ok(reference, "record_outcome", {"outcome": "upheld"})
    result = runner.invoke(args=["erase-person", "--email", "jamie@example.org", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [reference]
    case = cases.get(reference)
    assert case["description"] == "[erased at the person's request]"
    assert case["complainant"]["email"] is None and case["complainant"]["name"] is None
    assert case["triage"]["reasons"] == []
    assert (case["stages"][0]["outcome"], case["causes"]) == ("upheld", ["communication"])
    assert "Jamie" in cases.get(other)["description"]
    with app.app_context():
        erased = db.session.scalars(select(Event).where(Event.action == "person.erased")).all()
        assert len(erased) == 1
    assert (
        json.loads(runner.invoke(args=["export-person", "--email", "jamie@example.org"]).stdout)[
            "cases"
        ]
        == []
    )


def test_erase_person_asks_before_erasing(runner, cases):
    reference = cases.new(TEXT, complainant=_person())
    result = runner.invoke(args=["erase-person", "--email", "jamie@example.org"], input="n\n")
    assert result.exit_code != 0
    assert "Jamie" in cases.get(reference)["description"]
