"""``--set NAME=VALUE``: what-if on ``check``, ``screen --dry-run`` and ``replay``.

The option is added by :func:`add_set_option`; :func:`with_settings` gives the rulebook
with the parameters set (:meth:`engine.rulebook.Rulebook.with_overrides`, which reads
each value as its parameter's declaration says and refuses anything else).
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_set_option", "with_settings"]


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="what-if: evaluate with a parameter set to VALUE on every date (repeatable; nothing is recorded)",
    )


def with_settings(rulebook: Any, args: argparse.Namespace) -> Any:
    """The rulebook with ``--set`` applied (itself when there is none)."""
    return rulebook.with_overrides(args.settings) if getattr(args, "settings", None) else rulebook
