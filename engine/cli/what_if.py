"""``--set NAME=VALUE``: what-if on ``check``, ``screen --dry-run`` and ``replay``.

The option is added by :func:`add_set_option`; :func:`with_settings` gives the rulebook
with the parameters set (:meth:`engine.rulebook.Rulebook.with_overrides`, which reads
each value as its parameter's declaration says and refuses anything else).
:func:`run_replay_what_if` is ``replay --set``: what the setting would change, decision by
decision — the outcome or amount apart from the details only — and exit 0, the differences
being what was asked for (exit 1 stays for a plain replay that does not reproduce).
"""

from __future__ import annotations

import argparse
import re
from decimal import Decimal
from typing import Any

from .common import open_db, tune_gc

__all__ = ["add_set_option", "run_replay_what_if", "with_settings"]


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


_CLAIM = re.compile(r"decisions\[(\d+)\]\.?")


def run_replay_what_if(args: argparse.Namespace) -> int:
    """``replay --set``: every recorded decision (or those named) decided again with the settings."""
    from ..services import replay
    from ..services.replaying import DECIDED

    tune_gc()
    what_if = ", ".join(args.settings)
    print(f"what-if {what_if}: the recorded decisions decided again, each with the awards it saw; nothing is recorded")
    changed: list[str] = []
    details: list[str] = []
    failed: list[str] = []
    decisions = applications = not_decided = 0
    versions: set[str] = set()
    store = open_db(args)
    try:
        for done in replay(store, args.ids, workers=args.workers, settings=args.settings):
            applications += 1
            decisions += done.decisions
            if done.version:  # none for a record whose body could not be read
                versions.add(done.version)
            if done.error:
                failed.append(f"  {done.record}: {done.error}")
                not_decided += done.decisions
                continue
            by_claim: dict[int, dict[str, Any]] = {}
            for d in done.differences:
                match = _CLAIM.match(d.path)
                index = int(match.group(1)) if match else 0
                by_claim.setdefault(index, {})[d.path[match.end() if match else 0 :]] = d
            for index, fields in by_claim.items():
                name = f"{done.record}/{index + 1}"
                moved = [
                    f"{key} {_shown(fields[key].recorded)} → {_shown(fields[key].now)}"
                    for key in DECIDED
                    if key in fields
                ]
                if moved:
                    changed.append(f"  {name}: {', '.join(moved)}")
                else:
                    details.append(f"  {name}: {', '.join(fields)}")
    finally:
        store.close()
    for heading, lines in (
        ("would change the decision (outcome or amount):", changed),
        ("would change the details only (the same outcome and amount):", details),
        ("could not be decided again:", failed),
    ):
        if lines:
            print(heading)
            print("\n".join(lines))
    same = decisions - len(changed) - len(details) - not_decided
    print(
        f"what-if {what_if}: {decisions} decisions of {applications} applications under {len(versions)} "
        f"ruleset version(s): {len(changed)} would change outcome or amount, {len(details)} the details only, "
        f"{same} the same" + (f", {not_decided} could not be decided again" if not_decided else "")
    )
    return 0


def _shown(value: Any) -> str:
    """A value of a decision as people read it: money with separators, none as a dash."""
    from ..money import format_yuan

    if value is None:
        return "—"
    if isinstance(value, str) and re.fullmatch(r"\d+\.\d\d", value):
        return format_yuan(Decimal(value))
    if isinstance(value, dict):
        return ", ".join(f"{k} {_shown(v)}" for k, v in value.items())
    return str(value)
