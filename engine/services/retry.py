"""Redoing a writing transaction that lost a race with another writer.

A store server may roll a transaction back when two writers collide (a deadlock, a
serialisation failure): the backend raises :class:`~engine.errors.ConflictError`
and nothing of the transaction was written. The services then redo it — after a
short, growing, jittered wait — rather than fail: two reviewers settling at the same
moment, or two batches screened at once, both go through.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from ..errors import ConflictError

__all__ = ["ATTEMPTS", "redone"]

T = TypeVar("T")

ATTEMPTS = 20  # a transaction that keeps losing is given up after this many tries (about half a minute)


def redone(transaction: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """``transaction()``, run again each time it raises ConflictError (the last one is raised)."""
    for attempt in range(attempts - 1):
        try:
            return transaction()
        except ConflictError:
            time.sleep(min(0.05 * 2**attempt, 2.0) * (0.5 + random.random()))
    return transaction()
