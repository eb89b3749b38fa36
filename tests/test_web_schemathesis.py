"""Property tests of the HTTP API from its own OpenAPI document (schemathesis): whatever a
generated request holds — anonymous or with a reviewer's, auditor's or enterprise's token —
the API never answers 500, and every error it gives has the one error body."""

from __future__ import annotations

import json

import schemathesis
from helpers_web import Web
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error


@schemathesis.serializer("application/x-ndjson")
def _json_lines(ctx, value) -> bytes:  # type: ignore[no-untyped-def]
    """A batch body as the API takes it: one JSON value per line."""
    items = value if isinstance(value, list) else [value]
    return "\n".join(json.dumps(item, ensure_ascii=False, default=str) for item in items).encode("utf-8")


EXAMPLES = 12  # generated requests per operation (each sent with four identities)
ERROR_KEYS = {"status", "code", "message", "field", "hint", "problems"}


def test_no_generated_request_gets_a_500(web: Web) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11  # every route under /api/v1
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def exercise(case) -> None:  # type: ignore[no-untyped-def]
            for role in (None, "reviewer", "auditor", "enterprise_a"):
                headers = {"Authorization": f"Bearer {web.tokens[role]}"} if role else {}
                response = case.call(headers=headers)
                case.validate_response(response, checks=[not_a_server_error])
                if response.status_code >= 400:
                    error = response.json()["error"]
                    assert set(error) == ERROR_KEYS and error["status"] == response.status_code

        exercise()
