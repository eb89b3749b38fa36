"""The HTTP API under /api/v1: the same services as the command line, money as strings,
ID numbers masked, one error body (its shape is locked in test_web_error_shape.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers_web import APP_A, APP_B, CODE_A, INVENTOR_APP, INVENTOR_ID, ROOT, SAMPLES, Web

from engine import Application


def sample(name: str) -> dict:
    return yaml.safe_load((SAMPLES / name).read_text(encoding="utf-8"))


def test_check_answers_the_contract_object_with_money_as_strings(web: Web) -> None:
    body = json.dumps(sample("purchase-two-deals.yaml"), default=str)
    response = web.api().post("/api/v1/check", content=body)
    assert response.status_code == 200
    data = response.json()
    assert data["application"] == APP_A
    assert [d["amount"] for d in data["decisions"]] == ["120000.00", "80000.00"]
    assert data["total"] == "200000.00"
    assert all(c["status"] in ("met", "not_met", "unknown") for d in data["decisions"] for c in d["criteria"])
    english = web.api().post("/api/v1/check?lang=en", content=body).json()
    assert english["decisions"][0]["criteria"][0]["label"] != data["decisions"][0]["criteria"][0]["label"]


def test_check_masks_the_id_number_and_stores_nothing(web: Web) -> None:
    before = web.store.head()
    body = json.dumps(sample("p3-strategic-emerging-industry.yaml") | {"id": "SELF-1"}, default=str)
    response = web.api().post("/api/v1/check", content=body)
    assert response.status_code == 200
    assert INVENTOR_ID not in response.text
    assert response.json()["applicant"]["id_number"] == "410902********4305"
    assert web.store.head() == before and web.store.record("SELF-1") is None


def test_a_bad_application_is_refused_with_the_field_and_no_trace(web: Web) -> None:
    data = sample("purchase-two-deals.yaml")
    data["claims"][0]["transaction_amount"] = "1500000,00"
    response = web.api().post("/api/v1/check", content=json.dumps(data, default=str))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_application"
    assert error["field"] == "claims[1].transaction_amount"
    assert "Traceback" not in response.text
    broken = web.api().post("/api/v1/check", content=b"{not json")
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "invalid_application"


def test_the_application_schema_comes_from_the_model(web: Web) -> None:
    response = web.api().get("/api/v1/schema/application")
    assert response.status_code == 200
    assert response.json() == Application.model_json_schema(mode="validation")
    assert "/api/v1/check" in web.api().get("/openapi.json").json()["paths"]


def test_decisions_list_filters_and_scopes_an_enterprise_to_its_own(web: Web) -> None:
    everything = web.api("auditor").get("/api/v1/decisions?limit=200").json()["decisions"]
    assert len({d["application"] for d in everything}) == 54
    pending = web.api("reviewer").get("/api/v1/decisions?outcome=needs_review&limit=200").json()["decisions"]
    assert pending and all(d["outcome"] == "needs_review" for d in pending)
    assert all(isinstance(d["amount"], (str, type(None))) for d in everything)
    own = web.api("enterprise_a").get("/api/v1/decisions?limit=200").json()["decisions"]
    assert own and {d["credit_code"] for d in own} == {CODE_A}
    asked = web.api("enterprise_a").get(f"/api/v1/decisions?search={APP_B}").json()["decisions"]
    assert asked == []
    by_code = web.api("auditor").get(f"/api/v1/decisions?search={CODE_A}").json()["decisions"]
    assert {d["application"] for d in by_code} == {APP_A}


def test_one_decision_with_its_hash_and_masked_input(web: Web) -> None:
    got = web.api("auditor").get(f"/api/v1/decisions/{INVENTOR_APP}/1")
    assert got.status_code == 200
    data = got.json()
    assert data["hash"] == web.store.record(INVENTOR_APP).hash
    assert INVENTOR_ID not in got.text
    assert web.api("enterprise_a").get(f"/api/v1/decisions/{APP_B}").status_code == 404
    assert web.api("enterprise_a").get(f"/api/v1/decisions/{APP_A}").status_code == 200


def test_settle_through_the_api_records_what_subsidy_settle_records(web: Web, tmp_path: Path) -> None:
    twin = tmp_path / "twin.db"
    web.store.close()
    twin.write_bytes(web.path.read_bytes())
    from engine import open_store

    web.store = open_store(web.path)
    web.app.state.store = web.store
    decision = f"{APP_B}/1"
    asked = {"decision": decision, "outcome": "eligible", "reason": "关联关系已核实：非关联交易"}
    response = web.api("reviewer").post("/api/v1/settlements", json=asked)
    assert response.status_code == 201, response.text
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            "settle",
            "--db",
            str(twin),
            decision,
            "--outcome",
            "eligible",
            "--reason",
            asked["reason"],
            "--reviewer",
            "rev",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "settled" in cli.stdout
    from engine import open_store as reopen

    other = reopen(twin)
    try:
        by_cli = json.loads(other.record(f"{decision}/settlement").body)
    finally:
        other.close()
    by_web = json.loads(web.store.record(f"{decision}/settlement").body)
    for body in (by_cli, by_web):
        body.pop("recorded_at")
    assert by_web == by_cli
    again = web.api("reviewer").post("/api/v1/settlements", json=asked)
    assert again.status_code == 409 and "already settled" in again.json()["error"]["message"]


@pytest.mark.parametrize("amount", ["12.345", "-5", "lots"])
def test_a_settlement_amount_refused_keeps_the_money_hint_apart(web: Web, amount: str) -> None:
    """The amount's own problem is the message and its hint the ``hint`` (the hint ran on
    inside the message, the ``hint`` field empty)."""
    asked = {"decision": f"{APP_B}/1", "outcome": "eligible", "reason": "已核实", "amount": amount}
    response = web.api("reviewer").post("/api/v1/settlements", json=asked)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["message"].startswith("the amount: ") and "hint" not in error["message"], error
    assert error["hint"] and "yuan" in error["hint"], error


def test_replay_compares_field_by_field_and_verify_gives_the_head(web: Web) -> None:
    response = web.api("auditor").post("/api/v1/replay", json={"ids": [APP_A]})
    assert response.status_code == 200
    replayed = response.json()["replayed"][0]
    assert replayed["reproduced"] is True and replayed["differences"] == []
    paths = {c["path"] for c in replayed["compared"]}
    assert "decisions[0].outcome" in paths and "decisions[1].amount" in paths
    verified = web.api("auditor").get("/api/v1/verify").json()
    assert verified["intact"] is True and verified["head"] == web.store.head()[1]
    assert web.api("auditor").get(f"/api/v1/verify?expect_head={'0' * 64}").json()["intact"] is False


def test_report_programmes_and_rules(web: Web) -> None:
    data = web.api("reviewer").get("/api/v1/report").json()
    assert data["applications"] == 54
    assert all(isinstance(t["one_off"], str) for t in data["by_program"])
    programmes = web.api("auditor").get("/api/v1/programmes").json()
    assert {"local-industrialization-award", "patent-purchase-reward"} <= {p["id"] for p in programmes}
    rules = web.api("enterprise_a").get("/api/v1/rules").json()
    assert rules[0]["programmes"][0]["criteria"][0]["quote"]


def test_screen_a_jsonl_batch_through_the_api(web: Web) -> None:
    lines = []
    for n, name in enumerate(["p2-eligible-individual-seller.yaml", "p1-site-outside-puyang.yaml"]):
        lines.append(json.dumps(sample(name) | {"id": f"API-{n}"}, default=str))
    lines.append('{"format": 1, "id": "API-bad"}')
    response = web.api("reviewer").post("/api/v1/screen", content="\n".join(lines).encode("utf-8"))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["summary"] == {"recorded": 2, "already_recorded": 0, "invalid": 1, "failed": 0}
    assert web.store.record("API-0") is not None
    assert web.api("auditor").post("/api/v1/screen", content=lines[0]).status_code == 403


@pytest.mark.parametrize("token", ["", "Bearer nope", "Bearer sbt_" + "x" * 43, "Basic abc"])
def test_a_bad_token_is_anonymous(web: Web, token: str) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(web.app, raise_server_exceptions=False, headers={"Authorization": token} if token else {})
    assert client.get("/api/v1/decisions").status_code == 401


def test_a_slow_check_does_not_hold_other_requests(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deciding is CPU work done in a worker thread: while one check is decided, the event loop
    answers others (a check held on the loop made every other request wait for it)."""
    import asyncio
    import threading

    import httpx

    from engine.web import api

    started, release = threading.Event(), threading.Event()
    real = api.check

    def held(*args: object, **kwargs: object) -> object:
        started.set()
        assert release.wait(30), "the other request was never answered"
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "check", held)
    body = json.dumps(sample("purchase-two-deals.yaml"), default=str)

    async def both() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=web.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            slow = asyncio.ensure_future(client.post("/api/v1/check", content=body))
            while not started.is_set():  # the check is being decided now
                await asyncio.sleep(0.01)
            other = await client.get("/api/v1/schema/application")  # answered meanwhile
            release.set()
            return other.status_code, (await slow).status_code

    assert asyncio.run(both()) == (200, 200)
