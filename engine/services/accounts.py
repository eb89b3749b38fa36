"""Users of the web pages and the HTTP API: reviewers, auditors, enterprises.

Kept in the store, beside the log (:class:`~engine.store.User`). A password is
kept only as its argon2 hash (argon2-cffi, the library's recommended parameters);
an API token for a system is 32 random bytes, shown once, kept as its SHA-256. An
enterprise account is bound to one credit code and sees only what was decided for it.

A user name has one spelling, :func:`account_name` (NFKC, case folded): ``Ｒeviewer``
and ``reviewer`` are one account, for signing in and for the login limit alike.

Page sessions hold the account's *session key*, a random value kept with the user:
signing out (:func:`end_sessions`) or a new password replaces it, and every cookie
that carries the old one is refused (:func:`user_for_session`), on every server that
shares the store.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import replace

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import Problem, UsageError
from ..model import identifiers
from ..privacy import CONTROLS, FORMATS
from ..store import Reader, Store, User
from ..store.records import now

__all__ = [
    "MIN_PASSWORD_CHARS",
    "ROLES",
    "account_name",
    "add_user",
    "authenticate",
    "end_sessions",
    "issue_token",
    "session_key",
    "token_hash",
    "user_for_session",
    "user_for_token",
]

ROLES = ("reviewer", "auditor", "enterprise")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 256  # argon2 takes any length; a bound keeps one login cheap
MAX_NAME_CHARS = 64

_HASHER = PasswordHasher()


@functools.cache
def _dummy() -> str:
    """A hash to check a missing user's password against, so that it costs a login as much as a
    wrong password does. Made on first use: hashing takes a good part of a second, which every
    command that imports the engine would otherwise pay."""
    return _HASHER.hash("not a password of anyone")


def account_name(value: str) -> str:
    """The one spelling of a user name: NFKC, case folded, NFKC again (case folding can
    undo a normal form), spaces at the ends dropped. Full-width letters and upper case
    name the same account as their plain lower-case spelling. Validates nothing."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold()).strip()


def _name(value: str) -> str:
    name = account_name(value)
    if not name or len(name) > MAX_NAME_CHARS or any(ch.isspace() or ch in "/:" for ch in name):
        raise UsageError(f"a user name is 1 to {MAX_NAME_CHARS} characters, no spaces, '/' or ':'; got {value!r}")
    return name


def _plain_name(value: str) -> None:
    """A new user name holds no control character, invisible character (U+200B, U+202E,
    U+FE0F…) or half of a surrogate pair: a reviewer's name is recorded in every settlement
    they make, where none may stand. Raise UsageError."""
    found = CONTROLS.search(value) or FORMATS.search(value)
    if found is not None:
        char = found.group()
        said = f"U+{ord(char):04X}" + (f" ({unicodedata.name(char)})" if unicodedata.name(char, "") else "")
        raise UsageError(
            [
                Problem(
                    "",
                    None,
                    "",
                    f"a user name may hold no control or invisible character; it holds {said}",
                    "type the name again: unseen, such a character makes it another name than it shows",
                )
            ]
        )


def add_user(store: Store, name: str, role: str, password: str, credit_code: str | None = None) -> User:
    """Add a user (or replace the one of that name, keeping no old token and ending its
    page sessions).

    ``role``: reviewer, auditor or enterprise; an enterprise account needs the credit
    code it is bound to (validated per GB 32100), the others take none. Raises
    UsageError for a bad name, role, password or credit code."""
    _plain_name(name)
    name = _name(name)
    if role not in ROLES:
        raise UsageError(f"a role is one of {', '.join(ROLES)}; got {role!r}")
    if role == "enterprise":
        if not credit_code:
            raise UsageError("an enterprise account is bound to one credit code: give it")
        try:
            credit_code = identifiers.normalize_credit_code(credit_code)
        except identifiers.IdentifierError as exc:
            raise UsageError(f"credit code: {exc}") from None
    elif credit_code:
        raise UsageError(f"a {role} account is bound to no credit code: give none")
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise UsageError(f"a password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")
    user = User(name, role, credit_code or None, _HASHER.hash(password), now(), None, _new_session_key())
    store.save_user(user)
    return user


def authenticate(store: Reader, name: str, password: str) -> User | None:
    """The user ``name`` if ``password`` is theirs, else None (as slow either way)."""
    if len(password) > MAX_PASSWORD_CHARS or len(name) > 4 * MAX_NAME_CHARS:
        return None
    try:
        user = store.user(_name(name))
    except UsageError:
        user = None
    try:
        _HASHER.verify(user.password_hash if user else _dummy(), password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(store: Store, name: str) -> str:
    """A new API token for the user ``name`` (the old one stops working): shown once,
    kept only as its hash. Raises UsageError for an unknown user."""
    user = store.user(_name(name))
    if user is None:
        raise UsageError(f"no user {name!r}")
    token = "sbt_" + secrets.token_urlsafe(32)
    store.save_user(
        User(
            user.name,
            user.role,
            user.credit_code,
            user.password_hash,
            user.created_at,
            token_hash(token),
            user.session_key,
        )
    )
    return token


def user_for_token(store: Reader, token: str) -> User | None:
    """The user an API token belongs to, or None."""
    if not token.startswith("sbt_") or len(token) > 100:
        return None
    return store.user_by_token(token_hash(token))


def _new_session_key() -> str:
    return secrets.token_urlsafe(24)


def session_key(store: Store, user: User) -> str:
    """The session key a page session of ``user`` carries (made now if the account has
    none yet: an account kept before sessions had keys)."""
    if user.session_key:
        return user.session_key
    key = _new_session_key()
    store.save_user(replace(user, session_key=key))
    return key


def user_for_session(store: Reader, name: str, key: str) -> User | None:
    """The user ``name`` if ``key`` is their current session key, else None (signed out,
    password replaced, account gone)."""
    user = store.user(name)
    if user is None or not user.session_key or not hmac.compare_digest(user.session_key, key):
        return None
    return user


def end_sessions(store: Store, name: str) -> None:
    """End every page session of the user ``name`` (a new session key); nothing if no such user."""
    user = store.user(name)
    if user is not None:
        store.save_user(replace(user, session_key=_new_session_key()))
