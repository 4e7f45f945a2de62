"""Reading and checking training examples (``triage/data/*.jsonl`` and officer feedback)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triage.types import CAUSES, COMPLAINANTS, ROUTES, SERVICE_AREAS

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
REPO_ROOT = Path(__file__).resolve().parent.parent


def feedback_dir(path: Path | str | None = None) -> Path:
    """The officer feedback folder: ``path``, $TRIAGE_FEEDBACK_DIR or <repo>/instance/feedback."""
    if path:
        return Path(path)
    if os.environ.get("TRIAGE_FEEDBACK_DIR"):
        return Path(os.environ["TRIAGE_FEEDBACK_DIR"])
    return REPO_ROOT / "instance" / "feedback"


@dataclass(frozen=True)
class Example:
    """One labelled complaint."""

    text: str
    complainant: str | None
    route: str
    causes: tuple[str, ...]
    service_area: str
    safeguarding: bool
    source: str = "unknown"


def parse_example(data: Any) -> Example:
    """Check one decoded JSON line against the taxonomy; raise ValueError if it is wrong."""
    if not isinstance(data, dict):
        raise ValueError("an example must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text must be a non-empty string")
    complainant = data.get("complainant")
    if complainant is not None and complainant not in COMPLAINANTS:
        raise ValueError(f"unknown complainant {complainant!r}")
    if data.get("route") not in ROUTES:
        raise ValueError(f"unknown route {data.get('route')!r}")
    causes = data.get("causes") or []
    if not isinstance(causes, list) or not causes or any(c not in CAUSES for c in causes):
        raise ValueError(f"causes must be a non-empty list of taxonomy ids, not {causes!r}")
    if data.get("service_area") not in SERVICE_AREAS:
        raise ValueError(f"unknown service_area {data.get('service_area')!r}")
    if not isinstance(data.get("safeguarding", False), bool):
        raise ValueError("safeguarding must be true or false")
    return Example(
        text=text,
        complainant=complainant,
        route=data["route"],
        causes=tuple(dict.fromkeys(causes)),
        service_area=data["service_area"],
        safeguarding=bool(data.get("safeguarding", False)),
        source=str(data.get("source", "unknown")),
    )


def data_files(data_dir: Path | None = None, feedback: Path | None = None) -> list[Path]:
    """The JSON-lines files training reads: the corpus, then any officer feedback.

    ``feedback`` defaults to ``feedback_dir()``, where ``export-feedback`` writes.
    """
    files = sorted(Path(data_dir or PACKAGE_DATA).glob("*.jsonl"))
    folder = feedback_dir(feedback)
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.jsonl")))
    return files


def load_examples(files: Iterable[Path]) -> tuple[list[Example], str, list[str]]:
    """Read examples from ``files``.

    Returns the examples (duplicates of the same text dropped, first one kept), the
    sha256 of the files' bytes, and one message per skipped line.
    """
    digest = hashlib.sha256()
    examples: list[Example] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in files:
        raw = Path(path).read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                example = parse_example(json.loads(line))
            except (json.JSONDecodeError, ValueError) as exc:
                problems.append(f"{path.name}:{number}: {exc}")
                continue
            key = " ".join(example.text.lower().split())
            if key in seen:
                continue
            seen.add(key)
            examples.append(example)
    return examples, digest.hexdigest(), problems
