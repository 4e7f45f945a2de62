"""Command line: ``python -m triage train|evaluate|predict|export-feedback``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from triage.errors import InvalidInput, ModelNotFound

MAX_LINE_BYTES = 2_000_000  # lines beyond this are refused without parsing


def _predict_line(triager: Any, number: int, line: str, explain: bool) -> dict[str, Any]:
    """Triage one JSON line; return the result or a ``{"line", "error"}`` object."""
    if len(line) > MAX_LINE_BYTES:
        return {"line": number, "error": f"line is too long ({len(line):,} characters)"}
    if not line.strip():
        return {"line": number, "error": "line is empty; expected a JSON object with 'text'"}
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": number, "error": f"not valid JSON: {exc.msg} (column {exc.colno})"}
    if not isinstance(data, dict):
        return {"line": number, "error": "expected a JSON object with 'text'"}
    if "text" not in data:
        return {"line": number, "error": "missing 'text'"}
    try:
        result = triager.predict(data["text"], data.get("complainant"), explain=explain)
    except InvalidInput as exc:
        return {"line": number, "error": str(exc)}
    return {"line": number, **result.to_dict()}


def predict_stream(triager: Any, lines: TextIO, out: TextIO, *, explain: bool = False) -> int:
    """Triage every JSON line from ``lines`` to ``out``; return how many lines failed."""
    failures = 0
    for number, line in enumerate(lines, 1):
        try:
            answer = _predict_line(triager, number, line.rstrip("\r\n"), explain)
        except Exception as exc:  # one bad complaint must never stop the batch
            answer = {"line": number, "error": f"could not triage this line: {exc}"}
        failures += "error" in answer
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
        out.flush()
    return failures


def _stdin() -> TextIO:
    """Standard input as UTF-8 text; undecodable bytes become U+FFFD instead of crashing."""
    return open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)


def _cmd_predict(args: argparse.Namespace) -> int:
    from triage.triager import Triager

    try:
        triager = Triager.load(args.model_dir)
    except ModelNotFound as exc:
        print(str(exc), file=sys.stderr)
        return 2
    with _stdin() as stdin:
        predict_stream(triager, stdin, sys.stdout, explain=args.explain)
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from triage.model.train import TrainingError, train

    try:
        metadata = train(args.data, args.out, args.feedback, search=not args.no_search)
    except TrainingError as exc:
        print(f"Cannot train: {exc}", file=sys.stderr)
        return 2
    print(
        f"Trained model {metadata['model_version']} on {metadata['n_examples']} examples "
        f"in {metadata['training_seconds']} s."
    )
    for name, score in metadata["cv_scores"].items():
        print(f"  cross-validated {name}: {score:.3f}")
    print(
        f"  route thresholds: outside minimum {metadata['outside_minimum']:.2f}, "
        f"statutory margin {metadata['statutory_margin']:.2f}"
    )
    if metadata["skipped_lines"]:
        print(
            f"  skipped {len(metadata['skipped_lines'])} bad lines, e.g. "
            f"{metadata['skipped_lines'][0]}"
        )
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from triage.model.evaluate import evaluate, summary

    try:
        metrics = evaluate(
            args.data, args.out, args.feedback, folds=args.folds, nested=not args.reuse_search
        )
    except ValueError as exc:
        print(f"Cannot evaluate: {exc}", file=sys.stderr)
        return 2
    print(summary(metrics))
    return 0


def _cmd_export_feedback(args: argparse.Namespace) -> int:
    from triage.feedback import export_feedback

    with _stdin() as stdin:
        path, written, errors = export_feedback(stdin, args.feedback)
    for error in errors:
        print(json.dumps(error), file=sys.stderr)
    print(f"Wrote {written} redacted examples to {path}" if written else "No examples written.")
    return 0 if not errors else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``python -m triage``."""
    parser = argparse.ArgumentParser(prog="python -m triage", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train and save the model")
    train.add_argument("--data", type=Path, help="folder of *.jsonl (default triage/data)")
    train.add_argument("--out", type=Path, help="model folder (default $TRIAGE_MODEL_DIR)")
    train.add_argument("--feedback", type=Path, help="officer feedback folder")
    train.add_argument("--no-search", action="store_true", help="skip the hyperparameter grid")
    train.set_defaults(func=_cmd_train)

    evaluate = sub.add_parser("evaluate", help="stratified k-fold evaluation of rules + model")
    evaluate.add_argument("--data", type=Path)
    evaluate.add_argument("--out", type=Path, help="model folder: metrics.json goes there")
    evaluate.add_argument("--feedback", type=Path)
    evaluate.add_argument("--folds", type=int, default=5)
    evaluate.add_argument(
        "--reuse-search",
        action="store_true",
        help="reuse the saved model's hyperparameters instead of a nested search (optimistic)",
    )
    evaluate.set_defaults(func=_cmd_evaluate)

    predict = sub.add_parser("predict", help="triage JSON lines from stdin")
    predict.add_argument("--model-dir", type=Path)
    predict.add_argument("--explain", action="store_true", help="add top weighted features")
    predict.set_defaults(func=_cmd_predict)

    feedback = sub.add_parser(
        "export-feedback", help="turn officer overrides (stdin) into redacted training examples"
    )
    feedback.add_argument("--feedback", type=Path, help="default $TRIAGE_FEEDBACK_DIR")
    feedback.set_defaults(func=_cmd_export_feedback)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
