"""Crash safety: a `subsidy screen` killed with SIGKILL part-way loses nothing it recorded,
leaves the log intact, and the same command run again finishes the batch — every
application recorded exactly once, no patent awarded twice, no enterprise above the cap —
with the very decisions an uninterrupted run makes.

The batch is ~3,000 generated applications, reworked so that the limits that span
applications really bite: a dozen enterprises share most P2 claims, and a pool of
patents is claimed again and again under P1.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers_store import P1, P2, ROOT, credit_code, patent_number, proc_env, query, write_jsonl

from engine.generate import generate_many

N = 3000
SEED = 20221004
ENTERPRISES = [(f"濮阳市共享测试{i:02d}有限公司", credit_code(900 + i)) for i in range(12)]
SHARED_PATENTS = [patent_number(2015, 9000 + i) for i in range(15)]


def _applications() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    apps = []
    for app in generate_many(N, seed=SEED):
        applicant = app["applicant"]
        if applicant.get("credit_code", "").startswith("91") and rng.random() < 0.7:
            old = applicant["name"]
            applicant["name"], applicant["credit_code"] = rng.choice(ENTERPRISES)
            for claim in app["claims"]:
                if claim["patent"].get("holder") == old:
                    claim["patent"] = dict(claim["patent"], holder=applicant["name"])
        for claim in app["claims"]:
            if claim["program"] == P1 and rng.random() < 0.6:
                claim["patent"] = {
                    "number": rng.choice(SHARED_PATENTS),
                    "kind": "invention",
                    "holder": applicant["name"],
                    "filed_on": "2015-04-01",
                    "granted_on": "2018-06-01",
                    "in_force": True,
                }
        apps.append(app)
    return apps


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crash-batch")
    return write_jsonl(folder / "applications.jsonl", _applications())


def _screen_cmd(batch: Path, db: Path) -> list[str]:
    # commits of 100 records: the thresholds below are met with 600 records still to go, so a
    # loaded machine's slower polling still kills the run before it ends (500 left a single commit)
    return [
        sys.executable,
        "-m",
        "engine.cli",
        "screen",
        str(batch),
        "--db",
        str(db),
        "--format",
        "jsonl",
        "--batch",
        "100",
    ]


def _env(tmp: Path) -> dict[str, str]:
    env = proc_env()
    (tmp / "sort-tmp").mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp / "sort-tmp")  # a killed run cannot clean its sort file; keep it here
    return env


@pytest.fixture(scope="module")
def reference(batch: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The decisions an uninterrupted run makes."""
    tmp = tmp_path_factory.mktemp("crash-reference")
    db = tmp / "store.db"
    done = subprocess.run(_screen_cmd(batch, db), cwd=ROOT, env=_env(tmp), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(done.stdout.splitlines()) == N
    results = _recorded(db)
    assert len(results) == N
    # the batch really exercises the limits that span applications
    refused = {
        c["id"]
        for r in results.values()
        for d in r["decisions"]
        for c in d["criteria"]
        if c["status"] == "not_met"
        and c["id"] in ("once-per-patent", "cap-not-reached")
        and any(e.get("decision") for e in c.get("earlier_awards", []))
    }
    assert refused == {"once-per-patent", "cap-not-reached"}, refused
    return results


def _recorded(db: Path) -> dict[str, Any]:
    """Each application's recorded decision, as the store holds it."""
    rows = query(db, "SELECT application, body FROM records WHERE kind = 'decision'")
    return {app: json.loads(body)["result"] for app, body in rows}


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM records").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _kill_after(batch: Path, db: Path, tmp: Path, threshold: int) -> int:
    """Start `subsidy screen`, SIGKILL it once the store holds >= threshold records; the count left."""
    proc = subprocess.Popen(
        _screen_cmd(batch, db), cwd=ROOT, env=_env(tmp), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    try:
        while _count(db) < threshold:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run recorded too little in time"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it was killed"
    return _count(db)


def _verify(db: Path, tmp: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli", "verify", "--db", str(db)],
        cwd=ROOT,
        env=_env(tmp),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("thresholds", [(1, 1900), (2400,)], ids=["early-then-again-late", "near-the-end"])
def test_a_killed_screen_resumes_to_the_same_decisions(
    batch: Path, reference: dict[str, Any], tmp_path: Path, thresholds: tuple[int, ...]
) -> None:
    """Killed once near the end; or killed just after its first commit, and the rerun killed again."""
    db = tmp_path / "store.db"
    left = 0
    for threshold in thresholds:
        left = _kill_after(batch, db, tmp_path, threshold)
        assert threshold <= left < N, left
        # what the killed run recorded is whole and chained
        assert f"{left} records" in _verify(db, tmp_path)
        assert query(db, "SELECT count(*) FROM applications")[0][0] == left

    # the same command again finishes the batch
    done = subprocess.run(
        _screen_cmd(batch, db), cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    resumed = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(resumed) == N - left  # nothing printed for what was already recorded
    assert f"{N - left} recorded, {left} already recorded, 0 invalid" in done.stderr

    # every application exactly once
    total, distinct_ids, distinct_apps = query(
        db,
        "SELECT count(*), count(DISTINCT record_id), count(DISTINCT application) FROM records WHERE kind = 'decision'",
    )[0]
    assert total == distinct_ids == distinct_apps == N
    assert query(db, "SELECT count(*) FROM applications")[0][0] == N
    seqs = [s for (s,) in query(db, "SELECT seq FROM records ORDER BY seq")]
    assert seqs == list(range(1, N + 1))

    assert f"{N} records" in _verify(db, tmp_path)

    # no patent awarded twice under P1; no enterprise above 200,000.00 under P2
    twice = query(
        db,
        "SELECT patent, count(*) FROM awards WHERE program = ? AND source != 'pending' "
        "GROUP BY ruleset_id, patent HAVING count(*) > 1",
        (P1,),
    )
    assert twice == []
    over = query(
        db,
        "SELECT credit_code, sum(amount_fen) FROM awards WHERE program = ? AND source != 'pending' "
        "GROUP BY ruleset_id, credit_code HAVING sum(amount_fen) > 20000000",
        (P2,),
    )
    assert over == []
    held_over = query(
        db,
        "SELECT credit_code, sum(amount_fen) FROM awards WHERE program = ? "
        "GROUP BY ruleset_id, credit_code HAVING sum(amount_fen) > 20000000",
        (P2,),
    )
    assert held_over == []
    shared = query(
        db,
        "SELECT count(DISTINCT patent) FROM awards WHERE program = ? AND patent IN (%s)"
        % ",".join("?" * len(SHARED_PATENTS)),
        (P1, *SHARED_PATENTS),
    )[0][0]
    assert shared > 0

    # and the decisions are exactly those of an uninterrupted run
    recorded = _recorded(db)
    differing = sorted(a for a in reference if recorded.get(a) != reference[a])
    assert differing == [], f"{len(differing)} decisions differ from an uninterrupted run, e.g. {differing[:5]}"


@pytest.mark.slow
def test_a_killed_screen_printed_only_what_it_had_recorded(batch: Path, tmp_path: Path) -> None:
    """Every decision on stdout was committed to the store before it was printed: a run killed
    part-way printed no decision that is not in the store (and no line cut in half)."""
    db = tmp_path / "store.db"
    printed = tmp_path / "printed.jsonl"
    with printed.open("wb") as out:
        proc = subprocess.Popen(
            _screen_cmd(batch, db), cwd=ROOT, env=_env(tmp_path), stdout=out, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        try:
            while _count(db) < 1200:
                assert proc.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
                time.sleep(0.02)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
    # the kill may cut the last line, even inside a character: only whole lines are decoded
    lines = printed.read_bytes().split(b"\n")[:-1]
    whole = [json.loads(line.decode("utf-8")) for line in lines]
    recorded = {app for (app,) in query(db, "SELECT application FROM records WHERE kind = 'decision'")}
    assert whole, "nothing was printed before the kill"
    assert {r["application"] for r in whole} <= recorded
    assert len(recorded) < N
