"""Alembic's entry point: run the migrations on the connection the store hands over.

The store opens the connection and the one writing transaction (see
:mod:`engine.store.migrate`); this file only runs the steps inside it and
records each one, by name and time, in the ``migrations`` table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import context
from sqlalchemy import insert

from engine.store.records import now
from engine.store.schema import migrations


def _record(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
    if not step.is_upgrade:
        return
    script = step.up_revision
    name = Path(script.path).stem if script is not None and script.path else str(step.up_revision_id)
    ctx.connection.execute(insert(migrations).values(name=name, applied_at=now()))


connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, on_version_apply=_record)
with context.begin_transaction():
    context.run_migrations()
