"""``subsidy rules …`` and ``subsidy programmes``: the rule tools for programme staff.

Registered by :func:`add_parser`; each command parses, calls a tool of
:mod:`engine.rulebook.tools`, and prints what it returns.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parser"]


def _rules_dir(args: argparse.Namespace) -> Path:
    from ..rulebook import default_rules_dir

    return Path(args.dir or args.rules or default_rules_dir())


def cmd_lint(args: argparse.Namespace) -> int:
    from ..rulebook.tools.lint import lint_rules
    from ..rulebook.tools.render import lint_text

    problems = lint_rules(_rules_dir(args), Path(args.features) if args.features else None)
    if problems:
        sys.stdout.write(lint_text(problems))
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("rules lint: no problems", file=sys.stderr)
    return 0


def _features(args: argparse.Namespace, root: Path) -> Path:
    if args.features:
        return Path(args.features)
    for candidate in (root.resolve().parent / "features", root.resolve().parent.parent / "features"):
        if candidate.is_dir():
            return candidate
    from ..rulebook import default_rules_dir

    return default_rules_dir().parent / "features"


def cmd_coverage(args: argparse.Namespace) -> int:
    from ..rulebook import load_rulebook
    from ..rulebook.tools.coverage import clause_coverage
    from ..rulebook.tools.render import WORDS, coverage_text, html

    root = _rules_dir(args)
    rulebook = load_rulebook(root, cached=True)
    features = _features(args, root)
    uncovered = 0
    for ruleset in rulebook.rulesets:
        coverage = clause_coverage(ruleset, features, args.lang)
        uncovered += len(coverage.uncovered)
        if args.format == "html":
            title = f"{WORDS[args.lang]['coverage_title']} · {coverage.document}"
            sys.stdout.write(html("coverage.html.j2", args.lang, title=title, coverage=coverage))
        else:
            sys.stdout.write(coverage_text(coverage, args.lang))
    return 1 if uncovered else 0


def cmd_show(args: argparse.Namespace) -> int:
    from ..rulebook import load_rulebook
    from ..rulebook.tools.pages import programme_pages
    from ..rulebook.tools.render import html, page_text

    rulebook = load_rulebook(_rules_dir(args), cached=True)
    ruleset = rulebook.by_id(args.ruleset) if args.ruleset else rulebook.rulesets[-1]
    pages = programme_pages(ruleset, args.programme, args.lang)
    if args.format == "html":
        title = f"{ruleset.policy.document} · " + " / ".join(f"{p.code} {p.label}" for p in pages)
        sys.stdout.write(html("page.html.j2", args.lang, title=title, pages=pages))
    else:
        sys.stdout.write(page_text(pages, args.lang, markdown=args.format == "md"))
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from ..rulebook import default_rules_dir, load_rulebook
    from ..services.rule_tests import run_rule_tests

    rulebook = load_rulebook(args.rules)
    path = Path(args.path) if args.path else default_rules_dir().parent / "tests" / "rule_cases"
    results = run_rule_tests(path, rulebook)
    for r in results:
        mark = "✔" if r.passed else "✘"
        print(f"{mark} {r.file}:{r.line} {r.name}")
        for failure in r.failures:
            print(f"    {failure}")
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_programmes(args: argparse.Namespace) -> int:
    from ..rulebook import load_rulebook
    from ..rulebook.tools.programmes import list_programmes

    status = {"zh": {"operative": "可评审", "announced": "已公布、未生效"}, "en": {}}[args.lang]
    for p in list_programmes(load_rulebook(args.rules, cached=True), args.lang):
        code = f"{p.code} " if p.code else ""
        line = f"{p.ruleset}  {code}{p.id}  {p.label}  {p.clause}  {status.get(p.status, p.status)}  {p.in_force}"
        print(line + (f"\n    {p.note}" if p.note else ""))
    return 0


def add_parser(sub: Any) -> None:
    """Register ``rules`` (lint, coverage, show, test) and ``programmes`` on the ``subsidy`` parser."""
    rules = sub.add_parser("rules", help="rule tools for programme staff: lint, coverage, show, test")
    rsub = rules.add_subparsers(dest="rules_command", required=True, metavar="TOOL")

    lint = rsub.add_parser("lint", help="everything wrong or doubtful in the rule files, as file:line")
    lint.add_argument("dir", nargs="?", metavar="DIR", help="rules folder (default: --rules, else the shipped rules)")
    lint.add_argument("--features", metavar="DIR", help="scenarios folder (default: features/ beside the rules)")
    lint.set_defaults(func=cmd_lint)

    cov = rsub.add_parser("coverage", help="the plan's operative phrases, the criteria and scenarios covering each")
    cov.add_argument("dir", nargs="?", metavar="DIR", help="rules folder (default: --rules, else the shipped rules)")
    cov.add_argument("--format", choices=("text", "html"), default="text", help="text (default) or an html page")
    cov.add_argument("--lang", choices=("zh", "en"), default="zh", help="the language of the words: zh (default) or en")
    cov.add_argument("--features", metavar="DIR", help="scenarios folder (default: features/ beside the rules)")
    cov.set_defaults(func=cmd_coverage)

    show = rsub.add_parser("show", help="a readable page per programme, the plan's words beside each criterion")
    show.add_argument("programme", nargs="?", metavar="PROGRAMME", help="programme id or code (default: all)")
    show.add_argument(
        "--format", choices=("text", "html", "md"), default="text", help="text (default), an html page or Markdown"
    )
    show.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="the language of the words: zh (default) or en"
    )
    show.add_argument("--ruleset", metavar="ID", help="which ruleset (default: the latest)")
    show.add_argument(
        "--dir", dest="dir", metavar="DIR", help="rules folder (default: --rules, else the shipped rules)"
    )
    show.set_defaults(func=cmd_show)

    test = rsub.add_parser("test", help="run rule tests written in YAML (applications and expected decisions)")
    test.add_argument("path", nargs="?", metavar="PATH", help="a rule-test file or folder (default: tests/rule_cases)")
    test.set_defaults(func=cmd_test)

    programmes = sub.add_parser("programmes", help="every programme with its status (operative, announced) and clause")
    programmes.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="the language of the words: zh (default) or en"
    )
    programmes.set_defaults(func=cmd_programmes)
