"""The one JSON error body of the API: built by one function, the same for every error.

Locks the shape (keys and types) and checks that each kind of error — a bad
application, a bad request, no token, a wrong role, an unknown id, a refused
settlement, a fault of the engine — answers with it, and never with a trace.
"""

from __future__ import annotations

import pytest
from helpers_web import APP_A, Web

from engine.errors import Problem
from engine.web.errors import error_body

SHAPE = {
    "status": int,
    "code": str,
    "message": str,
    "field": (str, type(None)),
    "hint": (str, type(None)),
    "problems": list,
}


def test_the_shape_is_locked() -> None:
    body = error_body(
        422,
        "invalid_application",
        "check digit",
        "claims[1].patent.number",
        "see CNIPA",
        [Problem("request.json", 3, "claims[1].patent.number", "check digit", "see CNIPA")],
    )
    assert list(body) == ["error"]
    assert list(body["error"]) == list(SHAPE)
    assert body["error"]["problems"] == [
        {"field": "claims[1].patent.number", "line": 3, "message": "check digit", "hint": "see CNIPA"}
    ]


@pytest.mark.parametrize(
    ("role", "method", "path", "payload", "status", "code"),
    [
        (None, "POST", "/api/v1/check", {"content": b'{"format": 1}'}, 422, "invalid_application"),
        (None, "POST", "/api/v1/check", {"content": b"\xff\xfe"}, 422, "invalid_application"),
        (None, "GET", "/api/v1/decisions", {}, 401, "not_signed_in"),
        ("enterprise_a", "GET", "/api/v1/verify", {}, 403, "forbidden"),
        ("auditor", "GET", "/api/v1/decisions/NO-SUCH-ID", {}, 404, "not_found"),
        ("auditor", "GET", "/api/v1/decisions?limit=0", {}, 422, "invalid_request"),
        ("reviewer", "POST", "/api/v1/settlements", {"json": {"decision": f"{APP_A}/1"}}, 422, "invalid_request"),
        (
            "reviewer",
            "POST",
            "/api/v1/settlements",
            {"json": {"decision": f"{APP_A}/1", "outcome": "eligible", "reason": "r"}},
            409,
            "refused",
        ),
        (None, "GET", "/api/v1/nowhere", {}, 404, "not_found"),
        (None, "DELETE", "/api/v1/check", {}, 405, "method_not_allowed"),
    ],
)
def test_every_error_has_the_one_body(web: Web, role, method, path, payload, status, code) -> None:  # type: ignore[no-untyped-def]
    response = web.api(role).request(method, path, **payload)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert {k: type(v) for k, v in error.items()}.keys() == SHAPE.keys()
    for key, kind in SHAPE.items():
        assert isinstance(error[key], kind), key
    assert error["status"] == status and error["code"] == code
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_a_fault_of_the_engine_is_a_500_with_a_reference_and_no_trace(web: Web, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    import engine.web.api as api

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError(" ".join(["secret", "detail", "410902197804154305"]))

    monkeypatch.setattr(api, "report", broken)
    response = web.api("auditor").get("/api/v1/report")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error" and "internal error" in error["message"]
    assert "secret detail" not in response.text and "Traceback" not in response.text
    assert "secret detail" not in caplog.text  # the log keeps the frames, never what a request held


def test_a_fault_on_a_page_is_a_page_in_the_users_language(web: Web, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import engine.web.desk as desk

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError(" ".join(["secret", "detail"]))

    monkeypatch.setattr(desk, "report", broken)
    response = web.client("auditor").get("/desk/report")
    assert response.status_code == 500
    assert "出错了" in response.text and "secret detail" not in response.text and "Traceback" not in response.text
    assert response.headers["x-frame-options"] == "DENY" and response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self';" in response.headers["content-security-policy"]


def test_a_body_too_large_is_refused_before_it_is_read(web: Web) -> None:
    response = web.api().post("/api/v1/check", content=b"{}", headers={"content-length": str(10**9)})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_an_unknown_id_to_replay_is_a_404_naming_it_and_its_place(web: Web) -> None:
    response = web.api("auditor").post("/api/v1/replay", json={"ids": [APP_A, "PY-0000-0000"]})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found" and error["field"] == "ids[1]"
    assert error["message"] == "no decision recorded as 'PY-0000-0000'"
    shaped = "410902199001011238"  # an id shaped like an ID number is masked in the message, its place still named
    error = web.api("auditor").post("/api/v1/replay", json={"ids": [APP_A, shaped]}).json()["error"]
    assert error["field"] == "ids[1]" and shaped not in error["message"]


def test_money_sent_as_a_json_number_is_refused_with_the_form_to_send(web: Web) -> None:
    payload = {"decision": f"{APP_A}/1", "outcome": "eligible", "reason": "r", "amount": 70000}
    error = web.api("reviewer").post("/api/v1/settlements", json=payload).json()["error"]
    assert error["status"] == 422 and error["field"] == "body.amount"
    assert "never a JSON number: 70000" in error["message"]
    assert error["hint"] == 'send it in quotes, as a decimal string in yuan, e.g. "70000.00"'


def test_a_yaml_body_to_check_is_a_415_saying_to_send_json(web: Web) -> None:
    yaml = b"format: 1\nid: X\n"
    response = web.api(None).post("/api/v1/check", content=yaml, headers={"Content-Type": "application/yaml"})
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_media_type" and "as JSON" in error["message"]
    assert "/check page" in error["hint"] and "subsidy check" in error["hint"]


def test_no_page_holds_an_inline_script_the_policy_would_refuse(web: Web) -> None:
    """Every page's scripts come from the site's files: no <script> with a body, no on…= handler."""
    import re

    client = web.client("reviewer")
    for path in ("/", "/check", "/desk/queue", "/desk/report", "/audit/history", "/decision?id=PY-2024-0031/1"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "'self'" in page.headers["content-security-policy"], path
        assert not re.search(r"<script[^>]*>\s*[^<\s]", page.text), path
        assert not re.search(r"\son[a-z]+\s*=", page.text), path
