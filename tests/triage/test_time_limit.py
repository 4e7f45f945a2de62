from datetime import date

import pytest

from triage.rules import Complaint, check_time_limit, months_since

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("it happened 2 years ago", 24),
        ("this was eighteen months ago", 18),
        ("three months ago the visits stopped", 3),
        ("back in March 2024 they closed the case", 32),
        ("in 2023 my plan was changed", 35),
        ("last week and 2 years ago", 24),
    ],
)
def test_dates_in_the_text_give_the_age_of_the_grounds(text, months):
    assert months_since(text, TODAY) == months


def test_no_date_means_no_age():
    assert months_since("my social worker is rude", TODAY) is None


def test_complaint_older_than_twelve_months_is_flagged_for_officer_discretion():
    finding = check_time_limit(Complaint("the worker was rude to me 2 years ago"), TODAY)
    assert finding is not None and finding.rule == "out_of_time"
    assert finding.review, "an old complaint is never refused without an officer deciding"
    assert not finding.decisive
    assert "Reg 9" in finding.citation


def test_complaint_within_twelve_months_is_in_time():
    assert check_time_limit(Complaint("it happened 3 months ago"), TODAY) is None


def test_old_grounds_with_a_reason_for_delay_still_go_to_the_officer():
    finding = check_time_limit(
        Complaint("it happened 3 years ago but I only just found out from my file"), TODAY
    )
    assert finding is not None and finding.rule == "out_of_time_with_reason" and finding.review


def test_problem_that_started_long_ago_but_continues_is_in_time():
    finding = check_time_limit(Complaint("since 2019 and it is still happening"), TODAY)
    assert finding is not None and finding.rule == "old_but_ongoing" and not finding.review


def test_received_date_is_used_instead_of_today():
    complaint = Complaint("it happened in March 2025", received=date(2025, 6, 1))
    assert check_time_limit(complaint, TODAY) is None
