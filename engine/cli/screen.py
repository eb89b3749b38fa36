"""``subsidy screen PATH... --db DB``: a batch into the store, decisions printed as committed."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .common import CSV_BOM, MAX_BATCH, MAX_WORKERS, Progress, add_db, csv_text, open_db, tune_gc, whole_number
from .what_if import add_set_option, with_settings

ROUND = 10**12  # --batch 0: every application of the batch in one transaction


def add_parser(sub: Any) -> None:
    scr = sub.add_parser("screen", help="evaluate files, folders and .jsonl batches; record every decision")
    scr.add_argument(
        "paths", nargs="+", metavar="PATH", help="application files (.yaml, .yml, .json, .jsonl) or folders of them"
    )
    add_db(scr, "the decision store, created if new")
    scr.add_argument(
        "--format",
        choices=("text", "jsonl", "csv"),
        default="text",
        help="what stdout prints of each decision: text (default), jsonl (the contract's object, one a line) or csv",
    )
    scr.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the text format")
    scr.add_argument("--quiet", action="store_true", help="no progress on stderr")
    scr.add_argument(
        "--workers",
        type=whole_number(0, MAX_WORKERS),
        default=None,
        metavar="N",
        help=f"processes that evaluate, 0 to {MAX_WORKERS} (default: for 400 applications or more, one per "
        "idle core but one, at most 8, when at least three cores are idle, else none; 0: this process only)",
    )
    scr.add_argument("--dry-run", action="store_true", help="evaluate against the store, record nothing")
    scr.add_argument(
        "--batch",
        type=whole_number(0, MAX_BATCH),
        default=500,
        metavar="N",
        help=f"applications per writing transaction, 0 to {MAX_BATCH:,} (default 500; smaller: a shared store's "
        "locks are held shorter; 0: the whole batch in one transaction, as a screening round)",
    )
    add_set_option(scr)
    scr.set_defaults(func=run)


def _renderer(fmt: str, lang: str) -> Any:
    """What a screen prints for each decision (made where the decision is made)."""
    from ..explain import decision_rows, render_text

    def render(made: Any) -> str:
        if fmt == "jsonl":
            return made.line + "\n"  # the contract's object as the record was written from it
        if fmt == "csv":
            return csv_text(decision_rows(made.result))
        return render_text(made.assessment, made.ruleset, lang) + "\n"

    return render


def run(args: argparse.Namespace) -> int:
    from ..explain import DECISION_COLUMNS
    from ..rulebook import load_rulebook
    from ..services import ScreenProgress, ScreenResult, ScreenSummary, screen

    if args.settings and not args.dry_run:
        from ..errors import UsageError

        raise UsageError("--set needs --dry-run: decisions are recorded only under the rules as published")
    rulebook = with_settings(load_rulebook(args.rules), args)
    tune_gc()
    out = sys.stdout
    if args.format == "csv":
        out.write(CSV_BOM + ",".join(DECISION_COLUMNS) + "\n")
    if not any(os.path.exists(path) for path in args.paths):  # nothing to read: no store is made for it
        return _summarise(_unreadable(args.paths), args)
    progress = Progress(not args.quiet)
    summary = ScreenSummary()
    store = open_db(args, create=not args.dry_run)
    try:
        events = screen(
            args.paths,
            store,
            rulebook,
            render=_renderer(args.format, args.lang),
            workers=args.workers,
            dry_run=args.dry_run,
            batch=args.batch if args.batch > 0 else ROUND,
        )
        for event in events:
            if isinstance(event, ScreenProgress):
                progress(event.done, event.total)
            elif isinstance(event, ScreenSummary):
                summary = event
            elif isinstance(event, ScreenResult):
                _print(event, out)
    finally:
        progress.close()
        store.close()
    return _summarise(summary, args)


def _unreadable(paths: list[str]) -> Any:
    """Each path that is not there, said as a screen says it; their summary."""
    from ..reading import iter_sources
    from ..services import ScreenSummary

    summary = ScreenSummary()
    for entry in iter_sources(paths, keep_text=False):
        print(f"error: {entry.error}", file=sys.stderr)
        summary.invalid += 1
    return summary


def _summarise(summary: Any, args: argparse.Namespace) -> int:
    failed = f", {summary.failed} failed" if summary.failed else ""
    n = summary.skipped
    failed += f", {n} other file{'' if n == 1 else 's'} skipped" if n else ""
    verb = "evaluated (dry run, nothing recorded)" if args.dry_run else "recorded"
    if args.settings:
        verb = f"evaluated (dry run with {', '.join(args.settings)}, nothing recorded)"
    print(
        f"screened: {summary.recorded} {verb}, {summary.already_recorded} already recorded, "
        f"{summary.invalid} invalid{failed}",
        file=sys.stderr,
    )
    return summary.exit_code


def _print(event: Any, out: Any) -> None:
    if event.status == "recorded":
        if event.output:
            out.write(event.output)
    elif event.status == "already_recorded":
        print(f"{event.source}: application {event.application} is already recorded; skipped", file=sys.stderr)
    elif event.status == "skipped":
        print(f"{event.source}: skipped: {event.error}", file=sys.stderr)
    elif event.status == "failed":
        fault = (event.error or "").removeprefix("internal error: ")  # said once, before the file
        print(
            f"internal error: {event.source}: {fault}; skipped (a fault of the engine: please report it)",
            file=sys.stderr,
        )
    else:
        print(f"error: {event.message}", file=sys.stderr)
