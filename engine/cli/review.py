"""``subsidy settle``, ``show``, ``report`` and ``queue``: a reviewer's desk, from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import add_db, csv_text, dumps, open_db


def add_parser(sub: Any) -> None:
    stl = sub.add_parser("settle", help="record a reviewer's settlement of a decision that needs review")
    add_db(stl)
    stl.add_argument("decision", metavar="DECISION_ID", help="the decision to settle, e.g. PY-2024-0301/1")
    stl.add_argument("--outcome", required=True, choices=("eligible", "ineligible"), help="the panel's conclusion")
    stl.add_argument(
        "--amount", default=None, help="yuan, e.g. 150000.00 (default: what the decision allows); a yearly fund for P3"
    )
    stl.add_argument("--housing-m2", default=None, help="housing granted, for the inventor grant")
    stl.add_argument("--reason", required=True, help="why, in the panel's words (recorded, shown with the decision)")
    stl.add_argument("--reviewer", required=True, help="who settles it (recorded with the settlement)")
    stl.set_defaults(func=run_settle)

    show = sub.add_parser("show", help="print a recorded decision with its explanation and settlements")
    add_db(show)
    show.add_argument("id", metavar="ID", help="application, decision or settlement id")
    show.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json: the record as stored"
    )
    show.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of today's wording")
    show.add_argument("--as-recorded", action="store_true", help="the wording the applicant was given, as recorded")
    show.set_defaults(func=run_show)

    report = sub.add_parser("report", help="awards by programme, enterprise, division and month; what needs review")
    add_db(report)
    report.add_argument(
        "--format", choices=("text", "csv"), default="text", help="text (default) or csv, for a spreadsheet"
    )
    report.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="the language of the words: zh (default) or en"
    )
    report.set_defaults(func=run_report)

    queue = sub.add_parser("queue", help="decisions awaiting review, oldest first")
    add_db(queue)
    queue.add_argument("--program", default=None, help="only this programme (its id)")
    queue.add_argument("--division", default=None, help="only applicants registered in this division (its code)")
    queue.add_argument("--reason", default=None, metavar="CRITERION", help="only those with this criterion open")
    queue.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    queue.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the names and reasons")
    queue.set_defaults(func=run_queue)


def run_settle(args: argparse.Namespace) -> int:
    from ..explain import settlement_terms
    from ..services import settle

    store = open_db(args)
    try:
        done = settle(store, args.decision, args.outcome, args.reason, args.reviewer, args.amount, args.housing_m2)
    finally:
        store.close()
    c = done.content
    terms = settlement_terms(c, "en")  # money as 75,000.00 yuan, each kind in its own unit
    print(f"settled {c['decision']}: {c['outcome']}{terms} (record {done.record.record_id}, hash {done.record.hash})")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from ..explain import render_recorded
    from ..privacy import masked
    from ..services import show

    store = open_db(args)
    try:
        shown = show(store, args.id, as_recorded=args.as_recorded or args.format == "json")
    finally:
        store.close()
    if args.format == "json":
        record = {"record": shown.record.record_id, "hash": shown.record.hash}
        print(dumps(masked({**record, "content": shown.content, "settlements": shown.settlements}), indent=2))
        return 0
    wording = "recorded" if shown.today is None else "changed" if shown.wording_changed else "today"
    text = render_recorded(
        shown.content,
        shown.settlements,
        shown.record.hash,
        shown.ruleset,
        result=shown.result(args.lang),
        lang=args.lang,
        wording=wording,
    )
    sys.stdout.write(text)
    return 0


def run_report(args: argparse.Namespace) -> int:
    from ..explain import REPORT_COLUMNS, render_report, report_rows
    from ..services import report

    store = open_db(args)
    try:
        data = report(store)
    finally:
        store.close()
    if args.format == "csv":
        sys.stdout.write(csv_text([REPORT_COLUMNS, *report_rows(data)], document=True))
    else:
        sys.stdout.write(render_report(data, args.lang))
    return 0


def run_queue(args: argparse.Namespace) -> int:
    from ..money import format_yuan
    from ..services import review_queue
    from ..services.reporting import ArchivedWords, archived_words

    store = open_db(args)
    try:
        pending = review_queue(store, program=args.program, division=args.division, reason=args.reason)
        words = archived_words(store) if pending and args.format == "text" else ArchivedWords()
    finally:
        store.close()
    if args.format == "json":
        print(dumps([p.__dict__ for p in pending], indent=2))
        return 0
    zh = args.lang != "en"

    def named(labels: dict[str, Any], key: str) -> str:
        label = labels.get(key)
        return (label.zh if zh else label.en) if label is not None else key

    for p in pending:
        program = named(words.programs, p.program)
        reasons = ("、" if zh else "; ").join(named(words.criteria, c) for c in p.open_criteria)
        if zh:
            held = f" · 暂占 {format_yuan(p.amount)} 元" if p.amount is not None else ""
            print(f"{p.decision} · {p.submitted_on} · {p.applicant} · {program}{held} · 待定：{reasons}")
        else:
            held = f" · holds {format_yuan(p.amount)} yuan" if p.amount is not None else ""
            print(f"{p.decision} · {p.submitted_on} · {p.applicant} · {program}{held} · open: {reasons}")
        print(f"    {p.summary}" if zh else f"    as the applicant was told: {p.summary}")
    count = f"{len(pending)} 项待评审" if zh else f"{len(pending)} decision(s) awaiting review"
    print(count, file=sys.stderr)
    return 0
