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

import hashlib
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from ..errors import Problem, UsageError, quoted
from ..rulebook import ruleset_version
from ..store import (
    GENESIS,
    AwardRow,
    DecisionRow,
    Reader,
    Store,
    decision_of_stored,
    index_rows_of,
    input_hash,
    stored_decision,
)
from ..store.bodies import awards_of
from ..store.body_reading import read_record
from ..store.records import DECISION
from ..store.stored_index import stored_decisions_of
from .chain_reading import ChainAhead

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
    """An index, taken record by record: its rows ``(seq, row)`` by record seq, every row up
    to the seq of the record being checked at hand (:class:`ChainAhead`)."""

    def __init__(self, rows: deque[tuple[int, T]]) -> None:
        self.rows = rows

    def take(self, seq: int, name: Callable[[T], str]) -> list[T]:
        """The rows of record ``seq``; a row of an earlier record left over is a stray
        (``name``: the record id a row names)."""
        rows = self.rows
        if not rows or rows[0][0] > seq:
            return []
        if rows[0][0] < seq:
            raise _stray(rows[0], name)
        out = []
        while rows and rows[0][0] == seq:
            out.append(rows.popleft()[1])
        return out


def _stray(row: tuple[int, Any], name: Callable[[Any], str]) -> _Failed:
    return _Failed(name(row[1]), row[0], "the indexes hold rows of a record that is not in the log")


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
    with ChainAhead(view) as ahead:
        versions, noted_at = _walk_ahead(ahead, report, noted)
    _check_archive(view, versions)
    if noted_at is not None and (noted_at > 0 or report.records == 0):
        report.after_noted = report.records - noted_at


def _walk_ahead(ahead: ChainAhead, report: VerifyReport, noted: str | None) -> tuple[set[str], int | None]:
    """The chain and the indexes checked record by record: the ruleset versions the log
    names, and the number of the record whose hash was noted (0: none yet, the noted head
    being the genesis; None: not found)."""
    apps, awards, decisions = (_ByRecord(rows) for rows in ahead.indexes)
    held: dict[str, tuple[int, str]] = {}  # pending holds the index keeps: decision -> (seq, record)
    released: dict[str, tuple[int, str]] = {}  # pending holds the index lacks: they must be settled later
    versions: set[str] = set()
    prev = GENESIS
    noted_at = 0 if noted == GENESIS else None  # the number of the record whose hash was noted
    for (seq, kind, record_id, application, recorded_at, body, record_prev, record_hash), hashed in ahead.chain:
        report.records += 1
        if seq != report.records:
            raise _Failed(record_id, seq, f"record {report.records} is missing before it (the chain has a gap)")
        if record_prev != prev:
            raise _Failed(record_id, seq, "its link to the record before does not match that record's hash")
        if not hashed:
            raise _Failed(record_id, seq, "its content does not match its hash (the record was altered)")
        try:
            content, given, canonical = read_record(body, kind)
        except ValueError:
            raise _Failed(record_id, seq, "its content is not valid JSON") from None
        if type(content) is not dict:
            raise _Failed(record_id, seq, "its content is not a record (a JSON object)")
        try:
            reason = _content_fault(content, kind, record_id, application, recorded_at, given if canonical else None)
            if reason is None:
                versions.add(content["ruleset"]["version"])
                stored = stored_decisions_of(content) if kind == DECISION else None
                reason = _index_fault(content, stored, seq, application, apps, awards, decisions, held, released)
        except _ODD_VALUE:
            # a value of a kind no record holds (a list for a text, a blob in an index...): read as
            # an alteration of this record, as the records before it were found intact
            reason = "a value in its content or its index rows is not of the kind a record holds"
        if reason is not None:
            raise _Failed(record_id, seq, reason)
        prev = report.head = record_hash
        if record_hash == noted:
            noted_at = seq

    left_over = ahead.first_left_over()
    if left_over is not None:
        number, row = left_over
        raise _stray(row, _NAMES[number])
    if released:
        seq, application = min(released.values())
        raise _Failed(application, seq, _AWARDS_ALTERED)
    return versions, noted_at


def _content_fault(
    content: dict[str, Any],
    kind: str,
    record_id: str,
    application: str,
    recorded_at: str,
    canonical: memoryview | None,
) -> str | None:
    """What is wrong between a record's columns and its content, if anything. ``canonical``:
    the input's bytes in the body when they are its canonical form, hashed as they are."""
    if (
        content.get("type") != kind
        or content.get("application") != application
        or content.get("recorded_at") != recorded_at
    ):
        return "its columns disagree with its content"
    if kind == "decision":
        if record_id != application:
            return "its id disagrees with its content"
        digest = (
            "sha256:" + hashlib.sha256(canonical).hexdigest()
            if canonical is not None
            else input_hash(content.get("input", {}))
        )
        if content.get("input_sha256") != digest:
            return "its input does not match the input hash it carries"
    elif content.get("settlement") != record_id:
        return "its id disagrees with its content"
    return None


def _index_fault(
    content: dict[str, Any],
    stored_form: list[tuple[Any, ...]] | None,
    seq: int,
    application: str,
    apps: _ByRecord[tuple[str, str]],
    awards: _ByRecord[AwardRow],
    decisions: _ByRecord[tuple[Any, ...]],
    held: dict[str, tuple[int, str]],
    released: dict[str, tuple[int, str]],
) -> str | None:
    """What is wrong between the index rows a record implies and the rows the indexes hold
    for it, if anything. ``held``/``released``: the pending holds so far that the awards
    index keeps / lacks (a settlement later must release them), updated. ``stored_form``: the
    record's decision rows laid out as stored (:func:`stored_decisions_of`), when they could be;
    then the decision rows are built (:func:`index_rows_of`) only if they differ, to say how."""
    if stored_form is None:
        index = index_rows_of(content)
        digest, implied_awards, releases = index.input_hash, index.awards, index.releases
    else:  # a decision, as index_rows_of reads one: no release
        index = None
        digest, implied_awards, releases = content.get("input_sha256"), tuple(awards_of(content)), ()
    if apps.take(seq, _NAMES[0]) != ([(application, digest)] if digest is not None else []):
        return "the applications index disagrees with the log for this application"

    for decision in releases:
        if decision in held:
            return "the awards index still holds room for a decision this settlement released"
        released.pop(decision, None)
    actual = awards.take(seq, _NAMES[1])
    if actual or implied_awards:
        implied_pending = {a.decision_id: a for a in implied_awards if a.source == "pending"}
        actual_pending = {a.decision_id: a for a in actual if a.source == "pending"}
        implied_rest = sorted((a for a in implied_awards if a.source != "pending"), key=_award_key)
        actual_rest = sorted((a for a in actual if a.source != "pending"), key=_award_key)
        if implied_rest != actual_rest or any(
            d not in implied_pending or implied_pending[d] != a for d, a in actual_pending.items()
        ):
            return _AWARDS_ALTERED
        for decision, award in implied_pending.items():
            (held if decision in actual_pending else released)[decision] = (seq, award.application)

    stored = decisions.take(seq, _NAMES[2])
    if stored_form is not None and stored == stored_form:
        return None
    implied = (index or index_rows_of(content)).decisions
    if len(implied) > 1:
        implied = tuple(sorted(implied, key=_claim))
    if stored != [_as_stored(d) for d in implied]:
        if not all(type(values[_AMOUNT_FEN]) in _WHOLE for values in stored) or [
            decision_of_stored(values) for values in stored
        ] != list(implied):
            return "the decision index disagrees with the log for this decision"
    return None


def _as_stored(row: DecisionRow) -> tuple[Any, ...] | None:
    """A decision row's stored values when they read back as the row itself (an amount in
    whole fen, open criteria without commas); else None: the rows are then compared instead."""
    amount = row.amount
    if amount is not None and (
        not amount.is_finite() or amount.adjusted() >= 20 or Decimal(int(amount * 100)).scaleb(-2) != amount
    ):
        return None
    if row.open_criteria and not all(isinstance(c, str) and c and "," not in c for c in row.open_criteria):
        return None
    return stored_decision(row)


# A decision row's amount as stored: whole fen or none (a fraction of a fen would read back rounded).
_AMOUNT_FEN = 6
_WHOLE = (int, type(None))

# What reading a value of an unexpected kind raises (a checked record holds none of them).
_ODD_VALUE = (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError, RecursionError)

# How a stray row of each index is named: by the record id (the application) it names.
_NAMES: tuple[Callable[[Any], str], ...] = (
    lambda row: row[0],  # type: ignore[no-any-return]
    lambda row: row.application,  # type: ignore[no-any-return]
    lambda row: row[1],  # type: ignore[no-any-return]
)


def _claim(row: DecisionRow) -> int:
    return row.claim


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
