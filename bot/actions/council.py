"""The council's own contact details, which each council sets in its environment.

The assistant reads them when it needs them (never at import time), so a council changes
a phone number by restarting the action server, not by editing code or the domain.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CouncilContacts:
    """Who to call for help now, and how to reach a person in the complaints team."""

    emergency_team: str = "the council's emergency social care team"
    emergency_phone: str = "the number on the council's website"
    complaints_phone: str = "the number on the council's website"
    complaints_email: str = "the email on the council's website"
    advocacy_phone: str = "the number on the council's website"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> CouncilContacts:
        """Read `BOT_EMERGENCY_TEAM`, `BOT_EMERGENCY_PHONE`, `BOT_COMPLAINTS_PHONE`,
        `BOT_COMPLAINTS_EMAIL` and `BOT_ADVOCACY_PHONE`; unset ones keep safe wording."""
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            emergency_team=env.get("BOT_EMERGENCY_TEAM") or defaults.emergency_team,
            emergency_phone=env.get("BOT_EMERGENCY_PHONE") or defaults.emergency_phone,
            complaints_phone=env.get("BOT_COMPLAINTS_PHONE") or defaults.complaints_phone,
            complaints_email=env.get("BOT_COMPLAINTS_EMAIL") or defaults.complaints_email,
            advocacy_phone=env.get("BOT_ADVOCACY_PHONE") or defaults.advocacy_phone,
        )
