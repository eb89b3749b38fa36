"""Screening a batch into the store: in (submitted_on, id) order, flat memory, crash-safe.

Two passes, so that ordering never holds the batch in memory:

1. every file and ``.jsonl`` line is read once for just its ``id`` and
   ``submitted_on``; the key and where to find the record again go into a
   temporary on-disk SQLite table (the external sort). Records that cannot be
   read at all are reported here.
2. the keys are read back in (``submitted_on``, ``id``) order; each record is
   read again, validated, checked against the store (already recorded → skipped;
   same id, other content → an error), evaluated with the store's limits, and
   recorded with its decision. Applications are committed in small batches:
   a run killed at any point leaves only whole, chained records, and running
   the same command again finishes the batch without awarding anything twice.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .decision import Assessment
from .errors import ApplicationError, Problem
from .evaluate import Evaluator
from .intake import APPLICATION_SUFFIXES, application_from_data, iter_files
from .ledger import StoreLedger
from .model import Application
from .recording import decision_content, input_hash, record_assessment, result_json
from .rulebook import Rulebook, Ruleset
from .store import Store
from .yamlio import LoadProblem, load_json_line, load_yaml

__all__ = ["Outcome", "ScreenSummary", "screen"]

BATCH = 500  # applications per transaction


@dataclass
class Outcome:
    """What happened to one record of the batch."""

    source: str
    application: str | None
    status: str  # recorded | skipped | invalid
    assessment: Assessment | None = None
    ruleset: Ruleset | None = None
    result: dict[str, Any] | None = None
    error: ApplicationError | None = None


@dataclass
class ScreenSummary:
    recorded: int = 0
    skipped: int = 0
    invalid: int = 0
    problems: list[Problem] = field(default_factory=list)


def _key(data: Any) -> tuple[str, str] | None:
    """(submitted_on, id) when both look right; else None (the full check reports why)."""
    if not isinstance(data, dict):
        return None
    app_id, submitted = data.get("id"), data.get("submitted_on")
    if not isinstance(app_id, str) or not isinstance(submitted, str):
        return None
    try:
        date.fromisoformat(submitted)
    except ValueError:
        return None
    return submitted, app_id


def _sources(paths: list[str | Path]) -> Iterator[tuple[str, int, str | None]]:
    """(file, line, text) for every record: a .jsonl line's text, or None for a whole file."""
    for path in iter_files(paths):
        if path.suffix not in APPLICATION_SUFFIXES:
            yield str(path), 0, None
        elif path.suffix == ".jsonl":
            with path.open(encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        yield str(path), number, line
        else:
            yield str(path), 0, None


def _read(file: str, line: int, text: str | None) -> Any:
    """Parse one record (raising LoadProblem or ApplicationError)."""
    if text is not None:
        return load_json_line(text, file, line)
    path = Path(file)
    if not path.is_file():
        raise ApplicationError([Problem(file, None, "", "no such file")])
    if path.suffix not in APPLICATION_SUFFIXES:
        raise ApplicationError([Problem(file, None, "", "not an application file (.yaml, .yml, .json, .jsonl)")])
    try:
        return load_yaml(path.read_text(encoding="utf-8"), file)
    except UnicodeDecodeError:
        raise ApplicationError([Problem(file, None, "", "not UTF-8 text")]) from None


def screen(
    paths: list[str | Path],
    store: Store,
    rulebook: Rulebook,
    emit: Callable[[Outcome], None],
    progress: Callable[[int, int], None] | None = None,
) -> ScreenSummary:
    """Screen every application under ``paths`` into ``store``; ``emit`` sees each outcome."""
    summary = ScreenSummary()
    evaluator = Evaluator(rulebook)
    ledger = StoreLedger(store)
    _clean_stale_sorts()
    with tempfile.TemporaryDirectory(prefix=f"subsidy-sort-{os.getpid()}-") as tmp:
        sort = sqlite3.connect(str(Path(tmp) / "sort.db"), isolation_level=None)
        sort.execute("PRAGMA journal_mode=OFF")
        sort.execute("PRAGMA synchronous=OFF")
        sort.execute("CREATE TABLE pending (submitted TEXT, id TEXT, n INTEGER, file TEXT, line INTEGER, text TEXT)")
        total = _first_pass(paths, sort, summary, emit)
        sort.execute("CREATE INDEX pending_order ON pending (submitted, id, n)")
        done = 0
        rows = sort.execute("SELECT file, line, text FROM pending ORDER BY submitted, id, n")
        batch = 0
        store.begin()
        try:
            for file, line, text in rows:
                outcome = _one(file, line, text, store, rulebook, evaluator, ledger)
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
        finally:
            sort.close()
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
    for n, (file, line, text) in enumerate(_sources(paths)):
        source = f"{file}:{line}" if line else file
        try:
            doc = _read(file, line, text)
        except LoadProblem as exc:
            outcome = Outcome(source, None, "invalid", error=ApplicationError([exc.problem]))
            _count(summary, outcome)
            emit(outcome)
            continue
        except ApplicationError as exc:
            outcome = Outcome(source, None, "invalid", error=exc)
            _count(summary, outcome)
            emit(outcome)
            continue
        key = _key(doc.data)
        submitted, app_id = key if key is not None else ("", "")
        # a record whose key cannot be read sorts first and is reported in the second pass
        rows.append((submitted, app_id, n, file, line, text))
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
    else:
        summary.invalid += 1
        if outcome.error is not None:
            summary.problems.extend(outcome.error.problems)


def _one(
    file: str,
    line: int,
    text: str | None,
    store: Store,
    rulebook: Rulebook,
    evaluator: Evaluator,
    ledger: StoreLedger,
) -> Outcome:
    source = f"{file}:{line}" if line else file
    try:
        doc = _read(file, line, text)
        app: Application = application_from_data(doc, rulebook)
    except LoadProblem as exc:
        return Outcome(source, None, "invalid", error=ApplicationError([exc.problem]))
    except ApplicationError as exc:
        return Outcome(source, None, "invalid", error=exc)
    canonical = app.canonical()
    digest = input_hash(canonical)
    recorded = store.recorded_input_hash(app.id)
    if recorded is not None:
        if recorded == digest:
            return Outcome(source, app.id, "skipped")
        problem = Problem(
            file,
            line or doc.line_of(("id",)),
            "id",
            f"application {app.id} is already recorded with different content",
            "an id is unique within a store: give the new application its own id",
        )
        return Outcome(source, app.id, "invalid", error=ApplicationError([problem]))
    ruleset = evaluator.ruleset_for(app)
    ledger.reset()
    assessment = evaluator.evaluate(app, ledger, ruleset)
    result = result_json(assessment, ruleset)
    store.archive_ruleset(ruleset.id, ruleset.version, ruleset.files)
    record_assessment(store, decision_content(assessment, ruleset, canonical, ledger.seen, source, result, digest))
    return Outcome(source, app.id, "recorded", assessment, ruleset, result)
