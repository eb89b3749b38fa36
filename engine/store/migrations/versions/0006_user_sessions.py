"""Page sessions that end on the server; one spelling of a user name.

Adds ``users.session_key``: the random value every page session of an account
carries in its signed cookie. Signing out or a new password replaces it, so a
cookie kept after that is refused by every server that shares the store.

A user name is kept in its one spelling from now on (NFKC, case folded: see
``engine.services.accounts.account_name``), the spelling a login is looked up by;
names kept before are respelt. A name whose respelling another account already
holds is left as it is (it can no longer sign in: add it again under a new name).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

USERS = sa.table("users", sa.column("name", sa.Text))


def _spelling(name: str) -> str:  # engine.services.accounts.account_name, as it was at this revision
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold()).strip()


def upgrade() -> None:
    op.add_column("users", sa.Column("session_key", sa.Text))
    conn = op.get_bind()
    names = {row[0] for row in conn.execute(sa.select(USERS.c.name))}
    for name in sorted(names):
        respelt = _spelling(name)
        if respelt != name and respelt not in names:
            conn.execute(USERS.update().where(USERS.c.name == name).values(name=respelt))
            names.add(respelt)


def downgrade() -> None:
    raise NotImplementedError("a decision store is never migrated backwards")
