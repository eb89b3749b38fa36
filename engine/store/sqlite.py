"""The decision store: an append-only, hash-chained log in SQLite.

Every record — a decision on an application, or a reviewer's settlement of a
decision — is one row of ``records`` holding its full content as canonical
JSON (``body``), the hash of the record before it (``prev``) and its own hash
``sha256(prev + "\n" + body)`` (hex, over the UTF-8 bytes). Nothing is ever updated or deleted; a settlement is a
new record that references the decision it settles.

Beside the log, two tables are indexes the log fully determines, kept in the
same transactions: ``applications`` (which ids are recorded, with the hash of
their canonical input) and ``awards`` (the room the limits have used: one row
per award, by programme, patent and enterprise). ``verify`` rebuilds both from
the log and compares. Rule files are archived by ruleset version the first
time a version is used, so a decision replays after the files on disk changed.

The schema is created and migrated by the program (``PRAGMA user_version``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_core import to_json as _to_json

from ..errors import Problem, StoreError
from ..evaluation.decision import AwardRef
from ..money import from_fen, to_fen

__all__ = ["GENESIS", "Award", "Record", "Store", "chain_hash", "record_json"]

GENESIS = "0" * 64
SCHEMA_VERSION = 1
APPLICATION_ID = 0x50594753  # "PYGS": marks a file as this program's store

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE records (
        seq         INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('decision', 'settlement')),
        record_id   TEXT NOT NULL UNIQUE,
        application TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        body        TEXT NOT NULL,
        prev        TEXT NOT NULL,
        hash        TEXT NOT NULL
    );
    CREATE INDEX records_application ON records (application);
    CREATE TABLE applications (
        id          TEXT PRIMARY KEY,
        input_hash  TEXT NOT NULL,
        record_seq  INTEGER NOT NULL REFERENCES records (seq)
    );
    CREATE TABLE awards (
        record_seq  INTEGER NOT NULL REFERENCES records (seq),
        decision_id TEXT NOT NULL,
        application TEXT NOT NULL,
        ruleset_id  TEXT NOT NULL,
        program     TEXT NOT NULL,
        patent      TEXT,
        credit_code TEXT,
        applicant   TEXT NOT NULL,
        amount_fen  INTEGER NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('decision', 'pending', 'settlement'))
    );
    CREATE INDEX awards_patent ON awards (ruleset_id, program, patent);
    CREATE INDEX awards_enterprise ON awards (ruleset_id, program, credit_code);
    CREATE TABLE ruleset_files (
        version     TEXT NOT NULL,
        ruleset_id  TEXT NOT NULL,
        name        TEXT NOT NULL,
        content     BLOB NOT NULL,
        archived_at TEXT NOT NULL,
        PRIMARY KEY (version, name)
    );
    """,
}


def record_json(value: Any) -> str:
    """A record's body as stored: compact JSON, written once and hashed as written
    (verify hashes the stored text, never a re-serialization)."""
    return _to_json(value).decode("utf-8")


def chain_hash(prev: str, body: str) -> str:
    return hashlib.sha256(prev.encode("ascii") + b"\n" + body.encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Record:
    seq: int
    kind: str
    record_id: str
    application: str
    recorded_at: str
    body: str
    prev: str
    hash: str

    @property
    def content(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Award:
    """One row of the awards index: what a decision or settlement granted."""

    decision_id: str
    application: str
    ruleset_id: str
    program: str
    patent: str | None
    credit_code: str | None
    applicant: str
    amount: Decimal
    source: str

    def row(self) -> tuple[Any, ...]:
        """The award as its row of the awards index (after ``record_seq``), amount in fen."""
        return (
            self.decision_id,
            self.application,
            self.ruleset_id,
            self.program,
            self.patent,
            self.credit_code,
            self.applicant,
            to_fen(self.amount),
            self.source,
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Award:
        decision_id, application, ruleset_id, program, patent, credit_code, applicant, fen, source = row
        return cls(decision_id, application, ruleset_id, program, patent, credit_code, applicant, from_fen(fen), source)


class Store:
    """One SQLite decision store. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(
                [
                    Problem(
                        str(path),
                        None,
                        "",
                        "no such store",
                        "screen applications into it first: subsidy screen PATH --db DB",
                    )
                ]
            )
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            self._check_owner()  # before anything is written to a file that may not be ours
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # records are inserted in screening order, but their ids land all over the indexes:
            # a page cache of 64 MB keeps those pages in memory as the store grows to millions
            self.db.execute("PRAGMA cache_size=-65536")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                [
                    Problem(
                        str(path),
                        None,
                        "",
                        f"not a decision store: {exc}",
                        "give the path of a store made by `subsidy screen`, or a new file",
                    )
                ]
            ) from None
        self._head: tuple[int, str] | None = None
        self._archived: set[str] = {row[0] for row in self.db.execute("SELECT DISTINCT version FROM ruleset_files")}

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------- schema

    def _check_owner(self) -> None:
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables and version == 0):
            raise sqlite3.DatabaseError("the file is an SQLite database of another program")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"the store has schema {version}, newer than this program's {SCHEMA_VERSION}; upgrade the engine"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.db.execute(f"PRAGMA user_version = {target}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    # -------------------------------------------------------- transactions

    def begin(self) -> None:
        """Take the write lock: the chain head and the limits are read inside it."""
        self.db.execute("BEGIN IMMEDIATE")
        self._head = None

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        self.db.execute("ROLLBACK")

    # ------------------------------------------------------------ archive

    def archive_ruleset(self, ruleset_id: str, version: str, files: dict[str, bytes]) -> None:
        """Keep a ruleset version's files, once (inside the caller's transaction)."""
        if version in self._archived:
            return
        stamp = now()
        self.db.executemany(
            "INSERT OR IGNORE INTO ruleset_files (version, ruleset_id, name, content, archived_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(version, ruleset_id, name, content, stamp) for name, content in sorted(files.items())],
        )
        self._archived.add(version)

    def archived_files(self, version: str) -> dict[str, bytes]:
        rows = self.db.execute("SELECT name, content FROM ruleset_files WHERE version = ?", (version,))
        # content rewritten through SQL as TEXT comes back as str: read it as the bytes it holds
        return {name: content.encode("utf-8") if isinstance(content, str) else bytes(content) for name, content in rows}

    def archived_versions(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT DISTINCT version, ruleset_id FROM ruleset_files ORDER BY ruleset_id"))

    # --------------------------------------------------------------- log

    def head(self) -> tuple[int, str]:
        row = self.db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def append(self, kind: str, record_id: str, application: str, content: dict[str, Any]) -> Record:
        """Add one record at the end of the chain (inside the caller's transaction, which holds
        the write lock, so the head read at its start stays the head)."""
        return self.append_body(kind, record_id, application, content["recorded_at"], record_json(content))

    def append_body(self, kind: str, record_id: str, application: str, recorded_at: str, body: str) -> Record:
        """Add one record, given as its JSON body (whose ``recorded_at`` is the one given)."""
        seq, prev = self._head or self.head()
        digest = chain_hash(prev, body)
        self.db.execute(
            "INSERT INTO records (seq, kind, record_id, application, recorded_at, body, prev, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq + 1, kind, record_id, application, recorded_at, body, prev, digest),
        )
        self._head = (seq + 1, digest)
        return Record(seq + 1, kind, record_id, application, recorded_at, body, prev, digest)

    def add_application(self, application: str, input_hash: str, seq: int) -> None:
        self.db.execute(
            "INSERT INTO applications (id, input_hash, record_seq) VALUES (?, ?, ?)",
            (application, input_hash, seq),
        )

    def add_award(self, seq: int, award: Award) -> None:
        self.db.execute(
            "INSERT INTO awards (record_seq, decision_id, application, ruleset_id, program, patent, credit_code,"
            " applicant, amount_fen, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, *award.row()),
        )

    def recorded_input_hash(self, application: str) -> str | None:
        row = self.db.execute("SELECT input_hash FROM applications WHERE id = ?", (application,)).fetchone()
        return row[0] if row else None

    def records(self, kind: str | None = None) -> Iterator[Record]:
        """Every record in chain order, streamed."""
        sql = "SELECT seq, kind, record_id, application, recorded_at, body, prev, hash FROM records"
        cursor = self.db.execute(sql + (" WHERE kind = ?" if kind else "") + " ORDER BY seq", (kind,) if kind else ())
        for row in cursor:
            yield Record(*row)

    def record(self, record_id: str) -> Record | None:
        row = self.db.execute(
            "SELECT seq, kind, record_id, application, recorded_at, body, prev, hash FROM records WHERE record_id = ?",
            (record_id,),
        ).fetchone()
        return Record(*row) if row else None

    def records_for(self, application: str) -> list[Record]:
        rows = self.db.execute(
            "SELECT seq, kind, record_id, application, recorded_at, body, prev, hash FROM records "
            "WHERE application = ? ORDER BY seq",
            (application,),
        )
        return [Record(*row) for row in rows]

    def count(self, kind: str | None = None) -> int:
        if kind:
            return int(self.db.execute("SELECT count(*) FROM records WHERE kind = ?", (kind,)).fetchone()[0])
        return int(self.db.execute("SELECT count(*) FROM records").fetchone()[0])

    # ------------------------------------------------------------- limits

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        """Awards (and claims awaiting review) under a programme for one patent."""
        rows = self.db.execute(
            "SELECT decision_id, application, amount_fen, source FROM awards "
            "WHERE ruleset_id = ? AND program = ? AND patent = ? ORDER BY record_seq, decision_id",
            (ruleset_id, program, patent),
        )
        return tuple(AwardRef(from_fen(f), decision=d, application=a, pending=s == "pending") for d, a, f, s in rows)

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        """Awards (and claims awaiting review) under a programme for one enterprise."""
        rows = self.db.execute(
            "SELECT decision_id, application, amount_fen, source FROM awards "
            "WHERE ruleset_id = ? AND program = ? AND credit_code = ? ORDER BY record_seq, decision_id",
            (ruleset_id, program, credit_code),
        )
        return tuple(AwardRef(from_fen(f), decision=d, application=a, pending=s == "pending") for d, a, f, s in rows)

    def release(self, decision_id: str) -> None:
        """A settlement ends the hold a decision awaiting review had on the limits."""
        self.db.execute("DELETE FROM awards WHERE decision_id = ? AND source = 'pending'", (decision_id,))
