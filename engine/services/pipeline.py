"""Batches across cores: the work on each record runs in forked workers, in order.

``pipelined(produce, stage, workers=K)`` calls ``produce()`` in each of K forked
worker processes; worker *i* applies ``stage`` to items *i*, *i+K*, *i+2K*, …
and sends the results back through its own bounded queue, which this process
reads in turn — so results arrive in the order of ``produce()`` and memory
stays flat. The stage must not write anything shared: the caller does all
writing, here, in order. With ``workers=0`` (few records, or no ``fork``)
everything runs in this process.

Workers die with their parent (a killed batch leaves no orphans) and any
fault in one is reported here, never swallowed.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from ..errors import InternalError

__all__ = ["pipelined", "worker_count"]

T = TypeVar("T")
U = TypeVar("U")

_END = "end"
_ITEM = "item"
_FAULT = "fault"


def worker_count(records: int, threshold: int = 400) -> int:
    """How many workers a batch of ``records`` is worth: one per core, none for small batches."""
    if records < threshold or "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "win32":
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def _die_with_parent() -> None:
    """Linux: ask the kernel to kill this worker when its parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the put() timeout below still ends it
        pass


def _worker(
    produce: Callable[[], Iterable[T]], stage: Callable[[T], U], out: Any, parent: int, index: int, workers: int
) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent

    def put(message: tuple[str, Any]) -> None:
        while True:
            try:
                out.put(message, timeout=1.0)
                return
            except queue.Full:
                if os.getppid() != parent:
                    os._exit(0)

    try:
        for item in islice(produce(), index, None, workers):
            put((_ITEM, stage(item)))
        put((_END, None))
    except BaseException:
        put((_FAULT, traceback.format_exc()))
    finally:
        out.close()
        out.join_thread()
        os._exit(0)  # skip the parent's atexit handlers and finalizers inherited by fork


def pipelined(
    produce: Callable[[], Iterable[T]], stage: Callable[[T], U], *, workers: int, depth: int = 1024
) -> Iterator[U]:
    """``stage(item)`` for every item of ``produce()``, in order (see the module's notes)."""
    if workers <= 0:
        for item in produce():
            yield stage(item)
        return
    context = multiprocessing.get_context("fork")
    queues = [context.Queue(maxsize=depth) for _ in range(workers)]
    procs = [
        context.Process(target=_worker, args=(produce, stage, queues[i], os.getpid(), i, workers), daemon=True)
        for i in range(workers)
    ]
    for proc in procs:
        proc.start()
    try:
        turn = 0
        while True:
            kind, payload = _next(queues[turn], procs[turn])
            if kind == _ITEM:
                yield payload
            elif kind == _END:
                return  # the worker whose turn it is has no more: neither have the ones after it
            else:
                raise InternalError(f"a worker process failed:\n{payload}")
            turn = (turn + 1) % workers
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc, q in zip(procs, queues, strict=True):
            proc.join(timeout=5)
            q.close()


def _next(source: Any, proc: Any) -> tuple[str, Any]:
    while True:
        try:
            return source.get(timeout=5.0)  # type: ignore[no-any-return]
        except queue.Empty:
            if not proc.is_alive():
                raise InternalError(f"a worker process stopped unexpectedly (exit {proc.exitcode})") from None
