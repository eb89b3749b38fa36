"""The engine's envelope over a million claims: memory flat, sessions deleted, answers right.

    python bench/engine_envelope.py                # 1,000,000 claims
    python bench/engine_envelope.py --claims 100000

Claims of generated applications are decided through the compiled rules in batched
sessions (as screening does) over and over; the resident memory is printed as it goes, and
the run ends with the growth after the first pass, the sessions opened and still live, and
a check that the last pass answered exactly as the first. The suite runs a smaller version
(``tests/test_engine_envelope.py``); this takes minutes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1_000, help="claims decided together (default 1,000)")
    args = parser.parse_args()

    import engine.rulebook.compiler as compiler
    from engine import Evaluator, load_rulebook
    from engine.evaluation.facts import LedgerView, application_part, build_fact
    from engine.generate import generate_many
    from engine.reading import application_from_data
    from engine.rulebook.sizes import computed_facts
    from engine.yamlio import Located

    rulebook = load_rulebook()
    evaluator = Evaluator(rulebook)
    asked: list[tuple[Any, dict[str, Any], Any]] = []
    for data in generate_many(5_000, seed=2022):
        app = application_from_data(Located(data, {}, "generated"), rulebook)
        ruleset = evaluator.ruleset_for(app)
        part = application_part(app)
        for claim in app.claims:
            fact = build_fact(part, claim, LedgerView())
            computed_facts(ruleset, fact, app.submitted_on)
            asked.append((compiler.compile_ruleset(ruleset), fact, ruleset.period_of(app.submitted_on)))
    batches = [asked[i : i + args.batch] for i in range(0, len(asked), args.batch)]

    live: set[str] = set()
    opened = 0
    core = compiler._core
    real_one, real_many, real_delete = core.assert_fact, core.assert_facts, core.delete_state

    def note(text: str) -> None:
        nonlocal opened
        opened += 1
        live.add(text[text.index('"sid":"') + 7 :].split('"', 1)[0])

    def assert_fact(handle: int, text: str) -> Any:
        note(text)
        return real_one(handle, text)

    def assert_facts(handle: int, text: str) -> Any:
        note(text)
        return real_many(handle, text)

    def delete_state(handle: int, sid: str) -> Any:
        live.discard(sid)
        return real_delete(handle, sid)

    compiler._core.assert_fact, compiler._core.assert_facts = assert_fact, assert_facts  # type: ignore[attr-defined]
    compiler._core.delete_state = delete_state  # type: ignore[attr-defined]

    def decide(batch: list[tuple[Any, dict[str, Any], Any]]) -> list[dict[Any, str]]:
        return batch[0][0].verdicts_many([(fact, period) for _, fact, period in batch])

    first = [decide(b) for b in batches]
    last = [decide(b) for b in batches]  # from now on two passes' answers are held at a time
    start_mb, start = resident_mb(), time.perf_counter()
    print(f"{len(asked):,} claims of 5,000 generated applications, in batches of {args.batch:,}")
    print(f"after two passes: {resident_mb():,.1f} MB resident")
    done, passes = 2 * len(asked), 2
    while done < args.claims:
        last = [decide(b) for b in batches]
        done += len(asked)
        passes += 1
        if passes % 10 == 0:
            print(f"  {done:>9,} claims: {resident_mb():,.1f} MB resident")
    elapsed = time.perf_counter() - start
    print(
        f"{done:,} claims in {passes} passes, {opened:,} sessions opened, {len(live)} still live; "
        f"growth after the first two passes {resident_mb() - start_mb:+.1f} MB; "
        f"{(done - 2 * len(asked)) / elapsed:,.0f} claims/s; last pass as the first: {last == first}"
    )


if __name__ == "__main__":
    main()
