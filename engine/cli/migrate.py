"""``subsidy migrate --db DB``: bring a store to the newest schema, list its migrations."""

from __future__ import annotations

import argparse
from typing import Any

from .common import add_db


def add_parser(sub: Any) -> None:
    mig = sub.add_parser("migrate", help="bring a store to the newest schema (done on open anyway); list migrations")
    add_db(mig)
    mig.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..store import migrate_store

    applied, history = migrate_store(args.db)
    for name in applied:
        print(f"applied {name}")
    print(f"{args.db}: schema up to date; migrations applied:")
    for migration in history:
        print(f"  {migration.name}  {migration.applied_at}")
    return 0
