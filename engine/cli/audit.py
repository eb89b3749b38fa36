"""``subsidy verify`` and ``subsidy replay``: an auditor's two checks of a store."""

from __future__ import annotations

import argparse
from typing import Any

from .common import MAX_WORKERS, add_db, dumps, open_db, tune_gc, whole_number
from .what_if import add_set_option


def add_parser(sub: Any) -> None:
    ver = sub.add_parser("verify", help="check the decision log's hash chain, its indexes and the rules archive")
    add_db(ver)
    ver.add_argument(
        "--expect-head", metavar="HASH", default=None, help="the chain head noted earlier: it must still be the head"
    )
    ver.add_argument(
        "--workers",
        type=whole_number(0, MAX_WORKERS),
        default=None,
        metavar="N",
        help=f"processes that walk the chain, each a range of it, 0 to {MAX_WORKERS} (default: one per idle core "
        "for large stores when at least three are idle, else one; 0 or 1: this process only); "
        "the report is the same whatever their number",
    )
    ver.set_defaults(func=run_verify)

    rep = sub.add_parser("replay", help="re-evaluate recorded decisions under their archived rules")
    add_db(rep)
    rep.add_argument(
        "ids", nargs="*", metavar="DECISION_ID", help="the decisions to replay, or applications (default: every one)"
    )
    rep.add_argument(
        "--workers",
        type=whole_number(0, MAX_WORKERS),
        default=None,
        metavar="N",
        help=f"processes that evaluate, 0 to {MAX_WORKERS} (default: for 400 decisions or more, one per idle "
        "core but one, at most 8, when at least three cores are idle, else none; 0: this process only)",
    )
    add_set_option(rep)
    rep.set_defaults(func=run_replay)


def run_verify(args: argparse.Namespace) -> int:
    from ..services import verify

    store = open_db(args)
    try:
        report = verify(store, expect_head=args.expect_head, workers=args.workers)
    finally:
        store.close()
    if report.intact:
        after = report.after_noted
        since = f" ({after} record{'s' if after != 1 else ''} after the head noted earlier)" if after else ""
        print(f"intact: {report.records} records, chain head {report.head}{since}")
        return 0
    where = f" (#{report.bad_seq})" if report.bad_seq is not None else ""
    print(f"ALTERED: record {report.bad_record}{where}: {report.reason}")
    return 1


def run_replay(args: argparse.Namespace) -> int:
    from ..services import replay

    if args.settings:
        from .what_if import run_replay_what_if

        return run_replay_what_if(args)
    tune_gc()
    decisions = differ = reworded = 0  # claims' decisions: a record holds one per claim
    versions: set[str] = set()
    store = open_db(args)
    try:
        for done in replay(store, args.ids, workers=args.workers, settings=args.settings):
            decisions += done.decisions
            differ += done.differing
            reworded += done.reworded
            if done.version:  # none for a record whose body could not be read
                versions.add(done.version)
            if done.error:
                print(f"{done.record}: could not replay: {done.error}")
            for d in done.differences:
                print(f"{done.record}: {d.path}: recorded {dumps(d.recorded)}, now {dumps(d.now)}")
            for d in done.wording:
                print(f"{done.record}: wording changed: {d.path}: recorded {dumps(d.recorded)}, now {dumps(d.now)}")
            if done.reproduced and args.ids:
                print(f"{done.record}: reproduced under {done.ruleset} {done.version}")
    finally:
        store.close()
    wording = f"; wording changed in {reworded} of them, the decisions the same" if reworded else ""
    print(
        f"replayed {decisions} decision{'' if decisions == 1 else 's'} under {len(versions)} ruleset version(s): "
        f"{decisions - differ} reproduced, {differ} differ{wording}"
    )
    return 1 if differ else 0
