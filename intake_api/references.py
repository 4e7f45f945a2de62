"""Case references people can read aloud and type: `CC-K3M9-7QXT`."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L or U: nothing that reads as another character or spells a word easily.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "CC"
PATTERN = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_reference() -> str:
    """A random reference (30^8, about 6.6e11, possibilities; collisions are retried)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """Upper-case and tidy a reference typed by a person (`cc k3m9 7qxt` → `CC-K3M9-7QXT`)."""
    compact = re.sub(r"[\s\-]", "", text).upper()
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + 8:
        return f"{PREFIX}-{compact[2:6]}-{compact[6:]}"
    return text.strip().upper()
