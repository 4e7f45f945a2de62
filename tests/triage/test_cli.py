import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(args: list[str], stdin: str, env_extra: dict[str, str] | None = None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def predictions(model_dir: Path) -> list[dict]:
    lines = [
        json.dumps({"text": "my social worker never rings me back", "complainant": "child"}),
        "this is not json",
        json.dumps({"text": ""}),
        json.dumps({"complainant": "child"}),
        json.dumps({"text": 42}),
        json.dumps({"text": "a" * 1_048_576}),
        json.dumps(["a list"]),
        json.dumps({"text": "hello", "complainant": "martian"}),
        "",
        json.dumps({"text": "the judge decided I can't see my kids. " * 300}),
    ]
    completed = run_cli(["predict", "--model-dir", str(model_dir)], "\n".join(lines) + "\n")
    assert completed.returncode == 0, completed.stderr
    return [json.loads(line) for line in completed.stdout.splitlines()]


def test_predict_writes_one_line_per_input(predictions):
    assert [p["line"] for p in predictions] == list(range(1, 11))


def test_predict_gives_the_contract_fields(predictions):
    first = predictions[0]
    for key in (
        "route",
        "causes",
        "service_area",
        "safeguarding",
        "confidence",
        "needs_review",
        "reasons",
        "model_version",
    ):
        assert key in first


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (2, "not valid JSON"),
        (3, "text is empty"),
        (4, "missing 'text'"),
        (5, "text must be a string"),
        (6, "too long"),
        (7, "expected a JSON object"),
        (8, "complainant must be one of"),
        (9, "line is empty"),
    ],
)
def test_bad_lines_give_a_clear_error_and_the_batch_goes_on(predictions, line, message):
    assert message in predictions[line - 1]["error"]


def test_very_long_text_is_truncated_for_the_model_and_says_so(predictions):
    last = predictions[-1]
    assert last["route"] == "outside_procedure"
    assert any("first 5,000 characters" in r for r in last["reasons"])


def test_explain_adds_weighted_features(model_dir: Path):
    line = json.dumps({"text": "the judge decided I can't see my kids", "complainant": "parent"})
    completed = run_cli(["predict", "--explain", "--model-dir", str(model_dir)], line + "\n")
    result = json.loads(completed.stdout)
    features = result["explanation"]["route"]["features"]
    assert features and {"feature", "kind", "weight"} <= set(features[0])


def test_predict_without_a_model_fails_with_a_message(tmp_path: Path):
    completed = run_cli(["predict", "--model-dir", str(tmp_path)], "{}\n")
    assert completed.returncode == 2
    assert "python -m triage train" in completed.stderr


def test_export_feedback_writes_redacted_examples(tmp_path: Path):
    overrides = [
        {
            "text": "my name is Jo Bloggs, ring 07700 900123, my sw never visits",
            "complainant": "child",
            "route": "statutory",
            "causes": ["service_failure"],
            "service_area": "looked_after_children",
            "safeguarding": False,
            "reason": "model said corporate",
        },
        {"text": "x", "route": "nonsense"},
    ]
    stdin = "\n".join(json.dumps(o) for o in overrides) + "\n"
    completed = run_cli(["export-feedback"], stdin, {"TRIAGE_FEEDBACK_DIR": str(tmp_path)})
    assert completed.returncode == 1  # one line refused
    assert '"line": 2' in completed.stderr
    [written] = list(tmp_path.glob("*.jsonl"))
    example = json.loads(written.read_text())
    assert example["source"] == "officer-feedback"
    assert "Jo Bloggs" not in example["text"] and "07700" not in example["text"]
    assert example["route"] == "statutory"
