"""The ``subsidy`` argument parser, assembled from one module per command group.

To add commands, write a module in ``engine/cli/`` with ``add_parser(subparsers)``
(it adds its subcommands, each with ``set_defaults(func=...)`` taking the parsed
arguments and returning the exit code), name it in :data:`COMMAND_GROUPS` and its commands
in :data:`COMMANDS`.

A command line that names one command builds only that command's group
(:func:`parser_for`): a cold ``subsidy check`` does not import the web's, the store's or the
rule tools' modules. ``--help``, an unknown command or none at all builds every group.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from .. import __version__

__all__ = ["COMMANDS", "COMMAND_GROUPS", "PATH_ARGUMENTS", "build_parser", "command_named", "not_utf8", "parser_for"]

# The command groups, in the order `subsidy --help` lists them: the registration point.
COMMAND_GROUPS = (
    "check",
    "screen",
    "audit",
    "review",
    "migrate",
    "store_commands",
    "rules_commands",
    "impact",
    "web",
)

COMMANDS = {
    "check": "check",
    "screen": "screen",
    "verify": "audit",
    "replay": "audit",
    "settle": "review",
    "show": "review",
    "report": "review",
    "queue": "review",
    "migrate": "migrate",
    "store": "store_commands",
    "rules": "rules_commands",
    "programmes": "rules_commands",
    "impact": "impact",
    "serve": "web",
    "users": "web",
}
"""Each command and the group that adds it (``tests/test_cli_options.py`` holds this table to
what the groups add)."""

PATH_ARGUMENTS = frozenset(
    {"rules", "file", "paths", "db", "source", "target", "dir", "features", "path", "impact_rules"}
)
"""The arguments (their ``dest``) naming a file, a folder or a store: a name the system gave
may hold bytes that are not UTF-8 (Python reads them as lone surrogates, ``\\udcff``), and the
file is still opened by them. Every other argument is text — an id, a reason, a name — that
a record, a message or a query holds: it must be UTF-8 (:func:`not_utf8`)."""

_RULES_OPTION = ("--r", "--ru", "--rul", "--rule", "--rules")  # argparse takes any unique prefix


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors say how to name a store that was not named."""

    def error(self, message: str) -> NoReturn:
        if "required: --db" in message or ("required:" in message and ", --db" in message):
            message += (
                "; the store may be named by SUBSIDY_DB instead of --db (an SQLite file or postgresql://USER@HOST/DB)"
            )
        super().error(message)


def build_parser(groups: Sequence[str] = COMMAND_GROUPS) -> argparse.ArgumentParser:
    """The parser with the commands of ``groups`` (every group by default)."""
    parser = _Parser(
        prog="subsidy",
        description="Eligibility of applications under Puyang's IP-incentive plan (濮政〔2022〕19号).",
    )
    parser.add_argument(
        "--rules",
        metavar="DIR",
        default=None,
        help="rules folder (default: $SUBSIDY_RULES, else the rules/ shipped with the engine)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in groups:
        import_module(f"{__package__}.{group}").add_parser(sub)
    return parser


def command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names, read as argparse reads the options before it (``--rules DIR``,
    ``--rules=DIR``, or a prefix of it); None when anything else comes first (``--help``,
    ``--version``, an unknown option, ``--``) or no known command is named."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _RULES_OPTION:
            skip = True
        elif token.startswith("--r") and token.partition("=")[0] in _RULES_OPTION:
            continue
        elif token.startswith("-"):
            return None
        else:
            return token if token in COMMANDS else None
    return None


def parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser for this command line: only the named command's group, else every group."""
    command = command_named(argv)
    return build_parser((COMMANDS[command],) if command else COMMAND_GROUPS)


def not_utf8(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str | None:
    """What is wrong with the first text argument of ``args`` holding bytes that are not UTF-8
    (a lone surrogate), naming the argument; None when every one is text."""
    for dest, value in vars(args).items():
        if dest in PATH_ARGUMENTS:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and _SURROGATE.search(text):
                written = _SURROGATE.sub(_byte_written, text[:80])
                return (
                    f"argument {_argument_named(parser, dest)}: '{written}' is not UTF-8 text; "
                    "give it in UTF-8 (a byte of another encoding, or a broken character, was given)"
                )
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _byte_written(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"  # a byte, as Python read it


def _argument_named(parser: argparse.ArgumentParser, dest: str) -> str:
    """How the command line names the argument ``dest`` (``--reason``, ``DECISION_ID``)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found = _argument_named(sub, dest)
                if found != dest:
                    return found
        elif action.dest == dest:
            return action.option_strings[-1] if action.option_strings else str(action.metavar or dest)
    return dest
