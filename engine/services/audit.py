"""For auditors: verify that the log was not altered, replay what it decided.

``verify`` walks the chain from the first record: each record's ``prev`` must
be the hash of the one before, its ``hash`` must be ``sha256(prev + "\\n" + body)`` of
its own content, its columns must agree with its body, and the indexes the
limits read (``applications``, ``awards``) must be exactly what the log
implies. The first record that fails is named.

``replay`` rebuilds each recorded decision's ruleset from the files archived
in the store under the recorded version — never from the files on disk —,
evaluates the recorded input again with the recorded ledger state, and
compares the result with the recorded one, field by field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import EngineError, Problem, StoreError
from ..evaluation.evaluate import Evaluator
from ..reading import application_from_data
from ..rulebook import Rulebook, Ruleset, load_ruleset_files, ruleset_version
from ..store import GENESIS, Award, Record, Store, chain_hash
from ..yamlio import Located
from .ledger import RecordedLedger
from .pipeline import pipelined, worker_count
from .recording import awards_of, input_hash, released_by, result_json, stored_result

__all__ = ["Difference", "Replay", "VerifyReport", "archived_ruleset", "replay", "verify"]


@dataclass
class VerifyReport:
    records: int = 0
    head: str = GENESIS
    bad_record: str | None = None
    bad_seq: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.bad_record is None


def verify(store: Store) -> VerifyReport:
    report = VerifyReport()
    prev = GENESIS
    expected_seq = 1
    applications: dict[str, tuple[str, int]] = {}
    awards: list[tuple[int, Award]] = []

    def fail(record: Record, reason: str) -> VerifyReport:
        report.bad_record, report.bad_seq, report.reason = record.record_id, record.seq, reason
        return report

    for record in store.records():
        report.records += 1
        if record.seq != expected_seq:
            return fail(record, f"record {expected_seq} is missing before it (the chain has a gap)")
        expected_seq += 1
        if record.prev != prev:
            return fail(record, "its link to the record before does not match that record's hash")
        if chain_hash(record.prev, record.body) != record.hash:
            return fail(record, "its content does not match its hash (the record was altered)")
        try:
            content = json.loads(record.body)
        except ValueError:
            return fail(record, "its content is not valid JSON")
        if (
            content.get("type") != record.kind
            or content.get("application") != record.application
            or content.get("recorded_at") != record.recorded_at
        ):
            return fail(record, "its columns disagree with its content")
        if record.kind == "decision":
            if record.record_id != record.application:
                return fail(record, "its id disagrees with its content")
            if content.get("input_sha256") != input_hash(content.get("input", {})):
                return fail(record, "its input does not match the input hash it carries")
            applications[record.application] = (content["input_sha256"], record.seq)
        elif content.get("settlement") != record.record_id:
            return fail(record, "its id disagrees with its content")
        released = released_by(content)
        if released is not None:
            awards = [(seq, a) for seq, a in awards if not (a.decision_id == released and a.source == "pending")]
        awards.extend((record.seq, a) for a in awards_of(content))
        prev = record.hash
        report.head = record.hash
    if report.bad_record is None:
        _check_indexes(store, applications, awards, report)
    if report.bad_record is None:
        for version, _ in store.archived_versions():
            if ruleset_version(store.archived_files(version)) != version:
                report.bad_record = f"archive {version}"
                report.reason = "the archived rule files no longer hash to the version they were archived under"
                break
    return report


def _check_indexes(
    store: Store, applications: dict[str, tuple[str, int]], awards: list[tuple[int, Award]], report: VerifyReport
) -> None:
    """The indexes the limits read must be exactly what the log implies; the first record
    (in chain order) whose rows differ is named."""
    culprits: list[tuple[int, str]] = []
    table = {
        row[0]: (row[1], row[2]) for row in store.db.execute("SELECT id, input_hash, record_seq FROM applications")
    }
    for app_id in set(table) | set(applications):
        if table.get(app_id) != applications.get(app_id):
            seq = (applications.get(app_id) or table.get(app_id) or ("", 0))[1]
            culprits.append((seq, app_id))
    if culprits:
        report.bad_seq, report.bad_record = min(culprits)
        report.reason = "the applications index disagrees with the log for this application"
        return

    def key(seq: int, row: tuple[Any, ...]) -> tuple[Any, ...]:
        return (seq, *row)

    rows: dict[str, list[tuple[Any, ...]]] = {}
    for row in store.db.execute(
        "SELECT record_seq, decision_id, application, ruleset_id, program, patent, credit_code, applicant, "
        "amount_fen, source FROM awards"
    ):
        rows.setdefault(row[1], []).append(tuple(row))
    implied: dict[str, list[tuple[Any, ...]]] = {}
    for seq, a in awards:
        implied.setdefault(a.decision_id, []).append((seq, *a.row()))
    seq_of = {app: seq for app, (_, seq) in applications.items()}
    for decision in set(rows) | set(implied):
        if sorted(rows.get(decision, [])) != sorted(implied.get(decision, [])):
            application = decision.split("/")[0]
            culprits.append((seq_of.get(application, 0), application))
    if culprits:
        report.bad_seq, report.bad_record = min(culprits)
        report.reason = "the awards index disagrees with the log (the room used under the limits was altered)"


# ------------------------------------------------------------------ replay


@dataclass
class Difference:
    path: str
    recorded: Any
    now: Any


@dataclass
class Replay:
    record: str
    ruleset: str
    version: str
    differences: list[Difference] = field(default_factory=list)
    error: str | None = None

    @property
    def reproduced(self) -> bool:
        return not self.differences and self.error is None


def _diff(recorded: Any, now: Any, path: str = "") -> Iterator[Difference]:
    if isinstance(recorded, dict) and isinstance(now, dict):
        for key in list(recorded) + [k for k in now if k not in recorded]:
            yield from _diff(recorded.get(key), now.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(recorded, list) and isinstance(now, list) and len(recorded) == len(now):
        for i, (a, b) in enumerate(zip(recorded, now, strict=True)):
            yield from _diff(a, b, f"{path}[{i}]")
    elif recorded != now:
        yield Difference(path, recorded, now)


def archived_ruleset(store: Store, version: str) -> Ruleset:
    """A ruleset version rebuilt from the files archived in the store — refused if the
    files no longer hash to the version they were archived under."""
    files = store.archived_files(version)
    if not files:
        raise StoreError(
            [Problem(str(store.path), None, "", f"ruleset version {version} is not archived in the store")]
        )
    ruleset = load_ruleset_files(files, label=f"archive:{version[:19]}")
    if ruleset.version != version:
        raise StoreError(
            [
                Problem(
                    str(store.path),
                    None,
                    "",
                    f"the archived files of {version} hash to {ruleset.version}: the archive was altered",
                )
            ]
        )
    return ruleset


class _Archive:
    """Ruleset versions rebuilt from the store's archive, once each."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rulesets: dict[str, Ruleset] = {}
        self.evaluators: dict[str, Evaluator] = {}

    def get(self, version: str) -> tuple[Ruleset, Evaluator]:
        if version not in self.rulesets:
            ruleset = archived_ruleset(self.store, version)
            self.rulesets[version] = ruleset
            self.evaluators[version] = Evaluator(Rulebook((ruleset,)))
        return self.rulesets[version], self.evaluators[version]


def _selected(store: Store, ids: list[str]) -> Iterator[Record]:
    if not ids:
        yield from store.records("decision")
        return
    for wanted in ids:
        application = wanted.split("/")[0] if "/" in wanted and store.record(wanted) is None else wanted
        record = store.record(application)
        if record is None or record.kind != "decision":
            raise StoreError(
                [
                    Problem(
                        str(store.path),
                        None,
                        "",
                        f"no decision recorded as '{wanted}'",
                        "ids are application ids or decision ids such as PY-2024-0001/1",
                    )
                ]
            )
        yield record


def replay(store: Store, ids: list[str] | None = None) -> Iterator[Replay]:
    """Re-evaluate recorded decisions under their own archived rulesets, in chain order;
    the work is spread over worker processes for long runs (each reads the store itself)."""
    chosen = [r.record_id for r in _selected(store, ids)] if ids else None
    total = len(chosen) if chosen is not None else store.count("decision")
    path = store.path
    here: dict[str, Any] = {}

    def produce() -> Iterator[Record]:
        reader = Store(path, create=False)
        here["archive"] = _Archive(reader)
        try:
            if chosen is None:
                yield from reader.records("decision")
            else:
                for record_id in chosen:
                    record = reader.record(record_id)
                    assert record is not None
                    yield record
        finally:
            reader.close()

    def again(record: Record) -> Replay:
        return _replay_one(record, here["archive"])

    yield from pipelined(produce, again, workers=worker_count(total))


def _replay_one(record: Record, archive: _Archive) -> Replay:
    content = record.content
    version = content["ruleset"]["version"]
    outcome = Replay(record.record_id, content["ruleset"]["id"], version)
    try:
        ruleset, evaluator = archive.get(version)
        app = application_from_data(Located(content["input"], {}, f"record {record.record_id}"), evaluator.rulebook)
        assessment = evaluator.evaluate(app, RecordedLedger(content["ledger"]), ruleset)
        now = stored_result(result_json(assessment, ruleset))
        outcome.differences = list(_diff(content["result"], now))
    except EngineError as exc:
        outcome.error = str(exc)
    return outcome
