"""The SQL backend of the store seam (SQLAlchemy Core): SQLite and PostgreSQL alike.

Statements are built once, from :mod:`engine.store.schema`, and are the same for
every database; what differs by database is in :mod:`engine.store.dialects` and
:mod:`engine.store.postgres`. A writing transaction locks each limit before it reads
its awards, and the chain before its first append (on SQLite both are the one lock
``BEGIN IMMEDIATE`` took).

A writing transaction keeps what it appends in memory and writes it with one
``executemany`` per table when it commits (the screening hot path appends a few
hundred records per transaction); its reads — applications already recorded,
awards under a limit — see the store and what it appended alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Engine, exists, func, insert, literal, select
from sqlalchemy import exc as sa_exc

from .dialects import WRITE, Dialect
from .overlay import Overlay
from .protocol import DecisionQuery, IndexedDecision, Migration, TotalRow, User
from .records import GENESIS, AwardRow, NewRecord, StoredRecord, chain_hash, now
from .schema import applications, awards, decisions, migrations, records, ruleset_files
from .sql_users import UserReads, save_user
from .sql_walk import CHAIN_BATCH, ChainReads
from .statements import (
    BY_ENTERPRISE,
    BY_PATENT,
    DECISION_COLUMNS,
    HEAD,
    INPUT_HASHES,
    ONE_RECORD,
    RECORD_COLUMNS,
    RELEASE,
    award_of,
    award_values,
    decision_of,
    decision_values,
    held,
    m2,
    yuan,
)

__all__ = ["CHAIN_BATCH", "SqlStore"]


class _Reads(ChainReads, UserReads):
    """Every read, on connections from ``connect`` (one snapshot, or one per call)."""

    def __init__(self, location: str, connect: Callable[[], AbstractContextManager[Connection]]) -> None:
        self.location = location
        self._connect = connect

    def _rows(self, statement: Any, **params: Any) -> Iterator[Any]:
        with self._connect() as conn, conn.execute(statement, params) as result:  # closed when left early
            yield from result

    def recorded_input_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), 500):
            found.update((i, h) for i, h in self._rows(INPUT_HASHES, ids=wanted[start : start + 500]))
        return found

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRow, ...]:
        return tuple(award_of(r) for r in self._rows(BY_PATENT, ruleset_id=ruleset_id, program=program, key=patent))

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRow, ...]:
        rows = self._rows(BY_ENTERPRISE, ruleset_id=ruleset_id, program=program, key=credit_code)
        return tuple(award_of(r) for r in rows)

    def held(self, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        return held(lambda statement, params: list(self._rows(statement, **params)), ruleset_id, limits)

    def head(self) -> tuple[int, str]:
        row = next(self._rows(HEAD), None)
        return (row[0], row[1]) if row else (0, GENESIS)

    def count(self, kind: str | None = None) -> int:
        statement = select(func.count()).select_from(records)
        if kind:
            statement = statement.where(records.c.kind == kind)
        return int(next(self._rows(statement))[0])

    def records(self, kind: str | None = None) -> Iterator[StoredRecord]:
        statement = select(*RECORD_COLUMNS).order_by(records.c.seq)
        if kind:
            statement = statement.where(records.c.kind == kind)
        for row in self._rows(statement.execution_options(yield_per=500)):
            yield StoredRecord(*row)

    def record(self, record_id: str) -> StoredRecord | None:
        row = next(self._rows(ONE_RECORD, record_id=record_id), None)
        return StoredRecord(*row) if row else None

    def records_for(self, application: str) -> list[StoredRecord]:
        statement = select(*RECORD_COLUMNS).where(records.c.application == application).order_by(records.c.seq)
        return [StoredRecord(*row) for row in self._rows(statement)]

    def archived_files(self, version: str) -> dict[str, bytes]:
        statement = select(ruleset_files.c.name, ruleset_files.c.content).where(ruleset_files.c.version == version)
        # content rewritten through SQL as text comes back as str: read it as the bytes it holds
        return {n: c.encode("utf-8") if isinstance(c, str) else bytes(c) for n, c in self._rows(statement)}

    def archived_versions(self) -> list[tuple[str, str]]:
        statement = (
            select(ruleset_files.c.version, ruleset_files.c.ruleset_id)
            .distinct()
            .order_by(ruleset_files.c.ruleset_id, ruleset_files.c.version)
        )
        return [(v, r) for v, r in self._rows(statement)]

    def decisions(self, query: DecisionQuery) -> list[IndexedDecision]:
        settled = exists().where(records.c.record_id == decisions.c.decision_id + literal("/settlement"))
        statement = select(*DECISION_COLUMNS, decisions.c.record_seq, settled.label("settled"))
        conditions = []
        for name in ("outcome", "program", "division", "application", "credit_code", "patent"):
            value = getattr(query, name)
            if value is not None:
                conditions.append(decisions.c[name] == value)
        if query.awaiting_review:
            conditions += [decisions.c.outcome == "needs_review", ~settled]
        if query.applicant_contains:
            conditions.append(decisions.c.applicant.contains(query.applicant_contains, autoescape=True))
        if query.open_criterion:
            conditions.append(decisions.c.open_criteria.contains(f",{query.open_criterion},", autoescape=True))
        statement = statement.where(*conditions).order_by(decisions.c.record_seq, decisions.c.claim)
        statement = statement.limit(query.limit).offset(query.offset or None)
        return [IndexedDecision(decision_of(row[:-2]), row[-2], bool(row[-1])) for row in self._rows(statement)]

    def outcome_counts(self) -> dict[str, int]:
        statement = select(decisions.c.outcome, func.count()).group_by(decisions.c.outcome)
        return {outcome: int(n) for outcome, n in self._rows(statement)}

    def totals(self) -> list[TotalRow]:
        month = func.substr(decisions.c.submitted_on, 1, 7)
        keys = (
            awards.c.program,
            awards.c.credit_code,
            awards.c.applicant,
            decisions.c.division,
            month,
            awards.c.amount_kind,
            awards.c.source,
        )
        statement = (
            select(*keys, func.count(), func.sum(awards.c.amount_fen), func.sum(awards.c.housing_centi_m2))
            .select_from(awards.outerjoin(decisions, decisions.c.decision_id == awards.c.decision_id))
            .group_by(*keys)
            .order_by(*keys)
        )
        return [
            TotalRow(
                p, c, a, d, m or "", k, s == "pending", int(n), yuan(f or 0) or Decimal(0), m2(h or 0) or Decimal(0)
            )
            for p, c, a, d, m, k, s, n, f, h in self._rows(statement)
        ]

    def migrations(self) -> list[Migration]:
        statement = select(migrations.c.name, migrations.c.applied_at).order_by(
            migrations.c.applied_at, migrations.c.name
        )
        return [Migration(n, t) for n, t in self._rows(statement)]


class SqlStore(_Reads):
    """A decision store in an SQL database (see :func:`engine.store.open_store`)."""

    def __init__(self, engine: Engine, dialect: Dialect) -> None:
        self.engine = engine
        self.dialect = dialect
        self.archived: set[str] | None = None  # ruleset versions known to be archived
        self._inserts: dict[str, tuple[str, Callable[[dict[str, Any]], Any] | None]] = {}
        super().__init__(dialect.location, self._connection)

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self.dialect.errors(), self.engine.connect() as conn:
            yield conn

    def _rows(self, statement: Any, **params: Any) -> Iterator[Any]:
        with self.dialect.errors():
            yield from super()._rows(statement, **params)

    def _stream(self, statement: Any) -> Iterator[Any]:
        with self.dialect.errors():
            yield from super()._stream(statement)

    @contextmanager
    def reading(self) -> Iterator[_Reads]:
        with self._connection() as conn:
            self.dialect.snapshot(conn)
            yield _Reads(self.location, lambda: nullcontext(conn))

    @contextmanager
    def writing(self) -> Iterator[SqlTransaction]:
        with self.dialect.errors(), self.engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            conn.begin()
            transaction = SqlTransaction(self, conn)
            try:
                yield transaction
                transaction.flush()
                conn.commit()
            except BaseException as failure:
                try:
                    conn.rollback()
                except sa_exc.DBAPIError:  # the database ended it itself (a full disk): the first error says why
                    pass
                raise failure
            if transaction.archived:
                self.archived = (self.archived or set()) | transaction.archived

    def insert_of(self, conn: Connection, table: Any) -> tuple[str, Callable[[dict[str, Any]], Any] | None]:
        """An INSERT of every column of ``table`` in the driver's own terms, compiled once: its
        SQL, and (when the driver takes positional parameters) a row's values in their order."""
        found = self._inserts.get(table.name)
        if found is None:
            compiled = insert(table).compile(dialect=conn.dialect)
            values = None
            if compiled.positional:
                columns = list(compiled.positiontup or ())
                values = itemgetter(*columns) if len(columns) > 1 else lambda row, c=columns[0]: (row[c],)
            found = self._inserts[table.name] = (str(compiled), values)
        return found

    def save_user(self, user: User) -> None:
        with self.dialect.errors(), self.engine.begin() as conn:
            save_user(conn, self.location, user)

    def forked(self) -> SqlStore:
        """This store for a process made by ``fork``: connections of its own. Those it inherited
        stay where they are, never used nor closed here (nor collected: this store keeps them):
        they are the parent's, whose driver state and locks they share."""
        return SqlStore(self.dialect.create_engine(), self.dialect)

    def close(self) -> None:
        self.engine.dispose()


class SqlTransaction:
    """One writing transaction of an :class:`SqlStore` (see :class:`~engine.store.protocol.Transaction`)."""

    def __init__(self, store: SqlStore, conn: Connection) -> None:
        self.store = store
        self.conn = conn
        self.head: tuple[int, str] | None = None
        self.archived: set[str] = set()
        self.overlay = Overlay()  # appended, not yet written
        self.locked: set[tuple[str, str, str, str]] = set()  # (ruleset id, limit, programme, key) locked
        self._rows: dict[Any, list[dict[str, Any]]] = {records: [], applications: [], awards: [], decisions: []}

    def recorded_input_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        found = self.overlay.input_hashes(ids)
        wanted = [i for i in dict.fromkeys(ids) if i not in found]
        for start in range(0, len(wanted), 500):
            found.update((i, h) for i, h in self.conn.execute(INPUT_HASHES, {"ids": wanted[start : start + 500]}))
        return found

    def _lock(self, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> None:
        """Lock the limits not locked yet in this transaction (in one sorted statement)."""
        wanted = sorted({limit for limit in limits if (ruleset_id, *limit) not in self.locked})
        if wanted:
            self.store.dialect.lock_limits(self.conn, ruleset_id, wanted)
            self.locked.update((ruleset_id, *limit) for limit in wanted)

    def _limit(self, statement: Any, limit: str, ruleset_id: str, program: str, key: str) -> tuple[AwardRow, ...]:
        self._lock(ruleset_id, [("once_per" if limit == "patent" else "cap", program, key)])
        stored = [
            award_of(row)
            for row in self.conn.execute(statement, {"ruleset_id": ruleset_id, "program": program, "key": key})
        ]
        return self.overlay.merged(limit, ruleset_id, program, key, stored)

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRow, ...]:
        return self._limit(BY_PATENT, "patent", ruleset_id, program, patent)

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRow, ...]:
        return self._limit(BY_ENTERPRISE, "enterprise", ruleset_id, program, credit_code)

    def held(self, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        self._lock(ruleset_id, limits)
        return held(self.conn.execute, ruleset_id, limits) | self.overlay.held_of(ruleset_id, limits)

    def record(self, record_id: str) -> StoredRecord | None:
        self.flush()
        row = self.conn.execute(ONE_RECORD, {"record_id": record_id}).first()
        return StoredRecord(*row) if row else None

    def archive_ruleset(self, ruleset_id: str, version: str, files: dict[str, bytes]) -> None:
        if self.store.archived is None:
            self.store.archived = {v for (v,) in self.conn.execute(select(ruleset_files.c.version).distinct())}
        if version in self.store.archived or version in self.archived:
            return
        stamp = now()
        rows = [
            {"version": version, "ruleset_id": ruleset_id, "name": name, "content": content, "archived_at": stamp}
            for name, content in sorted(files.items())
        ]
        self.conn.execute(self.store.dialect.insert_new(ruleset_files), rows)  # another writer's copy is the same
        self.archived.add(version)

    def append(self, record: NewRecord) -> StoredRecord:
        if self.head is None:
            self.store.dialect.lock_chain(self.conn)  # held to the commit: the appends are chained in order
            row = self.conn.execute(HEAD).first()
            self.head = (row[0], row[1]) if row else (0, GENESIS)
        seq, prev = self.head[0] + 1, self.head[1]
        digest = chain_hash(prev, record.body)
        self.head = (seq, digest)
        index = record.index
        if index.releases:  # a settlement: the hold it ends is deleted now, in order
            self.flush()
            for decision in index.releases:
                self.conn.execute(RELEASE, {"decision": decision})
        self._rows[records].append(
            {
                "seq": seq,
                "kind": record.kind,
                "record_id": record.record_id,
                "application": record.application,
                "recorded_at": record.recorded_at,
                "body": record.body,
                "prev": prev,
                "hash": digest,
            }
        )
        if index.input_hash is not None:
            self._rows[applications].append(
                {"id": record.application, "input_hash": index.input_hash, "record_seq": seq}
            )
        self._rows[awards].extend(award_values(seq, award) for award in index.awards)
        self._rows[decisions].extend(decision_values(seq, d) for d in index.decisions)
        self.overlay.add(seq, record)
        return StoredRecord(
            seq, record.kind, record.record_id, record.application, record.recorded_at, record.body, prev, digest
        )

    def flush(self) -> None:
        """Write what was appended, one statement per table, handed to the driver as it is
        (every column is text or an integer: there is nothing to convert)."""
        for table, rows in self._rows.items():
            if rows:
                sql, values = self.store.insert_of(self.conn, table)
                self.conn.exec_driver_sql(sql, [values(row) for row in rows] if values else rows)
                rows.clear()
        self.overlay.clear()  # the reads find these in the tables now
