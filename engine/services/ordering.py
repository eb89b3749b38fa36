"""Applications in (submitted_on, id) order whatever the size of the batch: an external sort.

Only keys are sorted — (submitted_on, id, position, file, line, byte offset, size) —, never
the records: runs of :data:`RUN` keys are sorted in memory and, past the first,
written to temporary files, then merged (``heapq.merge``). Memory stays flat.
"""

from __future__ import annotations

import heapq
import json
import tempfile
from collections.abc import Iterator
from typing import IO, Any

__all__ = ["KeySort"]

RUN = 50_000  # keys held in memory at a time (about 250 bytes each): memory flat past a few MB

Key = tuple[str, str, int, str, int, int, int]


class KeySort:
    """Add keys, then read them back sorted (once). Use as a context manager."""

    def __init__(self, run: int = RUN) -> None:
        self.run = run
        self.keys: list[Key] = []
        self.spilled: list[IO[str]] = []
        self.count = 0

    def __enter__(self) -> KeySort:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self.spilled:
            handle.close()

    def add(self, key: Key) -> None:
        self.keys.append(key)
        self.count += 1
        if len(self.keys) >= self.run:
            self._spill()

    def _spill(self) -> None:
        self.keys.sort()
        handle = tempfile.TemporaryFile("w+", encoding="utf-8", prefix="subsidy-sort-")
        for key in self.keys:
            handle.write(json.dumps(key, ensure_ascii=False) + "\n")
        handle.seek(0)
        self.spilled.append(handle)
        self.keys = []

    def sorted(self) -> Iterator[Key]:
        self.keys.sort()
        if not self.spilled:
            yield from self.keys
            return
        runs: list[Iterator[Any]] = [(tuple(json.loads(line)) for line in handle) for handle in self.spilled]
        yield from heapq.merge(*runs, iter(self.keys))
