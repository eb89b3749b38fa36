"""A small run of the fuzzer (bench/fuzz.py): mutated applications are decided or refused,
never an internal error; a few go through `subsidy check` and `subsidy screen` as processes.

The full run (20,000 applications, with figures for time and memory) is `bench/fuzz.py`; the
suite times nothing.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("bench_fuzz", ROOT / "bench" / "fuzz.py")
assert _SPEC is not None and _SPEC.loader is not None
fuzz = importlib.util.module_from_spec(_SPEC)
sys.modules["bench_fuzz"] = fuzz  # its dataclasses look their module up by name
_SPEC.loader.exec_module(fuzz)


def test_mutated_applications_are_decided_or_refused_never_an_internal_error(tmp_path: Path) -> None:
    report = fuzz.run(300, seed=20241, processes=2, out=tmp_path, log=lambda _: None)
    assert report.records == 300
    assert report.internal == [], report.text()
    assert report.process_failures == [], report.text()
    assert report.processes == 3  # two checks and one screen of both
    assert report.outcomes["decided"] > 0 and report.outcomes["refused"] > 0, report.outcomes


def test_the_mutators_change_what_they_are_given() -> None:
    from engine.generate import generate_many

    rng = random.Random(3)
    base = next(generate_many(1, seed=3))
    changed = [fuzz.mutate_data(base, rng) for _ in range(50)]
    assert sum(c != base for c in changed) > 40
    assert next(generate_many(1, seed=3)) == base  # the base is never changed in place
    text = b"format: 1\nid: X\n"
    assert sum(fuzz.mutate_bytes(text, rng) != text for _ in range(50)) > 40
