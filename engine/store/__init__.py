"""The decision store: the hash-chained log, its indexes and the rules archive.

The only package that knows SQL or a database driver. Everything else asks a
:class:`Store` (the protocol in :mod:`engine.store.protocol`) for what it needs;
:func:`open_store` gives the backend a ``--db`` value names. The record formats —
a decision's body, a settlement's, the ids, the index rows — are defined once, in
:mod:`engine.store.records`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, StoreError
from .bodies import index_rows_of
from .protocol import DecisionQuery, IndexedDecision, Migration, Reader, Store, TotalRow, Transaction, User
from .records import (
    GENESIS,
    AwardRow,
    DecisionRow,
    IndexRows,
    NewRecord,
    Reference,
    StoredRecord,
    chain_hash,
    decision_id,
    input_hash,
    parse_reference,
    record_json,
    settlement_id,
)
from .statements import decision_of as decision_of_stored
from .statements import stored_decision

__all__ = [
    "GENESIS",
    "AwardRow",
    "DecisionQuery",
    "DecisionRow",
    "IndexRows",
    "IndexedDecision",
    "Migration",
    "NewRecord",
    "Reader",
    "Reference",
    "Store",
    "StoredRecord",
    "TotalRow",
    "Transaction",
    "User",
    "chain_hash",
    "decision_id",
    "decision_of_stored",
    "index_rows_of",
    "input_hash",
    "migrate_store",
    "open_store",
    "parse_reference",
    "record_json",
    "settlement_id",
    "stored_decision",
]


def open_store(db: str | Path, *, create: bool = False) -> Store:
    """The store ``db`` names, migrated to the newest schema: an SQLite file path (or
    ``sqlite:///PATH``), or a PostgreSQL database ``postgresql://USER@HOST[:PORT]/DB``.
    ``create``: make a new store if there is none (an SQLite file; the tables in an empty
    PostgreSQL database, the database itself too when the server lets us), else StoreError.

    Raises StoreError (exit 2) for a missing store, another program's file or database,
    a locked, read-only or unreachable store."""
    return _open(db, create)[0]


def migrate_store(db: str | Path) -> tuple[list[str], list[Migration]]:
    """Bring an existing store to the newest schema: the migrations applied now, and
    every migration the store has had, with the time it was applied."""
    store, applied = _open(db, False)
    try:
        return applied, store.migrations()
    finally:
        store.close()


def _open(db: str | Path, create: bool) -> tuple[Store, list[str]]:
    from .dialects import Dialect, SqliteDialect
    from .migrate import upgrade
    from .postgres import PostgresDialect, is_postgres
    from .sql import SqlStore

    text = str(db)
    dialect: Dialect
    if is_postgres(text):
        dialect = PostgresDialect(text)
    else:
        if text.startswith("sqlite:///"):
            text = text[len("sqlite:///") :]
        elif "://" in text:
            scheme = text.split("://", 1)[0]
            raise StoreError(
                [
                    Problem(
                        text,
                        None,
                        "",
                        f"no store backend for '{scheme}' databases",
                        "give an SQLite file path or a postgresql://USER@HOST/DB URL",
                    )
                ]
            )
        path = Path(text)
        if not create and not path.exists():
            raise StoreError([_missing(str(db))])
        dialect = SqliteDialect(path)
    engine = dialect.create_engine()
    try:
        applied = upgrade(engine, dialect, create=create)
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine, dialect), applied


def _missing(location: str) -> Problem:
    return Problem(
        location, None, "", "no such store", "screen applications into it first: subsidy screen PATH --db DB"
    )
