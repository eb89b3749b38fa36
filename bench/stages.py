"""Where a screening spends its CPU: each stage of the hot path, timed on its own.

Screening takes an application through these stages; here each is run over the whole
batch before the next (so each is timed alone, on one core, in CPU seconds of this
process), through the same functions ``subsidy screen`` calls:

* keys      — every JSON Lines record looked at for its key, and the keys sorted
* parse     — a record read again by its offset
* validate  — the record validated as an application (straight from its bytes when it is
  plain, else parsed first); its canonical input and hash
* facts     — each claim made the engine's fact (projected as the engine reads it)
* engine    — the verdicts of the compiled rules, in batched durable_rules sessions
* decide    — the rest of deciding: statuses, outcome, award arithmetic, the ledger
* explain   — every criterion's explanation and each decision's summary, in words, as
  recording words them (prepared once, memoised by the values shown: :mod:`engine.explain.prepared`)
* serialise — the decision laid out as the record's body and the ``--format jsonl`` line
  (:func:`engine.services.recording.record_decision` less the words), and its index rows
* store     — the records appended, chained and indexed in a new SQLite store, 500 a transaction
"""

from __future__ import annotations

import gc
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STAGES = ("keys", "parse", "validate", "facts", "engine", "decide", "explain", "serialise", "store")


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def stage_times(batch: Path, n: int) -> dict[str, float]:
    """CPU seconds per application of each stage, for the ``n`` records of ``batch``, with the
    cyclic collector set as the batch commands set it (run alone or after ``eval``, the same)."""
    from engine import Evaluator, load_rulebook, open_store
    from engine.cli.common import tune_gc
    from engine.evaluation.facts import LedgerView, application_part, build_fact
    from engine.explain import prepared
    from engine.explain.sentences import summary
    from engine.reading import Entry, LineReader, iter_sources, read_validated
    from engine.rulebook.compiler import compile_ruleset
    from engine.rulebook.sizes import computed_facts
    from engine.services.ordering import KeySort
    from engine.services.recording import record_decision
    from engine.store import input_hash

    threshold = gc.get_threshold()
    rulebook = load_rulebook()
    evaluator = Evaluator(rulebook)
    tune_gc()
    seconds: dict[str, float] = {}

    def keys() -> list[Any]:
        with KeySort() as sort:
            for i, entry in enumerate(iter_sources([batch], keep_text=False)):
                source = entry.source
                sort.add((*(entry.key or ("", "")), i, source.file, source.line or 0, source.offset, source.size or 0))
            return [entry for entry in sort.sorted()]

    seconds["keys"], sorted_keys = _timed(keys)
    from engine.reading import Source

    refs = [Source(file, line, offset, size) for *_, file, line, offset, size in sorted_keys]

    def parse() -> list[Any]:
        with LineReader() as lines:
            return [(ref, lines.read(ref)) for ref in refs]

    seconds["parse"], parsed = _timed(parse)

    def validate() -> list[Any]:
        out = []
        for ref, data in parsed:
            found = read_validated(Entry(ref, None, data), rulebook)
            out.append((ref, found.application, found.canonical, input_hash(found.canonical)))
        return out

    seconds["validate"], apps = _timed(validate)
    gc.collect()
    gc.freeze()

    def facts() -> list[Any]:
        out = []
        for _, app, _, _ in apps:
            ruleset = evaluator.ruleset_for(app)
            compiled = compile_ruleset(ruleset)
            part = application_part(app)
            for claim in app.claims:
                fact = build_fact(part, claim, LedgerView())
                computed_facts(ruleset, fact, app.submitted_on)
                compiled.programs[claim.program].project(fact)
                out.append((compiled, fact, ruleset.period_of(app.submitted_on)))
        return out

    compile_ruleset(rulebook.rulesets[0])  # compiled before the clock starts
    seconds["facts"], claims = _timed(facts)

    def engine() -> None:
        for start in range(0, len(claims), 250):
            chunk = claims[start : start + 250]
            chunk[0][0].verdicts_many([(fact, period) for _, fact, period in chunk])

    seconds["engine"], _ = _timed(engine)

    def evaluate() -> list[Any]:
        out = []
        for start in range(0, len(apps), 250):
            chunk = apps[start : start + 250]
            out += evaluator.evaluate_many([(app, None, None) for _, app, _, _ in chunk])
        return out

    total, assessments = _timed(evaluate)
    seconds["decide"] = max(total - seconds["facts"] - seconds["engine"], 0.0)
    rulesets = [rulebook.by_id(a.ruleset_id) for a in assessments]

    def words() -> None:
        for assessment, ruleset in zip(assessments, rulesets, strict=True):
            worded = prepared.wording(ruleset, "zh", assessment.submitted_on)
            for decision in assessment.decisions:
                said = {id(c): worded.said(c) for c in decision.criteria}
                summary(decision, "zh", lambda c, said=said: said[id(c)], worded.base)  # type: ignore[misc]

    prepared.forget()  # words memoised over this batch only, as a screening of it would
    seconds["explain"], _ = _timed(words)
    prepared.forget()  # and worded again, as recording words them

    def serialise() -> list[Any]:
        out = []
        for (ref, app, canonical, digest), assessment, ruleset in zip(apps, assessments, rulesets, strict=True):
            made = record_decision(
                assessment,
                ruleset,
                source=str(ref),
                input_json=canonical,
                digest=digest,
                ledger_seen=[],
                division=app.applicant.division,
            )
            out.append(made.record)  # made.line: the --format jsonl line
        return out

    both, records = _timed(serialise)
    seconds["serialise"] = max(both - seconds["explain"], 0.0)

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(os.path.join(tmp, "stages.db"), create=True)
        ruleset = rulebook.rulesets[0]

        def write() -> None:
            for start in range(0, len(records), 500):
                with store.writing() as transaction:
                    transaction.archive_ruleset(ruleset.id, ruleset.version, ruleset.files)
                    transaction.recorded_input_hashes([r.application for r in records[start : start + 500]])
                    for record in records[start : start + 500]:
                        transaction.append(record)

        seconds["store"], _ = _timed(write)
        store.close()
    gc.unfreeze()
    gc.set_threshold(*threshold)
    return {stage: seconds[stage] / n for stage in STAGES}


def print_stages(batch: Path, n: int) -> None:
    per_app = stage_times(batch, n)
    total = sum(per_app.values())
    print(f"stages of a screening of {n:,} applications, CPU per application (one core)")
    for stage in STAGES:
        share = per_app[stage] / total * 100 if total else 0.0
        print(f"  {stage:<10} {per_app[stage] * 1e6:7.1f} µs  {share:5.1f} %")
    print(f"  {'sum':<10} {total * 1e6:7.1f} µs  = {1 / total:,.0f} applications/s per core")


def write_batch(path: Path, n: int, seed: int) -> None:
    from engine.generate import generate_many

    with path.open("w", encoding="utf-8") as out:
        for record in generate_many(n, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
