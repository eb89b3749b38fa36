"""PostgreSQL as a store (psycopg 3): many processes and machines writing one store safely.

What it adds to the SQL backend, which is the same for every database:

* **writers lock only what they use**: a writing transaction is an ordinary READ
  COMMITTED one. Before it reads the awards under a limit it locks that limit's row
  in ``limits`` (``SELECT … FOR UPDATE``, the row made on first use), so the limits a
  transaction checks are the limits it consumes: no other writer can read or use
  them until it commits. Before its first append it takes the chain lock (a
  transaction-level advisory lock), held only for the append, to the commit.
* **losers retry**: a deadlock between two writers' limit locks, a serialisation
  failure or a duplicate id (two batches recording one application) is a
  :class:`~engine.errors.ConflictError`; the services redo the transaction.
* **reads never block writers**: a :meth:`~engine.store.protocol.Store.reading` view
  is a REPEATABLE READ, READ ONLY transaction (one snapshot); other reads are plain
  statements. MVCC never makes them wait for a writer.
* a database is this program's store when its ``records`` table carries
  :data:`MARK` as its comment; any other non-empty database is left untouched.

URLs: ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`` (also ``postgres://`` and
``postgresql+psycopg://``; ``?host=/run/postgresql`` for a unix socket). Messages
name the URL without its password.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from ..errors import ConflictError, Problem, StoreError
from . import dialects
from .dialects import problem

__all__ = ["CHAIN_LOCK", "MARK", "PostgresDialect", "is_postgres", "sqlstate"]

MARK = "puyang-subsidy decision store"  # the comment on the records table of a store
CHAIN_LOCK = 0x50594753  # "PYGS": the advisory lock key of the chain (one per database)
CONNECT_SECONDS = 10  # how long to wait for the server to answer a connection

# SQLSTATEs: what a server's error means to a person
LOST_RACE = {"40001", "40P01", "23505"}  # serialisation failure, deadlock, duplicate id
LOCKED = {"55P03"}  # lock_timeout passed
READ_ONLY = {"25006", "42501"}  # a read-only transaction or server; no privilege to write
NO_DATABASE = "3D000"
DISK_FULL = {"53100"}

_LOCK_LIMITS = text(
    "SELECT 1 FROM limits WHERE (ruleset_id, kind, program, key) IN "
    "(SELECT * FROM unnest(CAST(:r AS text[]), CAST(:k AS text[]), CAST(:p AS text[]), CAST(:v AS text[]))) "
    "ORDER BY ruleset_id, kind, program, key FOR UPDATE"
)
_MAKE_LIMITS = text(
    "INSERT INTO limits (ruleset_id, kind, program, key) "
    "SELECT * FROM unnest(CAST(:r AS text[]), CAST(:k AS text[]), CAST(:p AS text[]), CAST(:v AS text[])) "
    "ORDER BY 1, 2, 3, 4 ON CONFLICT DO NOTHING"
)


def sqlstate(exc: sa_exc.DBAPIError) -> str:
    """The SQLSTATE of a driver's error; 3D000 also for a refused connection to a missing
    database (psycopg gives no code for errors before the session starts)."""
    state = getattr(exc.orig, "sqlstate", None) or ""
    if not state and "does not exist" in str(exc.orig) and 'database "' in str(exc.orig):
        return NO_DATABASE
    return str(state)


def is_postgres(db: str) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database."""
    return db.split("://", 1)[0].lower() in ("postgresql", "postgres", "postgresql+psycopg")


class PostgresDialect:
    """A PostgreSQL database (see the module's notes)."""

    name = "postgresql"

    def __init__(self, db: str) -> None:
        url = make_url(db.replace("postgres://", "postgresql://", 1))
        self.url: URL = url.set(drivername="postgresql+psycopg")
        self.location = self.url.set(drivername="postgresql").render_as_string(hide_password=True)

    def create_engine(self) -> Engine:
        engine = create_engine(
            self.url,
            connect_args={"connect_timeout": CONNECT_SECONDS, "application_name": "subsidy"},
            pool_pre_ping=True,
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi: Any, _record: Any) -> None:
            wait_ms = int(dialects.LOCK_WAIT_SECONDS * 1000)
            with dbapi.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = {wait_ms}")
                cursor.execute("SET idle_in_transaction_session_timeout = 0")
            dbapi.commit()

        return engine

    def create_database(self) -> None:
        """Create the database the URL names (the server's ``postgres`` database is asked)."""
        name = self.url.database
        if not name:
            raise StoreError([problem(self.location, "the URL names no database", "postgresql://USER@HOST/DB")])
        admin = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with self.errors(), admin.connect() as conn:
                quoted = conn.dialect.identifier_preparer.quote(name)
                try:
                    conn.exec_driver_sql(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
                except sa_exc.DBAPIError as exc:
                    if sqlstate(exc) not in ("42P04", "23505"):  # not: another process made it just now
                        raise
        except StoreError as exc:
            raise StoreError(
                [problem(self.location, f"no such database, and it cannot be created: {exc}", "createdb DB")]
            ) from None
        finally:
            admin.dispose()

    # ------------------------------------------------------------ locks

    def lock_chain(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})

    def lock_limits(self, conn: Connection, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> None:
        rows = sorted(set(limits))
        if not rows:
            return
        params = {
            "r": [ruleset_id] * len(rows),
            "k": [k for k, _, _ in rows],
            "p": [p for _, p, _ in rows],
            "v": [v for _, _, v in rows],
        }
        conn.execute(_MAKE_LIMITS, params)
        conn.execute(_LOCK_LIMITS, params)

    def snapshot(self, conn: Connection) -> None:
        conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)

    def insert_new(self, table: Table) -> Any:
        from sqlalchemy.dialects.postgresql import insert as pg_insert  # the dialect's own: loaded when used

        return pg_insert(table).on_conflict_do_nothing()

    # ------------------------------------------------------------ recognising a store

    def state(self, conn: Connection) -> tuple[str, str | None]:
        tables = {
            row[0] for row in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
        }
        if not tables:
            return "new", None
        mark = None
        if "records" in tables:
            mark = conn.execute(text("SELECT obj_description(CAST('records' AS regclass), 'pg_class')")).scalar()
        if mark != MARK or "alembic_version" not in tables:
            raise StoreError(
                [
                    problem(
                        self.location,
                        "not a decision store: the database holds another program's tables",
                        "give the URL of a store made by `subsidy screen`, or of an empty database",
                    )
                ]
            )
        return "ours", conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def mark(self, conn: Connection, generation: int) -> None:
        conn.execute(text(f"COMMENT ON TABLE records IS '{MARK}'"))

    def after_open(self, engine: Engine) -> None:
        """Nothing kept in the database beyond the schema."""

    # ------------------------------------------------------------ errors

    @contextmanager
    def errors(self) -> Iterator[None]:
        try:
            yield
        except sa_exc.DBAPIError as exc:
            raise self.translate(exc) from None

    def translate(self, exc: sa_exc.DBAPIError) -> StoreError:
        state = sqlstate(exc)
        said = str(exc.orig).strip() if exc.orig is not None else str(exc)
        first = said.splitlines()[0] if said else said
        if state in LOST_RACE:
            return ConflictError([problem(self.location, f"lost a race with another writer: {first}")])
        if state in LOCKED:
            return StoreError(
                [
                    problem(
                        self.location,
                        f"the store is locked by another writer (waited {dialects.LOCK_WAIT_SECONDS} s)",
                        "wait for the other screen or settle to finish, then run this again",
                    )
                ]
            )
        if state in READ_ONLY:
            return StoreError(
                [problem(self.location, f"the store is read-only: nothing can be recorded in it ({first})")]
            )
        if state in DISK_FULL:
            return StoreError([problem(self.location, f"the database server's disk is full: {first}")])
        if state == NO_DATABASE:
            return StoreError([self.missing()])
        if not state and isinstance(exc, sa_exc.OperationalError):  # never reached the server
            return StoreError(
                [
                    problem(
                        self.location,
                        f"cannot connect to the store's server: {first}",
                        "check the host, the port and that the server runs",
                    )
                ]
            )
        return StoreError([problem(self.location, f"the store cannot be used: {first}")])

    def missing(self) -> Problem:
        return problem(self.location, "no such store", "screen applications into it first: subsidy screen PATH --db DB")
