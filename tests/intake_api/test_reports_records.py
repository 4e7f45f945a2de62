"""The record contract: taxonomy labels only, stages in order, dates that make sense."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from intake_api.deadlines import add_working_days
from intake_api.reports.records import CaseRecord, Equality, LearningAction, StageRecord

MONDAY = dt.date(2018, 10, 1)


def stage_1(closed_after: int | None = None, outcome: str | None = None) -> StageRecord:
    return StageRecord(
        "stage_1",
        MONDAY,
        add_working_days(MONDAY, 10),
        None if closed_after is None else add_working_days(MONDAY, closed_after),
        outcome,
    )


def case(**changes: object) -> CaseRecord:
    base = CaseRecord(
        reference="CSC-1",
        received=MONDAY,
        route="statutory",
        service_area="looked_after_children",
        complainant_type="child",
        channel="web_chat",
    )
    return dataclasses.replace(base, **changes)


def test_minimal_complaint_has_safe_defaults() -> None:
    record = case()
    assert record.causes == ()
    assert record.stages == ()
    assert record.equality == Equality()
    assert record.advocacy_offered is None
    assert record.is_compliment is False


def test_record_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        case().route = "corporate"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("route", "statuatory"),
        ("service_area", "schools"),
        ("complainant_type", "grandparent"),
        ("causes", ("rudeness",)),
        ("not_considered_reason", "vexatious"),
    ],
)
def test_label_outside_taxonomy_is_rejected(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        case(**{field: value})


def test_finer_complainant_label_goes_in_detail() -> None:
    record = case(complainant_type="relative", complainant_detail="grandparent")
    assert (record.complainant_type, record.complainant_detail) == ("relative", "grandparent")


def test_causes_must_be_a_tuple_without_repeats() -> None:
    with pytest.raises(ValueError):
        case(causes=["delay"])
    with pytest.raises(ValueError):
        case(causes=("delay", "delay"))


def test_stages_must_be_in_procedure_order() -> None:
    stage_2 = StageRecord("stage_2", MONDAY, add_working_days(MONDAY, 25))
    with pytest.raises(ValueError):
        case(stages=(stage_2, stage_1()))
    with pytest.raises(ValueError):
        case(stages=(stage_1(), stage_1()))


def test_complaint_may_start_at_stage_two() -> None:
    stage_2 = StageRecord("stage_2", MONDAY, add_working_days(MONDAY, 25))
    assert case(stages=(stage_2,)).stage("stage_2") is stage_2
    assert case(stages=(stage_2,)).stage("stage_1") is None


def test_stage_cannot_close_before_it_opens_or_have_an_outcome_while_open() -> None:
    with pytest.raises(ValueError):
        StageRecord("stage_1", MONDAY, MONDAY, MONDAY - dt.timedelta(days=1))
    with pytest.raises(ValueError):
        StageRecord("stage_1", MONDAY, MONDAY, None, "upheld")
    with pytest.raises(ValueError):
        StageRecord("stage_1", MONDAY, MONDAY - dt.timedelta(days=1))


def test_stage_counts_working_days_unless_the_adapter_gives_them() -> None:
    assert stage_1(closed_after=12).days_taken() == 12
    paused = dataclasses.replace(stage_1(closed_after=12), working_days_taken=9)
    assert paused.days_taken() == 9
    assert stage_1().days_taken() is None


def test_stage_within_timescale_means_closed_by_the_due_date() -> None:
    assert stage_1(closed_after=10).within_timescale() is True
    assert stage_1(closed_after=11).within_timescale() is False
    assert stage_1().within_timescale() is None


def test_compliment_has_no_stages() -> None:
    with pytest.raises(ValueError):
        case(is_compliment=True, stages=(stage_1(),))


def test_advocacy_cannot_be_taken_up_when_not_offered() -> None:
    with pytest.raises(ValueError):
        case(advocacy_offered=False, advocacy_taken_up=True)


def test_learning_action_status_and_area_are_checked() -> None:
    LearningAction("Remind staff to return calls", "done", "children_in_need")
    with pytest.raises(ValueError):
        LearningAction("Remind staff", "finished", "children_in_need")


def test_equality_answers_are_optional_but_not_blank() -> None:
    assert Equality(age_band="under_16").gender is None
    with pytest.raises(ValueError):
        Equality(gender=" ")
