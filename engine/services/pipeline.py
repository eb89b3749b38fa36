"""Work on a stream of items across cores, results in order, memory flat.

``pipelined(items, stage, workers=K)`` applies ``stage`` to the items a batch at a time
(``stage`` takes a list of items and returns the list of their results) and yields the
results in the order of ``items``. With ``K`` workers, this process reads ``items`` (in a
feeder thread) and hands out consecutive batches — disjoint ranges of the input, batch *b*
to worker *b mod K* — through bounded queues; it reads the results back in the same turn,
a whole batch per message. A worker never opens the input or the store itself: anything a
stage needs from them must be loaded before the workers are forked. With ``workers=0``
everything runs here, batch by batch.

Workers are worth their cost only where cores are idle: :func:`worker_count` gives none
unless at least :data:`IDLE_CORES` cores are idle (a worker evaluates, this process
writes: on two cores the two contend, and one process is as fast), and the caller may
always ask for a number.

Workers die with their parent (a killed batch leaves no orphans); a stage that
raises stops the run with an :class:`InternalError` naming the fault (stages that
must survive a bad item catch it themselves and return it as a result).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from ..errors import InternalError

__all__ = ["BATCH", "IDLE_CORES", "pipelined", "worker_count"]

T = TypeVar("T")
U = TypeVar("U")

BATCH = 250  # items per batch: one message each way, and one batch of engine sessions
DEPTH = 4  # batches in flight per worker, each way
IDLE_CORES = 3  # workers only where at least this many cores are idle
_END = ("end", None)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def worker_count(records: int, threshold: int = 400) -> int:
    """How many workers a run over ``records`` items is worth: none for small runs, where
    processes cannot be forked, or where fewer than :data:`IDLE_CORES` cores are idle (by
    the load average); else one per idle core but one (this process writes), at most 8."""
    if records < threshold or "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "win32":
        return 0
    try:
        busy = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average: take every core as busy
        return 0
    idle = int(_cores() - busy)
    return 0 if idle < IDLE_CORES else min(idle - 1, 8)


def _die_with_parent() -> None:
    """Linux: ask the kernel to kill this worker when its parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the put() timeout below still ends it
        pass


def _worker(stage: Callable[[list[Any]], list[Any]], inbox: Any, outbox: Any, parent: int) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent

    def put(message: tuple[str, Any]) -> None:
        while True:
            try:
                outbox.put(message, timeout=1.0)
                return
            except queue.Full:
                if os.getppid() != parent:
                    os._exit(0)

    try:
        while True:
            try:
                kind, batch = inbox.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != parent:
                    os._exit(0)
                continue
            if kind == "end":
                put(_END)
                break
            put(("items", stage(batch)))
    except BaseException:
        put(("fault", traceback.format_exc()))
    finally:
        outbox.close()
        outbox.join_thread()
        os._exit(0)  # skip the parent's atexit handlers and finalizers inherited by fork


def pipelined(
    items: Iterable[T], stage: Callable[[list[T]], list[U]], *, workers: int, batch: int = BATCH
) -> Iterator[U]:
    """``stage`` over every batch of ``items``, results in order (see the module's notes)."""
    if workers <= 0:
        yield from _here(iter(items), stage, batch)
        return
    context = multiprocessing.get_context("fork")
    inboxes = [context.Queue(maxsize=DEPTH) for _ in range(workers)]
    outboxes = [context.Queue(maxsize=DEPTH) for _ in range(workers)]
    procs = [
        context.Process(target=_worker, args=(stage, inboxes[i], outboxes[i], os.getpid()), daemon=True)
        for i in range(workers)
    ]
    for proc in procs:
        proc.start()
    stop = threading.Event()
    failure: list[BaseException] = []
    feeder = threading.Thread(target=_feed, args=(iter(items), inboxes, batch, stop, failure), daemon=True)
    feeder.start()
    try:
        turn = 0
        while True:
            kind, payload = _next(outboxes[turn], procs[turn], failure)
            if kind == "items":
                yield from payload
            elif kind == "end":
                break  # the worker whose turn it is has no more: neither have the ones after it
            else:
                last = payload.strip().splitlines()[-1] if payload.strip() else "no message"
                raise InternalError(f"a worker process failed: {last}", details={"traceback": payload})
            turn = (turn + 1) % workers
        if failure:
            raise failure[0]
    finally:
        stop.set()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=5)
        for q in inboxes + outboxes:
            q.close()
            q.cancel_join_thread()
        feeder.join(timeout=5)


def _here(items: Iterator[T], stage: Callable[[list[T]], list[U]], size: int) -> Iterator[U]:
    """The batches in this process; a failure to read the items is raised after the results
    of the items read before it."""
    while True:
        chunk: list[T] = []
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) >= size:
                    break
        except BaseException:
            yield from stage(chunk)
            raise
        yield from stage(chunk)
        if len(chunk) < size:
            return


def _feed(
    items: Iterator[Any], inboxes: list[Any], size: int, stop: threading.Event, failure: list[BaseException]
) -> None:
    """Hand the items out in batches, in turn, then tell every worker the end."""

    def put(inbox: Any, message: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                inbox.put(message, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    turn = 0
    try:
        while not stop.is_set():
            chunk = list(islice(items, size))
            if not chunk:
                break
            if not put(inboxes[turn], ("items", chunk)):
                return
            turn = (turn + 1) % len(inboxes)
    except BaseException as exc:  # reading the input failed: the reader raises it after the results so far
        failure.append(exc)
    for inbox in inboxes:
        put(inbox, _END)


def _next(source: Any, proc: Any, failure: list[BaseException]) -> tuple[str, Any]:
    while True:
        try:
            return source.get(timeout=1.0)  # type: ignore[no-any-return]
        except queue.Empty:
            if not proc.is_alive():
                if failure:
                    raise failure[0] from None
                raise InternalError(f"a worker process stopped unexpectedly (exit {proc.exitcode})") from None
