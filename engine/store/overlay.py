"""Records appended but not (yet) in the tables, and the transaction that writes nothing.

A writing transaction that holds its appends back until it commits must still
answer its own reads with them: an application it recorded is recorded, an award
it made uses room. :class:`Overlay` keeps those answers. :class:`DryRunTransaction`
is a transaction over a read-only view of a store that keeps everything it is
given in an overlay and writes nothing — the "what if" screening (``dry_run``).
"""

from __future__ import annotations

from collections.abc import Sequence

from .protocol import Reader
from .records import AwardRow, NewRecord, StoredRecord, chain_hash

__all__ = ["DryRunTransaction", "Overlay"]


class Overlay:
    """What appended records add to the applications and the limits, until written."""

    def __init__(self) -> None:
        self.recorded: dict[str, str] = {}  # application -> input hash
        self.held: dict[tuple[str, str, str, str], list[tuple[int, AwardRow]]] = {}

    def add(self, seq: int, record: NewRecord) -> None:
        index = record.index
        if index.input_hash is not None:
            self.recorded[record.application] = index.input_hash
        for award in index.awards:
            if award.patent:
                self.held.setdefault(("patent", award.ruleset_id, award.program, award.patent), []).append((seq, award))
            if award.credit_code and award.amount is not None and award.amount_kind == "one_off":
                key = ("enterprise", award.ruleset_id, award.program, award.credit_code)
                self.held.setdefault(key, []).append((seq, award))
        for decision in index.releases:
            for rows in self.held.values():
                rows[:] = [(s, a) for s, a in rows if not (a.decision_id == decision and a.source == "pending")]

    def input_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        return {i: self.recorded[i] for i in ids if i in self.recorded}

    def merged(
        self, limit: str, ruleset_id: str, program: str, key: str, stored: Sequence[AwardRow]
    ) -> tuple[AwardRow, ...]:
        """The stored rows (all older than anything appended here), then the appended ones."""
        extra = self.held.get((limit, ruleset_id, program, key))
        if not extra:
            return tuple(stored)
        return (*stored, *(award for _, award in sorted(extra, key=lambda item: (item[0], item[1].decision_id))))

    def held_of(self, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        """Which of ``limits`` the appended records count something under."""
        names = {"once_per": "patent", "cap": "enterprise"}
        return {
            (kind, program, key)
            for kind, program, key in limits
            if self.held.get((names[kind], ruleset_id, program, key))
        }

    def clear(self) -> None:
        self.recorded.clear()
        self.held.clear()


class DryRunTransaction:
    """A transaction that reads the store and records nothing (see the module's notes)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.overlay = Overlay()
        self.head = reader.head()

    def recorded_input_hashes(self, applications: Sequence[str]) -> dict[str, str]:
        found = self.overlay.input_hashes(applications)
        found.update(self.reader.recorded_input_hashes([a for a in applications if a not in found]))
        return found

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRow, ...]:
        stored = self.reader.patent_awards(ruleset_id, program, patent)
        return self.overlay.merged("patent", ruleset_id, program, patent, stored)

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRow, ...]:
        stored = self.reader.enterprise_awards(ruleset_id, program, credit_code)
        return self.overlay.merged("enterprise", ruleset_id, program, credit_code, stored)

    def held(self, ruleset_id: str, limits: Sequence[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        return self.reader.held(ruleset_id, limits) | self.overlay.held_of(ruleset_id, limits)

    def record(self, record_id: str) -> StoredRecord | None:
        return self.reader.record(record_id)

    def archive_ruleset(self, ruleset_id: str, version: str, files: dict[str, bytes]) -> None:
        return None

    def append(self, record: NewRecord) -> StoredRecord:
        seq, prev = self.head[0] + 1, self.head[1]
        digest = chain_hash(prev, record.body)
        self.head = (seq, digest)
        self.overlay.add(seq, record)
        return StoredRecord(
            seq, record.kind, record.record_id, record.application, record.recorded_at, record.body, prev, digest
        )
