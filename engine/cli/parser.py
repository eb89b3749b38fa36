"""The ``subsidy`` argument parser, assembled from one module per command group.

To add commands, write a module in ``engine/cli/`` with ``add_parser(subparsers)``
(it adds its subcommands, each with ``set_defaults(func=...)`` taking the parsed
arguments and returning the exit code) and name it in :data:`COMMAND_GROUPS`.
"""

from __future__ import annotations

import argparse
from importlib import import_module

from .. import __version__

__all__ = ["COMMAND_GROUPS", "build_parser"]

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
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        import_module(f"{__package__}.{group}").add_parser(sub)
    return parser
