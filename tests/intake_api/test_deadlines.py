"""Working days and statutory timescales (Regulation 2 and the stage limits)."""

import datetime as dt

import pytest

from intake_api import deadlines

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 11, 27), True),  # a Friday
        (D(2026, 11, 28), False),  # Saturday
        (D(2026, 11, 29), False),  # Sunday
        (D(2026, 12, 25), False),  # Christmas Day
        (D(2026, 12, 28), False),  # Boxing Day substitute
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 8, 31), False),  # summer bank holiday
        (D(2026, 9, 1), True),
    ],
)
def test_working_day_excludes_weekends_christmas_good_friday_and_bank_holidays(day, working):
    assert deadlines.is_working_day(day) is working


def test_stage_one_over_christmas_skips_christmas_boxing_day_and_new_year():
    assert deadlines.STAGE_1.due(D(2026, 12, 18)) == D(2027, 1, 6)


def test_counting_over_easter_skips_good_friday_and_easter_monday():
    assert deadlines.add_working_days(D(2026, 4, 1), 5) == D(2026, 4, 10)


def test_ten_working_days_in_an_ordinary_fortnight():
    assert deadlines.STAGE_1.due(D(2026, 11, 2)) == D(2026, 11, 16)


def test_complaint_received_at_the_weekend_counts_from_monday():
    assert deadlines.add_working_days(D(2026, 11, 7), 1) == D(2026, 11, 9)


def test_zero_days_is_the_start_date():
    assert deadlines.add_working_days(D(2026, 11, 7), 0) == D(2026, 11, 7)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        deadlines.add_working_days(D(2026, 11, 2), -1)


def test_working_days_between_is_the_inverse_of_adding():
    start = D(2026, 12, 18)
    for n in range(0, 70, 7):
        assert deadlines.working_days_between(start, deadlines.add_working_days(start, n)) == n
    assert deadlines.working_days_between(D(2026, 11, 16), D(2026, 11, 2)) == -10


def test_stage_one_extends_to_twenty_and_stage_two_to_sixty_five():
    start = D(2026, 11, 2)
    assert deadlines.STAGE_1.due(start, extended=True) == deadlines.add_working_days(start, 20)
    assert deadlines.STAGE_2.due(start) == deadlines.add_working_days(start, 25)
    assert deadlines.STAGE_2.due(start, extended=True) == deadlines.add_working_days(start, 65)


def test_pause_moves_the_due_date_by_the_working_days_paused():
    start = D(2026, 11, 2)
    assert deadlines.STAGE_1.due(start, paused_days=3) == deadlines.add_working_days(start, 13)


def test_a_step_without_an_extension_cannot_be_extended():
    with pytest.raises(ValueError):
        deadlines.STAGE_3_PANEL.due(D(2026, 11, 2), extended=True)


def test_stage_three_timescales_follow_the_regulations():
    assert deadlines.statutory_stage(3).working_days == 30
    assert deadlines.STAGE_3_REPORT.working_days == 5
    assert deadlines.STAGE_3_RESPONSE.working_days == 15
    assert deadlines.STAGE_2_REQUEST.working_days == 20


def test_corporate_timescales_are_configurable_with_council_defaults():
    default = deadlines.CorporateTimescales()
    assert (default.acknowledge, default.stage(1).working_days, default.stage(2).working_days) == (
        5,
        10,
        20,
    )
    assert deadlines.CorporateTimescales(stage_1=15).stage(1).working_days == 15
    with pytest.raises(ValueError):
        default.stage(3)


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, "within_10"),
        (10, "within_10"),
        (11, "11_to_20"),
        (20, "11_to_20"),
        (21, "21_to_65"),
        (65, "21_to_65"),
        (66, "over_65"),
    ],
)
def test_stage_one_response_bands(days, band):
    assert deadlines.response_band(days) == band
