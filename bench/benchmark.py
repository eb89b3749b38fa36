"""Benchmarks: prints figures, never fails on them.

    python bench/benchmark.py                 # every section, default sizes
    python bench/benchmark.py eval --n 20000  # one section

Sections
  eval    in-process evaluation of N generated applications (seeded), with full
          explanations, through durable_rules and through the oracle, side by side,
          on one CPU core
  cold    a cold `subsidy check` of one sample file, as a new process each time
  screen  `subsidy screen` of N generated applications from one .jsonl file into
          a fresh SQLite store, end to end, with its worker processes and in one
          process; then `subsidy replay` and `verify` of the store

The process is pinned to one CPU core where the OS allows it, and in-process
figures are in CPU seconds of this process, so "applications per second" means
per core. Whole commands (cold, screen) are timed by the wall clock. Peak memory
is the process's maximum resident set.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pydantic_core import to_json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


ALL_CPUS = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set()


def pin_one_core() -> str:
    try:
        cpu = min(ALL_CPUS)
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError, ValueError):
        return "not pinned"


def unpin() -> None:
    try:
        os.sched_setaffinity(0, ALL_CPUS)
    except (AttributeError, OSError):
        pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    """The best of several runs, in CPU seconds of this process (so another program on the
    same core does not count against it)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def tune_gc() -> None:
    """What the batch commands do too: long-lived objects (rules, compiled engine, the
    batch) are frozen out of the cyclic collector, which is run less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


def section_eval(n: int, seed: int, runs: int) -> None:
    from engine import Evaluator, Ruleset, assessment_json, iter_upload, load_rulebook
    from engine.generate import generate_many

    rulebook = load_rulebook()
    batch = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in generate_many(n, seed)).encode("utf-8")
    start = time.process_time()
    apps = [record.application for record in iter_upload(batch, "generated.jsonl", rulebook) if record.application]
    parse = time.process_time() - start
    claims = sum(len(a.claims) for a in apps)
    tune_gc()
    print(f"eval: {n:,} generated applications (seed {seed}), {claims:,} claims; best of {runs} runs")
    print(f"  read and validate (the reader, .jsonl)   {n / parse:>9,.0f} apps/s")
    for backend in ("durable_rules", "oracle"):
        evaluator = Evaluator(rulebook, backend=backend)
        ruleset = rulebook.rulesets[0]
        for app in apps[:50]:  # compile and warm up
            evaluator.evaluate(app)

        def decide(evaluator: Evaluator = evaluator) -> None:
            for app in apps:
                evaluator.evaluate(app)

        def explain(evaluator: Evaluator = evaluator, ruleset: Ruleset = ruleset) -> None:
            for app in apps:
                assessment_json(evaluator.evaluate(app), ruleset)

        def serialise(evaluator: Evaluator = evaluator, ruleset: Ruleset = ruleset) -> None:
            for app in apps:
                to_json(assessment_json(evaluator.evaluate(app), ruleset))

        for label, fn in (
            ("decisions, every criterion traced", decide),
            ("+ explanations in words (zh)", explain),
            ("+ serialised as the contract's JSON", serialise),
        ):
            seconds = best_of(runs, fn)
            print(f"  {backend:<14} {label:<38} {n / seconds:>7,.0f} apps/s  ({seconds / n * 1e6:,.0f} µs/app)")
    print(f"  peak memory {peak_rss_mb():,.0f} MB")


def section_cold(runs: int) -> None:
    exe = Path(sys.executable).with_name("subsidy")
    sample = ROOT / "applications" / "purchase-two-deals.yaml"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), "check", str(sample)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    print(
        f"cold `subsidy check` of one file ({runs} new processes): "
        f"min {min(times):.3f} s, median {statistics.median(times):.3f} s, max {max(times):.3f} s"
    )


def section_screen(n: int, seed: int, only_screen: bool = False) -> None:
    from engine.generate import generate_many

    exe = Path(sys.executable).with_name("subsidy")
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        with batch.open("w", encoding="utf-8") as out:
            for record in generate_many(n, seed):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        db = Path(tmp) / "store.db"
        commands = [
            ("screen", ["screen", str(batch), "--db", str(db), "--format", "jsonl", "--quiet"]),
            ("replay", ["replay", "--db", str(db)]),
            ("verify", ["verify", "--db", str(db)]),
        ]
        if not only_screen:  # one process, for comparison: into a store of its own
            single = Path(tmp) / "single.db"
            args = ["screen", str(batch), "--db", str(single), "--format", "jsonl", "--quiet", "--workers", "0"]
            commands.insert(1, ("screen, one process", args))
        for label, args in commands[:1] if only_screen else commands:
            start = time.perf_counter()
            proc = subprocess.run(
                ["/usr/bin/time", "-f", "%M", str(exe), *args],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            elapsed = time.perf_counter() - start
            peak_kb = int(proc.stderr.strip().splitlines()[-1]) if proc.stderr.strip() else 0
            print(
                f"  {label:<20} {n:,} applications: {elapsed:6.1f} s = {n / elapsed:>7,.0f} apps/s, "
                f"peak memory {peak_kb / 1024:,.0f} MB, exit {proc.returncode}"
            )
        print(f"  store size {db.stat().st_size / 1e6:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sections", nargs="*", default=["eval", "cold"], choices=["eval", "cold", "screen"])
    parser.add_argument("--n", type=int, default=10_000, help="applications for eval (default 10,000)")
    parser.add_argument("--screen-n", type=int, default=100_000, help="applications for screen")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"load average {os.getloadavg()[0]:.2f} (above ~0.5 on 2 cores: other work shares the machine)")
    if "eval" in args.sections:
        print(f"in-process evaluation, {pin_one_core()}")
        section_eval(args.n, args.seed, args.runs)
        unpin()
    if "cold" in args.sections:
        section_cold(max(args.runs, 5))
    if "screen" in args.sections:
        small = max(args.screen_n // 5, 1)
        print(f"screen: {small:,} generated applications, for the memory it needs at a fifth of the size")
        section_screen(small, args.seed, only_screen=True)
        print(f"screen: {args.screen_n:,} generated applications from one .jsonl file (all {len(ALL_CPUS)} CPUs)")
        section_screen(args.screen_n, args.seed)


if __name__ == "__main__":
    main()
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
