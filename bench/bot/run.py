"""Turn latency over Rasa's REST channel: our complaints assistant against Rasa's starter.

In one run, side by side:

* **ours**: models/rasa/assistant.tar.gz with our action server and the intake API (a
  temporary SQLite database, migrated, with a service token), started exactly as the
  end-to-end tests start them (tests/e2e/stack.py), SQL tracker store included;
* **starter**: the assistant `rasa init` makes (moodbot), built and trained once into a
  cache folder, run with `rasa run --enable-api` and its own stock configuration.

Whole conversations are driven alternately against the two, so load on the machine falls
on both alike. Each turn is one `POST /webhooks/rest/webhook`, timed from request to full
response. Prints p50/p95/mean per bot, the ratio ours/starter and a PASS/FAIL line against
the target (ours at most 1.5 times the starter's p50 and p95). Every one of our
conversations must end with a case reference, and every starter one with "Bye"; any that
does not is reported with its transcript (and the run fails).

    .venv/bin/python bench/bot/run.py [--conversations 30] [--warmup 2] [--script FILE]

Needs `make setup train` first. Loopback only; stops every server it starts.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

# tests/e2e is imported as `e2e`, as tests/conftest.py does (a `tests` package installed
# with textstat would shadow ours).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

import pytest
import requests
import yaml
from e2e.stack import RASA, RASA_MODEL, ROOT, Service, free_port, running_stack

TARGET_RATIO = 1.5
STARTER_DIR = ROOT / ".cache" / "bench-bot" / "starter"
CASE_REFERENCE = re.compile(
    r"\bCC-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}\b"
)

# What a person types to our assistant, turn by turn, for one whole complaint: a young
# person, through the redesigned flow (who → age band → what happened → more? → when →
# which service or worker → what you want → advocate → contact → confirm). Buttons send
# their payloads. Override with --script FILE (a YAML list of messages).
OUR_SCRIPT: list[str] = [
    "/make_complaint",
    '/inform{"complainant_type": "child"}',
    "13 to 15",
    "My social worker never calls me back and I do not know what is happening",
    "no",
    "last month",
    "my social worker",
    "a new social worker",
    "no thanks",
    "anonymous",
    "/affirm",
]
# The earlier three-question flow (who → what happened → contact → confirm):
# OUR_SCRIPT: list[str] = [
#     "hi",
#     "I want to make a complaint",
#     '/inform{"complainant_type": "child"}',
#     "My social worker never calls me back and I do not know what is happening",
#     "anonymous",
#     "/affirm",
# ]

# The starter's (moodbot's) paths through its stories and rules; each ends with "Bye".
STARTER_SCRIPTS: list[list[str]] = [
    ["hello", "I am great", "bye"],  # greet → mood_great → goodbye
    ["hi", "I am very sad", "no"],  # greet → mood_unhappy → deny (utter_goodbye)
    ["hey there", "I am unhappy", "yes", "goodbye"],  # ... → affirm → goodbye
]
STARTER_LAST_REPLY = "Bye"


@dataclass
class Conversation:
    """One whole conversation: each turn's latency in seconds and the transcript."""

    bot: str
    sender: str
    latencies: list[float] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)
    problem: str | None = None

    def show(self) -> str:
        """The transcript, for a failed conversation."""
        return "\n".join(f"    {who}: {text}" for who, text in self.transcript)

    def bot_texts(self) -> list[str]:
        """Everything the bot said."""
        return [text for who, text in self.transcript if who == "bot"]


def reply_text(reply: dict) -> str:
    """What a reply shows: its text, or what it carries instead (the starter sends an image)."""
    if reply.get("text"):
        return reply["text"]
    return f"[image {reply['image']}]" if reply.get("image") else "[no text]"


def converse(
    session: requests.Session, rasa_url: str, bot: str, messages: list[str]
) -> Conversation:
    """Send each message in turn with a fresh sender id, timing each round trip."""
    conversation = Conversation(bot, f"bench-{bot}-{uuid.uuid4()}")
    for message in messages:
        started = time.perf_counter()
        try:
            response = session.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": conversation.sender, "message": message},
                timeout=120,
            )
            response.raise_for_status()
            replies = response.json()
        except (requests.RequestException, ValueError) as error:
            conversation.transcript.append(("user", message))
            conversation.problem = f"request failed: {error}"
            return conversation
        conversation.latencies.append(time.perf_counter() - started)
        conversation.transcript.append(("user", message))
        conversation.transcript.extend(("bot", reply_text(r)) for r in replies)
    return conversation


def check_ours(conversation: Conversation) -> None:
    """Our conversation must have ended with a case reference."""
    if conversation.problem is None and not any(
        CASE_REFERENCE.search(text) for text in conversation.bot_texts()
    ):
        conversation.problem = "no case reference in the replies"


def check_starter(conversation: Conversation) -> None:
    """The starter's conversation must have ended with its goodbye."""
    texts = conversation.bot_texts()
    if conversation.problem is None and (not texts or texts[-1] != STARTER_LAST_REPLY):
        conversation.problem = f"did not end with {STARTER_LAST_REPLY!r}"


def rasa_env() -> dict[str, str]:
    """The environment for every Rasa command: no telemetry, no progress bars."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TQDM_DISABLE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONUNBUFFERED": "1",
    }


def starter_model(directory: Path) -> Path:
    """Make the starter assistant with `rasa init` and train it, unless already done;
    return its newest model."""
    directory.mkdir(parents=True, exist_ok=True)
    log = directory.parent / "starter-build.log"
    if not (directory / "domain.yml").exists():
        print(f"Building the starter assistant in {directory} (log: {log})...", flush=True)
        # `rasa init --no-prompt` also trains it.
        run_logged([str(RASA), "init", "--no-prompt", "--init-dir", "."], directory, log)
    models = sorted((directory / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        print(f"Training the starter assistant (log: {log})...", flush=True)
        run_logged([str(RASA), "train"], directory, log)
        models = sorted((directory / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        sys.exit(f"The starter assistant has no trained model; see {log}.")
    return models[-1]


def run_logged(args: list[str], cwd: Path, log: Path) -> None:
    """Run a command with its output appended to `log`; stop the bench if it fails."""
    with log.open("ab") as output:
        result = subprocess.run(args, cwd=cwd, env=rasa_env(), stdout=output, stderr=output)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({result.returncode}); see {log}.")


@contextmanager
def running_starter(model: Path, directory: Path, tmp: Path) -> Iterator[Service]:
    """Start the starter's Rasa server on a free port with its own stock configuration
    (in-memory tracker store, no action server); stop it on leaving."""
    port = free_port()
    service = Service(
        "starter Rasa server",
        [
            str(RASA),
            "run",
            "--enable-api",
            "-m",
            str(model),
            "-p",
            str(port),
            "--endpoints",
            str(directory / "endpoints.yml"),
            "--credentials",
            str(directory / "credentials.yml"),
        ],
        rasa_env(),
        f"http://127.0.0.1:{port}/status",
        tmp / "starter-rasa.log",
    )
    try:
        service.start()
        yield service
    finally:
        service.stop()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile, linearly interpolated between closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes) and core count."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def summary_row(name: str, conversations: list[Conversation]) -> tuple[str, list[float]]:
    """A table row for one bot, and its counted turn latencies."""
    good = [c for c in conversations if c.problem is None]
    turns = [t for c in good for t in c.latencies]
    failed = len(conversations) - len(good)
    if not turns:
        return f"{name:<9}{len(conversations):>6}{failed:>8}{0:>7}   (no successful turns)", []
    ms = [t * 1000 for t in turns]
    row = (
        f"{name:<9}{len(conversations):>6}{failed:>8}{len(ms):>7}"
        f"{percentile(ms, 50):>9.0f}{percentile(ms, 95):>9.0f}"
        f"{statistics.fmean(ms):>9.0f}{max(ms):>9.0f}"
    )
    return row, ms


def per_step(name: str, scripts: list[list[str]], conversations: list[Conversation]) -> None:
    """p50 and p95 of each step of each script, to show which turn costs what."""
    print(f"\n{name}, by turn (ms):")
    for script in scripts:
        done = [
            c
            for c in conversations
            if c.problem is None and [m for w, m in c.transcript if w == "user"] == script
        ]
        for step, message in enumerate(script):
            ms = [c.latencies[step] * 1000 for c in done]
            if ms:
                shown = message if len(message) <= 44 else message[:41] + "..."
                print(
                    f"  {step + 1:>2}. {shown:<45} n={len(ms):<4}"
                    f"p50 {percentile(ms, 50):>6.0f}  p95 {percentile(ms, 95):>6.0f}"
                )


def report(ours: list[Conversation], starter: list[Conversation], args: argparse.Namespace) -> bool:
    """Print the figures; return whether the run passed."""
    print(
        f"\nConversations: {args.conversations} per bot, alternating, after {args.warmup}"
        " uncounted warm-up conversation(s) per bot."
    )
    print("Latency per turn (one REST round trip), in ms.\n")
    print(
        f"{'bot':<9}{'convs':>6}{'failed':>8}{'turns':>7}{'p50':>9}{'p95':>9}{'mean':>9}{'max':>9}"
    )
    our_row, our_ms = summary_row("ours", ours)
    starter_row, starter_ms = summary_row("starter", starter)
    print(our_row)
    print(starter_row)

    per_step("ours", [args.our_script], ours)
    per_step("starter", STARTER_SCRIPTS, starter)

    failed = [c for c in ours + starter if c.problem is not None]
    for conversation in failed:
        print(f"\nFAILED {conversation.bot} {conversation.sender}: {conversation.problem}")
        print(conversation.show())

    if not our_ms or not starter_ms:
        print("\nRESULT: FAIL (no successful conversations to compare)")
        return False
    p50 = percentile(our_ms, 50) / percentile(starter_ms, 50)
    p95 = percentile(our_ms, 95) / percentile(starter_ms, 95)
    print(f"\nratio ours/starter: p50 {p50:.2f}x, p95 {p95:.2f}x (target <= {TARGET_RATIO}x)")
    passed = p50 <= TARGET_RATIO and p95 <= TARGET_RATIO and not failed
    reasons = []
    if p50 > TARGET_RATIO or p95 > TARGET_RATIO:
        reasons.append("slower than the target")
    if failed:
        reasons.append(f"{len(failed)} conversation(s) did not finish")
    print("RESULT: PASS" if passed else f"RESULT: FAIL ({'; '.join(reasons)})")
    return passed


def drive(
    our_url: str, starter_url: str, args: argparse.Namespace
) -> tuple[list[Conversation], list[Conversation]]:
    """Run the conversations, alternating bots and which goes first; return the counted
    ones (after the warm-up) for ours and the starter."""
    bots = {
        "ours": (requests.Session(), our_url, check_ours),
        "starter": (requests.Session(), starter_url, check_starter),
    }
    counted: dict[str, list[Conversation]] = {"ours": [], "starter": []}
    for i in range(args.warmup + args.conversations):
        scripts = {"ours": args.our_script, "starter": STARTER_SCRIPTS[i % len(STARTER_SCRIPTS)]}
        for name in ("ours", "starter") if i % 2 == 0 else ("starter", "ours"):
            session, url, check = bots[name]
            conversation = converse(session, url, name, scripts[name])
            check(conversation)
            if i >= args.warmup:
                counted[name].append(conversation)
            elif conversation.problem:  # a broken script: say so now, not after the run
                print(f"\nWarm-up {name} conversation failed: {conversation.problem}")
                print(conversation.show())
                raise SystemExit(1)
    return counted["ours"], counted["starter"]


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=30, help="counted, per bot")
    parser.add_argument("--warmup", type=int, default=2, help="uncounted, per bot, first")
    parser.add_argument(
        "--script", type=Path, help="YAML list of messages for our bot (default: OUR_SCRIPT)"
    )
    parser.add_argument("--starter-dir", type=Path, default=STARTER_DIR)
    args = parser.parse_args()
    args.our_script = yaml.safe_load(args.script.read_text()) if args.script else OUR_SCRIPT
    if not (isinstance(args.our_script, list) and all(isinstance(m, str) for m in args.our_script)):
        parser.error("--script must be a YAML list of strings")
    return args


def main() -> int:
    """Build, start, drive, report, stop."""
    args = parse_args()
    # Ctrl-C and SIGTERM both unwind through the `with` blocks, so every server is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.update({"RASA_TELEMETRY_ENABLED": "false", "TQDM_DISABLE": "1"})
    if not RASA.exists() or not RASA_MODEL.exists():
        sys.exit("The Rasa environment or our model is missing: run `make setup train` first.")

    model = starter_model(args.starter_dir.resolve())
    rasa_version = subprocess.run(
        [str(RASA.parent / "python"), "-c", "import rasa; print(rasa.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"bench/bot: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {platform.node()}")
    print(f"Rasa {rasa_version}; ours: {RASA_MODEL.relative_to(ROOT)}; starter: {model}")
    print(f"load average at start: {load()}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            # Our three services start while the starter loads.
            with (
                running_starter(model, args.starter_dir.resolve(), tmp) as starter_rasa,
                running_stack(tmp) as stack,
            ):
                starter_rasa.wait_until_healthy()
                print("All servers up; driving conversations...", flush=True)
                starter_url = starter_rasa.health_url.removesuffix("/status")
                ours, starter = drive(stack.rasa_url, starter_url, args)
        except pytest.fail.Exception as error:  # a service did not start (with its log)
            print(f"\n{error}", file=sys.stderr)
            return 2
    print(f"load average at end: {load()}")
    return 0 if report(ours, starter, args) else 1


if __name__ == "__main__":
    sys.exit(main())
