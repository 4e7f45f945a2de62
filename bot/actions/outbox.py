"""A durable outbox for complaints the intake API could not take at the time.

Each entry keeps the payload and its original idempotency key, so delivering it later,
even twice, never makes a second case. The database is a SQLite file at
`$BOT_OUTBOX_PATH` (default `<repo>/instance/bot-outbox.db`).

Deliver pending entries with::

    python -m bot.actions.outbox deliver [--loop SECONDS]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.actions.intake_client import IntakeClient, IntakeRejected, IntakeUnavailable

logger = logging.getLogger(__name__)

DEFAULT_OUTBOX_PATH = Path(__file__).resolve().parents[2] / "instance" / "bot-outbox.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
    case_reference TEXT,
    delivered_at TEXT
)
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class OutboxEntry:
    """One saved complaint waiting to be delivered."""

    idempotency_key: str
    payload: dict[str, Any]
    created_at: str
    attempts: int
    state: str
    case_reference: str | None = None


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    delivered: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        """One line for logs and the CLI."""
        return (
            f"delivered {len(self.delivered)}, failed {len(self.failed)}, "
            f"rejected {len(self.rejected)}"
        )


class Outbox:
    """The SQLite-backed store of complaints waiting for the intake API."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Use the SQLite file at `path` (made, with its folder, on first use)."""
        self.path = Path(path)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Outbox:
        """The outbox at `$BOT_OUTBOX_PATH`, or `<repo>/instance/bot-outbox.db`."""
        env = os.environ if environ is None else environ
        return cls(env.get("BOT_OUTBOX_PATH") or DEFAULT_OUTBOX_PATH)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as conn:
            conn.row_factory = sqlite3.Row
            with conn:  # one transaction, committed on success
                conn.execute(_SCHEMA)
                yield conn

    def add(self, idempotency_key: str, payload: Mapping[str, Any]) -> None:
        """Save a complaint. Saving the same key again keeps the first entry."""
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO outbox (idempotency_key, payload, created_at) "
                "VALUES (?, ?, ?)",
                (idempotency_key, json.dumps(dict(payload), sort_keys=True), _now()),
            )

    def pending(self, limit: int | None = None) -> list[OutboxEntry]:
        """Entries not yet delivered, oldest first."""
        sql = "SELECT * FROM outbox WHERE state = 'pending' ORDER BY id"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        with self._connect() as conn:
            return [_entry(row) for row in conn.execute(sql, params)]

    def get(self, idempotency_key: str) -> OutboxEntry | None:
        """The entry with this key, whatever its state."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM outbox WHERE idempotency_key = ?", (idempotency_key,)
            ).fetchone()
        return _entry(row) if row else None

    def mark_delivered(self, idempotency_key: str, case_reference: str) -> None:
        """Record that the API took the entry and which case it made."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'delivered', case_reference = ?, delivered_at = ?, "
                "attempts = attempts + 1, last_error = NULL WHERE idempotency_key = ?",
                (case_reference, _now(), idempotency_key),
            )

    def mark_failed(self, idempotency_key: str, error: str) -> None:
        """Record a failed attempt; the entry stays pending."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? "
                "WHERE idempotency_key = ?",
                (error, idempotency_key),
            )

    def mark_rejected(self, idempotency_key: str, error: str) -> None:
        """Record that the API refused the entry for good; a person must look at it."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_error = ? "
                "WHERE idempotency_key = ?",
                (error, idempotency_key),
            )


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        idempotency_key=row["idempotency_key"],
        payload=json.loads(row["payload"]),
        created_at=row["created_at"],
        attempts=row["attempts"],
        state=row["state"],
        case_reference=row["case_reference"],
    )


def deliver_pending(
    outbox: Outbox, client: IntakeClient, *, limit: int | None = None
) -> DeliveryReport:
    """Send pending entries with their original keys and record what happened.

    Stops at the first entry the API cannot take now (it is down: no point hammering it).
    Entries refused with 401/403 stay pending (credentials can be fixed); other 4xx are
    marked rejected and logged for a person to look at.
    """
    report = DeliveryReport()
    for entry in outbox.pending(limit=limit):
        try:
            created = client.create_case(entry.payload, entry.idempotency_key)
        except IntakeUnavailable as exc:
            outbox.mark_failed(entry.idempotency_key, str(exc))
            report.failed.append(entry.idempotency_key)
            break
        except IntakeRejected as exc:
            if exc.is_auth_error:
                outbox.mark_failed(entry.idempotency_key, str(exc))
                report.failed.append(entry.idempotency_key)
                logger.error("outbox: intake API refused our token (%s); will retry", exc)
                break
            outbox.mark_rejected(entry.idempotency_key, str(exc))
            report.rejected.append(entry.idempotency_key)
            logger.error("outbox: entry %s rejected: %s", entry.idempotency_key, exc)
        else:
            outbox.mark_delivered(entry.idempotency_key, created.reference)
            report.delivered.append(entry.idempotency_key)
            logger.info("outbox: delivered %s as %s", entry.idempotency_key, created.reference)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: `python -m bot.actions.outbox deliver [--loop SECONDS]`."""
    parser = argparse.ArgumentParser(prog="python -m bot.actions.outbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    deliver = commands.add_parser("deliver", help="send pending complaints to the intake API")
    deliver.add_argument(
        "--loop",
        type=float,
        metavar="SECONDS",
        help="keep going, waiting this long between runs (stop with Ctrl+C)",
    )
    deliver.add_argument("--path", help="outbox file (default: $BOT_OUTBOX_PATH)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    outbox = Outbox(args.path) if args.path else Outbox.from_env()
    try:
        while True:
            report = deliver_pending(outbox, IntakeClient.from_env())
            print(f"{_now()} {report} ({len(outbox.pending())} pending)", flush=True)
            if args.loop is None:
                return 1 if report.failed else 0
            time.sleep(args.loop)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
