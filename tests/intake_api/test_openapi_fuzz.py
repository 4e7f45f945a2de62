"""The OpenAPI document, fuzzed: schemathesis generates requests for every operation in
`intake_api/openapi.json` and sends them to the app in-process (WSGI); none may get a
5xx. Examples are bounded so the whole run stays well under a minute.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")

EXAMPLES_PER_OPERATION = 25


@pytest.mark.timeout(120)
def test_generated_requests_never_get_a_server_error(app, auth, post_case, cases):
    from hypothesis import HealthCheck, Phase, given, settings

    bot = auth.headers("fuzz-bot")
    admin = auth.headers("fuzz-admin", officer_id=auth.officer("fuzz@council.test", "admin"))
    # Some real cases, so that generated references sometimes hit one.
    for _ in range(3):
        cases.new()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    def run(operation, headers):  # type: ignore[no-untyped-def]
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy())
        def exercise(case):  # type: ignore[no-untyped-def]
            sent = {**(case.headers or {}), **headers}
            response = case.call(headers=sent)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        exercise()

    for operation in operations:
        creating = (operation.method, operation.path) == ("post", "/api/v1/cases")
        run(operation, bot if creating else admin)
    assert failures == []
