"""The triage worker: triages cases committed with triage pending (`TRIAGE_MODE=worker`).

Run as `python -m intake_api triage-worker --loop`. Every pass takes a batch of pending
cases, oldest first, triages them and commits, so the model's few milliseconds of CPU per
complaint are spent after the bot has its answer, not in the request.

* Nothing is lost: a case stays `pending` until triaged, so a worker that stops (or was
  never running) leaves work that the next one picks up; it sweeps the backlog at start.
* Idempotent: only pending cases are taken, and the triage is written with the case's
  version check; on PostgreSQL rows are locked `FOR UPDATE SKIP LOCKED`, so several
  workers share the backlog and never triage a case twice. A case an officer triaged
  meanwhile is no longer pending and is left alone.
* Retries: a failure that may pass (no model yet, an unexpected error) is tried again
  after a back-off (5 s, 10 s, 20 s, ...); after `TRIAGE_MAX_ATTEMPTS` the case is marked
  `failed` with a `triage.failed` event and an officer triages it by hand, as before.
  Text the model refuses outright is marked failed at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from intake_api.models import Case, db, utcnow
from intake_api.services import triaging
from intake_api.services.events import record_event

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = 5


@dataclass
class PassResult:
    """What one pass did."""

    triaged: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        """How many cases the pass touched."""
        return len(self.triaged) + len(self.retrying) + len(self.failed)


def pending_count() -> int:
    """How many cases wait for triage (retries included)."""
    return int(
        db.session.scalar(select(func.count(Case.id)).where(Case.triage_state == "pending")) or 0
    )


def triage_pending(limit: int | None = None) -> PassResult:
    """Triage up to `limit` pending cases that are due, in one transaction; commits."""
    limit = limit or int(current_app.config["TRIAGE_BATCH"])
    try:
        triaging.get_triager()
    except Exception:
        # No model (not trained yet, say) is not the cases' fault: they wait, no attempt
        # is spent, and the next pass tries loading again.
        logger.warning("Triage model not available; pending cases wait for it.")
        return PassResult()
    now = utcnow()
    query = (
        select(Case)
        .where(
            Case.triage_state == "pending",
            or_(Case.triage_retry_at.is_(None), Case.triage_retry_at <= now),
        )
        .order_by(Case.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Case)
        # Loaded for the whole batch up front: loading them case by case would flush the
        # batch so far before each load (autoflush), a round trip or two per case.
        .options(selectinload(Case.triage_results), selectinload(Case.stages))
    )
    result = PassResult()
    try:
        cases = list(db.session.scalars(query).unique())
        for case in cases:
            _triage_one(case, result)
        db.session.commit()
    except StaleDataError:
        # Someone changed one of these cases meanwhile (SQLite has no row locks): nothing
        # of this pass is kept; the cases are still pending and the next pass sees them.
        db.session.rollback()
        logger.info("A case changed during triage; trying the batch again.")
        return PassResult()
    except BaseException:
        db.session.rollback()
        raise
    return result


def _triage_one(case: Case, result: PassResult) -> None:
    attempt = triaging.triage_case(case)
    if attempt.outcome is not None:
        result.triaged.append(case.reference)
        return
    case.triage_attempts = (case.triage_attempts or 0) + 1
    limit = int(current_app.config["TRIAGE_MAX_ATTEMPTS"])
    if attempt.retryable and case.triage_attempts < limit:
        delay = BACKOFF_SECONDS * 2 ** (case.triage_attempts - 1)
        case.triage_retry_at = utcnow() + timedelta(seconds=delay)
        result.retrying.append(case.reference)
        return
    case.triage_state = "failed"
    case.triage_retry_at = None
    record_event(
        "triage.failed", "system", case, {**(attempt.error or {}), "attempts": case.triage_attempts}
    )
    result.failed.append(case.reference)


def run(
    *,
    loop: bool = False,
    interval: float | None = None,
    stop: threading.Event | None = None,
    max_passes: int | None = None,
) -> int:
    """Sweep every due pending case; with `loop`, keep polling until `stop` is set.

    Returns how many cases were triaged. Needs an app context.
    """
    interval = (
        interval if interval is not None else float(current_app.config["TRIAGE_POLL_SECONDS"])
    )
    stop = stop or threading.Event()
    triaged = passes = 0
    while not stop.is_set():
        done = triage_pending()
        passes += 1
        triaged += len(done.triaged)
        if done.handled:
            logger.info(
                "Triaged %d, retrying %d, failed %d.",
                len(done.triaged),
                len(done.retrying),
                len(done.failed),
            )
        if max_passes is not None and passes >= max_passes:
            break
        if done.handled:
            continue  # more may be waiting: no sleep while there is a backlog
        if not loop:
            break
        db.session.remove()  # no transaction or connection held while idle
        stop.wait(interval)
    db.session.remove()
    return triaged


def sleep_until_drained(timeout: float, poll: float = 0.05) -> bool:
    """Wait until no case is pending (tests and the bench); whether it drained in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pending_count() == 0:
            db.session.remove()
            return True
        db.session.remove()
        time.sleep(poll)
    return False
