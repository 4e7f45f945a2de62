"""Case references: `intake_api/references.py`."""

from __future__ import annotations

import pytest

from intake_api.references import ALPHABET, PATTERN, new_reference, normalise_reference


def test_references_have_the_documented_shape():
    for _ in range(200):
        assert PATTERN.match(new_reference())


def test_the_alphabet_has_no_lookalike_characters():
    assert not set("01ILOU") & set(ALPHABET)


def test_references_are_random():
    assert len({new_reference() for _ in range(1000)}) == 1000


@pytest.mark.parametrize("typed", ["cc-k3m9-7qxt", "CC K3M9 7QXT", " CCK3M97QXT ", "cc-k3m9 7qxt"])
def test_loosely_typed_references_are_normalised(typed):
    assert normalise_reference(typed) == "CC-K3M9-7QXT"
