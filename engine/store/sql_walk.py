"""The long reads of ``verify``'s walk in the SQL backend: the chain and the three indexes,
streamed in order, whole or one range of record numbers at a time.

A range ``(after, upto]`` of record seqs lets several processes walk one store, each its own
part. The ranges of the indexes cover every row whatever its cell holds: the first range
(``after`` None) also takes a seq that is null, the last (``upto`` None) one that is not a
number (SQLite orders every text and blob after every number), so that a row of an altered
index is always read by some walk and named there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Column, Connection, or_, select
from sqlalchemy import exc as sa_exc

from .protocol import ChainRow
from .records import AwardRow
from .schema import applications, awards, decisions, records
from .statements import AWARD_COLUMNS, CHAIN, DECISION_COLUMNS, award_as_stored

__all__ = ["CHAIN_BATCH", "STREAM_CACHE_KB", "ChainReads"]

CHAIN_BATCH = 1000  # records fetched at once by verify's walk along the chain (~8 MB of bodies)
# SQLite's page cache while the walk streams (KiB): every page is read once, in order, so a
# large cache only holds pages that are never read again (64 MB of a walk's 150 MB peak).
STREAM_CACHE_KB = 2048


def _in_range(column: Column[Any], after: int | None, upto: int | None) -> list[Any]:
    """The conditions of a record seq in ``(after, upto]``; None: no bound on that side, and
    (``after`` None) a null seq taken in too."""
    conditions = []
    if after is not None:
        conditions.append(column > after)
    if upto is not None:
        conditions.append(column <= upto if after is not None else or_(column <= upto, column.is_(None)))
    return conditions


class ChainReads:
    """Mixed into the backend's reads (which give ``_connect``)."""

    _connect: Callable[[], AbstractContextManager[Connection]]

    def _stream(self, statement: Any) -> Iterator[Any]:
        """The rows of a long read (``verify``'s walk), a batch of :data:`CHAIN_BATCH` at a time.
        On SQLite they come from the driver's own cursor, as the tuples it builds: no type of
        these columns needs converting there, and SQLAlchemy's row for each of the ~400,000 rows
        of a 100,000-record store cost a twentieth of the walk; the page cache is kept to
        :data:`STREAM_CACHE_KB` meanwhile. Elsewhere through SQLAlchemy, which streams them
        from the server."""
        with self._connect() as conn:
            if conn.dialect.name != "sqlite":
                with conn.execute(statement.execution_options(yield_per=CHAIN_BATCH)) as result:
                    yield from result
                return
            # the bounds are whole numbers (the walk's ranges), written into the SQL as they are
            sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
            driver = conn.connection.driver_connection
            assert driver is not None
            try:
                cache = int(driver.execute("PRAGMA cache_size").fetchone()[0])
                if cache != -STREAM_CACHE_KB:  # the first of the walk's streams sets it, and puts it back
                    driver.execute(f"PRAGMA cache_size=-{STREAM_CACHE_KB}")
                cursor = driver.cursor()
                try:
                    cursor.execute(sql)
                    while rows := cursor.fetchmany(CHAIN_BATCH):
                        yield from rows
                finally:
                    cursor.close()
                    if cache != -STREAM_CACHE_KB:
                        driver.execute(f"PRAGMA cache_size={cache}")
            except conn.dialect.loaded_dbapi.Error as failure:  # said as every other driver error is
                raise sa_exc.DBAPIError.instance(sql, None, failure, conn.dialect.loaded_dbapi.Error) from None

    def chain(self, after: int | None = None, upto: int | None = None) -> Iterator[ChainRow]:
        yield from self._stream(CHAIN.where(*_in_range(records.c.seq, after, upto)))

    def application_index(self, after: int | None = None, upto: int | None = None) -> Iterator[tuple[int, str, str]]:
        statement = (
            select(applications.c.record_seq, applications.c.id, applications.c.input_hash)
            .where(*_in_range(applications.c.record_seq, after, upto))
            .order_by(applications.c.record_seq, applications.c.id)
        )
        yield from self._stream(statement)

    def award_index(self, after: int | None = None, upto: int | None = None) -> Iterator[tuple[int, AwardRow]]:
        statement = (
            select(*AWARD_COLUMNS)
            .where(*_in_range(awards.c.record_seq, after, upto))
            .order_by(awards.c.record_seq, awards.c.decision_id, awards.c.source)
        )
        for row in self._stream(statement):
            yield row[0], award_as_stored(row)

    def decision_index(
        self, after: int | None = None, upto: int | None = None
    ) -> Iterator[tuple[int, tuple[Any, ...]]]:
        statement = (
            select(decisions.c.record_seq, *DECISION_COLUMNS)
            .where(*_in_range(decisions.c.record_seq, after, upto))
            .order_by(decisions.c.record_seq, decisions.c.claim)
        )
        for row in self._stream(statement):
            yield row[0], row[1:]
