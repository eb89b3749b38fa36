"""Screening a batch into the store: in (submitted_on, id) order, flat memory, crash-safe.

``screen(paths, store, rulebook)`` yields a stream of events: one
:class:`ScreenResult` per application (recorded, already recorded, invalid with its
problems, failed with an internal fault), :class:`ScreenProgress` as it goes, and a
last :class:`ScreenSummary`. How it works:

1. every file and ``.jsonl`` line is looked at once for its key; the keys are
   sorted on disk (:mod:`~engine.services.ordering`);
2. in key order, each application is read, validated and evaluated — in worker
   processes for long batches — *speculatively*: as if the limits it asks about
   were untouched;
3. this process takes them in order, a few hundred per writing transaction: it asks
   the store what those limits really hold (evaluating again, here, where they are
   not untouched), and records each decision. A result is yielded only once its
   transaction has committed: nothing is ever shown as recorded that is not.

One bad application never stops the batch: it is reported and skipped. A
transaction that loses a race with another writer (a store server) is rolled back
and redone. ``dry_run`` evaluates against the store and records nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import ApplicationError, Problem, StoreError, UsageError
from ..evaluation import Assessment, Evaluator
from ..model import Application
from ..privacy import mask_id_numbers
from ..reading import LineReader, Source, iter_sources, read_validated
from ..rulebook import Rulebook, Ruleset
from ..store import NewRecord, Store, Transaction, input_hash, record_json
from ..store.overlay import DryRunTransaction
from .ledger import SpeculativeLedger, StoreLedger
from .ordering import KeySort
from .pipeline import pipelined, worker_count
from .recording import RecordedDecision, record_decision
from .retry import redone

__all__ = ["Render", "ScreenEvent", "ScreenProgress", "ScreenResult", "ScreenSummary", "screen"]

BATCH = 500  # applications per writing transaction

# What a face makes of each decision, where it is made (often in a worker process), from the
# decision as recorded (its assessment and ruleset, the contract's object as JSON text in
# ``line``, the object itself in ``result``): the default keeps the contract's decision object.
Render = Callable[[RecordedDecision], Any]


@dataclass(frozen=True)
class ScreenResult:
    """What happened to one application of the batch."""

    status: str  # recorded | already_recorded | invalid | failed | skipped (not an application file)
    source: str  # the file, or file:line for a .jsonl line
    application: str | None = None
    output: Any = None  # recorded: what `render` made of the decision
    problems: tuple[Problem, ...] = ()  # invalid: everything wrong with it
    error: str | None = None  # failed: the internal fault; skipped: why the file was not read
    record_hash: str | None = None  # recorded: the hash of its record
    dry_run: bool = False  # recorded: evaluated against the store, not recorded

    @property
    def message(self) -> str:
        """The problems (or the fault) as one text, each problem ``file:line path: what``."""
        if self.problems:
            return str(ApplicationError(list(self.problems)))
        return f"{self.source}: {self.error}" if self.error else ""


@dataclass(frozen=True)
class ScreenProgress:
    done: int
    total: int


@dataclass
class ScreenSummary:
    recorded: int = 0
    already_recorded: int = 0
    invalid: int = 0
    failed: int = 0
    skipped: int = 0  # files in a folder that are not application files
    dry_run: bool = False

    def add(self, event: ScreenResult) -> None:
        setattr(self, event.status, getattr(self, event.status) + 1)

    @property
    def exit_code(self) -> int:
        """3 when an internal fault made some be skipped; 2 when invalid ones were; else 0."""
        return 3 if self.failed else 2 if self.invalid else 0


ScreenEvent = ScreenResult | ScreenProgress | ScreenSummary


def _contract(made: RecordedDecision) -> dict[str, Any]:
    return made.result


def screen(
    paths: Sequence[str | Path],
    store: Store,
    rulebook: Rulebook,
    *,
    render: Render | None = None,
    workers: int | None = None,
    dry_run: bool = False,
    batch: int = BATCH,
    sources: Mapping[str, str] | None = None,
) -> Iterator[ScreenEvent]:
    """Screen every application under ``paths`` (files, folders, ``.jsonl``) into ``store``.

    ``render`` makes each decision's ``output`` (default: the contract's object);
    ``sources``: what to record as the source of a file, by its path (default: the path);
    ``workers``: processes to evaluate in (None: one per core for long batches, 0:
    this process only); ``dry_run``: evaluate against the store, record nothing. A rulebook
    with what-if parameters (:meth:`Rulebook.with_overrides`) is taken for a dry run only
    (else UsageError)."""
    if not dry_run and any(r.overrides for r in rulebook.rulesets):
        raise UsageError(
            "what-if parameters are for dry runs only: decisions are recorded under the rules as published"
        )
    summary = ScreenSummary(dry_run=dry_run)
    evaluator = Evaluator(rulebook)
    render = render or _contract
    with KeySort() as keys:
        for n, entry in enumerate(iter_sources(paths, keep_text=False)):
            where = _where(entry.source, sources)
            if entry.skipped is not None or entry.error is not None:
                if entry.skipped is not None:
                    event = ScreenResult("skipped", where, error=entry.skipped)
                else:
                    assert entry.error is not None
                    event = ScreenResult("invalid", where, problems=tuple(entry.error.problems))
                summary.add(event)
                yield event
                continue
            submitted, app_id = entry.key or ("", "")  # an unreadable key sorts first; reading it says why
            source = entry.source
            keys.add((submitted, app_id, n, source.file, source.line or 0, source.offset, source.size or 0))
        total = keys.count
        yield ScreenProgress(0, total)
        refs = (
            Source(file, line or None, offset, size if line else None) for *_, file, line, offset, size in keys.sorted()
        )
        stage = partial(_prepare_all, rulebook=rulebook, evaluator=evaluator, render=render, sources=sources)
        prepared = pipelined(refs, stage, workers=worker_count(total) if workers is None else workers)
        done = 0
        with _Writer(store, rulebook, evaluator, render, dry_run) as writer:
            while chunk := list(islice(prepared, batch)):
                for event in writer.commit(chunk):
                    summary.add(event)
                    yield event
                done += len(chunk)
                yield ScreenProgress(done, total)
    yield summary


@dataclass
class Prepared:
    """One application read, validated, evaluated on an untouched ledger, rendered."""

    source: str
    file: str
    line: int
    application: str | None = None
    problems: tuple[Problem, ...] = ()
    error: str | None = None
    digest: str = ""
    id_line: int | None = None
    version: str = ""
    asked: list[tuple[str, str, str]] = field(default_factory=list)
    division: str | None = None
    record: NewRecord | None = None  # its body holds the canonical input
    output: Any = None

    def __reduce__(self) -> tuple[Any, ...]:
        # crosses from a worker as its field values: several times cheaper to pickle than the instance
        return (Prepared, tuple(getattr(self, name) for name in _FIELDS))


_FIELDS = tuple(f.name for f in fields(Prepared))


def _where(source: Source, sources: Mapping[str, str] | None) -> str:
    """Where an application came from, as recorded: its file (``sources`` may name a file
    otherwise, e.g. ``upload:NAME`` for a file received by the web), ``:line`` in a JSON Lines file.
    A byte of the file's name that is not UTF-8 (a lone surrogate, which no record can hold) is
    written out (``\\udcff``)."""
    name = sources.get(source.file) if sources else None
    if name is None:
        return _HALF.sub(_written, str(source))
    return f"{name}:{source.line}" if source.line is not None else name


_HALF = re.compile("[\ud800-\udfff]")


def _written(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _prepare_all(
    refs: list[Source], *, rulebook: Rulebook, evaluator: Evaluator, render: Render, sources: Mapping[str, str] | None
) -> list[Prepared]:
    """A batch of applications read, validated and evaluated together (the engine decides
    their claims in shared sessions), each on an untouched ledger, then rendered."""
    out: list[Prepared] = []
    read: list[tuple[int, Application, str, Ruleset]] = []
    with LineReader() as lines:
        for ref in refs:
            where, line = _where(ref, sources), ref.line or 0
            try:
                found = read_validated(ref, rulebook, lines)
            except ApplicationError as exc:
                out.append(Prepared(where, ref.file, line, problems=tuple(exc.problems)))
                continue
            except Exception as exc:  # a fault of the engine while reading it: reported, the batch goes on
                out.append(Prepared(where, ref.file, line, error=_fault(exc)))
                continue
            app = found.application
            try:
                out.append(
                    Prepared(
                        where,
                        ref.file,
                        line,
                        app.id,
                        digest=input_hash(found.canonical),
                        id_line=found.id_line,
                        division=app.applicant.division,
                    )
                )
                read.append((len(out) - 1, app, found.canonical, evaluator.ruleset_for(app)))
            except Exception as exc:  # a fault of the engine on this application: reported, the batch goes on
                out.append(Prepared(where, ref.file, line, app.id, error=_fault(exc)))
    ledgers = [SpeculativeLedger() for _ in read]
    try:
        assessments: list[Assessment | None] = list(
            evaluator.evaluate_many(
                [(app, ledger, ruleset) for (_, app, _, ruleset), ledger in zip(read, ledgers, strict=True)]
            )
        )
    except Exception:  # a fault on one of them: each is evaluated alone, so that only the faulty ones fail
        assessments = [None] * len(read)
        ledgers = [SpeculativeLedger() for _ in read]
    for (i, app, input_json, ruleset), ledger, assessment in zip(read, ledgers, assessments, strict=True):
        try:
            out[i] = _evaluated(out[i], app, input_json, ruleset, evaluator, ledger, render, assessment)
        except Exception as exc:  # a fault of the engine on this application: reported, the batch goes on
            out[i] = replace(out[i], error=_fault(exc))
    return out


def _fault(exc: Exception) -> str:
    """An internal fault as one line of a batch's report (an ID number it quotes masked)."""
    return f"internal error: {type(exc).__name__}: {mask_id_numbers(str(exc))}"


def _evaluated(
    prepared: Prepared,
    app: Application,
    input_json: str,
    ruleset: Ruleset,
    evaluator: Evaluator,
    ledger: Any,
    render: Render,
    assessment: Assessment | None = None,
) -> Prepared:
    if assessment is None:
        assessment = evaluator.evaluate(app, ledger, ruleset)
    made = record_decision(
        assessment,
        ruleset,
        source=prepared.source,
        input_json=input_json,
        digest=prepared.digest,
        ledger_seen=ledger.seen,
        division=prepared.division,
    )
    asked = getattr(ledger, "asked", [])
    return replace(
        prepared,
        version=ruleset.version,
        asked=asked,
        record=made.record,
        output=render(made),
    )


class _Writer:
    """Takes prepared applications in order and records them, a transaction per chunk."""

    def __init__(self, store: Store, rulebook: Rulebook, evaluator: Evaluator, render: Render, dry_run: bool) -> None:
        self.store = store
        self.evaluator = evaluator
        self.render = render
        self.rulesets = {r.version: r for r in rulebook.rulesets}
        self.dry_run = dry_run
        self._view: Any = None
        self._dry: DryRunTransaction | None = None

    def __enter__(self) -> _Writer:
        if self.dry_run:
            self._view = self.store.reading()
            self._dry = DryRunTransaction(self._view.__enter__())
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._view is not None:
            self._view.__exit__(*exc)

    def commit(self, chunk: list[Prepared]) -> list[ScreenResult]:
        """Record a chunk in one transaction (redone if it loses a race); its results once
        it has committed."""
        if self._dry is not None:
            return self._decide_all(self._dry, chunk)
        return redone(lambda: self._transaction(chunk))

    def _transaction(self, chunk: list[Prepared]) -> list[ScreenResult]:
        with self.store.writing() as transaction:
            events = self._decide_all(transaction, chunk)
        return events

    def _decide_all(self, transaction: Transaction, chunk: list[Prepared]) -> list[ScreenResult]:
        ids = [p.application for p in chunk if p.application and p.record is not None]
        known = transaction.recorded_input_hashes(ids)
        held: set[tuple[str, str, str, str]] = set()  # (ruleset id, limit, programme, key) that count something
        asked: dict[str, set[tuple[str, str, str]]] = {}
        for p in chunk:
            if p.version in self.rulesets:
                asked.setdefault(self.rulesets[p.version].id, set()).update(p.asked)
        for ruleset_id, limits in asked.items():
            if limits:
                held.update((ruleset_id, *limit) for limit in transaction.held(ruleset_id, sorted(limits)))
        return [self._decide(transaction, p, known, held) for p in chunk]

    def _decide(
        self, transaction: Transaction, p: Prepared, known: dict[str, str], held: set[tuple[str, str, str, str]]
    ) -> ScreenResult:
        if p.error is not None:
            return ScreenResult("failed", p.source, p.application, error=p.error)
        if p.problems or p.application is None or p.record is None:
            return ScreenResult("invalid", p.source, p.application, problems=p.problems)
        app_id = p.application
        recorded = known.get(app_id)
        if recorded is not None:
            if recorded == p.digest:
                return ScreenResult("already_recorded", p.source, app_id)
            problem = Problem(
                p.file,
                p.id_line,
                "id",
                f"application {app_id} is already recorded with different content",
                "an id is unique within a store: give the new application its own id",
            )
            return ScreenResult("invalid", p.source, app_id, problems=(problem,))
        ruleset = self.rulesets[p.version]
        if any((ruleset.id, *limit) in held for limit in p.asked):
            try:  # the speculation does not hold: decide this one here, with the store's answers
                given = json.loads(p.record.body)["input"]
                app = Application.model_validate(given)
                p = _evaluated(
                    p, app, record_json(given), ruleset, self.evaluator, StoreLedger(transaction), self.render
                )
            except StoreError:
                raise
            except Exception as exc:  # a fault of the engine on this application: reported, the batch goes on
                return ScreenResult("failed", p.source, app_id, error=_fault(exc))
        assert p.record is not None
        transaction.archive_ruleset(ruleset.id, ruleset.version, ruleset.files)
        stored = transaction.append(p.record)
        known[app_id] = p.digest
        for award in p.record.index.awards:  # what it awards now counts for the applications after it
            if award.patent:
                held.add((award.ruleset_id, "once_per", award.program, award.patent))
            if award.credit_code and award.amount is not None and award.amount_kind == "one_off":
                held.add((award.ruleset_id, "cap", award.program, award.credit_code))
        return ScreenResult("recorded", p.source, app_id, p.output, record_hash=stored.hash, dry_run=self.dry_run)
