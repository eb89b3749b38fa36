"""The first schema: the log, the applications and awards indexes, the rules archive.

A store made before migrations were named holds exactly this (``PRAGMA
user_version`` 1); it is adopted at this revision without running it.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text, nullable=False, unique=True),
        sa.Column("application", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("prev", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False),
        sa.CheckConstraint("kind IN ('decision', 'settlement')", name="records_kind"),
    )
    op.create_index("records_application", "records", ["application"])
    op.create_table(
        "applications",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("input_hash", sa.Text, nullable=False),
        sa.Column("record_seq", sa.Integer, sa.ForeignKey("records.seq"), nullable=False),
    )
    op.create_table(
        "awards",
        sa.Column("record_seq", sa.Integer, sa.ForeignKey("records.seq"), nullable=False),
        sa.Column("decision_id", sa.Text, nullable=False),
        sa.Column("application", sa.Text, nullable=False),
        sa.Column("ruleset_id", sa.Text, nullable=False),
        sa.Column("program", sa.Text, nullable=False),
        sa.Column("patent", sa.Text),
        sa.Column("credit_code", sa.Text),
        sa.Column("applicant", sa.Text, nullable=False),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.CheckConstraint("source IN ('decision', 'pending', 'settlement')", name="awards_source"),
    )
    op.create_index("awards_patent", "awards", ["ruleset_id", "program", "patent"])
    op.create_index("awards_enterprise", "awards", ["ruleset_id", "program", "credit_code"])
    op.create_table(
        "ruleset_files",
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("ruleset_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("archived_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("version", "name"),
    )


def downgrade() -> None:
    raise NotImplementedError("a decision store is never migrated backwards")
