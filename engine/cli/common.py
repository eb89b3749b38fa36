"""What every command shares: the store option, JSON and CSV output, progress, batch GC."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "CSV_BOM",
    "MAX_BATCH",
    "MAX_WORKERS",
    "Progress",
    "add_db",
    "collector_paused",
    "csv_text",
    "dumps",
    "open_db",
    "tune_gc",
    "whole_number",
]

# CSV on stdout starts with a byte-order mark: without it, Excel on a Chinese system reads
# the file as GBK and garbles every Chinese name (the web's CSV downloads carry one too).
CSV_BOM = "\ufeff"

MAX_WORKERS = 64
"""``--workers`` of screen, replay and serve: at most 64 processes (each holds open files;
a few hundred exhaust them). The machine's cores are the useful number."""

MAX_BATCH = 1_000_000
"""``screen --batch``: at most a million applications per writing transaction (0: the whole
batch in one, as a screening round)."""


def whole_number(low: int, high: int) -> Any:
    """An argparse type: a whole number from ``low`` to ``high``; anything else is a usage
    error (exit 2) that states the bounds."""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"a whole number from {low:,} to {high:,}, got {text[:40]!r}")
        return value

    return read


def dumps(data: Any, indent: int | None = None) -> str:
    """JSON as the contract prints it: UTF-8 text, money as decimal strings."""
    from ..explain.json_bytes import json_bytes  # only for the commands that print JSON (cold start)

    return json_bytes(data, indent).decode("utf-8")


def csv_text(rows: list[list[str]], document: bool = False) -> str:
    """``rows`` as CSV text, no cell a spreadsheet runs (:func:`engine.explain.tables.csv_text`);
    a whole ``document`` starts with :data:`CSV_BOM`."""
    from ..explain.tables import csv_text as text

    return (CSV_BOM if document else "") + text(rows)


DB_HELP = "an SQLite file or postgresql://USER@HOST/DB; default $SUBSIDY_DB"


def add_db(parser: argparse.ArgumentParser, help: str = "the decision store") -> None:
    """The ``--db`` option every store command takes: an SQLite path or a PostgreSQL URL,
    ``$SUBSIDY_DB`` when not given (required when neither is)."""
    default = os.environ.get("SUBSIDY_DB") or None
    parser.add_argument("--db", required=default is None, default=default, metavar="DB", help=f"{help} ({DB_HELP})")


def open_db(args: argparse.Namespace, *, create: bool = False) -> Any:
    """The store ``--db`` names (migrated to the newest schema on open)."""
    from ..store import open_store

    return open_store(args.db, create=create)


def tune_gc() -> None:
    """Long batches: keep the rules and the compiled engine out of the cyclic collector's
    scans and collect less often (nothing a decision makes forms a cycle that matters)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


@contextmanager
def collector_paused(process_ends: bool = False) -> Iterator[None]:
    """One short command: the cyclic garbage collector off while it runs, as it was after.
    A cold ``check`` allocates a few hundred thousand objects importing and building its
    models, and nothing it makes needs collecting before it exits: the collector's passes
    over that young heap cost some 10 % of its CPU. When the ``process_ends`` with the
    command, what it made is frozen out of the collector (:func:`gc.freeze`): the
    interpreter's last collection at exit would walk all of it, for another 10 %."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if process_ends:
            gc.freeze()
        if enabled:
            gc.enable()


class Progress:
    """Progress on stderr: a bar on a terminal, a line every 10 s otherwise."""

    def __init__(self, enabled: bool, label: str = "screened") -> None:
        self.enabled = enabled
        self.label = label
        self.bar: Any = None
        self.task: Any = None
        self.start = time.monotonic()
        self.last = self.start

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 200:
            return
        if sys.stderr.isatty():
            if self.bar is None:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

                from .output import raw_stream

                self.bar = Progress(
                    self.label,
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    transient=True,
                    console=Console(file=raw_stream(sys.stderr)),  # a terminal's drawing, not data
                )
                self.bar.start()
                self.task = self.bar.add_task(self.label, total=total)
            self.bar.update(self.task, completed=done)
            return
        now = time.monotonic()
        if now - self.last >= 10 or done == total:
            self.last = now
            rate = done / max(now - self.start, 1e-9)
            print(f"{self.label} {done:,} of {total:,} ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
