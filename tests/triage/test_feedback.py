import pytest

from triage.feedback import to_example


def test_override_becomes_a_redacted_officer_feedback_example():
    row = to_example(
        {
            "text": "I'm called Aisha, email aisha@example.com. My plan was not followed.",
            "complainant": "child",
            "route": "statutory",
            "causes": ["service_failure"],
            "service_area": "looked_after_children",
            "safeguarding": False,
            "reason": "ring her on 07700 900123",
        }
    )
    assert row["source"] == "officer-feedback"
    assert "Aisha" not in row["text"] and "aisha@example.com" not in row["text"]
    assert "07700" not in row["officer_reason"]


def test_override_with_labels_outside_the_taxonomy_is_refused():
    with pytest.raises(ValueError):
        to_example({"text": "x", "route": "statutory", "causes": ["x"], "service_area": "other"})
