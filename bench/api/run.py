"""Benchmark the intake API on PostgreSQL: the officers' queue and case creation.

Makes a fresh database (dropped at the end, whatever happens), builds it with the
Alembic migrations, bulk-loads N cases with COPY, then measures, through the WSGI app
in-process (auth, validation, SQL and JSON included; no network):

* queue listing latency (p50/p95) over typical officer filters;
* case creation throughput with P worker processes, each its own app and connection.

Triage is a fixed stub unless `--real-triage`. With `--triage-mode worker` (the default)
cases are committed with triage pending and a triage worker process, started before the
burst, triages them after commit: the bench reports creation throughput and how long the
backlog took to drain, in the same run. Loopback only; stops by itself.

    .venv/bin/python bench/api/run.py [--database-url URL] [--cases 100000] [--real-triage]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, make_url, text

from intake_api import create_app
from intake_api.config import normalise_database_url
from intake_api.deadlines import add_working_days
from intake_api.references import ALPHABET
from triage.types import CAUSES, COMPLAINANTS, SERVICE_AREAS

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
QUEUE_TARGET_MS = 50.0
CREATE_TARGET_PER_S = 200.0

# Typical officer views of the queue (the first page of each).
TYPICAL_FILTERS: dict[str, str] = {
    "default (urgency)": "",
    "open work by due date": "status=open&sort=due",
    "statutory stage 1": "route=statutory&stage=stage_1",
    "overdue": "overdue=true",
    "due within 5 working days": "due_within=5",
    "my cases": "assignee={officer_id}",
    "unassigned": "assignee=none&status=new",
    "safeguarding": "safeguarding=true",
    "needs review": "needs_review=true",
    "cause: delay, open": "cause=delay&status=open",
    "service area: fostering": "service_area=fostering",
    "page 5 of open work": "status=open&page=5",
}
# Reported separately: a substring search over free text cannot use a B-tree index.
SEARCH_FILTERS: dict[str, str] = {"text search": "q=placement", "reference search": "q={reference}"}


@dataclass
class StubResult:
    """A fixed triage result."""

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.data)


class StubTriager:
    """Answers at once, so the bench measures the API and the database."""

    def predict(
        self, text: str, complainant: str = "other", *, received: dt.date | None = None
    ) -> StubResult:
        return StubResult(
            {
                "route": "statutory",
                "causes": ["communication"],
                "service_area": "looked_after_children",
                "safeguarding": False,
                "confidence": 0.9,
                "needs_review": False,
                "reasons": ["bench stub"],
                "model_version": "bench",
            }
        )


def make_app(url: str, real_triage: bool = False, mode: str = "inline") -> Any:
    """The app on the bench database with the stub triager, or the trained model."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "TRIAGER": None if real_triage else StubTriager(),
            "TRIAGE_MODE": mode,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        }
    )


# ---------------------------------------------------------------- database


def create_database(base_url: str) -> tuple[str, Any, str]:
    """A new, uniquely named database next to `base_url`'s."""
    url = make_url(normalise_database_url(base_url))
    if url.host not in (None, "localhost", "127.0.0.1", "::1"):
        raise SystemExit("The bench runs on a loopback PostgreSQL only.")
    name = f"intake_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False), admin, name


def drop_database(admin: Any, name: str) -> None:
    """Drop the bench database."""
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def reference(number: int) -> str:
    """A unique reference for seeded case `number`."""
    chars = []
    for _ in range(8):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    code = "".join(chars)
    return f"CC-{code[:4]}-{code[4:]}"


WORDS = (
    "nobody returns my calls about the placement",
    "the assessment has taken months and nothing has happened",
    "my allowance was paid late again",
    "the social worker was rude to my daughter",
    "the plan is not being followed and visits are missed",
    "the report says things that are not true",
)


def seed(app: Any, count: int, officers: int = 20) -> dict[str, Any]:
    """Bulk-load `count` cases (complainants, triage, causes, stages) with COPY."""
    rng = random.Random(20261127)
    today = dt.date.today()
    now = dt.datetime.now(dt.timezone.utc)
    with app.app_context():
        from intake_api.models import db

        raw = db.engine.raw_connection()
        try:
            connection = raw.driver_connection
            with connection.cursor() as cursor:
                with cursor.copy(
                    "COPY officers (id, email, name, password_hash, role, active, created_at) "
                    "FROM STDIN"
                ) as copy:
                    for number in range(1, officers + 1):
                        copy.write_row(
                            (number, f"o{number}@bench.test", f"Officer {number}", "x",
                             "officer", True, now)
                        )  # fmt: skip
                with cursor.copy(
                    "COPY complainants (id, type, name, email, phone, anonymous, created_at, "
                    "email_key, phone_key) FROM STDIN"
                ) as copy:
                    for number in range(1, count + 1):
                        email = f"person{number}@example.org"
                        copy.write_row(
                            (number, rng.choice(COMPLAINANTS), f"Person {number}", email,
                             None, False, now, email, None)
                        )  # fmt: skip
                case_columns = (
                    "id, reference, status, channel, description, complainant_id, created_at, "
                    "updated_at, version_id, kind, received_on, route, service_area, "
                    "safeguarding, needs_review, stage, due_on, acknowledge_due_on, "
                    "assignee_id, closed_at"
                )
                stages, causes, triage = [], [], []
                with cursor.copy(f"COPY cases ({case_columns}) FROM STDIN") as copy:
                    for number in range(1, count + 1):
                        received = today - dt.timedelta(days=int(rng.expovariate(1 / 200)))
                        created = dt.datetime.combine(
                            received, dt.time(9, rng.randrange(60)), tzinfo=dt.timezone.utc
                        )
                        roll = rng.random()
                        route = (
                            "statutory" if roll < 0.6 else "corporate" if roll < 0.9
                            else "outside_procedure"
                        )  # fmt: skip
                        age = (today - received).days
                        if age > 90:
                            status = "closed"
                        else:
                            status = rng.choice(["new", "open", "open", "open", "paused",
                                                 "responded", "closed"])  # fmt: skip
                        if route == "outside_procedure":
                            stage, due = None, None
                        else:
                            stage = rng.choice(["stage_1"] * 8 + ["stage_2"])
                            due = add_working_days(received, 10 if stage == "stage_1" else 25)
                        due_on = None if status == "closed" else due
                        area = rng.choice(SERVICE_AREAS)
                        chosen = rng.sample(CAUSES, rng.choice([1, 1, 2]))
                        copy.write_row(
                            (
                                number, reference(number), status, "web_chat",
                                rng.choice(WORDS), number, created, created, 1, "complaint",
                                received, route, area, rng.random() < 0.02,
                                rng.random() < 0.05 and status != "closed", stage, due_on,
                                add_working_days(received, 3),
                                rng.randrange(1, officers + 1) if rng.random() < 0.8 else None,
                                created + dt.timedelta(days=30) if status == "closed" else None,
                            )
                        )  # fmt: skip
                        for cause in chosen:
                            causes.append((number, cause))
                        triage.append(
                            (number, route, json.dumps(chosen), area, False, 0.9, False,
                             "[]", "bench", "model", created)
                        )  # fmt: skip
                        if stage is not None:
                            closed = status in ("closed", "responded")
                            stages.append(
                                (number, route, stage, received, 10, due, 0,
                                 due if closed else None,
                                 "not_upheld" if closed else None,
                                 "responded" if closed else None, created)
                            )  # fmt: skip
                with cursor.copy("COPY case_causes (case_id, cause) FROM STDIN") as copy:
                    for row in causes:
                        copy.write_row(row)
                with cursor.copy(
                    "COPY triage_results (case_id, route, causes, service_area, safeguarding, "
                    "confidence, needs_review, reasons, model_version, source, created_at) "
                    "FROM STDIN"
                ) as copy:
                    for row in triage:
                        copy.write_row(row)
                with cursor.copy(
                    "COPY case_stages (case_id, route, stage, opened_on, working_days, due_on, "
                    "paused_days, closed_on, outcome, closed_reason, created_at) FROM STDIN"
                ) as copy:
                    for row in stages:
                        copy.write_row(row)
                for table in ("officers", "complainants", "cases"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
            connection.commit()
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            connection.autocommit = False
        finally:
            raw.close()
        db.engine.dispose()
    return {"officer_id": 1, "reference": reference(count // 2)}


# ---------------------------------------------------------------- measurements


def percentile(samples: list[float], fraction: float) -> float:
    """The `fraction` percentile (nearest rank)."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure_queue(app: Any, officer_token: str, names: dict[str, Any], repeats: int) -> dict:
    """Latency of `GET /api/v1/cases` for each filter, through the WSGI app."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {officer_token}"}
    results = {}
    for group in (TYPICAL_FILTERS, SEARCH_FILTERS):
        for label, query in group.items():
            url = "/api/v1/cases?" + query.format(**names)
            for _ in range(3):  # warm-up
                client.get(url, headers=headers)
            samples = []
            cpu = []
            total = None
            for _ in range(repeats):
                start = time.perf_counter()
                started_cpu = time.process_time()
                response = client.get(url, headers=headers)
                samples.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: {response.status_code} {response.get_data()[:200]}")
                total = response.get_json()["total"]
            results[label] = {
                "samples": samples,
                "cpu": cpu,
                "total": total,
                "typical": group is TYPICAL_FILTERS,
            }
    return results


def _triage_worker(
    url: str, real_triage: bool, niceness: int, ready: Any, stop: Any, backend: Any
) -> None:
    """The triage worker, as `python -m intake_api triage-worker --loop` runs it."""
    if niceness:
        os.nice(niceness)
    app = make_app(url, real_triage, "worker")
    with app.app_context():
        from intake_api.models import db
        from intake_api.services import triage_worker, triaging

        triaging.get_triager()  # the model is loaded before the clock starts
        # One connection, reused from the pool between passes: its backend's CPU is the
        # database's share of triage.
        backend.value = int(db.session.scalar(text("SELECT pg_backend_pid()")))
        db.session.remove()
        ready.set()
        triage_worker.run(loop=True, stop=stop)


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid` (Linux /proc; the bench
    runs on loopback, so the PostgreSQL backend is a local process)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pending(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text("SELECT count(*) FROM cases WHERE triage_state = 'pending'")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _create_worker(
    url: str,
    token: str,
    count: int,
    worker: int,
    ready: Any,
    go: Any,
    results: Any,
    real_triage: bool,
    mode: str,
) -> None:
    app = make_app(url, real_triage, mode)
    client = app.test_client()
    body = {
        "channel": "web_chat",
        "description": "Nobody has called me back about my placement for three weeks.",
        "complainant": {"type": "child", "email": "bench@example.org"},
    }
    headers = {"Authorization": f"Bearer {token}"}
    # Warm up (imports, pool, first queries) before the clock starts.
    client.post(
        "/api/v1/cases",
        json=body,
        headers={**headers, "Idempotency-Key": f"warm-{worker}-{uuid.uuid4()}"},
    )
    with app.app_context():
        from intake_api.models import db

        backend = int(db.session.scalar(text("SELECT pg_backend_pid()")))
        db.session.remove()
    ready.wait()
    go.wait()
    started_cpu = time.process_time()
    started_backend = _process_cpu(backend)
    made = failed = 0
    for number in range(count):
        key = f"bench-{worker}-{number}-{uuid.uuid4().hex[:8]}"
        response = client.post(
            "/api/v1/cases", json=body, headers={**headers, "Idempotency-Key": key}
        )
        if response.status_code == 201:
            made += 1
        else:
            failed += 1
    ended = time.perf_counter()
    app_cpu = time.process_time() - started_cpu
    backend_cpu = _process_cpu(backend) - started_backend
    results.put((made, failed, ended, app_cpu, backend_cpu))


def measure_creation(
    url: str,
    token: str,
    total: int,
    workers: int,
    real_triage: bool = False,
    mode: str = "inline",
    worker_nice: int = 10,
) -> dict[str, float]:
    """Cases made per second by `workers` processes, each its own app and connection.

    In worker mode a triage worker process runs throughout (started, with its model
    loaded, before the clock starts); after the burst the bench waits for it to empty the
    backlog and reports how long that took.
    """
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(workers + 1)
    go = context.Barrier(workers + 1)
    results = context.Queue()
    per_worker = total // workers
    triager_ready, stop = context.Event(), context.Event()
    triager_backend = context.Value("i", 0)
    triager = None
    if mode == "worker":
        triager = context.Process(
            target=_triage_worker,
            args=(url, real_triage, worker_nice, triager_ready, stop, triager_backend),
        )
        triager.start()
        if not triager_ready.wait(timeout=300):
            raise SystemExit("The triage worker did not start.")
    processes = [
        context.Process(
            target=_create_worker,
            args=(url, token, per_worker, n, ready, go, results, real_triage, mode),
        )
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    drained = None
    try:
        ready.wait(timeout=300)
        if triager is not None:
            triage_cpu_before = _process_cpu(triager.pid) + _process_cpu(triager_backend.value)
        start = time.perf_counter()
        go.wait(timeout=120)
        outcomes = [results.get(timeout=600) for _ in processes]
        end = max(outcome[2] for outcome in outcomes)
        backlog = None
        if triager is not None:
            backlog = _pending(url)
            deadline = time.perf_counter() + 900
            while time.perf_counter() < deadline:
                if _pending(url) == 0:
                    drained = time.perf_counter()
                    triage_cpu = (
                        _process_cpu(triager.pid)
                        + _process_cpu(triager_backend.value)
                        - triage_cpu_before
                    )
                    break
                time.sleep(0.05)
    finally:
        stop.set()
        for process in [*processes, *([triager] if triager else [])]:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    made = sum(outcome[0] for outcome in outcomes)
    failed = sum(outcome[1] for outcome in outcomes)
    cpu_ms = sum(outcome[3] for outcome in outcomes) * 1000 / max(made, 1)
    database_ms = sum(outcome[4] for outcome in outcomes) * 1000 / max(made, 1)
    elapsed = end - start
    figures: dict[str, float] = {
        "made": made,
        "failed": failed,
        "seconds": elapsed,
        "per_second": made / elapsed,
        "app_cpu_ms": cpu_ms,
        "database_cpu_ms": database_ms,
        # What the CPU time alone allows on idle cores: a figure that load on a shared
        # machine disturbs far less than the wall-clock rate (contention inflates CPU
        # time a little, so it errs low).
        "cpu_bound_per_second": (os.cpu_count() or 1) * 1000 / (cpu_ms + database_ms),
    }
    if triager is not None:
        figures["backlog_at_end"] = float(backlog or 0)
        figures["drained"] = float(drained is not None)
        if drained is not None:
            figures["triage_cpu_ms"] = triage_cpu * 1000 / max(made, 1)
            figures["end_to_end_cpu_bound_per_second"] = (
                (os.cpu_count() or 1) * 1000 / (cpu_ms + database_ms + figures["triage_cpu_ms"])
            )
            figures["drain_seconds"] = drained - end
            figures["all_triaged_seconds"] = drained - start
            figures["triaged_per_second"] = made / (drained - start)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("TEST_DATABASE_URL")
        or DEFAULT_URL,
        help="A PostgreSQL server on loopback (a database is made there and dropped).",
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=40, help="Queries per filter.")
    parser.add_argument("--creations", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--real-triage",
        action="store_true",
        help="Create cases with the trained triage model (models/triage) instead of the stub.",
    )
    parser.add_argument(
        "--triage-mode",
        choices=("worker", "inline"),
        default="worker",
        help="worker: triage after commit by a triage worker process (drain time reported); "
        "inline: triage in the request.",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="Niceness of the triage worker (intake first; the backlog drains when idle). "
        "0 runs it at the same priority as the API.",
    )
    args = parser.parse_args(argv)

    url, admin, name = create_database(args.database_url)
    print(
        f"Database {name} (dropped at the end); {os.cpu_count()} CPUs; "
        f"load average {os.getloadavg()}.",
        flush=True,
    )
    try:
        app = make_app(url)
        with app.app_context():
            from intake_api.cli import upgrade_database
            from intake_api.models import Officer, db
            from intake_api.services import tokens

            upgrade_database()
            db.engine.dispose()
        start = time.perf_counter()
        names = seed(app, args.cases)
        print(f"Seeded {args.cases:,} cases in {time.perf_counter() - start:.1f} s.", flush=True)
        with app.app_context():
            officer = db.session.get(Officer, names["officer_id"])
            officer_token = tokens.create_token("bench-officer", "bench", officer=officer).raw
            bot_token = tokens.create_token("bench-bot", "bench").raw
            db.engine.dispose()

        results = measure_queue(app, officer_token, names, args.repeats)
        print(f"\nQueue: GET /api/v1/cases (first page of 50), {args.repeats} runs each, ms")
        print(f"  {'filter':32} {'matches':>8} {'p50':>7} {'p95':>7} {'cpu p50':>8}")
        typical: list[float] = []
        for label, result in results.items():
            samples = result["samples"]
            if result["typical"]:
                typical.extend(samples)
            print(
                f"  {label:32} {result['total']:>8} {statistics.median(samples):7.1f} "
                f"{percentile(samples, 0.95):7.1f} {statistics.median(result['cpu']):8.1f}"
            )
        queue_p95 = percentile(typical, 0.95)
        with app.app_context():
            db.engine.dispose()

        creation = measure_creation(
            url,
            bot_token,
            args.creations,
            args.workers,
            args.real_triage,
            args.triage_mode,
            args.worker_nice,
        )
        triager = "the trained triage model" if args.real_triage else "the stub triager"
        where = (
            f"a triage worker (nice {args.worker_nice}) after commit"
            if args.triage_mode == "worker"
            else "triage in the request"
        )
        print(
            f"\nCreation with {triager}, {where}: {creation['made']} cases "
            f"({creation['failed']} failed) by {args.workers} processes in "
            f"{creation['seconds']:.2f} s; CPU per case: app {creation['app_cpu_ms']:.1f} ms + "
            f"its PostgreSQL backend {creation['database_cpu_ms']:.1f} ms, so at most "
            f"{creation['cpu_bound_per_second']:.0f} per second on {os.cpu_count()} idle cores"
        )
        if args.triage_mode == "worker":
            if creation["drained"]:
                print(
                    f"Triage backlog: {creation['backlog_at_end']:.0f} cases pending when the "
                    f"burst ended, drained {creation['drain_seconds']:.2f} s later; every case "
                    f"triaged {creation['all_triaged_seconds']:.2f} s after the start "
                    f"({creation['triaged_per_second']:.0f} per second end to end)"
                )
                print(
                    f"Triage CPU per case (worker and its PostgreSQL backend): "
                    f"{creation['triage_cpu_ms']:.1f} ms; creation and triage together at most "
                    f"{creation['end_to_end_cpu_bound_per_second']:.0f} per second sustained "
                    f"on {os.cpu_count()} idle cores"
                )
            else:
                print("Triage backlog: NOT drained within 15 minutes.")
        print("\nSummary")
        print(f"  load average now (1, 5, 15 min): {os.getloadavg()} on {os.cpu_count()} CPUs")
        verdict = "meets" if queue_p95 <= QUEUE_TARGET_MS else "MISSES"
        print(f"  queue p95 over typical filters: {queue_p95:.1f} ms "
              f"({verdict} the {QUEUE_TARGET_MS:.0f} ms target)")  # fmt: skip
        verdict = "meets" if creation["per_second"] >= CREATE_TARGET_PER_S else "MISSES"
        print(f"  case creation: {creation['per_second']:.0f} per second "
              f"({verdict} the {CREATE_TARGET_PER_S:.0f}/s target)")  # fmt: skip
        verdict = "meets" if creation["cpu_bound_per_second"] >= CREATE_TARGET_PER_S else "MISSES"
        print(f"  creation CPU-bound on idle cores: {creation['cpu_bound_per_second']:.0f} per "
              f"second ({verdict} the target; see the CPU line)")  # fmt: skip
        if args.triage_mode == "worker" and creation["drained"]:
            drain, rate = creation["drain_seconds"], creation["triaged_per_second"]
            print(f"  triage backlog drained {drain:.1f} s after the burst "
                  f"({rate:.0f} cases per second end to end)")  # fmt: skip
    finally:
        drop_database(admin, name)
        print(f"Dropped {name}.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
