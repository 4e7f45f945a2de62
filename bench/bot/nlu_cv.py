"""Cross-validated NLU figures for the assistant: `python bench/bot/nlu_cv.py [--folds 5]`.

Runs `rasa test nlu --cross-validation` in the Rasa environment on nlu_data/nlu with the
project's config.yml, then prints intent macro-F1 (target at least 0.90), each intent's
precision/recall/F1, the recall of `disclose_danger` (a missed disclosure is the worst
error), and entity F1 for the entities the assistant reads. Figures only; no test asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-bot" / "bin" / "rasa"
TARGET_MACRO_F1 = 0.90
ENTITIES = ("age", "when", "service", "reference", "complainant_type", "change_slot")


def run_cross_validation(folds: int, out: Path) -> float:
    """Run Rasa's cross-validation into `out`; return the seconds it took."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TQDM_DISABLE": "1"}
    command = [
        str(RASA),
        "test",
        "nlu",
        "--nlu",
        str(ROOT / "nlu_data" / "nlu"),
        "--config",
        str(ROOT / "config.yml"),
        "--cross-validation",
        "--folds",
        str(folds),
        "--out",
        str(out),
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"rasa test nlu failed with exit code {result.returncode}")
    return time.perf_counter() - started


def _entity_report(out: Path) -> dict:
    for name in ("DIETClassifier_report.json", "CRFEntityExtractor_report.json"):
        path = out / name
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    return {}


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 0 whatever they are (this is a measurement, not a test)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, help="keep Rasa's reports here")
    args = parser.parse_args(argv)
    if not RASA.exists():
        raise SystemExit("The Rasa environment is missing: run `make setup` first.")

    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch)
        seconds = run_cross_validation(args.folds, out)
        intents = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
        entities = _entity_report(out)

    macro = intents["macro avg"]["f1-score"]
    print(f"NLU cross-validation, {args.folds} folds, {seconds:.0f} s ({os.cpu_count()} cores)")
    print(f"{'intent':<24}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}")
    for name, scores in sorted(intents.items()):
        if not isinstance(scores, dict) or "support" not in scores or " avg" in name:
            continue
        print(
            f"{name:<24}{scores['precision']:>10.3f}{scores['recall']:>10.3f}"
            f"{scores['f1-score']:>8.3f}{scores['support']:>9}"
        )
    print(f"intent macro-F1: {macro:.3f} (target >= {TARGET_MACRO_F1:.2f})")
    danger = intents.get("disclose_danger", {})
    if danger:
        print(f"disclose_danger recall: {danger['recall']:.3f}")
    for entity in ENTITIES:
        if entity in entities:
            print(f"entity {entity} F1: {entities[entity]['f1-score']:.3f}")
    print("PASS" if macro >= TARGET_MACRO_F1 else "FAIL", "intent macro-F1 target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
