"""The users table of the SQL backend: who may use the web pages and the HTTP API.

Apart from the chain: a user is never a record, and saving one takes its own short
transaction (it never waits on a screening's lock longer than the driver's timeout).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, insert, select

from ..errors import Problem, StoreError
from .protocol import User
from .schema import users

__all__ = ["UserReads", "save_user"]

_USER = (
    users.c.name,
    users.c.role,
    users.c.credit_code,
    users.c.password_hash,
    users.c.created_at,
    users.c.token_hash,
    users.c.session_key,
)


class UserReads:
    """The reads of the users table (mixed into the backend's reads)."""

    def _rows(self, statement: Any, **params: Any) -> Iterator[Any]:  # pragma: no cover - the backend's
        raise NotImplementedError

    def user(self, name: str) -> User | None:
        row = next(self._rows(select(*_USER).where(users.c.name == name)), None)
        return User(*row) if row else None

    def user_by_token(self, token_hash: str) -> User | None:
        row = next(self._rows(select(*_USER).where(users.c.token_hash == token_hash)), None)
        return User(*row) if row else None

    def users(self) -> list[User]:
        return [User(*row) for row in self._rows(select(*_USER).order_by(users.c.name))]


def save_user(conn: Connection, location: str, user: User) -> None:
    """Add ``user`` or replace the one of that name, on ``conn`` (in its transaction)."""
    if user.token_hash is not None:
        clash = conn.execute(
            select(users.c.name).where(users.c.token_hash == user.token_hash, users.c.name != user.name)
        ).first()
        if clash is not None:
            raise StoreError([Problem(location, None, "", "that token is already another user's")])
    conn.execute(users.delete().where(users.c.name == user.name))
    conn.execute(
        insert(users),
        {
            "name": user.name,
            "role": user.role,
            "credit_code": user.credit_code,
            "password_hash": user.password_hash,
            "created_at": user.created_at,
            "token_hash": user.token_hash,
            "session_key": user.session_key,
        },
    )
