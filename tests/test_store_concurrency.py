"""Many writers on one store: real `screen` processes and settle loops colliding on caps and patents.

Runs the proof script (``bench/concurrency.py``, which the benchmarks repeat 20 times)
once per backend, small: four screens and two settle loops at once, and checks what the
store holds afterwards — no cap passed, no patent awarded twice, every application
recorded exactly once, the chain intact, every decision reproduced. And two screening
rounds, each one transaction (``--batch 0``), screened at once end exactly as if one had
run after the other.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers_store import (
    ROOT,
    credit_code,
    enterprise_app,
    p2_claim,
    patent_number,
    proc_env,
    query,
    run_proc,
    write_jsonl,
)

pytestmark = pytest.mark.slow


def test_four_screens_and_two_settle_loops_break_no_limit(store_url: str, tmp_path: Any) -> None:
    argv = [sys.executable, str(ROOT / "bench" / "concurrency.py"), "--runs", "1", "--enterprises", "4", "--json"]
    if store_url.startswith("postgresql://"):
        argv += ["--server", store_url]
    else:
        argv += ["--sqlite"]
    done = subprocess.run(argv, cwd=ROOT, env=proc_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (run,) = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert run["errors"] == [] and run["ok"] is True, run
    assert (run["broken_caps"], run["broken_patents"], run["not_once"], run["chain_faults"]) == (0, 0, 0, 0)
    assert run["replay_differences"] == 0
    assert run["applications"] == 28 and run["recorded"] == 28
    assert run["patents_refused"] == 4  # each enterprise's second claim on its one patent
    assert run["capped"] >= 8  # at least two of each enterprise's four purchases were cut by the cap


def _round(folder: Path, name: str, offset: int) -> Path:
    """A round: for each of three enterprises, three purchases of 90,000.00 on different days."""
    apps = []
    for e in range(3):
        holder, code = f"濮阳市轮次测试{e}有限公司", credit_code(900 + e)
        for k in range(3):
            number = patent_number(2020, 900 + e * 10 + k + offset)
            day = f"2024-0{3 + k}-{10 + offset:02d}"
            apps.append(enterprise_app(f"{name}-{e}-{k}", day, holder, code, [p2_claim(number, holder, "900000.00")]))
    return write_jsonl(folder / f"{name}.jsonl", apps)


def _outcomes(db: str) -> dict[str, tuple[str, str | None]]:
    rows = query(db, "SELECT decision_id, outcome, amount_fen FROM decisions ORDER BY decision_id")
    return {d: (outcome, None if fen is None else f"{fen / 100:.2f}") for d, outcome, fen in rows}


def test_two_rounds_screened_at_once_end_as_if_one_ran_after_the_other(store_url: str, tmp_path: Path) -> None:
    first, second = _round(tmp_path, "RA", 0), _round(tmp_path, "RB", 1)
    serial = []
    for order in ((first, second), (second, first)):
        db = str(tmp_path / f"serial-{order[0].stem}.db")
        for batch in order:
            assert run_proc("screen", batch, "--db", db, "--batch", "0", "--quiet").returncode == 0
        serial.append(_outcomes(db))
    assert serial[0] != serial[1]  # the order matters: the cap's room goes to the round that runs first
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "engine.cli", "screen", str(batch), "--db", store_url, "--batch", "0", "--quiet"],
            cwd=ROOT,
            env=proc_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for batch in (first, second)
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert _outcomes(store_url) in serial
