"""``subsidy store copy --from DB --to DB``: move a store between databases, chain intact."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import DB_HELP, Progress


def add_parser(sub: Any) -> None:
    store = sub.add_parser("store", help="operations on a whole store: copy it to another database")
    steps = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    copy = steps.add_parser(
        "copy",
        help="copy a store (chain, indexes, rules archive, users) into a new one, e.g. SQLite → PostgreSQL; "
        "both are verified after",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="DB", help=f"the store to copy ({DB_HELP})")
    copy.add_argument(
        "--to", dest="target", required=True, metavar="DB", help="the new store: a new file or an empty database"
    )
    copy.add_argument("--quiet", action="store_true", help="no progress on stderr")
    copy.set_defaults(func=run_copy)


def run_copy(args: argparse.Namespace) -> int:
    from ..services import copy_store, verify
    from ..store import open_store

    source = open_store(args.source)
    try:
        target = open_store(args.target, create=True)
        try:
            total = source.count()
            progress = Progress(not args.quiet, "copied")
            try:
                done = copy_store(source, target, progress=lambda n: progress(n, total))
            finally:
                progress.close()
            again = f" ({done.already:,} were already there)" if done.already else ""
            print(
                f"copied {done.records:,} records{again}, {done.archives} rule archive(s), {done.users} user(s) "
                f"from {source.location} to {target.location}"
            )
            failed = 0
            for name, store in (("source", source), ("target", target)):
                report = verify(store)
                if report.intact:
                    print(f"{name}: intact: {report.records} records, chain head {report.head}")
                else:
                    failed += 1
                    print(f"{name}: ALTERED: record {report.bad_record}: {report.reason}")
        finally:
            target.close()
    finally:
        source.close()
    if failed:
        print("the copy is not a faithful one: see above", file=sys.stderr)
    return 1 if failed else 0
