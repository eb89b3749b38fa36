"""Replay reproduces decisions that saw claims awaiting review, and verify checks the archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers_store import (
    copy_rules,
    credit_code,
    enterprise_app,
    execute,
    p1_claim,
    p2_claim,
    patent_number,
    run,
    write_jsonl,
)

NAME = "濮阳市持有测试有限公司"


def _screen_with_holds(tmp_path: Path, capsys: Any) -> Path:
    code = credit_code(501)
    shared = patent_number(2021, 501)
    apps = [
        # claim 1 awaits review (the contract is not registered): it holds 150,000.00 and its patent
        enterprise_app(
            "HOLD-1",
            "2024-03-01",
            NAME,
            code,
            [
                p2_claim(patent_number(2020, 502), NAME, "1500000.00", contract_registered=False),
                p1_claim(shared, NAME, site=None),
            ],
        ),
        enterprise_app(
            "HOLD-2",
            "2024-04-01",
            NAME,
            code,
            [
                p2_claim(patent_number(2020, 503), NAME, "1000000.00"),
                p1_claim(shared, NAME),
            ],
        ),
    ]
    db = tmp_path / "store.db"
    exit_code, _, err = run(capsys, "screen", write_jsonl(tmp_path / "b.jsonl", apps), "--db", db, "--quiet")
    assert exit_code == 0, err
    return db


def test_decisions_that_saw_a_hold_replay_exactly(tmp_path: Path, capsys: Any) -> None:
    db = _screen_with_holds(tmp_path, capsys)
    code, out, _ = run(capsys, "show", "--db", db, "HOLD-2", "--format", "json")
    assert "待评审" in out  # the later decision names the hold it met
    code, out, err = run(capsys, "replay", "--db", db)
    assert code == 0, out + err
    assert "4 reproduced, 0 differ" in out  # two applications of two claims each


def test_verify_names_an_altered_rules_archive(tmp_path: Path, capsys: Any) -> None:
    rules = copy_rules(tmp_path)
    db = tmp_path / "store.db"
    apps = [
        enterprise_app(
            "ARC-1", "2024-03-01", NAME, credit_code(601), [p2_claim(patent_number(2020, 601), NAME, "100000.00")]
        )
    ]
    code, _, err = run(capsys, "--rules", rules, "screen", write_jsonl(tmp_path / "a.jsonl", apps), "--db", db)
    assert code == 0, err
    assert (
        execute(
            db,
            "UPDATE ruleset_files SET content = CAST(replace(CAST(content AS TEXT), "
            "'value: \"0.10\"', 'value: \"0.20\"') AS BLOB) WHERE name = 'parameters.yaml'",
        )
        == 1
    )
    code, out, _ = run(capsys, "verify", "--db", db)
    assert code == 1
    assert "archive sha256:" in out and "no longer hash" in out
