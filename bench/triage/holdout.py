"""Score triage on complaints written after its rules and model were last changed.

Run: .venv/bin/python bench/triage/holdout.py [--holdout PATH] [--data DIR] [--json PATH]

The corpus (triage/data) trains our model, with its grid search, and the two baselines;
then all of them triage a held-out file that nothing else reads, neither training nor the
rules' authors: by default bench/triage/holdout/second.jsonl (see the README for
first.jsonl). The rules were written by reading the corpus, so cross-validation on the
corpus flatters them; this checks that, and prints how often each rule that decides a
route agrees with the held-out label.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sklearn.exceptions import ConvergenceWarning

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import TfidfBaseline, keyword_predict

from triage.corpus import data_files, load_examples
from triage.decide import deciding_rules
from triage.model.evaluate import score
from triage.model.train import train
from triage.rules import Complaint, apply_rules
from triage.triager import Triager

HOLDOUT = Path(__file__).resolve().parent / "holdout" / "second.jsonl"
COLUMNS = (
    ("route_macro_f1", "route F1"),
    ("statutory_recall", "stat rec"),
    ("causes_micro_f1", "causes F1"),
    ("service_area_accuracy", "area acc"),
)


def rule_agreement(examples: Sequence[Any], today: date) -> dict[str, Counter[str]]:
    """For each rule that decides a route: how often it agrees with the label."""
    found: dict[str, Counter[str]] = {}
    for example in examples:
        decisive = deciding_rules(apply_rules(Complaint(example.text, example.complainant), today))
        if decisive and decisive[0].route:
            rule = decisive[0]
            agrees = "agrees" if rule.route == example.route else "disagrees"
            found.setdefault(rule.rule, Counter())[agrees] += 1
    return found


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Train on the corpus, triage the held-out file and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    parser.add_argument("--data", type=Path, help="training folder (default triage/data)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    corpus, digest, _ = load_examples(data_files(args.data, Path("/nonexistent")))
    held, held_digest, skipped = load_examples([args.holdout])
    if skipped:
        raise SystemExit(f"{args.holdout}: {len(skipped)} lines are not valid examples")
    seen = {e.text.strip().lower() for e in corpus}
    overlap = sum(e.text.strip().lower() in seen for e in held)
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        train(args.data, Path(tmp), Path("/nonexistent"))
        triager = Triager.load(tmp)
        rows["ours (rules + model)"] = score(
            held, [triager.predict(e.text, e.complainant).to_dict() for e in held]
        )
    rows["(a) keyword rules"] = score(held, [keyword_predict(e.text) for e in held])
    for name, class_weight in (
        ("(b) TF-IDF + LogisticRegression", None),
        ("(b) same, class_weight=balanced", "balanced"),
    ):
        baseline = TfidfBaseline(class_weight).fit(corpus)
        rows[name] = score(held, [baseline.predict(e.text) for e in held])

    routes = Counter(e.route for e in held)
    print(
        f"trained on {len(corpus)} examples (sha256 {digest[:12]}); held out {len(held)} "
        f"(sha256 {held_digest[:12]}; {overlap} also in the corpus): "
        + ", ".join(f"{n} {r}" for r, n in routes.most_common())
    )
    header = f"{'system':<34}" + "".join(f"{title:>11}" for _, title in COLUMNS)
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        print(f"{name:<34}" + "".join(f"{row[key]:>11.3f}" for key, _ in COLUMNS))
    agreement = rule_agreement(held, date.today())
    print("rules that decide a route, on the held-out file:")
    for rule, counts in sorted(agreement.items()):
        print(f"  {rule:<30} agrees {counts['agrees']:>3}  disagrees {counts['disagrees']:>3}")
    figures = {
        "systems": {name: {key: row[key] for key, _ in COLUMNS} for name, row in rows.items()},
        "rules": {rule: dict(counts) for rule, counts in agreement.items()},
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
