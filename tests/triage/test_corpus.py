import json
from pathlib import Path

import pytest

from triage.corpus import data_files, load_examples, parse_example

GOOD = {
    "text": "my sw never calls",
    "complainant": "child",
    "route": "statutory",
    "causes": ["communication"],
    "service_area": "looked_after_children",
    "safeguarding": False,
    "source": "written",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"route": "maybe"}, "route"),
        ({"causes": []}, "causes"),
        ({"causes": ["rudeness"]}, "causes"),
        ({"service_area": "housing"}, "service_area"),
        ({"complainant": "cat"}, "complainant"),
        ({"text": ""}, "text"),
    ],
)
def test_examples_outside_the_taxonomy_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        parse_example({**GOOD, **change})


def test_bad_lines_are_skipped_and_duplicates_kept_once(tmp_path: Path):
    lines = [json.dumps(GOOD), "not json", json.dumps({**GOOD, "text": "My SW  never calls"})]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    examples, digest, problems = load_examples([tmp_path / "a.jsonl"])
    assert len(examples) == 1 and len(problems) == 1 and len(digest) == 64


def test_feedback_folder_is_read_after_the_corpus(tmp_path: Path, monkeypatch):
    data, feedback = tmp_path / "data", tmp_path / "feedback"
    data.mkdir()
    feedback.mkdir()
    (data / "a.jsonl").write_text(json.dumps(GOOD) + "\n")
    (feedback / "f.jsonl").write_text(json.dumps({**GOOD, "text": "other"}) + "\n")
    monkeypatch.setenv("TRIAGE_FEEDBACK_DIR", str(feedback))
    assert [p.parent.name for p in data_files(data)] == ["data", "feedback"]
