"""Bringing a store's schema up to date: Alembic, on open, inside one writing transaction.

Every store is at the newest revision before anything else reads or writes it.
Opening a store that is already there costs one query (Alembic is not even
imported); otherwise the migrations run in a transaction that holds the write
lock, so two processes opening an older store at once migrate it once. Each
migration applied is recorded by name with the time it was applied in the
``migrations`` table (beside Alembic's ``alembic_version``). A store made before
migrations had names (``PRAGMA user_version`` 1, no ``alembic_version``) holds the
first revision's schema: it is adopted at that revision and migrated from there.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from ..errors import Problem, StoreError
from .dialects import WRITE, Dialect
from .schema import migrations

__all__ = ["HEAD", "MIGRATIONS", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0007"  # the newest revision; a test holds it to Alembic's own idea of the head
FIRST = "0001"


def upgrade(engine: Engine, dialect: Dialect, *, create: bool) -> list[str]:
    """Migrate the store to :data:`HEAD`; the names of the migrations applied now.

    A database server's missing database is created when ``create`` (and the server
    lets us); an empty one is a new store only when ``create``."""
    try:
        state, revision = _state(engine, dialect)
    except StoreError:
        make = getattr(dialect, "create_database", None)
        if not create or make is None:
            raise
        if _database_missing(engine, dialect):
            make()
        # asked again even when the database was there: another process may have made it since
        # (two screens into one new database at once); what failed for another reason fails again
        state, revision = _state(engine, dialect)
    if state == "new" and not create:
        raise StoreError(
            [
                Problem(
                    dialect.location,
                    None,
                    "",
                    "no such store",
                    "screen applications into it first: subsidy screen PATH --db DB",
                )
            ]
        )
    if revision == HEAD:
        dialect.after_open(engine)
        return []
    applied = _run(engine, dialect)
    dialect.after_open(engine)
    return applied


def _state(engine: Engine, dialect: Dialect) -> tuple[str, str | None]:
    with dialect.errors(), engine.connect() as conn:
        found = dialect.state(conn)
        conn.rollback()
    return found


def _database_missing(engine: Engine, dialect: Dialect) -> bool:
    """Whether connecting failed because the database itself does not exist."""
    from sqlalchemy import exc as sa_exc

    from .postgres import NO_DATABASE, sqlstate

    try:
        with engine.connect():
            return False
    except sa_exc.DBAPIError as exc:
        return sqlstate(exc) == NO_DATABASE


def _run(engine: Engine, dialect: Dialect) -> list[str]:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    with dialect.errors(), engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            dialect.lock_chain(conn)  # one migration at a time: the others wait, then find it done
            state, revision = dialect.state(conn)  # again, under the write lock
            if revision == HEAD:
                return []
            if revision is not None and revision not in known:
                raise StoreError(
                    [
                        Problem(
                            dialect.location,
                            None,
                            "",
                            f"the store has schema revision {revision}, newer than this program knows",
                            "upgrade the engine to read it",
                        )
                    ]
                )
            migrations.create(conn, checkfirst=True)
            before = {row[0] for row in conn.execute(migrations.select())}
            config.attributes["connection"] = conn
            if state == "ours" and revision is None:
                command.stamp(config, FIRST)  # a store of the first format: adopted, not rebuilt
            command.upgrade(config, "head")
            dialect.mark(conn, generation=len(known))
            return [row[0] for row in conn.execute(migrations.select()) if row[0] not in before]
