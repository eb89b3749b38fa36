"""Everything one database does differently from another, in one place.

The SQL backend speaks SQLAlchemy Core, the same for every database; what a
dialect adds is here: how a connection is set up, how a writing transaction
takes the locks on the chain and on the limits, how a read sees one snapshot,
how a file or database is recognised as a decision store (and another program's
left untouched), and what a driver's error means to a person. SQLite is here;
PostgreSQL is :mod:`engine.store.postgres`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, LargeBinary, Table, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..errors import ConflictError, Problem, StoreError

__all__ = ["LOCK_WAIT_SECONDS", "Dialect", "SqliteDialect", "Utf8", "WRITE", "problem"]

WRITE = "subsidy_write"  # execution option: this connection opens writing transactions
APPLICATION_ID = 0x50594753  # "PYGS": marks an SQLite file as this program's store
LOCK_WAIT_SECONDS = 30  # how long a writer waits for another one before giving up
PAGE_CACHE_KB = 65536  # the indexes stay in memory as a store grows to millions of records
# The page size of a new SQLite store (an existing file keeps its own): a decision's body
# (~6 KB) fits in one page instead of spilling over two; appending costs ~12 % less CPU.
PAGE_SIZE = 16384


class Dialect(Protocol):
    """What the SQL backend asks of a database beyond SQLAlchemy Core (one class per database)."""

    name: str
    location: str  # how messages name the store (a path; a URL without its password)

    def create_engine(self) -> Engine:
        """An engine whose connections with the :data:`WRITE` option open *writing* transactions
        (SQLite: ``BEGIN IMMEDIATE``, serialised against each other from their start; a server:
        ordinary transactions that take the locks below as they go)."""
        ...

    def lock_chain(self, conn: Connection) -> None:
        """Take the chain's lock for the rest of the writing transaction: taken before the
        head is read for the first append (and by a migration), released at commit."""
        ...

    def lock_limits(self, conn: Connection, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> None:
        """Lock the limits — (``once_per`` or ``cap``, programme, patent or credit code) — for
        the rest of the writing transaction, before their awards are read: no other writer
        reads or consumes them until it commits."""
        ...

    def snapshot(self, conn: Connection) -> None:
        """Make ``conn``'s next transaction one consistent, read-only view (never blocking writers)."""
        ...

    def insert_new(self, table: Table) -> Any:
        """An INSERT into ``table`` that skips rows whose key is already there."""
        ...

    def state(self, conn: Connection) -> tuple[str, str | None]:
        """("new", None) or ("ours", the Alembic revision, None for the first format); raises
        StoreError for a database that is not a decision store. Reads only."""
        ...

    def mark(self, conn: Connection, generation: int) -> None:
        """Mark the database as this program's store (inside the migrating transaction)."""
        ...

    def after_open(self, engine: Engine) -> None:
        """Settings kept in the database, once it is known to be ours (SQLite: WAL)."""
        ...

    def errors(self) -> AbstractContextManager[None]:
        """Driver errors raised inside as StoreError (ConflictError for a lost race)."""
        ...


class Utf8(FunctionElement[bytes]):
    """``Utf8(column)``: a text column's value as its UTF-8 bytes, which the driver hands over
    without decoding them (``verify`` hashes a body as stored; decoding 8 KB of text to hash it
    again as bytes was a third of its reading). SQLite keeps text as UTF-8 and casts it to a
    blob as it is; PostgreSQL converts it (a cast to ``bytea`` would read backslashes as escapes)."""

    type = LargeBinary()
    name = "utf8"
    inherit_cache = True


@compiles(Utf8, "sqlite")
def _utf8_sqlite(element: Utf8, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS BLOB)"


@compiles(Utf8, "postgresql")
def _utf8_postgresql(element: Utf8, compiler: Any, **kw: Any) -> str:
    return f"convert_to({compiler.process(element.clauses, **kw)}, 'UTF8')"


def problem(location: str, message: str, hint: str | None = None) -> Problem:
    """A problem with the store as a whole (no line, no field)."""
    return Problem(location, None, "", message, hint)


class SqliteDialect:
    """An SQLite file: WAL (readers never block the writer), ``BEGIN IMMEDIATE`` for
    writers, the file marked with ``application_id``.

    A store that cannot be written — a copy on read-only media, a file or folder the
    user may only read — is opened read-only (``immutable`` when it was closed cleanly,
    so no lock or shared-memory file is needed): every read works, a write is refused
    as "read-only"."""

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        self.read_only = path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent or ".", os.W_OK))

    def create_engine(self) -> Engine:
        url = URL.create("sqlite", database=str(self.path))
        if self.read_only:
            wal = Path(f"{self.path}-wal")
            mode = {"mode": "ro"} if wal.exists() and wal.stat().st_size else {"immutable": "1"}
            url = URL.create("sqlite", database=f"file:{self.path.resolve()}", query={**mode, "uri": "true"})
        engine = create_engine(url, connect_args={"timeout": LOCK_WAIT_SECONDS, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _connect(dbapi: sqlite3.Connection, _record: Any) -> None:
            dbapi.isolation_level = None  # the driver's own transactions off: we say BEGIN ourselves
            cursor = dbapi.cursor()
            cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")  # takes effect only in a file with no table yet
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KB}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        return engine

    def lock_chain(self, conn: Connection) -> None:
        """Nothing more: ``BEGIN IMMEDIATE`` holds the one write lock from the start."""

    def lock_limits(self, conn: Connection, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> None:
        """Nothing more: ``BEGIN IMMEDIATE`` holds the one write lock from the start."""

    def snapshot(self, conn: Connection) -> None:
        """Begin the transaction and read once: in WAL mode a transaction reads the snapshot of
        its first read and blocks no writer. Reading now matters: the long reads stream from
        the driver's own cursor, which SQLAlchemy never begins a transaction for, so without
        it each of verify's streams would be a snapshot of its own (a record appended between
        two of them would look like an alteration)."""
        conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()

    def insert_new(self, table: Table) -> Any:
        return sqlite_insert(table).on_conflict_do_nothing()

    # ------------------------------------------------------------ recognising a store

    def state(self, conn: Connection) -> tuple[str, str | None]:
        """What the file holds: ("new", None), ("ours", alembic revision or None for a
        store of the first format), or raises StoreError for another program's file."""
        app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
        version = conn.exec_driver_sql("PRAGMA user_version").scalar()
        tables = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables and app_id == 0:
            return "new", None
        if app_id != APPLICATION_ID or "records" not in tables:
            raise StoreError([self._not_ours("the file is an SQLite database of another program")])
        if "alembic_version" in tables:
            return "ours", conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if version == 1:
            return "ours", None
        raise StoreError([self._not_ours(f"unknown store schema {version}")])

    def mark(self, conn: Connection, generation: int) -> None:
        """Mark the file as this program's store (inside the migrating transaction)."""
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version = {int(generation)}")

    def after_open(self, engine: Engine) -> None:
        """WAL, once the file is known to be ours (a setting kept in the file; it cannot
        change inside a transaction, so it is set on the driver's connection)."""
        if self.read_only:
            return
        raw = engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None
            if str(driver.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                driver.execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()

    def _not_ours(self, reason: str) -> Problem:
        return problem(
            self.location,
            f"not a decision store: {reason}",
            "give the path of a store made by `subsidy screen`, or a new file",
        )

    # ------------------------------------------------------------ errors

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Driver errors as what they mean to a person (StoreError, exit 2)."""
        try:
            yield
        except sa_exc.DBAPIError as exc:
            raise self.translate(exc) from None

    def translate(self, exc: sa_exc.DBAPIError) -> StoreError:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        lowered = text.lower()
        if "locked" in lowered or "busy" in lowered:
            return StoreError(
                [
                    problem(
                        self.location,
                        f"the store is locked by another writer (waited {LOCK_WAIT_SECONDS} s)",
                        "wait for the other screen or settle to finish, then run this again",
                    )
                ]
            )
        if "readonly" in lowered or "read-only" in lowered:
            return StoreError(
                [
                    problem(
                        self.location,
                        "the store is read-only: nothing can be recorded in it",
                        "verify, show, report and replay read it as it is; to record, copy it somewhere writable",
                    )
                ]
            )
        if "full" in lowered:
            return StoreError(
                [
                    problem(
                        self.location,
                        f"the disk is full ({text}): the transaction was rolled back, what was committed before stays",
                        "free space on the store's disk, then run this again: what is recorded is not recorded twice",
                    )
                ]
            )
        if "not a database" in lowered or "malformed" in lowered or "encrypted" in lowered:
            return StoreError([self._not_ours(text)])
        if isinstance(exc, sa_exc.OperationalError) and "deadlock" in lowered:  # pragma: no cover - servers
            return ConflictError([problem(self.location, text)])
        return StoreError([problem(self.location, f"the store cannot be used: {text}")])
