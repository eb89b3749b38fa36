"""``subsidy impact``: the policy sandbox — the recorded history decided again, nothing written."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from .common import Progress, add_db, csv_text, open_db, tune_gc
from .what_if import add_set_option

__all__ = ["add_parser"]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date is written YYYY-MM-DD, got {text!r}") from None


def add_parser(sub: Any) -> None:
    imp = sub.add_parser(
        "impact",
        help="decide the recorded history again under other rules or parameters; report what would change",
    )
    add_db(imp)
    imp.add_argument(
        "--rules",
        dest="impact_rules",
        metavar="DIR",
        default=None,
        help="decide under the rules of DIR (by submission date) instead of each decision's recorded version",
    )
    add_set_option(imp)
    imp.add_argument("--from", dest="since", type=_day, metavar="DATE", help="only applications submitted on or after")
    imp.add_argument("--to", dest="until", type=_day, metavar="DATE", help="only applications submitted on or before")
    imp.add_argument(
        "--format", choices=("text", "csv", "html"), default="text", help="text (default), csv or an html page"
    )
    imp.add_argument("--lang", choices=("zh", "en"), default="zh", help="the language of the words: zh (default) or en")
    imp.add_argument("--quiet", action="store_true", help="no progress on stderr")
    imp.set_defaults(func=run)


def _names(rulebook: Any, lang: str) -> Any:
    """Programme labels and division names, from the rules."""
    labels: dict[str, str] = {}
    for ruleset in rulebook.rulesets:
        for program in ruleset.programs.values():
            labels.setdefault(program.id, getattr(program.label, lang))
    places = rulebook.rulesets[-1].divisions

    def name(kind: str, key: str) -> str:
        if kind == "program":
            return labels.get(key, key)
        try:
            division = places.resolve(key)
        except Exception:  # a code the rules do not know: shown as it is
            return key
        return f"{division.code} {division.name_zh if lang == 'zh' else division.name_en}"

    return name


def run(args: argparse.Namespace) -> int:
    from ..explain.impact import impact_html, impact_text
    from ..rulebook import load_rulebook
    from ..services.impact import changed_rows, impact

    rules_dir = args.impact_rules
    rulebook = load_rulebook(rules_dir if rules_dir else args.rules)
    tune_gc()
    progress = Progress(not args.quiet, "decided again")
    store = open_db(args)
    try:
        report = impact(
            store,
            settings=args.settings,
            rulebook=rulebook if rules_dir else None,
            rules_label=rules_dir,
            since=args.since,
            until=args.until,
            progress=progress,
        )
    finally:
        progress.close()
        store.close()
    names = _names(rulebook, args.lang)
    if args.format == "csv":
        sys.stdout.write(csv_text(list(changed_rows(report)), document=True))
    elif args.format == "html":
        sys.stdout.write(impact_html(report, names, args.lang))
    else:
        sys.stdout.write(impact_text(report, names, args.lang))
    print(
        f"impact: {report.decisions:,} decisions decided again, {len(report.changed):,} would change; nothing written",
        file=sys.stderr,
    )
    return 0
