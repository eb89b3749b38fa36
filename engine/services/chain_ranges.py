"""``verify``'s walk in several processes, each a range of the chain, joined at the edges.

Every record carries its own hash, so the records of seq in disjoint ranges ``(after, upto]``
can be checked apart, each beside the index rows of its range (:func:`walk_span`): this
process walks the first range, a process forked for each other range walks that one, on
connections of its own. What no range can check alone is checked where they meet:

- the first record of each range links to the hash the range before ends with, and every
  range holds as many records as its bounds say (no gap, nothing appended since);
- a settlement releases no pending hold that the awards index kept in an earlier range, and
  every hold the index lacks is released by a settlement later, in whatever range;
- every process read the same chain head as this one (each reads its own snapshot: with the
  same head, they read the same log, which only grows by appending).

The ruleset versions named and a noted head found are gathered from every range. The report
must be the same whatever the number of processes, down to the first record named. The first
range is the beginning of one walk from the genesis (the same records, rows and state), so a
record it finds altered is named as one walk names it, and the other processes are ended.
Beyond it, a walk in ranges only ever says "intact": when a later range finds anything amiss,
or a process fails, or anything above does not hold, :func:`walk_in_ranges` gives None and
``verify`` walks the whole chain again in one process, which names the first record altered.

Processes pay only where cores are idle (:func:`~engine.services.pipeline.worker_count`, as
for ``screen``): by default a machine with fewer than three idle cores walks in one process, as
does a process running other threads (the web's: a fork would copy the locks they hold), or a
store of fewer than :data:`FROM_RECORDS` records. A number asked for is taken as it is. A store
that cannot be opened again in a forked process (no ``forked()``) is walked in one.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

from ..store import GENESIS, Store
from .chain_checks import Failed, Span, walk_span
from .chain_reading import ChainAhead
from .pipeline import worker_count

__all__ = ["FROM_RECORDS", "walk_in_ranges"]

FROM_RECORDS = 20_000  # by default, processes only for stores of at least this many records


def walk_in_ranges(store: Store, noted: str | None, workers: int | None) -> tuple[Span, int, Failed | None] | None:
    """The whole chain walked in ``workers`` processes (None: as many as are worth it), joined:
    a span of every record (``records``, ``head``, ``versions``, ``noted_at``), the number of
    processes and None, when every range was found intact and the ranges join. When a record of
    the first range is found altered: the first range's span and the fault, which are what one
    walk from the genesis finds (the first range *is* its beginning, rows and state alike; a
    row left over after its last record is not taken: one walk may name an earlier one). Else
    None (also when one process is to walk, or the store has fewer records than processes)."""
    forked: Callable[[], Store] | None = getattr(store, "forked", None)
    if forked is None or "fork" not in multiprocessing.get_all_start_methods() or workers in (0, 1):
        return None
    with store.reading() as view:
        head = view.head()
    last = head[0]
    if workers is None:
        if threading.active_count() > 1:  # a server's threads: a fork copies the locks they hold
            return None
        extra = worker_count(last, FROM_RECORDS)
        workers = extra + 1 if extra else 1
    if workers < 2 or last < workers:
        return None
    bounds = [last * k // workers for k in range(workers + 1)]
    spans = [
        Span(
            after=after,
            upto=upto if upto != last else None,  # the last range to the chain's end: a record appended is seen
            prev=GENESIS if after == 0 else None,
            noted=noted,
            noted_at=(0 if noted == GENESIS else None) if after == 0 else None,
        )
        for after, upto in zip(bounds, bounds[1:], strict=False)
    ]
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for span in spans[1:]:
            receiving, sending = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(forked, span, head, sending), daemon=True)
            child.start()
            sending.close()
            children.append((child, receiving))
        try:
            walked = [_walk(store, spans[0], head, named=True)]
        except Failed as failed:
            if spans[0].ended:
                return None
            return spans[0], workers, failed  # the other processes are ended below
        for _, receiving in children:
            try:
                walked.append(receiving.recv())
            except (EOFError, OSError):  # the process ended without a word
                walked.append(None)
    finally:
        for child, receiving in children:
            receiving.close()
            if child.is_alive():
                child.terminate()
            child.join()
    if any(span is None for span in walked):
        return None
    joined = _joined([span for span in walked if span is not None], head)
    return None if joined is None else (joined, workers, None)


def _walk(store: Store, span: Span, head: tuple[int, str], named: bool = False) -> Span | None:
    """``span``'s range walked on ``store`` (in a view of the same head), or None when it was
    not found intact or could not be read: one walk from the genesis then says why (``named``:
    :class:`Failed` raised instead, for a record found altered)."""
    try:
        with store.reading() as view:
            if view.head() != head:
                return None
            # the first range from no bound: an index row of a seq below 1 (or null) is read there
            with ChainAhead(view, (span.after or None, span.upto)) as ahead:
                walk_span(ahead, span)
        return span
    except Failed:
        if named:
            raise
        return None
    except Exception:  # a store that fails to be read: read again in one process, it says so
        return None


def _child(forked: Callable[[], Store], span: Span, head: tuple[int, str], sending: Any) -> None:
    """A forked process: ``span``'s range walked on connections of its own, sent back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which ends this one
    walked = None
    try:
        store = forked()
        try:
            walked = _walk(store, span, head)
        finally:
            store.close()
    except BaseException:  # nothing may escape into the parent's code (a forked copy of it)
        walked = None
    try:
        sending.send(walked)
    finally:
        sending.close()
        os._exit(0)  # not the parent's atexit handlers or finalisers, inherited by fork


def _joined(spans: list[Span], head: tuple[int, str]) -> Span | None:
    """The ranges' spans as one span of the whole chain, when they join (see the module's
    notes); else None."""
    joined = Span(noted_at=spans[0].noted_at)
    held: set[str] = set()
    released: dict[str, tuple[int, str]] = {}
    for span in spans:
        if span.records != (head[0] if span.upto is None else span.upto) - span.after:
            return None
        if span.after and span.first_prev != joined.head:
            return None
        if any(decision in held for decision in span.releases):
            return None  # a settlement here releases a hold an earlier range found kept
        for decision in span.releases:
            released.pop(decision, None)
        released.update(span.released)
        held.update(span.held)
        joined.versions |= span.versions
        joined.records += span.records
        joined.head = span.head
        if span.after and span.noted_at is not None:
            joined.noted_at = span.noted_at
    if released or joined.head != head[1] or joined.records != head[0]:
        return None  # a hold the index lacks, never released
    return joined
