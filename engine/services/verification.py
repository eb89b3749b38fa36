"""For auditors: check that the log was not altered — in one streaming pass, flat memory.

Walking the chain from the first record: each record's ``prev`` must be the hash of
the one before, its ``hash`` must be ``sha256(prev + "\\n" + body)`` of its own body,
its columns must agree with its body, a decision's input must match the input hash
it carries. Beside it, the index rows of each record (applications, awards, the
decision index) must be exactly what its body implies (:func:`index_rows_of`); a
claim's hold on the limits must be gone once it is settled, and only then. Every
ruleset version the log names must be archived and its files must still hash to it.
The first record that fails is named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..errors import Problem, UsageError, quoted
from ..rulebook import ruleset_version
from ..store import GENESIS, AwardRow, Reader, Store, chain_hash, index_rows_of, input_hash

__all__ = ["HEAD_DIGITS", "VerifyReport", "verify"]

# A chain head is a SHA-256 digest: 64 hex digits, compared whole. A prefix is never taken as a
# match: forging a record whose hash begins with 8 given digits takes about 2**32 tries.
HEAD_DIGITS = 64
_HEAD = re.compile(rf"[0-9a-f]{{{HEAD_DIGITS}}}")

T = TypeVar("T")


@dataclass
class VerifyReport:
    records: int = 0
    head: str = GENESIS
    bad_record: str | None = None
    bad_seq: int | None = None
    reason: str | None = None
    after_noted: int | None = None  # with a noted head: the records appended after it

    @property
    def intact(self) -> bool:
        return self.bad_record is None


class _Failed(Exception):
    def __init__(self, record: str, seq: int | None, reason: str) -> None:
        self.record, self.seq, self.reason = record, seq, reason


class _ByRecord(Generic[T]):
    """An index stream, taken record by record (its rows come by record seq)."""

    def __init__(self, rows: Iterator[tuple[int, T]], name: Any) -> None:
        self.rows = rows
        self.name = name  # how a stray row is named: row -> record id
        self.next: tuple[int, T] | None = next(rows, None)

    def take(self, seq: int) -> list[T]:
        """The rows of record ``seq``; a row of an earlier record left over is a stray."""
        if self.next is not None and self.next[0] < seq:
            raise self.stray()
        out = []
        while self.next is not None and self.next[0] == seq:
            out.append(self.next[1])
            self.next = next(self.rows, None)
        return out

    def stray(self) -> _Failed:
        assert self.next is not None
        seq, row = self.next
        return _Failed(self.name(row), seq, "the indexes hold rows of a record that is not in the log")


def verify(store: Store, *, expect_head: str | None = None) -> VerifyReport:
    """Check the whole store (see the module's notes); ``expect_head``: the chain head an
    auditor noted earlier. The chain must still reach it — be that head, or have it as the
    hash of one of its records, with records appended since (``after_noted`` counts them):
    a tail removed or rewritten from before that record is caught; appending is not a fault.
    The head is 64 hex digits, whole: anything else (a prefix, a typo) raises :class:`UsageError`
    before the store is read — a head that cannot be a head says nothing about the record."""
    if expect_head is not None:
        expect_head = _whole_head(expect_head)
    report = VerifyReport()
    with store.reading() as view:
        try:
            _walk(view, report, expect_head)
            if expect_head is not None and report.after_noted is None:
                raise _Failed(
                    "chain head",
                    None,
                    f"the chain ends at {report.head}, not at {expect_head} as noted earlier, "
                    "and no record of it has that hash (its tail was removed or rewritten)",
                )
        except _Failed as failed:
            report.bad_record, report.bad_seq, report.reason = failed.record, failed.seq, failed.reason
    return report


def _whole_head(given: str) -> str:
    head = given.strip().lower()
    if _HEAD.fullmatch(head):
        return head
    raise UsageError(
        [
            Problem(
                file="",
                line=None,
                path="",
                message=f"a chain head is {HEAD_DIGITS} hex digits (0-9, a-f), compared whole; got {_shown(given)}",
                hint="verify prints the whole head after 'chain head' each time it finds the record intact "
                "(the web's verify page shows it too): note all 64 digits down, not a prefix",
            )
        ]
    )


def _shown(given: str) -> str:
    shown = quoted(given.strip())
    return shown if shown.endswith("characters)") else f"{shown} ({len(given.strip())} characters)"


def _award_key(row: AwardRow) -> tuple[str, str]:
    return row.decision_id, row.source


def _walk(view: Reader, report: VerifyReport, noted: str | None) -> None:
    apps = _ByRecord(((s, (a, h)) for s, a, h in view.application_index()), lambda row: row[0])
    awards = _ByRecord(view.award_index(), lambda row: row.application)
    decisions = _ByRecord(view.decision_index(), lambda row: row.application)
    held_in_index: dict[str, tuple[int, str]] = {}  # pending holds the index keeps: decision -> (seq, record)
    held_released: dict[str, tuple[int, str]] = {}  # pending holds the index lacks: they must be settled later
    versions: set[str] = set()
    prev = GENESIS
    noted_at = 0 if noted == GENESIS else None  # the number of the record whose hash was noted
    for record in view.records():
        report.records += 1
        seq = record.seq

        def fail(reason: str, record_id: str = record.record_id, at: int = seq) -> _Failed:
            return _Failed(record_id, at, reason)

        if seq != report.records:
            raise fail(f"record {report.records} is missing before it (the chain has a gap)")
        if record.prev != prev:
            raise fail("its link to the record before does not match that record's hash")
        if chain_hash(record.prev, record.body) != record.hash:
            raise fail("its content does not match its hash (the record was altered)")
        try:
            content = json.loads(record.body)
        except ValueError:
            raise fail("its content is not valid JSON") from None
        if (
            content.get("type") != record.kind
            or content.get("application") != record.application
            or content.get("recorded_at") != record.recorded_at
        ):
            raise fail("its columns disagree with its content")
        if record.kind == "decision":
            if record.record_id != record.application:
                raise fail("its id disagrees with its content")
            if content.get("input_sha256") != input_hash(content.get("input", {})):
                raise fail("its input does not match the input hash it carries")
        elif content.get("settlement") != record.record_id:
            raise fail("its id disagrees with its content")
        versions.add(content["ruleset"]["version"])
        index = index_rows_of(content)

        expected_apps = [(record.application, index.input_hash)] if index.input_hash is not None else []
        if apps.take(seq) != expected_apps:
            raise fail("the applications index disagrees with the log for this application")

        for released in index.releases:
            if released in held_in_index:
                raise fail("the awards index still holds room for a decision this settlement released")
            held_released.pop(released, None)
        actual = awards.take(seq)
        implied_pending = {a.decision_id: a for a in index.awards if a.source == "pending"}
        actual_pending = {a.decision_id: a for a in actual if a.source == "pending"}
        implied_rest = sorted((a for a in index.awards if a.source != "pending"), key=_award_key)
        actual_rest = sorted((a for a in actual if a.source != "pending"), key=_award_key)
        if implied_rest != actual_rest or any(
            d not in implied_pending or implied_pending[d] != a for d, a in actual_pending.items()
        ):
            raise fail(_AWARDS_ALTERED)
        for decision, award in implied_pending.items():
            (held_in_index if decision in actual_pending else held_released)[decision] = (seq, award.application)

        if decisions.take(seq) != sorted(index.decisions, key=lambda d: d.claim):
            raise fail("the decision index disagrees with the log for this decision")
        prev = record.hash
        report.head = record.hash
        if record.hash == noted:
            noted_at = seq

    for stream in (apps, awards, decisions):
        if stream.next is not None:
            raise stream.stray()
    if held_released:
        seq, application = min(held_released.values())
        raise _Failed(application, seq, _AWARDS_ALTERED)
    _check_archive(view, versions)
    if noted_at is not None and (noted_at > 0 or report.records == 0):
        report.after_noted = report.records - noted_at


_AWARDS_ALTERED = "the awards index disagrees with the log (the room used under the limits was altered)"


def _check_archive(view: Reader, versions: set[str]) -> None:
    archived = {version for version, _ in view.archived_versions()}
    for version in sorted(versions - archived):
        raise _Failed(f"archive {version}", None, "a ruleset version the log names is not archived in the store")
    for version in sorted(archived):
        if ruleset_version(view.archived_files(version)) != version:
            raise _Failed(
                f"archive {version}",
                None,
                "the archived rule files no longer hash to the version they were archived under",
            )
