import json

from triage.types import CAUSES, COMPLAINANTS, ROUTES, SERVICE_AREAS, TriageResult


def test_label_ids_match_the_taxonomy():
    assert ROUTES == ("statutory", "corporate", "outside_procedure")
    assert len(CAUSES) == 10 and "complaint_handling" in CAUSES
    assert len(SERVICE_AREAS) == 11 and SERVICE_AREAS[-1] == "other"
    assert COMPLAINANTS[0] == "child" and "advocate" in COMPLAINANTS


def test_result_to_dict_is_plain_json_with_the_contract_keys():
    result = TriageResult(
        route="statutory",
        causes=("communication",),
        service_area="looked_after_children",
        safeguarding=False,
        confidence=0.912345,
        needs_review=False,
        reasons=("Because.",),
        model_version="v1",
    )
    data = result.to_dict()
    assert list(data) == [
        "route",
        "causes",
        "service_area",
        "safeguarding",
        "confidence",
        "needs_review",
        "reasons",
        "model_version",
    ]
    assert data["causes"] == ["communication"] and data["confidence"] == 0.9123
    json.dumps(data)
