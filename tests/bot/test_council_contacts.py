"""The council's own contact details, read from the environment."""

from __future__ import annotations

import pytest

from bot.actions.council import CouncilContacts

SAFE = "the number on the council's website"


def test_every_setting_is_read() -> None:
    contacts = CouncilContacts.from_env(
        {
            "BOT_EMERGENCY_TEAM": "Northfield Emergency Duty Team",
            "BOT_EMERGENCY_PHONE": "0300 123 4567",
            "BOT_COMPLAINTS_PHONE": "0300 123 0000",
            "BOT_COMPLAINTS_EMAIL": "complaints@northfield.gov.uk",
            "BOT_ADVOCACY_PHONE": "0800 123 9999",
        }
    )
    assert contacts == CouncilContacts(
        emergency_team="Northfield Emergency Duty Team",
        emergency_phone="0300 123 4567",
        complaints_phone="0300 123 0000",
        complaints_email="complaints@northfield.gov.uk",
        advocacy_phone="0800 123 9999",
    )


@pytest.mark.parametrize("environ", [{}, dict.fromkeys(("BOT_EMERGENCY_PHONE",), "")])
def test_unset_or_empty_settings_keep_safe_wording(environ: dict[str, str]) -> None:
    contacts = CouncilContacts.from_env(environ)
    assert contacts.emergency_team == "the council's emergency social care team"
    assert contacts.emergency_phone == SAFE
    assert contacts.complaints_phone == SAFE
    assert contacts.complaints_email == "the email on the council's website"
    assert contacts.advocacy_phone == SAFE


def test_the_process_environment_is_read_when_none_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOT_EMERGENCY_PHONE", "0300 999 0000")
    assert CouncilContacts.from_env().emergency_phone == "0300 999 0000"
    assert CouncilContacts.from_env({}).emergency_phone == SAFE
