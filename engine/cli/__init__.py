"""The `subsidy` command: thin — parse, call the API, print.

Every :class:`EngineError` is caught in one place: its message goes to stderr
and the exit code is 2 (input) or 3 (an internal fault); never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

import pydantic_core

from ..errors import EngineError, InputError, IntegrityError, UsageError
from . import rules_commands

__all__ = ["main"]


def dumps(data: Any, indent: int | None = None) -> str:
    return pydantic_core.to_json(data, indent=indent).decode("utf-8")


def cmd_check(args: argparse.Namespace) -> int:
    from ..evaluation import evaluate
    from ..explain import assessment_json, render_text
    from ..reading import read_application
    from ..rulebook import load_rulebook

    rulebook = load_rulebook(args.rules)
    app = read_application(args.file, rulebook)
    assessment = evaluate(app, rulebook)
    ruleset = rulebook.by_id(assessment.ruleset_id)
    if args.format == "json":
        print(dumps(assessment_json(assessment, ruleset, args.lang), indent=2))
    else:
        sys.stdout.write(render_text(assessment, ruleset, args.lang))
    return 0


CSV_FIELDS = [
    "application",
    "claim",
    "decision",
    "program",
    "outcome",
    "amount",
    "submitted_on",
    "applicant",
    "credit_code",
    "ruleset_version",
    "summary",
]


class _Progress:
    """Progress on stderr: a bar on a terminal, a line every 10 s otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None
        self.start = time.monotonic()
        self.last = self.start

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 200:
            return
        if sys.stderr.isatty():
            if self.bar is None:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

                self.bar = Progress(
                    "screening",
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    transient=True,
                    console=None,
                )
                self.bar.start()
                self.task = self.bar.add_task("screen", total=total)
            self.bar.update(self.task, completed=done)
            return
        now = time.monotonic()
        if now - self.last >= 10 or done == total:
            self.last = now
            rate = done / max(now - self.start, 1e-9)
            print(f"screened {done:,} of {total:,} ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _batch_gc() -> None:
    """Long batches: keep the rules and the compiled engine out of the cyclic collector's
    scans and collect less often (nothing a decision makes forms a cycle that matters)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


def _renderer(fmt: str, lang: str) -> Any:
    """What a screen prints for each decision (made in the worker processes)."""
    from ..explain import render_text

    def render(assessment: Any, ruleset: Any, result: dict[str, Any]) -> str:
        if fmt == "jsonl":
            return dumps(result) + "\n"
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
            for d in result["decisions"]:
                writer.writerow(
                    {
                        "application": result["application"],
                        "claim": d["claim"],
                        "decision": d["decision"],
                        "program": d["program"],
                        "outcome": d["outcome"],
                        "amount": d["amount"] or "",
                        "submitted_on": result["submitted_on"],
                        "applicant": result["applicant"]["name"],
                        "credit_code": result["applicant"].get("credit_code", ""),
                        "ruleset_version": result["ruleset"]["version"],
                        "summary": d["summary"],
                    }
                )
            return buffer.getvalue()
        return render_text(assessment, ruleset, lang) + "\n"

    return render


def cmd_screen(args: argparse.Namespace) -> int:
    from ..rulebook import load_rulebook
    from ..services.screen import Outcome, screen
    from ..store import Store

    rulebook = load_rulebook(args.rules)
    _batch_gc()
    out = sys.stdout
    if args.format == "csv":
        out.write(",".join(CSV_FIELDS) + "\n")

    def emit(outcome: Outcome) -> None:
        if outcome.status == "skipped":
            print(f"{outcome.source}: application {outcome.application} is already recorded; skipped", file=sys.stderr)
        elif outcome.status == "invalid":
            print(f"error: {outcome.error}", file=sys.stderr)
        elif outcome.status == "ignored":
            print(f"{outcome.source}: skipped: {outcome.reason}", file=sys.stderr)
        elif outcome.output:
            out.write(outcome.output)

    progress = _Progress(not args.quiet)
    with Store(args.db) as store:
        try:
            summary = screen(args.paths, store, rulebook, emit, _renderer(args.format, args.lang), progress)
        finally:
            progress.close()
    n = summary.ignored
    ignored = f", {n} other file{'' if n == 1 else 's'} skipped" if n else ""
    print(
        f"screened: {summary.recorded} recorded, {summary.skipped} already recorded, {summary.invalid} invalid"
        + ignored,
        file=sys.stderr,
    )
    return 2 if summary.invalid else 0


def cmd_verify(args: argparse.Namespace) -> int:
    from ..services.audit import verify
    from ..store import Store

    with Store(args.db, create=False) as store:
        report = verify(store)
    if report.intact:
        print(f"intact: {report.records} records, chain head {report.head}")
        return 0
    print(f"ALTERED: record {report.bad_record} (#{report.bad_seq}): {report.reason}")
    return 1


def cmd_replay(args: argparse.Namespace) -> int:
    from ..services.audit import replay
    from ..store import Store

    _batch_gc()
    total = differ = 0
    versions: set[str] = set()
    with Store(args.db, create=False) as store:
        for outcome in replay(store, args.ids):
            total += 1
            versions.add(outcome.version)
            if outcome.reproduced:
                if args.ids:
                    print(f"{outcome.record}: reproduced under {outcome.ruleset} {outcome.version}")
                continue
            differ += 1
            if outcome.error:
                print(f"{outcome.record}: could not replay: {outcome.error}")
            for d in outcome.differences:
                print(f"{outcome.record}: {d.path}: recorded {dumps(d.recorded)}, now {dumps(d.now)}")
    print(
        f"replayed {total} decisions under {len(versions)} ruleset version(s): "
        f"{total - differ} reproduced, {differ} differ"
    )
    return 1 if differ else 0


def cmd_settle(args: argparse.Namespace) -> int:
    from ..services.review import settle
    from ..store import Store

    with Store(args.db, create=False) as store:
        done = settle(store, args.decision, args.outcome, args.reason, args.reviewer, args.amount, args.housing_m2)
    c = done.content
    amount = f", amount {c['amount']}" if c.get("amount") else ""
    print(f"settled {c['decision']}: {c['outcome']}{amount} (record {done.record.record_id}, hash {done.record.hash})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from ..explain import render_recorded
    from ..services.audit import archived_ruleset
    from ..store import Store

    with Store(args.db, create=False) as store:
        wanted = args.id
        record = store.record(wanted)
        if record is None and not wanted.endswith("/settlement"):
            application, _, claim = wanted.rpartition("/")
            if application and claim.isdigit():
                found = store.record(application)
                claims = found.content["result"]["decisions"] if found and found.kind == "decision" else []
                record = found if any(str(d["claim"]) == claim for d in claims) else None
        if record is not None and record.kind == "settlement":
            record = store.record(record.application)
        if record is None:
            raise UsageError(f"nothing recorded as '{wanted}' in {args.db}")
        settlements = [r.content for r in store.records_for(record.application) if r.kind == "settlement"]
        content = record.content
        ruleset = archived_ruleset(store, content["ruleset"]["version"])
    if args.format == "json":
        print(
            dumps(
                {
                    "record": record.record_id,
                    "hash": record.hash,
                    "content": content,
                    "settlements": settlements,
                },
                indent=2,
            )
        )
    else:
        sys.stdout.write(render_recorded(content, settlements, record.hash, ruleset))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..money import format_yuan
    from ..services.review import pending_reviews, program_labels, totals
    from ..store import Store

    with Store(args.db, create=False) as store:
        data = totals(store)
        pending = pending_reviews(store)
        labels = program_labels(store)

    def label(program: str) -> str:
        return labels[program].zh if program in labels else program

    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["section", "program", "applicant", "credit_code", "awards", "total", "decision", "summary"])
        for row in data["by_program"]:
            writer.writerow(["program", row["program"], "", "", row["awards"], row["total"], "", ""])
        for row in data["by_enterprise"]:
            writer.writerow(
                [
                    "enterprise",
                    row["program"],
                    row["applicant"],
                    row["credit_code"] or "",
                    row["awards"],
                    row["total"],
                    "",
                    "",
                ]
            )
        for p in pending:
            writer.writerow(["needs_review", p.program, p.applicant, "", "", "", p.decision, p.summary])
        sys.stdout.write(buffer.getvalue())
        return 0
    from decimal import Decimal

    outcomes = data["outcomes"]
    print(
        f"决定 {data['applications']} 份申请 · 符合 {outcomes.get('eligible', 0)} 项 · "
        f"不符合 {outcomes.get('ineligible', 0)} 项 · 待评审 {outcomes.get('needs_review', 0)} 项"
        f"（已有评审结论 {data['settlements']} 项，尚待评审 {len(pending)} 项）"
    )
    print(
        f"奖励合计 {format_yuan(Decimal(data['grand_total']))} 元 · 待评审申报暂占 "
        f"{format_yuan(Decimal(data['held_for_review']))} 元"
    )
    print("\n按项目：")
    for row in data["by_program"]:
        print(f"  {label(row['program'])}：{row['awards']} 项，{format_yuan(Decimal(row['total']))} 元")
    print("\n按申请人：")
    for row in data["by_enterprise"]:
        code = f"（{row['credit_code']}）" if row["credit_code"] else ""
        print(
            f"  {row['applicant']}{code} · {label(row['program'])} · {row['awards']} 项 · "
            f"{format_yuan(Decimal(row['total']))} 元"
        )
    print(f"\n待评审（未结算） {len(pending)} 项：")
    for p in pending:
        gap = f" 缺少：{', '.join(p.missing)}" if p.missing else ""
        print(f"  {p.decision} · {p.applicant} · {label(p.program)}{gap}\n    {p.summary}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="subsidy",
        description="Eligibility of applications under Puyang's IP-incentive plan (濮政〔2022〕19号).",
    )
    parser.add_argument(
        "--rules",
        metavar="DIR",
        default=None,
        help="rules folder (default: $SUBSIDY_RULES, else the rules/ shipped with the engine)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="evaluate one application; store nothing (self-check)")
    check.add_argument("file", metavar="FILE", help="application file (YAML or JSON)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--lang", choices=("zh", "en"), default="zh")
    check.set_defaults(func=cmd_check)

    scr = sub.add_parser("screen", help="evaluate files, folders and .jsonl batches; record every decision")
    scr.add_argument("paths", nargs="+", metavar="PATH")
    scr.add_argument("--db", required=True, metavar="DB", help="SQLite store (created if new)")
    scr.add_argument("--format", choices=("text", "jsonl", "csv"), default="text")
    scr.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the text format")
    scr.add_argument("--quiet", action="store_true", help="no progress on stderr")
    scr.set_defaults(func=cmd_screen)

    rep = sub.add_parser("replay", help="re-evaluate recorded decisions under their archived rules")
    rep.add_argument("--db", required=True, metavar="DB")
    rep.add_argument("ids", nargs="*", metavar="DECISION_ID")
    rep.set_defaults(func=cmd_replay)

    ver = sub.add_parser("verify", help="check the decision log's hash chain")
    ver.add_argument("--db", required=True, metavar="DB")
    ver.set_defaults(func=cmd_verify)

    stl = sub.add_parser("settle", help="record a reviewer's settlement of a decision that needs review")
    stl.add_argument("--db", required=True, metavar="DB")
    stl.add_argument("decision", metavar="DECISION_ID")
    stl.add_argument("--outcome", required=True, choices=("eligible", "ineligible"))
    stl.add_argument("--amount", default=None, help="yuan, e.g. 150000.00 (default: what the decision allows)")
    stl.add_argument("--housing-m2", default=None, help="housing granted, for the inventor grant")
    stl.add_argument("--reason", required=True)
    stl.add_argument("--reviewer", required=True)
    stl.set_defaults(func=cmd_settle)

    show = sub.add_parser("show", help="print a recorded decision with its explanation and settlements")
    show.add_argument("--db", required=True, metavar="DB")
    show.add_argument("id", metavar="ID", help="application, decision or settlement id")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(func=cmd_show)

    report = sub.add_parser("report", help="awards by programme and enterprise; what still needs review")
    report.add_argument("--db", required=True, metavar="DB")
    report.add_argument("--format", choices=("text", "csv"), default="text")
    report.set_defaults(func=cmd_report)
    rules_commands.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except IntegrityError as exc:
        print(f"ALTERED: {exc}", file=sys.stderr)
        return exc.exit_code
    except EngineError as exc:
        print(
            f"internal error: {exc}\nthis is a fault of the engine, not of the input; please report it",
            file=sys.stderr,
        )
        return 3
    except KeyboardInterrupt:
        print("interrupted; everything recorded so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly; the traceback only on request
        if os.environ.get("SUBSIDY_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\nthis is a fault of the engine, not of the input; "
            "please report it (set SUBSIDY_DEBUG=1 to see where it happened)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
