"""The web on each store backend (SQLite and PostgreSQL, through the shared ``store_url``
fixture): users and tokens, a batch screened through the API, an enterprise held to its own,
a settlement, replay and verify — the same answers whichever database keeps the record."""

from __future__ import annotations

import json

import yaml
from fastapi.testclient import TestClient
from helpers_web import APP_A, APP_B, CODE_A, SAMPLES, rulebook

from engine import open_store
from engine.services import add_user, issue_token
from engine.web import create_app

NAMES = ("purchase-two-deals.yaml", "review-p2-related-party-not-declared.yaml", "p3-strategic-emerging-industry.yaml")


def test_the_web_on_each_backend(store_url: str) -> None:
    store = open_store(store_url, create=True)
    try:
        add_user(store, "rev", "reviewer", "reviewer-pass")
        add_user(store, "aud", "auditor", "auditor-pass")
        add_user(store, "ent", "enterprise", "enterprise-pass", CODE_A)
        tokens = {name: issue_token(store, name) for name in ("rev", "aud", "ent")}
        app = create_app(store, rulebook(), secret="test")

        def api(name: str) -> TestClient:
            return TestClient(app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {tokens[name]}"})

        lines = [json.dumps(yaml.safe_load((SAMPLES / n).read_text(encoding="utf-8")), default=str) for n in NAMES]
        screened = api("rev").post("/api/v1/screen", content="\n".join(lines).encode("utf-8"))
        assert screened.status_code == 200, screened.text
        assert screened.json()["summary"]["recorded"] == 3
        own = api("ent").get("/api/v1/decisions").json()["decisions"]
        assert {d["application"] for d in own} == {APP_A}
        assert api("ent").get(f"/api/v1/decisions/{APP_B}").status_code == 404
        settled = api("rev").post(
            "/api/v1/settlements", json={"decision": f"{APP_B}/1", "outcome": "eligible", "reason": "核实无关联"}
        )
        assert settled.status_code == 201, settled.text
        assert settled.json()["hash"] == store.head()[1]
        assert api("aud").post("/api/v1/replay", json={"ids": [APP_A, APP_B]}).json()["differ"] == 0
        verified = api("aud").get("/api/v1/verify").json()
        assert verified["intact"] and verified["records"] == 4
        pages = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        token = pages.get("/check").text.split('name="csrf" value="')[1].split('"')[0]
        assert (
            pages.post("/login", data={"csrf": token, "username": "aud", "password": "auditor-pass"}).status_code == 303
        )
        assert "410902********4305" in pages.get("/decision?id=PY-2024-0301").text
    finally:
        store.close()
