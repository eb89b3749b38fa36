"""Benchmarks: prints figures, never fails on them.

    python bench/benchmark.py                         # eval, stages, cold (quick)
    python bench/benchmark.py screen --screen-n 100000
    python bench/benchmark.py eval stages cold screen --against main~5   # and an earlier commit, same run

Sections
  eval    in-process evaluation of N generated applications (seeded), decided together as
          screening decides them (250 at a time) and each batch explained as soon as it is
          decided, as screening explains it, with full explanations, through durable_rules and
          through the oracle, side by side, on one CPU core (and explained only once all are
          decided, the form of the figures up to round 5); and as screen serialises a decision
          (its --format jsonl line and the stored decision, laid out together)
  stages  the CPU per application of each stage of a screening (bench/stages.py)
  cold    a cold `subsidy check` of one sample file, as a new process each time: the engine
          byte-compiled as an installed one is, one unmeasured run first (the rules cache)
  screen  `subsidy screen` of N generated applications from one .jsonl file into a new
          SQLite store, end to end: in one process (the default on a machine with fewer than
          three idle cores) and with two workers; then `replay` and `verify` of the store (verify
          also in two processes, each a range of the chain)
  memory  the peak memory of `subsidy screen` at each of --memory-n sizes (flat, or not)
  stores  the same screening into a new SQLite file and a new PostgreSQL database, side
          by side, in one process and with two workers, then verify of each: on a cluster
          started here (fsync on, commits asynchronous as SQLite's synchronous=NORMAL), or
          the server --server names; the server's own CPU is not in the CPU figures

The process is pinned to one CPU core for in-process figures, which are in CPU seconds of
this process ("applications per second" means per core). Whole commands are timed by the
wall clock, their CPU (user + system, every process of the command) and peak memory (the
command's largest process) taken from the OS. ``--against REV`` runs the benchmark of an
earlier commit right after, on the same machine, from a temporary worktree. The load
average is printed at the start and the end: figures taken above ~0.5 on two cores are
contended.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # pg_cluster: a throwaway PostgreSQL cluster

ALL_CPUS = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set()
EXE = Path(sys.executable).with_name("subsidy")


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
    """The best of several runs, in CPU seconds of this process."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def section_eval(n: int, seed: int, runs: int) -> None:
    from engine import Evaluator, assessment_json, iter_upload, load_rulebook
    from engine.cli.common import tune_gc
    from engine.explain.contract_text import decision_texts
    from engine.explain.json_bytes import json_bytes
    from engine.generate import generate_many
    from engine.store import decision_id

    rulebook = load_rulebook()
    batch = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in generate_many(n, seed)).encode("utf-8")
    start = time.process_time()
    apps = [record.application for record in iter_upload(batch, "generated.jsonl", rulebook) if record.application]
    parse = time.process_time() - start
    claims = sum(len(a.claims) for a in apps)
    tune_gc()  # as the batch commands set the cyclic collector
    print(f"eval: {n:,} generated applications (seed {seed}), {claims:,} claims; best of {runs} runs")
    print(f"  read and validate (the reader, .jsonl)   {n / parse:>9,.0f} apps/s")
    chunks = [apps[i : i + 250] for i in range(0, len(apps), 250)]  # as screening hands them out
    for backend in ("durable_rules", "oracle"):
        evaluator = Evaluator(rulebook, backend=backend)
        evaluator.evaluate_many([(app, None, None) for app in apps[:50]])  # compile and warm up

        def decided(evaluator: Evaluator = evaluator) -> Iterator[list[Any]]:
            for chunk in chunks:
                yield evaluator.evaluate_many([(app, None, None) for app in chunk])

        def decide() -> None:
            for _ in decided():
                pass

        def explain() -> None:  # chunk by chunk, as screen explains what it has just decided
            for assessments in decided():
                for assessment in assessments:
                    assessment_json(assessment, rulebook.by_id(assessment.ruleset_id))

        def explain_held() -> None:  # every decision held first (this row's form up to round 5)
            for assessment in [a for assessments in decided() for a in assessments]:
                assessment_json(assessment, rulebook.by_id(assessment.ruleset_id))

        def serialise() -> None:  # as check --format json and the web API write it
            for assessments in decided():
                for assessment in assessments:
                    json_bytes(assessment_json(assessment, rulebook.by_id(assessment.ruleset_id)))

        def texts() -> None:  # what screen serialises: the --format jsonl line and the stored decision
            for assessments in decided():
                for assessment in assessments:
                    ids = [decision_id(assessment.application_id, d.claim) for d in assessment.decisions]
                    decision_texts(assessment, rulebook.by_id(assessment.ruleset_id), ids)

        for label, fn in (
            ("decisions, every criterion traced", decide),
            ("+ explanations in words (zh)", explain),
            ("  (every decision held first)", explain_held),
            ("+ serialised as the contract's JSON", serialise),
            ("+ screen's line and stored decision", texts),
        ):
            seconds = best_of(runs, fn)
            print(f"  {backend:<14} {label:<38} {n / seconds:>7,.0f} apps/s  ({seconds / n * 1e6:,.0f} µs/app)")
    print(f"  peak memory {peak_rss_mb():,.0f} MB")


def section_stages(n: int, seed: int) -> None:
    from stages import print_stages, write_batch

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        write_batch(batch, n, seed)
        print_stages(batch, n)


def compile_engine(tree: Path) -> None:
    """Byte-compile ``tree``'s engine package, as installing it does (pip compiles what it
    installs): an editable checkout run with PYTHONDONTWRITEBYTECODE set would otherwise
    compile every module from source at every start, and a cold start would measure that."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "engine")], check=True)


def section_cold(runs: int) -> None:
    sample = ROOT / "applications" / "purchase-two-deals.yaml"
    compile_engine(ROOT)
    subprocess.run([str(EXE), "check", str(sample)], check=True, capture_output=True)  # bytecode, rules cache
    times, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([str(EXE), "check", str(sample)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    print(
        f"cold `subsidy check` of one file ({runs} new processes after one unmeasured, engine byte-compiled): "
        f"min {min(times):.3f} s, median {statistics.median(times):.3f} s, max {max(times):.3f} s; "
        f"CPU min {min(cpus):.3f} s, median {statistics.median(cpus):.3f} s"
    )


def command(label: str, args: list[str], n: int, unit: str = "applications") -> None:
    """Run one `subsidy` command; print its rate, CPU per item and peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", str(EXE), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = proc.stderr.strip().splitlines()
    peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    print(
        f"  {label:<24} {n:,} {unit}: {elapsed:6.1f} s = {n / elapsed:>7,.0f}/s, "
        f"CPU {cpu / n * 1e3:.2f} ms each, peak memory {peak_kb / 1024:,.0f} MB, exit {proc.returncode}"
    )


def section_screen(n: int, seed: int) -> None:
    from stages import write_batch

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        write_batch(batch, n, seed)
        print(f"screen: {n:,} generated applications from one .jsonl file into a new SQLite store")
        db, other = Path(tmp) / "store.db", Path(tmp) / "workers.db"
        screen = ["screen", str(batch), "--format", "jsonl", "--quiet"]
        command("screen, one process", [*screen, "--db", str(db), "--workers", "0"], n)
        command("screen, two workers", [*screen, "--db", str(other), "--workers", "2"], n)
        command("replay", ["replay", "--db", str(db), "--workers", "0"], n)
        command("verify", ["verify", "--db", str(db)], n, "records")
        command("verify, two processes", ["verify", "--db", str(db), "--workers", "2"], n, "records")
        print(f"  store size {db.stat().st_size / 1e6:,.0f} MB ({db.stat().st_size / n / 1e3:.1f} KB a record)")


def section_memory(sizes: list[int], seed: int) -> None:
    from stages import write_batch

    print("screen's peak memory by the size of the batch (one process)")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            batch = Path(tmp) / "batch.jsonl"
            write_batch(batch, n, seed)
            screen = ["screen", str(batch), "--db", str(Path(tmp) / "store.db"), "--format", "jsonl", "--quiet"]
            command("screen", [*screen, "--workers", "0"], n)


def against(rev: str, argv: list[str]) -> None:
    """The benchmark of an earlier commit, with the sections it has, from a temporary worktree."""
    print(f"\n===== the same benchmark at {rev}, same machine, same run =====", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-against-"))
    tree = tmp / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True)
    try:
        compile_engine(tree)  # as this tree's engine is: a cold start compares like with like
        env = dict(os.environ, PYTHONPATH=str(tree))  # its engine, not this one, for every command it runs
        script = str(tree / "bench" / "benchmark.py")
        usage = subprocess.run([sys.executable, script, "--help"], env=env, capture_output=True, text=True).stdout
        kept = [a for a in argv if a.startswith("-") or not a.isalpha() or a in usage]  # the sections it has
        skipped = [a for a in argv if a not in kept]
        if skipped:
            print(f"(it has no section {', '.join(skipped)})", flush=True)
        if any(a.isalpha() for a in kept):  # else it would run its own default sections
            subprocess.run([sys.executable, script, *kept], env=env, check=False)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def section_stores(n: int, seed: int, server: str | None) -> None:
    """Screening N applications into a new SQLite file and a new PostgreSQL database, side by side."""
    import pg_cluster
    from stages import write_batch

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        write_batch(batch, n, seed)
        cluster = None
        if server is None:
            cluster = Path(tmp) / "cluster"
            server = pg_cluster.start(cluster, durable=True)
        print(f"stores: {n:,} generated applications from one .jsonl file, into SQLite and into PostgreSQL")
        try:
            base, _, _ = server.rpartition("/")
            screen = ["screen", str(batch), "--format", "jsonl", "--quiet"]
            for workers in ("0", "2"):
                stores = (
                    ("SQLite", str(Path(tmp) / f"store-{workers}.db")),
                    ("PostgreSQL", f"{base}/bench_{os.getpid()}_{workers}"),
                )
                for kind, db in stores:
                    command(
                        f"{kind}, {'one process' if workers == '0' else 'two workers'}",
                        [*screen, "--db", db, "--workers", workers],
                        n,
                    )
            for kind, db in stores:
                command(f"{kind}, verify", ["verify", "--db", db], n, "records")
                command(f"{kind}, verify in two", ["verify", "--db", db, "--workers", "2"], n, "records")
        finally:
            if cluster is not None:
                pg_cluster.stop(cluster)


SECTIONS = ("eval", "stages", "cold", "screen", "memory", "stores")
QUICK = ["eval", "stages", "cold"]  # the sections run when none is named


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: the sections named (:data:`QUICK` when none is) and the sizes."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # no choices here: argparse holds an empty list of sections itself to them, and refuses it
    parser.add_argument(
        "sections", nargs="*", metavar="SECTION", help=f"{', '.join(SECTIONS)} (default: {' '.join(QUICK)})"
    )
    parser.add_argument("--n", type=int, default=10_000, help="applications for eval and stages (default 10,000)")
    parser.add_argument("--screen-n", type=int, default=100_000, help="applications for screen (default 100,000)")
    parser.add_argument("--memory-n", default="10000,100000", help="sizes for memory (default 10000,100000)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="then the benchmark of this commit, in the same run")
    parser.add_argument("--server", default=None, help="stores: a PostgreSQL URL (default: start a cluster here)")
    args = parser.parse_args(argv)
    for section in args.sections:
        if section not in SECTIONS:
            parser.error(f"invalid choice: {section!r} (choose from {', '.join(SECTIONS)})")
    args.sections = args.sections or list(QUICK)
    return args


def main() -> None:
    args = parse()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    load = os.getloadavg()[0]
    print(f"load average {load:.2f} ({'quiet' if load < 0.5 else 'contended: other work shares the machine'})")
    if "eval" in args.sections:
        print(f"in-process evaluation, {pin_one_core()}")
        section_eval(args.n, args.seed, args.runs)
        unpin()
    if "stages" in args.sections:
        pin_one_core()
        section_stages(args.n, args.seed)
        unpin()
    if "cold" in args.sections:
        section_cold(max(args.runs, 9))
    if "screen" in args.sections:
        section_screen(args.screen_n, args.seed)
    if "memory" in args.sections:
        section_memory([int(x) for x in args.memory_n.split(",")], args.seed)
    if "stores" in args.sections:
        section_stores(args.screen_n, args.seed, args.server)
    print(f"load average at the end {os.getloadavg()[0]:.2f}", flush=True)
    if args.against:
        known = [s for s in args.sections if s in ("eval", "stages", "cold", "screen")]  # what earlier ones had
        # the same sizes, seed and runs (the best of 9 against the best of 3 would flatter this side)
        same = ["--n", str(args.n), "--screen-n", str(args.screen_n), "--seed", str(args.seed)]
        against(args.against, [*known, *same, "--runs", str(args.runs)])


if __name__ == "__main__":
    main()
