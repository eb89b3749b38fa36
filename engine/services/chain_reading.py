"""The chain and the three index streams, read ahead in one thread for ``verify``.

``verify`` walks the chain record by record beside the applications, awards and decision
indexes. Reading them (the database's own work) and hashing each body leave Python's
lock free; decoding and comparing hold it. So one thread does all the reading and hashing
— all of it on the one connection of the reading view, which no other thread touches
meanwhile — and hands the rows over in batches, a few batches ahead at most (flat memory),
while ``verify`` checks the batch before. On two cores the two overlap.

A record comes with whether its body hashes, with its own ``prev``, to its ``hash``: the
thread has checked that much already. An error in the thread (a store that cannot be read)
is raised where the rows it did not deliver would have been taken.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections import deque
from collections.abc import Iterator
from itertools import islice
from types import TracebackType
from typing import Any

from ..store import Reader
from ..store.protocol import ChainRow

__all__ = ["AHEAD", "BATCH", "ChainAhead"]

BATCH = 1000  # records a batch holds (with their index rows): about 8 MB of bodies
AHEAD = 2  # batches read ahead at most

_END = object()


class ChainAhead:
    """``with ChainAhead(view) as ahead:`` — :attr:`chain` yields ``(row, hashed)`` for each
    record in chain order (``hashed``: its body hashes to its ``hash``). :attr:`indexes` holds
    the rows of the applications index ``(seq, (application, input hash))``, of the awards
    index ``(seq, AwardRow)`` and of the decision index ``(seq, values as stored)``, by record
    seq: once a record has come from :attr:`chain`, every index row up to its seq is there.
    Once the chain has ended, :meth:`first_left_over` gives the first row of the indexes
    left after its last record. Leaving the block stops the thread and waits for it."""

    def __init__(self, view: Reader) -> None:
        self._view = view
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._records: deque[tuple[ChainRow, bool]] = deque()
        self.indexes: tuple[deque[Any], deque[Any], deque[Any]] = (deque(), deque(), deque())
        self._ended = False
        self._thread = threading.Thread(target=self._read, name="verify-read-ahead", daemon=True)
        self.chain: Iterator[tuple[ChainRow, bool]] = self._chain()

    def __enter__(self) -> ChainAhead:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        while self._thread.is_alive():
            try:  # make room for a batch the thread is waiting to hand over
                self._queue.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()

    # ---------------------------------------------------------------- the taking side

    def _chain(self) -> Iterator[tuple[ChainRow, bool]]:
        records = self._records
        while True:
            while records:
                yield records.popleft()
            if not self._next_batch():
                return

    def first_left_over(self) -> tuple[int, Any] | None:
        """After the chain's end: the first index row not taken — of the applications index,
        else the awards index, else the decision index — as ``(index number, row)``."""
        while True:
            for number, rows in enumerate(self.indexes):
                if rows:
                    return number, rows[0]
            if not self._next_batch():
                return None

    def _next_batch(self) -> bool:
        if self._ended:
            return False
        batch = self._queue.get()
        if batch is _END:
            self._ended = True
            return False
        if isinstance(batch, BaseException):
            self._ended = True
            raise batch
        records, *indexes = batch
        self._records.extend(records)
        for rows, more in zip(self.indexes, indexes, strict=True):
            rows.extend(more)
        return True

    # ---------------------------------------------------------------- the reading thread

    def _read(self) -> None:
        view = self._view
        chain = view.chain()
        streams: tuple[Iterator[Any], ...] = (
            ((seq, (application, digest)) for seq, application, digest in view.application_index()),
            view.award_index(),
            view.decision_index(),
        )
        try:
            pending: list[Any] = [next(s, None) for s in streams]  # each stream's next row, not handed over
            while not self._stop.is_set():
                records = [(row, _hashes(row)) for row in islice(chain, BATCH)]
                if not records:
                    break
                last = records[-1][0][0]
                batch: list[list[Any]] = [records]
                for number, stream in enumerate(streams):
                    rows = []
                    row = pending[number]
                    while row is not None and row[0] <= last:
                        rows.append(row)
                        row = next(stream, None)
                    pending[number] = row
                    batch.append(rows)
                self._put(batch)
            for number, stream in enumerate(streams):  # rows after the last record, one index after the other
                row = pending[number]
                while row is not None and not self._stop.is_set():
                    rows = [row, *islice(stream, BATCH - 1)]
                    row = next(stream, None)
                    self._put([[], *(rows if n == number else [] for n in range(len(streams)))])
            self._put(_END)
        except BaseException as failure:  # handed to the taking side, raised there
            self._put(failure)
        finally:
            for stream in (chain, *streams):
                stream.close()  # type: ignore[attr-defined]

    def _put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return
            except queue.Full:
                pass


def _hashes(row: ChainRow) -> bool:
    """Whether a record's body hashes, after its ``prev``, to its ``hash`` (see
    :func:`~engine.store.chain_hash`; the hash is computed without holding Python's lock)."""
    digest = hashlib.sha256(row[6].encode("utf-8", "surrogatepass") + b"\n")  # checked against the link first
    digest.update(row[5])
    return digest.hexdigest() == row[7]
