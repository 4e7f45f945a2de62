"""Fixtures shared by more than one suite.

`stack` (the real intake API, action server and Rasa server) is used by tests/e2e and
tests/browser; starting it once per session keeps both fast. tests/e2e is a package,
imported as `e2e` (a `tests` package installed with textstat shadows ours).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e.stack import Stack, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The intake API, action server and Rasa server, each on a free port."""
    with running_stack(tmp_path_factory.mktemp("e2e")) as running:
        yield running
