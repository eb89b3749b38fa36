"""Users of the web pages and the HTTP API: name, role, the enterprise an account is bound to.

Kept beside the log, never in it: an account is not a decision, and the chain
stays what auditors verify. Passwords and API tokens are kept only as hashes
(argon2 for a password, SHA-256 for a token, which is random and long).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("credit_code", sa.Text),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("token_hash", sa.Text, unique=True),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.CheckConstraint("role IN ('reviewer', 'auditor', 'enterprise')", name="users_role"),
        sa.CheckConstraint("(role = 'enterprise') = (credit_code IS NOT NULL)", name="users_bound"),
    )


def downgrade() -> None:
    raise NotImplementedError("a decision store is never migrated backwards")
