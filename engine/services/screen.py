"""Screening a batch into the store: in (submitted_on, id) order, flat memory, crash-safe.

Two passes, so that ordering never holds the batch in memory:

1. every file and ``.jsonl`` line is read once for just its ``id`` and
   ``submitted_on``; the key and where to find the record again go into a
   temporary on-disk SQLite table (the external sort). Records that cannot be
   read at all are reported here.
2. the keys are read back in (``submitted_on``, ``id``) order. Worker processes
   (one per core) read each record again, validate it and evaluate it
   *speculatively*, assuming the limits it asks about are untouched, and render
   its explanation; this process takes their results in order, asks the store
   what those limits really hold — if anything, it evaluates the record again
   itself with the store's answers — and records the decision. Only this
   process writes. Applications are committed in small batches: a run killed
   at any point leaves only whole, chained records, and running the same
   command again finishes the batch without awarding anything twice.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..errors import ApplicationError, Problem
from ..evaluation.decision import Assessment, AwardRef
from ..evaluation.evaluate import Evaluator
from ..model import Application
from ..reading import Entry, Source, iter_sources, read_document
from ..rulebook import Rulebook, Ruleset
from ..store import Award, Store, now, record_json
from .ledger import StoreLedger
from .pipeline import pipelined, worker_count
from .recording import awards_of, decision_body, input_hash, record_body, result_json, stored_result

__all__ = ["Outcome", "ScreenSummary", "screen"]

BATCH = 500  # applications per transaction


@dataclass
class Outcome:
    """What happened to one record of the batch."""

    source: str
    application: str | None
    status: str  # recorded | skipped (already recorded) | invalid | ignored (not an application file)
    output: str | None = None  # the decision rendered for stdout, in the batch's format
    error: ApplicationError | None = None
    reason: str | None = None  # why a file was ignored


@dataclass
class ScreenSummary:
    recorded: int = 0
    skipped: int = 0
    invalid: int = 0
    ignored: int = 0
    problems: list[Problem] = field(default_factory=list)


Render = Callable[[Assessment, Ruleset, dict[str, Any]], str]


def screen(
    paths: list[str | Path],
    store: Store,
    rulebook: Rulebook,
    emit: Callable[[Outcome], None],
    render: Render,
    progress: Callable[[int, int], None] | None = None,
) -> ScreenSummary:
    """Screen every application under ``paths`` into ``store``; ``emit`` sees each outcome,
    whose ``output`` is what ``render`` made of its decision."""
    summary = ScreenSummary()
    evaluator = Evaluator(rulebook)
    ledger = StoreLedger(store)
    _clean_stale_sorts()
    with tempfile.TemporaryDirectory(prefix=f"subsidy-sort-{os.getpid()}-") as tmp:
        sort_path = str(Path(tmp) / "sort.db")
        sort = sqlite3.connect(sort_path, isolation_level=None)
        sort.execute("PRAGMA journal_mode=OFF")
        sort.execute("PRAGMA synchronous=OFF")
        sort.execute("CREATE TABLE pending (submitted TEXT, id TEXT, n INTEGER, file TEXT, line INTEGER, text TEXT)")
        total = _first_pass(paths, sort, summary, emit)
        sort.execute("CREATE INDEX pending_order ON pending (submitted, id, n)")
        sort.close()

        def produce() -> Iterator[tuple[str, int, bytes | None]]:
            rows = sqlite3.connect(sort_path)
            try:
                yield from rows.execute("SELECT file, line, text FROM pending ORDER BY submitted, id, n")
            finally:
                rows.close()

        def prepare(row: tuple[str, int, bytes | None]) -> Prepared:
            return _prepare(*row, rulebook=rulebook, evaluator=evaluator, render=render)

        done = batch = 0
        store.begin()
        try:
            for prepared in pipelined(produce, prepare, workers=worker_count(total)):
                outcome = _decide(prepared, store, rulebook, evaluator, ledger, render)
                _count(summary, outcome)
                emit(outcome)
                done += 1
                batch += 1
                if batch >= BATCH:
                    store.commit()
                    store.begin()
                    batch = 0
                if progress is not None:
                    progress(done, total)
            store.commit()
        except BaseException:
            store.rollback()
            raise
    return summary


def _clean_stale_sorts() -> None:
    """Remove the sort folders of screens that were killed (their process is gone)."""
    for folder in Path(tempfile.gettempdir()).glob("subsidy-sort-*-*"):
        try:
            pid = int(folder.name.split("-")[2])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, IndexError, PermissionError, OSError):
            continue


def _first_pass(
    paths: list[str | Path], sort: sqlite3.Connection, summary: ScreenSummary, emit: Callable[[Outcome], None]
) -> int:
    rows: list[tuple[Any, ...]] = []
    total = 0
    for n, entry in enumerate(iter_sources(paths)):
        source = entry.source
        if entry.skipped is not None or entry.error is not None:
            status = "ignored" if entry.skipped is not None else "invalid"
            outcome = Outcome(str(source), None, status, error=entry.error, reason=entry.skipped)
            _count(summary, outcome)
            emit(outcome)
            continue
        # a record whose key cannot be read sorts first; the second pass says what is wrong with it
        submitted, app_id = entry.key or ("", "")
        rows.append((submitted, app_id, n, source.file, source.line or 0, entry.text))
        total += 1
        if len(rows) >= 5000:
            sort.executemany("INSERT INTO pending VALUES (?, ?, ?, ?, ?, ?)", rows)
            rows.clear()
    if rows:
        sort.executemany("INSERT INTO pending VALUES (?, ?, ?, ?, ?, ?)", rows)
    return total


def _count(summary: ScreenSummary, outcome: Outcome) -> None:
    if outcome.status == "recorded":
        summary.recorded += 1
    elif outcome.status == "skipped":
        summary.skipped += 1
    elif outcome.status == "ignored":
        summary.ignored += 1
    else:
        summary.invalid += 1
        if outcome.error is not None:
            summary.problems.extend(outcome.error.problems)


def _prepared(*values: Any) -> Prepared:
    return Prepared(*values)


class _Speculative:
    """The ledger a worker evaluates with: it answers that no earlier award touches the
    limits asked about, and notes every question, for the writer to check."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        self.asked.append(("once_per", program, patent))
        return ()

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        self.asked.append(("cap", program, credit_code))
        return ()


@dataclass
class Prepared:
    """One record read, validated, evaluated on an untouched ledger and rendered (in a worker)."""

    source: str
    file: str
    line: int
    application: str | None = None
    problems: list[Problem] | None = None
    canonical: dict[str, Any] | None = None
    digest: str = ""
    id_line: int | None = None
    ruleset_version: str = ""
    asked: list[tuple[str, str, str]] = field(default_factory=list)
    input_json: str = ""
    stored_json: str = ""
    awards: list[tuple[Any, ...]] = field(default_factory=list)  # rows of the awards index
    output: str | None = None
    recorded_at: str = ""
    body: str = ""  # the record's JSON body

    def __reduce__(self) -> tuple[Any, ...]:
        # crosses from a worker as a plain tuple: several times faster to pickle than the instance
        return (_prepared, tuple(getattr(self, name) for name in _PREPARED_FIELDS))


_PREPARED_FIELDS = tuple(f.name for f in fields(Prepared))


def _prepare(
    file: str, line: int, text: bytes | None, *, rulebook: Rulebook, evaluator: Evaluator, render: Render
) -> Prepared:
    where = Source(file, line or None, 0, len(text) if text is not None else None)
    source = str(where)
    try:
        app, doc = read_document(Entry(where, text=text), rulebook)
    except ApplicationError as exc:
        return Prepared(source, file, line, problems=exc.problems)
    canonical = app.canonical()
    input_json = record_json(canonical)
    prepared = Prepared(
        source,
        file,
        line,
        app.id,
        canonical=canonical,
        digest=input_hash(input_json),
        id_line=line or doc.line_of(("id",)),
        input_json=input_json,
    )
    ledger = _Speculative()
    ruleset = evaluator.ruleset_for(app)
    _evaluate_into(prepared, app, ruleset, evaluator, ledger, render)
    prepared.asked = ledger.asked
    prepared.canonical = None  # travels as input_json; rebuilt from it if ever needed
    return prepared


def _evaluate_into(
    prepared: Prepared, app: Application, ruleset: Ruleset, evaluator: Evaluator, ledger: Any, render: Render
) -> None:
    assessment = evaluator.evaluate(app, ledger, ruleset)
    result = result_json(assessment, ruleset)
    stored = stored_result(result)
    prepared.ruleset_version = ruleset.version
    prepared.stored_json = record_json(stored)
    stored_head = {"type": "decision", "application": app.id, "ruleset": {"id": ruleset.id}, "result": stored}
    prepared.awards = [award.row() for award in awards_of(stored_head)]
    prepared.output = render(assessment, ruleset, result)
    # the whole record body, as if the limits held nothing (the writer rewrites it if they do)
    prepared.recorded_at = now()
    seen = getattr(ledger, "seen", None)
    if seen is None:
        seen = [{"limit": limit, "program": program, "key": key, "awards": []} for limit, program, key in ledger.asked]
    prepared.body = decision_body(
        app.id,
        prepared.recorded_at,
        prepared.source,
        prepared.input_json,
        prepared.digest,
        {"id": ruleset.id, "version": ruleset.version},
        seen,
        prepared.stored_json,
    )
    prepared.stored_json = ""  # in the body now


def _decide(
    prepared: Prepared, store: Store, rulebook: Rulebook, evaluator: Evaluator, ledger: StoreLedger, render: Render
) -> Outcome:
    """Check one prepared record against the store, settle its limits, record it (here, in order)."""
    source, app_id = prepared.source, prepared.application
    if app_id is None or prepared.problems:
        return Outcome(source, None, "invalid", error=ApplicationError(prepared.problems or []))
    recorded = store.recorded_input_hash(app_id)
    if recorded is not None:
        if recorded == prepared.digest:
            return Outcome(source, app_id, "skipped")
        problem = Problem(
            prepared.file,
            prepared.id_line,
            "id",
            f"application {app_id} is already recorded with different content",
            "an id is unique within a store: give the new application its own id",
        )
        return Outcome(source, app_id, "invalid", error=ApplicationError([problem]))
    ruleset = next(r for r in rulebook.rulesets if r.version == prepared.ruleset_version)
    for limit, program, key in prepared.asked:
        held = (store.patent_awards if limit == "once_per" else store.enterprise_awards)(ruleset.id, program, key)
        if held:  # the speculation does not hold: decide this one here, with the store's answers
            prepared.canonical = json.loads(prepared.input_json)
            app = Application.model_validate(prepared.canonical)
            ledger.reset()
            _evaluate_into(prepared, app, ruleset, evaluator, ledger, render)
            break
    store.archive_ruleset(ruleset.id, ruleset.version, ruleset.files)
    awards = [Award.from_row(row) for row in prepared.awards]
    record_body(store, app_id, prepared.recorded_at, prepared.digest, prepared.body, awards)
    return Outcome(source, app_id, "recorded", prepared.output)
