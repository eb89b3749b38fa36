"""The `subsidy` command: thin — parse, call the API, print.

Every :class:`EngineError` is caught in one place: its message goes to stderr
and the exit code is 2 (input) or 3 (an internal fault); never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from .errors import EngineError, InputError

__all__ = ["main"]


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def cmd_check(args: argparse.Namespace) -> int:
    from .evaluate import evaluate
    from .explain import assessment_json, render_text
    from .intake import read_application
    from .rulebook import load_rulebook

    rulebook = load_rulebook(args.rules)
    app = read_application(args.file, rulebook)
    assessment = evaluate(app, rulebook)
    ruleset = rulebook.by_id(assessment.ruleset_id)
    if args.format == "json":
        print(_json(assessment_json(assessment, ruleset, args.lang)))
    else:
        sys.stdout.write(render_text(assessment, ruleset, args.lang))
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        print(
            f"internal error: {exc}\nthis is a fault of the engine, not of the input; please report it",
            file=sys.stderr,
        )
        return 3
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
