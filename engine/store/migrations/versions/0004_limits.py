"""Limits that concurrent writers lock; money in 64-bit integers on every database.

Adds ``limits``: one row per limit (once per patent, an enterprise's cap) by
ruleset and programme, which writers on a database server lock (``SELECT … FOR
UPDATE``) before they read and consume it. On PostgreSQL the money and housing
columns become ``BIGINT`` (SQLite's ``INTEGER`` is 64-bit already).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WIDENED = (("awards", "amount_fen"), ("awards", "housing_centi_m2"), ("decisions", "amount_fen"))


def upgrade() -> None:
    op.create_table(
        "limits",
        sa.Column("ruleset_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("program", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("ruleset_id", "kind", "program", "key"),
        sa.CheckConstraint("kind IN ('once_per', 'cap')", name="limits_kind"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table, column in WIDENED:
            op.alter_column(table, column, type_=sa.BigInteger, existing_type=sa.Integer)


def downgrade() -> None:
    raise NotImplementedError("a decision store is never migrated backwards")
