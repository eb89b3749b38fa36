"""The checks of ``verify`` along the chain, record by record, over the whole chain or one range of it.

:func:`walk_span` checks the records of seq in a range ``(after, upto]`` as
:mod:`~engine.services.verification` describes, beside the index rows of that range: each
record's link to the one before, its hash, its columns against its content, its input hash,
its index rows. What a range cannot know alone — the hash the record before it ends with, the
pending holds of earlier records that a settlement here releases, the holds still to be
released after it — is kept in its :class:`Span` for the caller: the whole chain is one span
from the genesis, or several (one per process) joined in order
(:mod:`~engine.services.chain_ranges`).
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from ..store import GENESIS, AwardRow, DecisionRow, decision_of_stored, index_rows_of, input_hash, stored_decision
from ..store.bodies import awards_of
from ..store.body_reading import read_record
from ..store.records import DECISION
from ..store.stored_index import stored_decisions_of
from .chain_reading import ChainAhead

__all__ = ["AWARDS_ALTERED", "Failed", "Span", "walk_span"]

T = TypeVar("T")


class Failed(Exception):
    """The first record found altered: its id, its seq (None: not a record), why."""

    def __init__(self, record: str, seq: int | None, reason: str) -> None:
        self.record, self.seq, self.reason = record, seq, reason


@dataclass
class Span:
    """A walk along the records of seq in ``(after, upto]`` (``upto`` None: to the chain's
    end), and what it found. ``prev``: the hash its first record must link to (None: not
    known here; the first record's ``prev`` is kept as :attr:`first_prev`, for the caller to
    check). ``noted``: a chain head noted earlier, looked for among the records' hashes."""

    after: int = 0
    upto: int | None = None
    prev: str | None = GENESIS
    noted: str | None = None
    records: int = 0  # records walked (the one found altered counted)
    first_prev: Any = None  # the first record's prev, as read
    head: str = GENESIS  # the hash of the last record found intact
    noted_at: int | None = None  # the seq of the last record whose hash is the noted head
    versions: set[str] = field(default_factory=set)  # the ruleset versions the records name
    held: dict[str, tuple[int, str]] = field(default_factory=dict)  # pending holds the index keeps
    released: dict[str, tuple[int, str]] = field(
        default_factory=dict
    )  # ... lacks: a settlement later must release them
    releases: list[str] = field(default_factory=list)  # the decisions the settlements here release, in order
    ended: bool = False  # every record of the range walked (a fault found after: in the rows left over)


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


def _stray(row: tuple[int, Any], name: Callable[[Any], str]) -> Failed:
    return Failed(name(row[1]), row[0], "the indexes hold rows of a record that is not in the log")


def _award_key(row: AwardRow) -> tuple[str, str]:
    return row.decision_id, row.source


def walk_span(ahead: ChainAhead, span: Span) -> None:
    """The records of ``span``'s range (read by ``ahead``) and their index rows checked one by
    one, ``span`` updated as they are; raises :class:`Failed` at the first found altered. The
    pending holds still unreleased at its end (:attr:`Span.released`) are left to the caller."""
    apps, awards, decisions = (_ByRecord(rows) for rows in ahead.indexes)
    held, released, versions, releases = span.held, span.released, span.versions, span.releases
    prev, noted = span.prev, span.noted
    for (seq, kind, record_id, application, recorded_at, body, record_prev, record_hash), hashed in ahead.chain:
        span.records += 1
        expected = span.after + span.records
        if seq != expected:
            raise Failed(record_id, seq, f"record {expected} is missing before it (the chain has a gap)")
        if prev is None:  # the first of a range after the first: the caller checks its link
            prev = span.first_prev = record_prev
        if record_prev != prev:
            raise Failed(record_id, seq, "its link to the record before does not match that record's hash")
        if not hashed:
            raise Failed(record_id, seq, "its content does not match its hash (the record was altered)")
        try:
            content, given, canonical = read_record(body, kind)
        except ValueError:
            raise Failed(record_id, seq, "its content is not valid JSON") from None
        if type(content) is not dict:
            raise Failed(record_id, seq, "its content is not a record (a JSON object)")
        try:
            reason = _content_fault(content, kind, record_id, application, recorded_at, given if canonical else None)
            if reason is None:
                versions.add(content["ruleset"]["version"])
                stored = stored_decisions_of(content) if kind == DECISION else None
                reason = _index_fault(
                    content, stored, seq, application, apps, awards, decisions, held, released, releases
                )
        except _ODD_VALUE:
            # a value of a kind no record holds (a list for a text, a blob in an index...): read as
            # an alteration of this record, as the records before it were found intact
            reason = "a value in its content or its index rows is not of the kind a record holds"
        if reason is not None:
            raise Failed(record_id, seq, reason)
        prev = span.head = record_hash
        if record_hash == noted:
            span.noted_at = seq

    span.ended = True
    left_over = ahead.first_left_over()
    if left_over is not None:
        number, row = left_over
        raise _stray(row, _NAMES[number])


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
    released_here: list[str],
) -> str | None:
    """What is wrong between the index rows a record implies and the rows the indexes hold
    for it, if anything. ``held``/``released``: the pending holds so far that the awards
    index keeps / lacks (a settlement later must release them), updated; ``released_here``: the
    decisions released so far, this record's added. ``stored_form``: the
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
        released_here.append(decision)
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
            return AWARDS_ALTERED
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


AWARDS_ALTERED = "the awards index disagrees with the log (the room used under the limits was altered)"
