"""Officer overrides become redacted training examples (source "officer-feedback")."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from triage.corpus import feedback_dir, parse_example
from triage.redaction import redact

SOURCE = "officer-feedback"


def to_example(override: Any) -> dict[str, Any]:
    """Check one officer override and return it as a redacted training example.

    Raises ValueError when labels are not taxonomy ids or text is missing. The officer's
    free-text reason is redacted too and kept for audit.
    """
    if not isinstance(override, dict):
        raise ValueError("expected a JSON object")
    example = parse_example({**override, "source": SOURCE})
    row: dict[str, Any] = {
        "text": redact(example.text),
        "complainant": example.complainant,
        "route": example.route,
        "causes": list(example.causes),
        "service_area": example.service_area,
        "safeguarding": example.safeguarding,
        "source": SOURCE,
    }
    if isinstance(override.get("reason"), str) and override["reason"].strip():
        row["officer_reason"] = redact(override["reason"].strip())
    return row


def export_feedback(
    lines: Iterable[str], directory: Path | str | None = None
) -> tuple[Path, int, list[dict[str, Any]]]:
    """Write valid overrides from ``lines`` to a new JSONL file in the feedback folder.

    Returns the file path, how many examples were written, and ``{"line", "error"}`` for
    each line that was refused.
    """
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append(to_example(json.loads(line)))
        except (json.JSONDecodeError, ValueError) as exc:
            errors.append({"line": number, "error": str(exc)})
    folder = feedback_dir(directory)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"feedback-{stamp}.jsonl"
    if rows:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path, len(rows), errors
