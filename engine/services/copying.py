"""Moving a store to another database: the chain, its indexes, the rules archive, the users.

``copy_store(source, target)`` reads the source's records in chain order and appends
each to the target with the index rows its body implies — the target chains them
itself, so a record keeps its hash only if its body and everything before it are the
same: ``verify`` on the target checks that the copy is the source, record by record.
It works between any two backends (SQLite → PostgreSQL, back, or the same kind) and
uses nothing but the store protocol.

The target must be empty, or hold an earlier, interrupted copy of the same chain (its
head is a record of the source): the copy then goes on from there. Records go over
in transactions of :data:`BATCH`; what was committed stays if the copy is stopped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from ..errors import Problem, StoreError
from ..store import GENESIS, NewRecord, Store, StoredRecord, index_rows_of

__all__ = ["BATCH", "Copied", "copy_store"]

BATCH = 1000  # records per writing transaction of the target


@dataclass
class Copied:
    """What a copy did: records appended now, records the target already held (an earlier
    copy), rule archives and users copied, and the chain head both now end at."""

    records: int = 0
    already: int = 0
    archives: int = 0
    users: int = 0
    head: str = GENESIS


def copy_store(source: Store, target: Store, *, progress: Callable[[int], None] | None = None) -> Copied:
    """Copy ``source`` into ``target`` (see the module's notes). ``progress`` is called with
    the records copied so far after each transaction.

    Raises StoreError when the target holds another chain (or more than the source)."""
    done = Copied()
    held, head = target.count(), target.head()[1]
    with source.reading() as view:
        records = view.records()
        if held:
            done.already = held
            last = next(islice(records, held - 1, None), None)
            if last is None or last.hash != head:
                raise StoreError(
                    [
                        Problem(
                            target.location,
                            None,
                            "",
                            f"the target already holds {held:,} records that are not the start of "
                            f"{source.location}'s chain",
                            "copy into a new, empty store",
                        )
                    ]
                )
        done.head = head
        for version, ruleset_id in view.archived_versions():  # before the records that name them
            files = view.archived_files(version)
            if not target.archived_files(version):
                with target.writing() as transaction:
                    transaction.archive_ruleset(ruleset_id, version, files)
                done.archives += 1
        while chunk := list(islice(records, BATCH)):
            with target.writing() as transaction:
                for record in chunk:
                    done.head = transaction.append(_again(record)).hash
            done.records += len(chunk)
            if progress is not None:
                progress(done.records)
        users = view.users()
    for user in users:
        target.save_user(user)
    done.users = len(users)
    return done  # a source that grew while it was read: the copy holds the snapshot it read


def _again(record: StoredRecord) -> NewRecord:
    """A stored record as a record to append: its body as written, its index rows from it."""
    index = index_rows_of(json.loads(record.body))
    return NewRecord(record.kind, record.record_id, record.application, record.recorded_at, record.body, index)
