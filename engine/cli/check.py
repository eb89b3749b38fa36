"""``subsidy check FILE``: the self-check — one application, nothing stored."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import collector_paused, dumps
from .what_if import add_set_option, with_settings


def add_parser(sub: Any) -> None:
    check = sub.add_parser("check", help="evaluate one application; store nothing (self-check)")
    check.add_argument("file", metavar="FILE", help="application file (YAML, JSON, or a one-line .jsonl)")
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: the explanation, for people (default); json: the contract's decision object",
    )
    check.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="the language of the words: zh (default) or en"
    )
    add_set_option(check)
    check.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with collector_paused(process_ends=getattr(args, "process_ends", False)):
        from ..rulebook import load_rulebook
        from ..services import check_file

        checked = check_file(args.file, with_settings(load_rulebook(args.rules, cached=True), args))
        if args.format == "json":
            print(dumps(checked.json(args.lang), indent=2))
        else:
            sys.stdout.write(checked.text(args.lang))
    return 0
