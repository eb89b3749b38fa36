"""`replay` counts decisions — one per claim — not the applications that hold them.

An application with four claims holds four decisions; an auditor told "replayed 3 decisions"
after replaying twelve has been told wrong. The text summary, the API's totals and the replay
page all count the claims' decisions: all of them, those chosen by decision id, those that
differ under a what-if parameter, and those whose words alone changed.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers_store import execute, reword_every_criterion, run, screened
from helpers_web import APP_A, Web, csrf

# 4 claims, all eligible · 3 purchase claims under one enterprise cap · 1 claim
FOUR, CAPPED, ONE = "PY-2025-0603", "PY-2024-0601", "PY-2023-0101"
FILES = ["multi-p1-four-sites.yaml", "multi-p2-cap-reached.yaml", "p1-eligible-hualong-district.yaml"]


@pytest.fixture
def store(tmp_path: Path, capsys: Any) -> Path:
    return screened(capsys, tmp_path / "store.db", *FILES)


def _summary(capsys: Any, db: Path, *args: str) -> tuple[int, str]:
    code, out, err = run(capsys, "replay", "--db", db, *args)
    assert "Traceback" not in out + err
    return code, out.splitlines()[-1]


def test_replay_counts_every_claims_decision(store: Path, capsys: Any) -> None:
    assert _summary(capsys, store) == (0, "replayed 8 decisions under 1 ruleset version(s): 8 reproduced, 0 differ")


def test_replay_of_chosen_decisions_counts_those_chosen(store: Path, capsys: Any) -> None:
    assert _summary(capsys, store, f"{FOUR}/1", f"{FOUR}/3") == (
        0,
        "replayed 2 decisions under 1 ruleset version(s): 2 reproduced, 0 differ",
    )
    assert _summary(capsys, store, FOUR, ONE) == (
        0,
        "replayed 5 decisions under 1 ruleset version(s): 5 reproduced, 0 differ",
    )


def test_what_differs_is_counted_by_decision(store: Path, capsys: Any) -> None:
    """A higher enterprise cap changes the capped application's three decisions (the first one's
    arithmetic, the second one's amount, the third one's outcome) and none of the other five; a
    what-if sets the two it decides otherwise apart from the one whose details only change, and
    exits 0 (its differences are what was asked)."""
    assert _summary(capsys, store, "--set", "purchase_reward_cap=300000") == (
        0,
        "what-if purchase_reward_cap=300000: 8 decisions of 3 applications under 1 ruleset version(s): "
        "2 would change outcome or amount, 1 the details only, 5 the same",
    )


def test_reworded_decisions_are_counted_each_once(store: Path, capsys: Any, monkeypatch: Any) -> None:
    reword_every_criterion(monkeypatch)
    assert _summary(capsys, store) == (
        0,
        "replayed 8 decisions under 1 ruleset version(s): 8 reproduced, 0 differ; "
        "wording changed in 8 of them, the decisions the same",
    )


def test_a_record_laid_out_otherwise_replays_as_the_one_written(store: Path, capsys: Any) -> None:
    """Replay compares what was decided, not how the record spells it: every body rewritten
    with its keys sorted, indented and its Chinese as \\u escapes (an older writer's layout)
    replays exactly as the bodies screening wrote — the same counts, no wording change — and
    a decision altered in such a body is still found."""
    con = sqlite3.connect(store)
    bodies = con.execute("SELECT record_id, body FROM records WHERE kind = 'decision'").fetchall()
    con.close()
    for record_id, body in bodies:
        text = json.dumps(json.loads(body), ensure_ascii=True, indent=1, sort_keys=True)
        assert execute(store, "UPDATE records SET body = ? WHERE record_id = ?", (text, record_id)) == 1
    assert _summary(capsys, store) == (0, "replayed 8 decisions under 1 ruleset version(s): 8 reproduced, 0 differ")
    altered = json.loads(dict(bodies)[ONE])
    altered["result"]["decisions"][0]["amount"] = "1.00"
    text = json.dumps(altered, ensure_ascii=True, indent=1)
    assert execute(store, "UPDATE records SET body = ? WHERE record_id = ?", (text, ONE)) == 1
    code, line = _summary(capsys, store)
    assert code == 1 and line == "replayed 8 decisions under 1 ruleset version(s): 7 reproduced, 1 differ", line


def test_a_body_json_refuses_is_not_replayed_as_reproduced(store: Path) -> None:
    """Replay reads the fields it compares out of the body and steps over the rest unread: a
    body holding, in a field it skips, an integer of more digits than Python converts is still
    read as json.loads reads it (and refused), never replayed as if it were JSON."""
    from engine.services.replaying import _Recorded

    con = sqlite3.connect(store)
    [body] = con.execute("SELECT body FROM records WHERE record_id = ?", (ONE,)).fetchone()
    con.close()
    assert _Recorded.of(body).ruleset["version"]  # as written: read
    long = body.replace('"engine":{', '"engine":{"n":%s,' % ("7" * 5000), 1)
    with pytest.raises(ValueError):
        json.loads(long)
    with pytest.raises(ValueError):
        _Recorded.of(long)


def test_the_api_and_the_page_count_decisions(web: Web) -> None:
    """APP_A (purchase-two-deals) holds two decisions; with one chosen claim of FOUR, three."""
    response = web.api("auditor").post("/api/v1/replay", json={"ids": [APP_A, f"{FOUR}/2"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["decisions"], body["reproduced"], body["differ"]) == (3, 3, 0)
    assert [(r["record"], r["decisions"], r["differing"]) for r in body["replayed"]] == [(APP_A, 2, 0), (FOUR, 1, 0)]

    client = web.client("auditor")
    page = client.post("/audit/replay", data={"csrf": csrf(client, "/audit/history"), "ids": f"{APP_A} {FOUR}"})
    assert page.status_code == 200
    assert '<p class="total">6 / 6 结果一致</p>' in page.text  # two and four claims: six decisions
