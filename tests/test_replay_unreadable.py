"""`replay` of a store holding a record it cannot read says so for that record and goes on.

A body cut short, or not UTF-8, with the chain hashed again after it (so that only a noted
chain head shows it): replay reported it as an internal error and stopped (exit 3), in one
process and with workers alike — the latter with a worker's whole traceback. Now the record
is one decision that could not be replayed, the others are replayed, exit 1; a fault inside
a worker is said in one line, its traceback only with SUBSIDY_DEBUG set.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers_store import run, screened

from engine.services import replaying

FILES = ["multi-p1-four-sites.yaml", "multi-p2-cap-reached.yaml", "p1-eligible-hualong-district.yaml"]
ONE = "PY-2023-0101"  # one claim


@pytest.fixture
def store(tmp_path: Path, capsys: Any) -> Path:
    return screened(capsys, tmp_path / "store.db", *FILES)


def _spoil(db: Path, sql: str) -> None:
    con = sqlite3.connect(db)
    with con:
        assert con.execute(sql, (ONE,)).rowcount == 1
    con.close()


SPOILED = {
    "cut short": "UPDATE records SET body = substr(body, 1, length(body) - 1) WHERE record_id = ?",
    "not UTF-8": "UPDATE records SET body = CAST(X'7BFF7D' AS BLOB) WHERE record_id = ?",
    "no ruleset": "UPDATE records SET body = json_remove(body, '$.ruleset') WHERE record_id = ?",
}


@pytest.mark.parametrize("workers", ["0", "2"])
@pytest.mark.parametrize("how", list(SPOILED))
def test_an_unreadable_record_is_one_decision_not_replayed(store: Path, capsys: Any, how: str, workers: str) -> None:
    _spoil(store, SPOILED[how])
    code, out, err = run(capsys, "replay", "--db", store, "--workers", workers)
    assert code == 1 and "Traceback" not in out + err and "internal error" not in err, err
    lines = out.splitlines()
    assert f"{ONE}: could not replay: its body is not a decision record this engine reads" in out
    assert lines[-1] == "replayed 8 decisions under 1 ruleset version(s): 7 reproduced, 1 differ"


def test_a_fault_in_a_worker_is_one_line_its_traceback_on_request(
    store: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a fault of ours")

    monkeypatch.setattr(replaying, "replay_records", broken)  # the workers are forked with it
    monkeypatch.delenv("SUBSIDY_DEBUG", raising=False)
    code, _, err = run(capsys, "replay", "--db", store, "--workers", "2")
    assert code == 3 and "Traceback" not in err
    assert "internal error: a worker process failed: RuntimeError: a fault of ours" in err
    assert "set SUBSIDY_DEBUG=1 to see where it happened" in err
    monkeypatch.setenv("SUBSIDY_DEBUG", "1")
    code, _, err = run(capsys, "replay", "--db", store, "--workers", "2")
    assert code == 3 and "Traceback (most recent call last)" in err and "RuntimeError: a fault of ours" in err
    assert err.rstrip().endswith("see where it happened)")
