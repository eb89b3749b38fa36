"""The chain and the three index streams, read in batches for ``verify``.

``verify`` walks the chain record by record beside the applications, awards and decision
indexes. They are read together, a batch of records at a time with every index row up to
the batch's last record (flat memory), each body hashed as it is read; ``verify`` checks one
batch, then the next is read.

Reading in a second thread was measured and not kept: at load ~1 on 2 cores the two threads
did not overlap at all (wall = CPU, 4.8–5.1 s for 100,000 records against 4.6–4.8 s in one
thread): building the rows' Python objects holds Python's lock as decoding does.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterator
from itertools import islice
from types import TracebackType
from typing import Any

from ..store import Reader
from ..store.protocol import ChainRow

__all__ = ["BATCH", "ChainAhead"]

BATCH = 1000  # records a batch holds (with their index rows): about 8 MB of bodies


class ChainAhead:
    """``with ChainAhead(view) as ahead:`` — :attr:`chain` yields ``(row, hashed)`` for each
    record in chain order (``hashed``: its body hashes to its ``hash``). :attr:`indexes` holds
    the rows of the applications index ``(seq, (application, input hash))``, of the awards
    index ``(seq, AwardRow)`` and of the decision index ``(seq, values as stored)``, by record
    seq: once a record has come from :attr:`chain`, every index row up to its seq is there.
    Once the chain has ended, :meth:`first_left_over` gives the first row of the indexes
    left after its last record. Leaving the block closes the streams. ``span``: only the
    records of seq in ``(after, upto]`` and the index rows of that range (see
    :meth:`~engine.store.Reader.application_index`); None: the whole store."""

    def __init__(self, view: Reader, span: tuple[int | None, int | None] | None = None) -> None:
        self._view = view
        self._span = {} if span is None else {"after": span[0], "upto": span[1]}
        self._records: deque[tuple[ChainRow, bool]] = deque()
        self.indexes: tuple[deque[Any], deque[Any], deque[Any]] = (deque(), deque(), deque())
        self._batches: Iterator[list[list[Any]]] = iter(())
        self.chain: Iterator[tuple[ChainRow, bool]] = self._chain()

    def __enter__(self) -> ChainAhead:
        self._batches = self._read()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._batches.close()  # type: ignore[attr-defined]

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
        batch = next(self._batches, None)
        if batch is None:
            return False
        records, *indexes = batch
        self._records.extend(records)
        for rows, more in zip(self.indexes, indexes, strict=True):
            rows.extend(more)
        return True

    # ---------------------------------------------------------------- the reading side

    def _read(self) -> Iterator[list[list[Any]]]:
        view, span = self._view, self._span
        chain = view.chain(**span)
        streams: tuple[Iterator[Any], ...] = (  # a seq that is not a whole number placed last (see _NO_SEQ)
            (
                (seq if type(seq) is int else _NO_SEQ, (application, digest))
                for seq, application, digest in view.application_index(**span)
            ),
            ((seq if type(seq) is int else _NO_SEQ, row) for seq, row in view.award_index(**span)),
            ((seq if type(seq) is int else _NO_SEQ, row) for seq, row in view.decision_index(**span)),
        )
        try:
            pending: list[Any] = [next(s, None) for s in streams]  # each stream's next row, not handed over
            while True:
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
                yield batch
            for number, stream in enumerate(streams):  # rows after the last record, one index after the other
                row = pending[number]
                while row is not None:
                    rows = [row, *islice(stream, BATCH - 1)]
                    row = next(stream, None)
                    yield [[], *(rows if n == number else [] for n in range(len(streams)))]
        finally:
            for stream in (chain, *streams):
                stream.close()  # type: ignore[attr-defined]


# Where an index row whose record seq is not a whole number (an altered cell) is placed: after
# every record, where it is named as a row of a record that is not in the log.
_NO_SEQ = 2**63


def _hashes(row: ChainRow) -> bool:
    """Whether a record's body hashes, after its ``prev``, to its ``hash`` (see
    :func:`~engine.store.chain_hash`). A cell of another kind than the store writes (a blob
    for a text, a null) does not: the record is named when its turn comes, after the records
    before it were checked."""
    if type(row[6]) is not str or type(row[5]) is not bytes:
        return False
    digest = hashlib.sha256(row[6].encode("utf-8", "surrogatepass") + b"\n")  # checked against the link first
    digest.update(row[5])
    return digest.hexdigest() == row[7]
