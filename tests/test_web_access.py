"""Every route × every role: anonymous, enterprise A, enterprise B, reviewer, auditor.

Anonymous users reach only the self-check (page and API), the public schema and the
sign-in; a signed-in page redirects them to sign in (303), the API answers 401. An
enterprise reads its own decisions and nothing of another's (404: as if absent).
The test also fails when a route exists that the matrix does not list.
"""

from __future__ import annotations

import json

import pytest
from helpers_web import APP_A, APP_B, SAMPLES, Web, csrf

ROLES = ("anonymous", "enterprise_a", "enterprise_b", "reviewer", "auditor")
CHECK_BODY = json.dumps(
    __import__("yaml").safe_load((SAMPLES / "purchase-two-deals.yaml").read_text(encoding="utf-8")), default=str
)

# (method, path, body kind, expected status per role in ROLES order)
PAGES = [
    ("GET", "/", None, (200, 200, 200, 200, 200)),
    ("GET", "/lang/en?next=/check", None, (303, 303, 303, 303, 303)),
    ("GET", "/login", None, (200, 200, 200, 200, 200)),
    ("POST", "/login", "login-bad", (401, 401, 401, 401, 401)),
    ("GET", "/check", None, (200, 200, 200, 200, 200)),
    ("GET", "/check/claim?n=2&program=patent-purchase-reward", None, (200, 200, 200, 200, 200)),
    ("POST", "/check", "check-form", (200, 200, 200, 200, 200)),
    ("POST", "/check/upload", "check-upload", (200, 200, 200, 200, 200)),
    ("POST", "/check/edit", "csrf-only", (200, 200, 200, 200, 200)),
    ("GET", "/desk/queue", None, (303, 403, 403, 200, 403)),
    ("GET", f"/decision?id={APP_A}", None, (303, 200, 404, 200, 200)),
    ("GET", f"/decision?id={APP_B}/1", None, (303, 404, 200, 200, 200)),
    ("POST", "/decision/settle", "settle-form", (303, 403, 403, 422, 403)),
    ("GET", "/desk/batch", None, (303, 403, 403, 200, 403)),
    ("POST", "/desk/batch", "batch-form", (303, 403, 403, 303, 403)),
    ("GET", "/desk/batch/nope", None, (303, 403, 403, 404, 403)),
    ("GET", "/desk/report", None, (303, 403, 403, 200, 200)),
    ("GET", "/desk/report.csv", None, (303, 403, 403, 200, 200)),
    ("GET", "/audit/history", None, (303, 403, 403, 200, 200)),
    ("GET", "/audit/replay", None, (303, 403, 403, 403, 200)),
    ("POST", "/audit/replay", "replay-form", (303, 403, 403, 403, 200)),
    ("GET", "/audit/verify", None, (303, 403, 403, 403, 200)),
    ("POST", "/audit/verify", "csrf-only", (303, 403, 403, 403, 200)),
    ("GET", "/mine", None, (303, 200, 200, 403, 403)),
    ("POST", "/logout", "csrf-only", (303, 303, 303, 303, 303)),
    ("GET", "/static/htmx.min.js", None, (200, 200, 200, 200, 200)),
    ("GET", "/favicon.ico", None, (200, 200, 200, 200, 200)),
]
API = [
    ("GET", "/openapi.json", None, (200, 200, 200, 200, 200)),
    ("GET", "/api/v1/schema/application", None, (200, 200, 200, 200, 200)),
    ("POST", "/api/v1/check", "check-json", (200, 200, 200, 200, 200)),
    ("POST", "/api/v1/screen", "screen-jsonl", (401, 403, 403, 200, 403)),
    ("GET", "/api/v1/decisions", None, (401, 200, 200, 200, 200)),
    ("GET", f"/api/v1/decisions/{APP_A}", None, (401, 200, 404, 200, 200)),
    ("GET", f"/api/v1/decisions/{APP_B}/1", None, (401, 404, 200, 200, 200)),
    ("POST", "/api/v1/settlements", "settle-json", (401, 403, 403, 409, 403)),
    ("POST", "/api/v1/replay", "replay-json", (401, 403, 403, 403, 200)),
    ("GET", "/api/v1/verify", None, (401, 403, 403, 403, 200)),
    ("GET", "/api/v1/report", None, (401, 403, 403, 200, 200)),
    ("GET", "/api/v1/programmes", None, (401, 200, 200, 200, 200)),
    ("GET", "/api/v1/rules", None, (401, 200, 200, 200, 200)),
]


def _call(web: Web, role: str, method: str, path: str, body: str | None) -> int:
    who = None if role == "anonymous" else role
    if path.startswith("/api/") or path == "/openapi.json":
        client = web.api(who)
        payload: dict[str, object] = {}
        if body == "check-json":
            payload = {"content": CHECK_BODY}
        elif body == "screen-jsonl":
            payload = {"content": CHECK_BODY.replace(APP_A, "MATRIX-1").encode("utf-8")}
        elif body == "settle-json":
            payload = {"json": {"decision": f"{APP_A}/1", "outcome": "eligible", "reason": "x"}}
        elif body == "replay-json":
            payload = {"json": {"ids": [APP_A]}}
        return client.request(method, path, **payload).status_code
    client = web.client(who)
    token = csrf(client)
    data: dict[str, str] = {"csrf": token}
    files = None
    if body == "check-form":
        data |= {
            "id": "SELF-CHECK",
            "submitted_on": "2024-03-15",
            "applicant.type": "enterprise",
            "applicant.name": "濮阳市龙丰新材料有限公司",
            "applicant.credit_code": "91410902MA44P5T29U",
            "claims[1].program": "local-industrialization-award",
            "claims[1].patent.number": "ZL202010123456.2",
            "claims[1].patent.kind": "invention",
        }
    elif body == "login-bad":
        data |= {"username": "nobody", "password": "not-the-password"}
    elif body == "check-upload":
        files = {"file": ("a.yaml", (SAMPLES / "purchase-two-deals.yaml").read_bytes())}
    elif body == "settle-form":
        data |= {"decision": f"{APP_B}/1", "outcome": "maybe", "reason": "x"}
    elif body == "batch-form":
        files = {"files": ("b.yaml", (SAMPLES / "p1-site-outside-puyang.yaml").read_bytes())}
    elif body == "replay-form":
        data |= {"ids": APP_A}
    if method == "GET":
        return client.get(path).status_code
    return client.post(path, data=data, files=files).status_code


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), PAGES + API, ids=[f"{m} {p}" for m, p, _, _ in PAGES + API]
)
def test_every_route_for_every_role(
    web: Web, method: str, path: str, body: str | None, expected: tuple[int, ...]
) -> None:
    got = tuple(_call(web, role, method, path, body) for role in ROLES)
    assert got == expected, dict(zip(ROLES, got, strict=True))


def _routes(routes: list[object], prefix: str = "") -> list[tuple[set[str], str]]:
    """Every route of the application, included routers opened."""
    out: list[tuple[set[str], str]] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            out += _routes(inner.routes, prefix)  # their paths carry the prefix already
        elif hasattr(route, "path"):
            out.append((set(getattr(route, "methods", None) or {"GET"}), prefix + route.path))
    return out


def test_the_matrix_lists_every_route(web: Web) -> None:
    listed = {(m, p.split("?")[0]) for m, p, _, _ in PAGES + API}
    found = _routes(web.app.routes)
    assert len(found) > 30
    for methods, path in found:
        if path.startswith("/static"):
            continue
        for method in methods - {"HEAD"}:
            shown = path.replace("{job_id}", "nope").replace("{code}", "en").replace("{ref:path}", APP_A)
            known = {(m, p.replace(APP_B + "/1", APP_A)) for m, p in listed}
            assert (method, shown) in known, f"{method} {path} is not in the access matrix"


def test_a_form_without_the_csrf_token_is_refused(web: Web) -> None:
    client = web.client("reviewer")
    response = client.post("/decision/settle", data={"decision": f"{APP_B}/1", "outcome": "eligible", "reason": "x"})
    assert response.status_code == 403
    assert web.store.record(f"{APP_B}/1/settlement") is None
    assert web.client().post("/check", data={"id": "X"}).status_code == 403
