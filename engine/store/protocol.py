"""The store seam: what every part of the engine asks of a decision store.

A backend is one module that implements :class:`Store` (the SQL backend serves
SQLite and, as one more dialect, PostgreSQL; the tests hold an in-memory one).
Nothing outside ``engine.store`` issues SQL or knows which backend it talks to.

Guarantees every backend gives:

* **the limits are checked and consumed in one transaction, the chain appended in
  order**: what a transaction of :meth:`Store.writing` reads of a limit stays true
  until it commits, and its records are chained after the head as it is when it
  appends. SQLite serialises writing transactions whole (``BEGIN IMMEDIATE``);
  PostgreSQL locks each limit's row before reading it and the chain just before the
  first append, to the commit. An application recorded by another writer meanwhile
  makes the commit fail as a lost race;
* **all or nothing**: leaving the ``with`` block normally commits every record
  appended in it; an exception rolls all of them back. A backend that loses a
  race it cannot wait out (a deadlock, a serialisation failure) raises
  :class:`~engine.store.errors.ConflictError`: the caller redoes the transaction;
* **reads never block writers**, and one :meth:`Store.reading` view is one
  consistent snapshot (``verify`` reads the log and the indexes through one);
* **streams stay flat**: :meth:`Reader.records`, :meth:`Reader.chain` and the index
  streams yield rows as they are read, in chain order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeAlias

from .records import AwardRow, DecisionRow, NewRecord, StoredRecord

# A record as ``verify`` reads it: (seq, kind, record id, application, recorded at, body as
# its UTF-8 bytes, prev, hash) — the columns of :class:`StoredRecord`, the body not decoded.
ChainRow: TypeAlias = tuple[int, str, str, str, str, bytes, str, str]

__all__ = [
    "ChainRow",
    "DecisionQuery",
    "IndexedDecision",
    "LimitReads",
    "Migration",
    "Reader",
    "Store",
    "TotalRow",
    "Transaction",
    "User",
]


@dataclass(frozen=True)
class DecisionQuery:
    """Which decisions to list (every filter optional; all given must hold).

    ``awaiting_review`` selects decisions that need review and have no settlement;
    ``open_criterion`` those with that criterion still open. Results come oldest
    first (chain order, then claim)."""

    outcome: str | None = None
    awaiting_review: bool = False
    program: str | None = None
    division: str | None = None
    open_criterion: str | None = None
    application: str | None = None
    credit_code: str | None = None
    patent: str | None = None
    applicant_contains: str | None = None  # part of the applicant's name (not indexed: a scan)
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class IndexedDecision:
    """A decision index row, where it sits in the chain, and whether it was settled."""

    row: DecisionRow
    record_seq: int
    settled: bool


@dataclass(frozen=True)
class TotalRow:
    """Awards summed over one group: programme, enterprise, division, month of
    submission, kind of money (one-off cash or a yearly fund) and whether they are
    still only held by claims awaiting review. Housing in m² is summed apart."""

    program: str
    credit_code: str | None
    applicant: str
    division: str | None
    month: str  # YYYY-MM of the application's submission
    amount_kind: str  # one_off | per_year
    pending: bool
    awards: int
    amount: Decimal
    housing_m2: Decimal


@dataclass(frozen=True)
class Migration:
    """One migration applied to a store: its name and when it was applied (UTC)."""

    name: str
    applied_at: str


@dataclass(frozen=True)
class User:
    """Who may use the web pages and the HTTP API (kept beside the log, not in it).

    ``role`` is reviewer, auditor or enterprise; an enterprise account is bound to one
    ``credit_code``. Secrets are kept only as hashes: ``password_hash`` (argon2) and
    ``token_hash`` (SHA-256 hex of the API token, None when none was issued).
    ``session_key``: the random value every page session of the account carries;
    replaced to end them all (sign out, a new password); None until first needed."""

    name: str
    role: str
    credit_code: str | None
    password_hash: str
    created_at: str
    token_hash: str | None = None
    session_key: str | None = None


class LimitReads(Protocol):
    """What the limits that span applications read (a transaction's reads see what it wrote)."""

    def recorded_input_hashes(self, applications: Sequence[str]) -> dict[str, str]:
        """For the ids already recorded among ``applications``: the hash of their input."""
        ...

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRow, ...]:
        """Awards and holds under a programme for one patent, in chain order."""
        ...

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRow, ...]:
        """One-off cash awards and holds under a programme for one enterprise, in chain order."""
        ...

    def held(self, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        """Which of ``limits`` — (``once_per`` or ``cap``, programme, patent or credit code) —
        already count an award or a hold (what :meth:`patent_awards` or
        :meth:`enterprise_awards` would answer with something). One question for many."""
        ...


class Reader(LimitReads, Protocol):
    """What can be read from a store (each call its own snapshot, unless read through
    one :meth:`Store.reading` view)."""

    location: str

    def head(self) -> tuple[int, str]:
        """(seq, hash) of the last record; (0, GENESIS) for an empty store."""
        ...

    def count(self, kind: str | None = None) -> int: ...

    def records(self, kind: str | None = None) -> Iterator[StoredRecord]:
        """Every record (or every record of one kind) in chain order, streamed."""
        ...

    def chain(self, after: int | None = None, upto: int | None = None) -> Iterator[ChainRow]:
        """Every record in chain order, streamed as plain tuples, each body as the UTF-8
        bytes it is stored as (what ``verify`` hashes and decodes). ``after``/``upto``: only
        the records of seq in ``(after, upto]`` (None: no bound on that side)."""
        ...

    def record(self, record_id: str) -> StoredRecord | None: ...

    def records_for(self, application: str) -> list[StoredRecord]:
        """An application's decision record and its settlements, in chain order."""
        ...

    def archived_files(self, version: str) -> dict[str, bytes]:
        """The rule files archived under a ruleset version (empty if none)."""
        ...

    def archived_versions(self) -> list[tuple[str, str]]:
        """(version, ruleset id) of every archived ruleset version."""
        ...

    def decisions(self, query: DecisionQuery) -> list[IndexedDecision]: ...

    def outcome_counts(self) -> dict[str, int]:
        """Decisions by outcome, as the engine recorded them."""
        ...

    def totals(self) -> list[TotalRow]: ...

    def application_index(self, after: int | None = None, upto: int | None = None) -> Iterator[tuple[int, str, str]]:
        """(record seq, application, input hash) rows, by record seq. ``after``/``upto``: only
        the rows of a record seq in ``(after, upto]``; with no ``after``, a seq that is null
        too, with no ``upto``, a seq that is not a number too (every row in some range)."""
        ...

    def award_index(self, after: int | None = None, upto: int | None = None) -> Iterator[tuple[int, AwardRow]]:
        """(record seq, award) rows, by record seq then decision id; an amount or area cell that
        is not a whole number is kept as read (:func:`~engine.store.statements.award_as_stored`);
        ``after``/``upto`` as for :meth:`application_index`."""
        ...

    def decision_index(
        self, after: int | None = None, upto: int | None = None
    ) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(record seq, decision row as stored) rows, by record seq then claim: each row's
        values as :func:`~engine.store.stored_decision` gives them (read back with
        :func:`~engine.store.decision_of_stored`). ``verify`` compares the stored values;
        ``after``/``upto`` as for :meth:`application_index`."""
        ...

    def migrations(self) -> list[Migration]:
        """The migrations applied to this store, in the order applied."""
        ...

    def user(self, name: str) -> User | None: ...

    def user_by_token(self, token_hash: str) -> User | None: ...

    def users(self) -> list[User]:
        """Every user, by name."""
        ...


class Transaction(LimitReads, Protocol):
    """One writing transaction (see the module's notes)."""

    def record(self, record_id: str) -> StoredRecord | None: ...

    def archive_ruleset(self, ruleset_id: str, version: str, files: dict[str, bytes]) -> None:
        """Keep a ruleset version's files, once."""
        ...

    def append(self, record: NewRecord) -> StoredRecord:
        """Chain one record after the head and write its index rows; ends the pending
        holds it releases."""
        ...


class Store(Reader, Protocol):
    """A decision store: a :class:`Reader` that can also write."""

    def writing(self) -> AbstractContextManager[Transaction]: ...

    def save_user(self, user: User) -> None:
        """Add ``user``, or replace the user of that name (its own short transaction,
        apart from the chain). Raises StoreError when its token hash is another's."""
        ...

    def reading(self) -> AbstractContextManager[Reader]:
        """One consistent snapshot to read from (a long read never blocks a writer)."""
        ...

    def close(self) -> None: ...
