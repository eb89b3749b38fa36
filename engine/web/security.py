"""Who is asking, and may they: sessions, CSRF, login rate limiting, API tokens, roles.

* **Pages** use a signed session cookie (Starlette's ``SessionMiddleware``:
  itsdangerous-signed, HttpOnly, SameSite=strict) holding the user's name, the
  account's session key, the language and the CSRF token — never anything a person
  typed in a self-check. The key is checked against the store on every request:
  signing out or a new password replaces it, so a copy of the cookie kept from before
  is refused on every server that shares the store.
* **Every form** carries the session's CSRF token (htmx requests send it as the
  ``X-CSRF-Token`` header); a POST without the right one is refused with 403.
* **Logins** are limited per client address and account: :data:`LOGIN_ATTEMPTS`
  failures within :data:`LOGIN_WINDOW_SECONDS` lock further tries, the right password
  too, until the window passes. The account is the name in its one spelling (the one
  the store is searched by: :func:`~engine.services.accounts.account_name`), so
  full-width or upper-case letters are no new tries. The client address is the
  peer's, unless ``subsidy serve --forwarded-allow-ips`` names a proxy to trust.
* **The API** takes a token (``Authorization: Bearer sbt_…``) issued by
  ``subsidy users token``; it never reads the session cookie, so no cross-site form
  can act through it.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from typing import Any

from fastapi import Request

from ..services import account_name, authenticate, end_sessions, session_key, user_for_session, user_for_token
from ..store import User
from .errors import WebError

__all__ = [
    "LOGIN_ATTEMPTS",
    "LOGIN_WINDOW_SECONDS",
    "LoginLimiter",
    "api_user",
    "check_csrf",
    "csrf_token",
    "page_user",
    "require",
    "sign_in",
    "sign_out",
]

LOGIN_ATTEMPTS = 5  # failed logins allowed per address and name ...
LOGIN_WINDOW_SECONDS = 300  # ... within this many seconds
SESSION_MAX_AGE_SECONDS = 8 * 3600  # a working day


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, form: Any) -> None:
    """Refuse (403) a form or htmx POST without the session's CSRF token."""
    expected = request.session.get("csrf")
    given = request.headers.get("x-csrf-token") or (form.get("csrf") if form is not None else None)
    if not isinstance(expected, str) or not isinstance(given, str) or not hmac.compare_digest(expected, given):
        raise WebError(
            403, "the form has expired or did not come from this site: reload the page and try again", words="csrf"
        )


def page_user(request: Request) -> User | None:
    """The user signed in to the pages, if any (the account as the store has it now, and
    only while the session's key is still the account's: not after signing out)."""
    name, key = request.session.get("user"), request.session.get("session")
    if not isinstance(name, str) or not isinstance(key, str):
        return None
    user: User | None = user_for_session(request.app.state.store, name, key)
    return user


def api_user(request: Request) -> User | None:
    """The user whose API token the request carries, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    user: User | None = user_for_token(request.app.state.store, token.strip())
    return user


def require(user: User | None, *roles: str) -> User:
    """``user``, if they hold one of ``roles``; else 401 (nobody signed in) or 403."""
    if user is None:
        raise WebError(401, "sign in first", hint="pages: /login; the API: Authorization: Bearer <token>")
    if user.role not in roles:
        article = "an" if user.role[:1] in "aeiou" else "a"
        raise WebError(
            403, f"{article} {user.role} may not do this", words="role_forbidden", params={"role": user.role}
        )
    return user


class LoginLimiter:
    """Failed logins per (address, name), forgotten after the window (thread-safe)."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, window: float = LOGIN_WINDOW_SECONDS) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: tuple[str, str]) -> int:
        """Seconds until ``key`` may try again (0: now)."""
        now = time.monotonic()
        with self._lock:
            failures = self._failures.get(key)
            while failures and now - failures[0] > self.window:
                failures.popleft()
            if not failures:
                self._failures.pop(key, None)
                return 0
            if len(failures) < self.attempts:
                return 0
            return int(self.window - (now - failures[0])) + 1

    def failed(self, key: tuple[str, str]) -> None:
        with self._lock:
            if len(self._failures) > 100_000:  # bounded: an address spraying names cannot fill memory
                self._failures.clear()
            self._failures.setdefault(key, deque()).append(time.monotonic())

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)


def sign_in(request: Request, name: str, password: str) -> User | None:
    """Check a login against the limiter and the store; on success the session is the user's
    (a new CSRF token with it). Raises WebError 429 while the limit holds."""
    limiter: LoginLimiter = request.app.state.login_limiter
    key = (request.client.host if request.client else "-", account_name(name)[:64])
    wait = limiter.wait(key)
    if wait:
        raise WebError(429, f"too many failed logins: try again in {wait} s", headers={"Retry-After": str(wait)})
    user = authenticate(request.app.state.store, name, password)
    if user is None:
        limiter.failed(key)
        return None
    limiter.succeeded(key)
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update(
        {
            "user": user.name,
            "session": session_key(request.app.state.store, user),
            "csrf": secrets.token_urlsafe(24),
            "lang": lang or "zh",
        }
    )
    return user


def sign_out(request: Request) -> None:
    """End the signed-in user's page sessions on the server (every copy of the cookie, on
    every browser) and forget this one; the language is kept."""
    user = page_user(request)
    if user is not None:
        end_sessions(request.app.state.store, user.name)
    lang = request.session.get("lang")
    request.session.clear()
    request.session["lang"] = lang if lang in ("zh", "en") else "zh"
