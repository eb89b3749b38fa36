"""The web application: pages for the three users and the HTTP API, on one store.

``create_app(store, rulebook)`` builds it; ``subsidy serve`` runs it under uvicorn.
Routes (in :mod:`.pages`, :mod:`.desk` and :mod:`.api`) parse a request, call a
service of :mod:`engine.services` and render what it returns: the same use cases
the command line calls, no business logic of their own.
"""

from __future__ import annotations

import os
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from .. import __version__
from ..errors import EngineError, InvalidValueError, validation_message
from ..rulebook import Rulebook, load_rulebook
from ..store import Store, open_store
from .errors import ERROR_CODES, WebError, error_body, from_engine_error, internal_error
from .i18n import problem_text
from .rendering import HERE, lang_of, render
from .security import SESSION_MAX_AGE_SECONDS, LoginLimiter

__all__ = ["app_from_environment", "create_app"]

MAX_BODY_BYTES = 16 * 1024 * 1024  # the largest request body taken (a batch upload)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _respond(request: Request, error: WebError) -> Response:
    if _is_api(request):
        body = error_body(error.status, error.code, error.message, error.field, error.hint, error.problems)
        return JSONResponse(body, status_code=error.status, headers=error.headers)
    if error.status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Response(status_code=303, headers={"Location": f"/login?next={quote(target, safe='/')}"})
    page = render(request, "error.html", status=error.status, error=error, said=problem_text(error, lang_of(request)))
    page.headers.update(error.headers or {})
    return page


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    # scripts and styles only from the site's own files: no inline script, no eval (htmx's is
    # off by its config too), so text that reached a page can never run as code
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
]


class Guard:
    """Plain ASGI middleware around every request: a body over :data:`MAX_BODY_BYTES` is
    refused before it is read; a fault anywhere is answered (500, no trace) rather than
    re-raised, so the server's log never holds a request's text; security headers added."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            error = WebError(413, f"a request body is at most {MAX_BODY_BYTES // (1024 * 1024)} MB")
            await JSONResponse(error_body(error.status, error.code, error.message), 413)(scope, receive, send)
            return
        started = False

        async def sending(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:  # the answer is already on its way: nothing else can be said
                raise
            await _respond(Request(scope, receive), internal_error(exc))(scope, receive, sending)


def create_app(store: Store, rulebook: Rulebook, *, secret: str | None = None) -> FastAPI:
    """The application on ``store``, deciding with ``rulebook``. ``secret`` signs the
    session cookies (default: a random one: sessions end when the server stops)."""
    app = FastAPI(
        title="Puyang IP-incentive eligibility API",
        version=__version__,
        description="Self-check, screening, decisions, settlements, replay and verification under "
        "濮政〔2022〕19号. Money is always a decimal string in yuan. Every error has one body: "
        '`{"error": {"status", "code", "message", "field", "hint", "problems"}}`.',
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.rulebook = rulebook
    app.state.login_limiter = LoginLimiter()
    app.state.jobs = {}
    app.add_middleware(Guard)  # inside the session middleware: an error page knows the user's language
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or secrets.token_urlsafe(32),
        session_cookie="subsidy_session",
        max_age=SESSION_MAX_AGE_SECONDS,
        same_site="strict",
        https_only=False,
    )

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        return _respond(request, exc)

    @app.exception_handler(EngineError)
    async def _engine_error(request: Request, exc: EngineError) -> Response:
        return _respond(request, from_engine_error(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else ERROR_CODES.get(exc.status_code, "error")
        return _respond(request, WebError(exc.status_code, message, words=ERROR_CODES.get(exc.status_code)))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = list(exc.errors())
        first = problems[0] if problems else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        words = validation_message(first) or "invalid request"
        message = f"{where}: {words}" if where else words
        cause = (first.get("ctx") or {}).get("error")
        hint = cause.hint if isinstance(cause, InvalidValueError) else None  # money's form to write, say
        return _respond(request, WebError(422, message, field=where or None, hint=hint))

    @app.exception_handler(Exception)
    async def _fault(request: Request, exc: Exception) -> Response:
        return _respond(request, internal_error(exc))

    from . import api, desk, pages

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(pages.router)
    app.include_router(desk.router)
    app.include_router(api.router)
    return app


def app_from_environment() -> FastAPI:
    """The application ``subsidy serve`` starts in each worker: the store ``$SUBSIDY_DB``,
    the rules ``$SUBSIDY_RULES`` (else those shipped), the cookie key ``$SUBSIDY_SECRET``."""
    store = open_store(os.environ["SUBSIDY_DB"], create=True)
    return create_app(
        store, load_rulebook(os.environ.get("SUBSIDY_RULES") or None), secret=os.environ.get("SUBSIDY_SECRET")
    )
