"""A decision store in memory: the store protocol and nothing else.

It shows the seam: every service works on it exactly as on the SQL backend, which
the tests in ``test_store_protocol.py`` check by running the same scenarios on both.
A writing transaction works on a copy of the state and replaces it when it commits;
one writer at a time (a lock). ``fail_commits`` makes the next commits fail with the
given errors, to show what the services do when a transaction is lost.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from engine.store import (
    GENESIS,
    AwardRow,
    DecisionQuery,
    DecisionRow,
    IndexedDecision,
    Migration,
    NewRecord,
    StoredRecord,
    TotalRow,
    User,
    chain_hash,
    settlement_id,
    stored_decision,
)


@dataclass
class State:
    records: list[StoredRecord] = field(default_factory=list)
    applications: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (input hash, seq)
    awards: list[tuple[int, AwardRow]] = field(default_factory=list)
    decisions: list[tuple[int, DecisionRow]] = field(default_factory=list)
    archive: dict[str, tuple[str, dict[str, bytes]]] = field(default_factory=dict)  # version -> (id, files)
    users: dict[str, User] = field(default_factory=dict)


def _is_cash(a: AwardRow) -> bool:
    return a.amount is not None and a.amount_kind == "one_off"


class MemoryReader:
    location = "memory"

    def __init__(self, state: State) -> None:
        self.state = state

    # limits
    def recorded_input_hashes(self, applications: Sequence[str]) -> dict[str, str]:
        return {a: self.state.applications[a][0] for a in applications if a in self.state.applications}

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRow, ...]:
        rows = [
            (s, a) for s, a in self.state.awards if (a.ruleset_id, a.program, a.patent) == (ruleset_id, program, patent)
        ]
        return tuple(a for _, a in sorted(rows, key=lambda r: (r[0], r[1].decision_id)))

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRow, ...]:
        rows = [
            (s, a)
            for s, a in self.state.awards
            if (a.ruleset_id, a.program, a.credit_code) == (ruleset_id, program, credit_code) and _is_cash(a)
        ]
        return tuple(a for _, a in sorted(rows, key=lambda r: (r[0], r[1].decision_id)))

    def held(self, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        ask = {"once_per": self.patent_awards, "cap": self.enterprise_awards}
        return {limit for limit in limits if ask[limit[0]](ruleset_id, limit[1], limit[2])}

    # the log
    def head(self) -> tuple[int, str]:
        last = self.state.records[-1] if self.state.records else None
        return (last.seq, last.hash) if last else (0, GENESIS)

    def count(self, kind: str | None = None) -> int:
        return sum(1 for r in self.state.records if kind is None or r.kind == kind)

    def records(self, kind: str | None = None) -> Iterator[StoredRecord]:
        yield from (r for r in list(self.state.records) if kind is None or r.kind == kind)

    def chain(self) -> Iterator[tuple[int, str, str, str, str, bytes, str, str]]:
        for r in list(self.state.records):
            yield r.seq, r.kind, r.record_id, r.application, r.recorded_at, r.body.encode(), r.prev, r.hash

    def record(self, record_id: str) -> StoredRecord | None:
        return next((r for r in self.state.records if r.record_id == record_id), None)

    def records_for(self, application: str) -> list[StoredRecord]:
        return [r for r in self.state.records if r.application == application]

    def archived_files(self, version: str) -> dict[str, bytes]:
        return dict(self.state.archive.get(version, ("", {}))[1])

    def archived_versions(self) -> list[tuple[str, str]]:
        return sorted((v, r) for v, (r, _) in self.state.archive.items())

    # the indexes
    def decisions(self, query: DecisionQuery) -> list[IndexedDecision]:
        settled = {r.record_id for r in self.state.records if r.kind == "settlement"}
        out = []
        for seq, d in sorted(self.state.decisions, key=lambda item: (item[0], item[1].claim)):
            is_settled = settlement_id(d.decision_id) in settled
            wanted = [
                getattr(query, name) in (None, getattr(d, name))
                for name in ("outcome", "program", "division", "application", "credit_code", "patent")
            ]
            if query.awaiting_review:
                wanted.append(d.outcome == "needs_review" and not is_settled)
            if query.open_criterion:
                wanted.append(query.open_criterion in d.open_criteria)
            if all(wanted):
                out.append(IndexedDecision(d, seq, is_settled))
        return out[query.offset :][: query.limit]

    def outcome_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, d in self.state.decisions:
            counts[d.outcome] = counts.get(d.outcome, 0) + 1
        return counts

    def totals(self) -> list[TotalRow]:
        index = {d.decision_id: d for _, d in self.state.decisions}
        groups: dict[tuple[object, ...], list[AwardRow]] = {}
        for _, a in self.state.awards:
            d = index.get(a.decision_id)
            month = d.submitted_on[:7] if d else ""
            key = (a.program, a.credit_code, a.applicant, d.division if d else None, month, a.amount_kind, a.source)
            groups.setdefault(key, []).append(a)
        return [
            TotalRow(
                program,  # type: ignore[arg-type]
                code,  # type: ignore[arg-type]
                applicant,  # type: ignore[arg-type]
                division,  # type: ignore[arg-type]
                month,  # type: ignore[arg-type]
                kind,  # type: ignore[arg-type]
                source == "pending",
                len(rows),
                sum((a.amount or Decimal(0) for a in rows), Decimal("0.00")),
                sum((a.housing_m2 or Decimal(0) for a in rows), Decimal(0)),
            )
            for (program, code, applicant, division, month, kind, source), rows in sorted(groups.items(), key=str)
        ]

    def application_index(self) -> Iterator[tuple[int, str, str]]:
        yield from sorted((seq, app, digest) for app, (digest, seq) in self.state.applications.items())

    def award_index(self) -> Iterator[tuple[int, AwardRow]]:
        yield from sorted(self.state.awards, key=lambda r: (r[0], r[1].decision_id, r[1].source))

    def decision_index(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        for seq, d in sorted(self.state.decisions, key=lambda r: (r[0], r[1].claim)):
            yield seq, stored_decision(d)

    def migrations(self) -> list[Migration]:
        return [Migration("memory", "")]

    # users (beside the log)
    def user(self, name: str) -> User | None:
        return self.state.users.get(name)

    def user_by_token(self, token_hash: str) -> User | None:
        return next((u for u in self.state.users.values() if u.token_hash == token_hash), None)

    def users(self) -> list[User]:
        return sorted(self.state.users.values(), key=lambda u: u.name)


class MemoryTransaction(MemoryReader):
    def archive_ruleset(self, ruleset_id: str, version: str, files: dict[str, bytes]) -> None:
        self.state.archive.setdefault(version, (ruleset_id, dict(files)))

    def append(self, record: NewRecord) -> StoredRecord:
        seq, prev = self.head()
        stored = StoredRecord(
            seq + 1, record.kind, record.record_id, record.application, record.recorded_at, record.body, prev,
            chain_hash(prev, record.body),
        )  # fmt: skip
        self.state.records.append(stored)
        index = record.index
        for decision in index.releases:
            self.state.awards = [
                (s, a) for s, a in self.state.awards if not (a.decision_id == decision and a.source == "pending")
            ]
        if index.input_hash is not None:
            self.state.applications[record.application] = (index.input_hash, stored.seq)
        self.state.awards += [(stored.seq, a) for a in index.awards]
        self.state.decisions += [(stored.seq, d) for d in index.decisions]
        return stored


class MemoryStore(MemoryReader):
    """The store protocol, in memory."""

    def __init__(self) -> None:
        super().__init__(State())
        self.lock = threading.Lock()
        self.fail_commits: list[BaseException] = []  # raised, in turn, instead of the next commits
        self.commits = 0

    @contextmanager
    def writing(self) -> Iterator[MemoryTransaction]:
        with self.lock:
            transaction = MemoryTransaction(copy.deepcopy(self.state))
            yield transaction
            if self.fail_commits:
                raise self.fail_commits.pop(0)
            self.state = transaction.state
            self.commits += 1

    def save_user(self, user: User) -> None:
        with self.lock:
            self.state.users[user.name] = user

    @contextmanager
    def reading(self) -> Iterator[MemoryReader]:
        yield MemoryReader(self.state)

    def close(self) -> None:
        return None
