"""Benchmark of the policy sandbox: `subsidy impact` over a store of N recorded applications.

    python bench/impact_benchmark.py                    # 100,000 generated applications, screened first
    python bench/impact_benchmark.py --db store.db      # an existing store (kept as it is)

Prints figures, never fails on them. The store is made with `subsidy screen` from the
seeded generator (engine/generate.py); the what-if is the P1 award at 300,000.00 and the
P2 cap at 300,000.00, so every P1 award and the cap arithmetic of every enterprise with
P2 claims is recomputed in order. Timed by the wall clock, as a new process; the peak
memory is the process's maximum resident set.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = ["--set", "award_per_patent=300000.00", "--set", "purchase_reward_cap=300000.00"]


def timed(args: list[str]) -> tuple[float, int, str]:
    exe = Path(sys.executable).with_name("subsidy")
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", str(exe), *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak_kb = int(proc.stderr.strip().splitlines()[-1]) if proc.stderr.strip() else 0
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
    return elapsed, peak_kb, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="applications to generate and screen first")
    parser.add_argument("--db", type=Path, default=None, help="an existing store instead")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (above ~0.5 on 2 cores: other work shares the machine)")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from engine.generate import generate_many

            batch = Path(tmp) / "batch.jsonl"
            with batch.open("w", encoding="utf-8") as out:
                for record in generate_many(args.n, args.seed):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            db = Path(tmp) / "store.db"
            elapsed, _, _ = timed(["screen", str(batch), "--db", str(db), "--format", "jsonl", "--quiet"])
            print(f"  screened {args.n:,} applications into a new store in {elapsed:.1f} s")
        elapsed, peak_kb, out = timed(["impact", "--db", str(db), *SETTINGS, "--format", "csv", "--quiet"])
        changed = max(out.count("\n") - 1, 0)
        records = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import sqlite3; print(sqlite3.connect({str(db)!r}).execute("
                "\"select count(*) from records where kind='decision'\").fetchone()[0])",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(
            f"  impact over {int(records):,} recorded applications: {elapsed:.1f} s = "
            f"{int(records) / elapsed:,.0f} applications/s, {changed:,} decisions change, "
            f"peak memory {peak_kb / 1024:,.0f} MB"
        )


if __name__ == "__main__":
    main()
