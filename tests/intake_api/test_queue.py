"""The officers' queue: `intake_api/services/queue.py` through `GET /api/v1/cases`."""

from __future__ import annotations

import datetime as dt

import pytest

MONDAY = dt.date(2026, 11, 30)


def _refs(client, headers, query=""):
    response = client.get(f"/api/v1/cases?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["reference"] for item in response.get_json()["items"]]


@pytest.fixture
def queue(cases, set_today, auth):
    """Five cases in different states, made over several days."""
    made = {}
    set_today(MONDAY)
    made["old"] = cases.new("Nobody answers my emails about my placement.")
    set_today(MONDAY + dt.timedelta(days=1))
    made["allowance"] = cases.new("My fostering allowance is late.")
    set_today(MONDAY + dt.timedelta(days=2))
    made["hurt"] = cases.new("My foster carer hurt me.")
    made["unsure"] = cases.new("I am unsure about the assessment.")
    made["school"] = cases.new("The school excluded my son.")
    other = auth.officer("sam@council.test")
    cases.ok(made["allowance"], "assign", {"officer_id": other})
    cases.ok(made["old"], "override_triage", {"causes": ["delay"], "reason": "It is delay."})
    made["other_officer"] = other
    return made


def test_urgency_puts_safeguarding_first_then_review_then_nearest_deadline(client, cases, queue):
    refs = _refs(client, cases.headers, "sort=urgency")
    assert refs[:2] == [queue["hurt"], queue["unsure"]]
    # Then by deadline: the oldest complaint is due first; no deadline last.
    assert refs[2:] == [queue["old"], queue["allowance"], queue["school"]]


def test_sort_by_due_puts_the_nearest_deadline_first_and_none_last(client, cases, queue):
    refs = _refs(client, cases.headers, "sort=due")
    assert refs[0] == queue["old"]
    assert refs[-1] == queue["school"]


def test_sort_by_created_puts_the_newest_first(client, cases, queue):
    refs = _refs(client, cases.headers, "sort=created")
    assert refs[-1] == queue["old"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("route=corporate", ["allowance"]),
        ("route=outside_procedure", ["school"]),
        ("stage=stage_1", ["hurt", "unsure", "old", "allowance"]),
        ("cause=delay", ["old"]),
        ("cause=finance", ["allowance"]),
        ("service_area=child_protection", ["hurt"]),
        ("assignee=none", ["hurt", "unsure", "old", "school"]),
        ("safeguarding=true", ["hurt"]),
        ("needs_review=true", ["unsure"]),
        ("status=new", ["hurt", "unsure", "old", "allowance", "school"]),
        ("q=EXCLUDED", ["school"]),
        ("q=placement", ["old"]),
    ],
)
def test_filters(client, cases, queue, query, expected):
    assert _refs(client, cases.headers, query) == [queue[name] for name in expected]


def test_filtering_by_assignee_id(client, cases, queue):
    refs = _refs(client, cases.headers, f"assignee={queue['other_officer']}")
    assert refs == [queue["allowance"]]


def test_searching_by_reference_finds_the_case(client, cases, queue):
    reference = queue["unsure"]
    assert _refs(client, cases.headers, f"q={reference.lower()}") == [reference]


def test_overdue_and_due_within_count_working_days_from_today(client, cases, queue, set_today):
    # "old" is due 10 working days after Monday 30 November: Monday 14 December.
    set_today(dt.date(2026, 12, 14))
    assert _refs(client, cases.headers, "overdue=true") == []
    assert queue["old"] in _refs(client, cases.headers, "due_within=1")
    set_today(dt.date(2026, 12, 15))
    assert _refs(client, cases.headers, "overdue=true") == [queue["old"]]
    assert queue["old"] not in _refs(client, cases.headers, "overdue=false")


def test_a_paused_case_is_not_overdue(client, cases, queue, set_today):
    cases.ok(queue["old"], "pause", {"reason": "Waiting for the family."})
    set_today(dt.date(2027, 3, 1))
    assert queue["old"] not in _refs(client, cases.headers, "overdue=true")


def test_pages_do_not_overlap(client, cases, queue):
    first = _refs(client, cases.headers, "per_page=2&page=1")
    second = _refs(client, cases.headers, "per_page=2&page=2")
    third = _refs(client, cases.headers, "per_page=2&page=3")
    assert len(set(first + second + third)) == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("stage=stage_9", "stage"),
        ("cause=boredom", "cause"),
        ("service_area=schools", "service_area"),
        ("assignee=me", "assignee"),
        ("overdue=perhaps", "overdue"),
        ("due_within=-1", "due_within"),
        ("due_within=999", "due_within"),
        ("sort=random", "sort"),
        ("q=" + "x" * 201, "q"),
        ("status=lost", "status"),
    ],
)
def test_bad_queue_filters_are_422(client, cases, query, field):
    response = client.get(f"/api/v1/cases?{query}", headers=cases.headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_page_beyond_any_real_queue_is_422_not_a_database_error(client, cases):
    response = client.get(
        "/api/v1/cases?page=24893956009814016056152872189952", headers=cases.headers
    )
    assert response.status_code == 422
    assert "page" in response.get_json()["error"]["fields"]
