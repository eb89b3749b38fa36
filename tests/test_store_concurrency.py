"""Many writers on one store: real `screen` processes and settle loops colliding on caps and patents.

Runs the proof script (``bench/concurrency.py``, which the benchmarks repeat 20 times)
once per backend, small: four screens and two settle loops at once, and checks what the
store holds afterwards — no cap passed, no patent awarded twice, every application
recorded exactly once, the chain intact, every decision reproduced.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from helpers_store import ROOT, proc_env

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
