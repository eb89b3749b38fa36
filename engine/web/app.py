"""The web application: pages for the three users and the HTTP API, on one store.

``create_app(store, rulebook)`` builds it; ``subsidy serve`` runs it under uvicorn.
Routes (in :mod:`.pages`, :mod:`.desk` and :mod:`.api`) parse a request, call a
service of :mod:`engine.services` and render what it returns: the same use cases
the command line calls, no business logic of their own.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from .. import __version__
from ..errors import EngineError, InvalidValueError, validation_message
from ..money import format_yuan
from ..privacy import shown
from ..rulebook import Rulebook, load_rulebook
from ..store import Store, open_store
from .errors import ERROR_CODES, WebError, error_body, from_engine_error, internal_error
from .i18n import problem_text, text
from .security import SESSION_MAX_AGE_SECONDS, LoginLimiter, csrf_token, page_user

__all__ = ["app_from_environment", "create_app", "read_form", "render"]

HERE = Path(__file__).resolve().parent
try:  # the times pages show; the store keeps UTC
    BEIJING: tzinfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # a system without the time-zone database: China keeps UTC+8 all year
    BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))


def _yuan(value: object) -> str:
    """A decimal string of yuan as people read it: 1,500,000.00 (anything else as it is)."""
    try:
        return format_yuan(Decimal(str(value)))
    except (ArithmeticError, ValueError):
        return str(value)


def _shown(value: object) -> object:
    """A value as a page shows it: ID numbers masked and control characters escaped in any
    text (:func:`engine.privacy.shown`), whatever it came from; other values as they are."""
    if isinstance(value, Markup):
        return Markup(shown(str(value)))
    return shown(value) if isinstance(value, str) else value


def _plain(value: object, lang: str = "zh") -> str:
    """A compared value as a person reads it: yes and no in words (是/否), — for nothing,
    lists and objects spelled out (never JSON on screen; never ✔/✘, which read as a match)."""
    zh = lang != "en"
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, list):
        return ("、" if zh else ", ").join(_plain(v, lang) for v in value)
    if isinstance(value, dict):
        return ("；" if zh else "; ").join(f"{k} {_plain(v, lang)}" for k, v in value.items())
    return str(value)


def _local(value: object, lang: str = "zh") -> str:
    """A recorded time (ISO 8601, UTC) as people in Puyang read it: Beijing time, to the second."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    shown = moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
    return f"{shown}（北京时间）" if lang != "en" else f"{shown} (Beijing time)"


def _percent(value: object) -> str:
    """A rate as a percentage: 0.10 -> 10%."""
    try:
        return f"{(Decimal(str(value)) * 100).normalize():f}%"
    except ArithmeticError:
        return str(value)


TEMPLATES.env.filters["yuan"] = _yuan
TEMPLATES.env.filters["plain"] = _plain
TEMPLATES.env.filters["local"] = _local
TEMPLATES.env.filters["percent"] = _percent
TEMPLATES.env.finalize = _shown  # every {{ value }} of every page
MAX_BODY_BYTES = 16 * 1024 * 1024  # the largest request body taken (a batch upload)


# The punctuation between a page's own words: full-width in Chinese, never on an English page.
PUNCTUATION = {
    "zh": {"colon": "：", "open": "（", "close": "）", "semi": "；", "list": "、"},
    "en": {"colon": ": ", "open": " (", "close": ")", "semi": "; ", "list": ", "},
}


def lang_of(request: Request) -> str:
    lang = request.session.get("lang")
    return lang if lang in ("zh", "en") else "zh"


# query parameters that say which page this is (the desk's filters, read from the query as a whole);
# with those a route declares, the only ones the language switch carries back
NAVIGATION_QUERY = frozenset({"program", "division", "reason", "outcome", "search"})


def page_address(request: Request) -> str:
    """This page's path and the query parameters that navigate to it, for the language switch:
    those the route declares (``/decision?id=…``) and the desk's filters. Anything else — a
    self-check's fields typed into the address — is left out, so a page never echoes it."""
    route = request.scope.get("route")
    declared = {p.alias for p in route.dependant.query_params} if isinstance(route, APIRoute) else set()
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in declared or k in NAVIGATION_QUERY]
    return request.url.path + (f"?{urlencode(kept, safe='/')}" if kept else "")


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the user's language, with the user, the CSRF token and the words."""
    lang = lang_of(request)
    user = context.pop("user", None) or page_user(request)
    values = {
        "lang": lang,
        "t": lambda key, **v: text(key, lang, **v),
        "user": user,
        "csrf": csrf_token(request),
        "path": page_address(request),
        "p": PUNCTUATION[lang],
        **context,
    }
    return TEMPLATES.TemplateResponse(request, template, values, status_code=status)


async def read_form(request: Request) -> tuple[dict[str, str], dict[str, list[tuple[str, bytes]]]]:
    """A submitted form's text fields and uploaded files (name, bytes), the form closed after.
    More than :data:`MAX_FORM_PARTS` fields or files: a 400 in the page's language."""
    fields: dict[str, str] = {}
    files: dict[str, list[tuple[str, bytes]]] = {}
    try:
        async with request.form(max_files=MAX_FORM_PARTS, max_fields=MAX_FORM_PARTS) as form:
            for key, value in form.multi_items():
                if isinstance(value, str):
                    fields.setdefault(key, value)
                else:
                    files.setdefault(key, []).append((value.filename or "", await value.read()))
    except StarletteHTTPException as exc:  # Starlette's words are English only
        if exc.status_code != 400 or "Too many" not in str(exc.detail):
            raise
        raise WebError(400, text("form_too_large", lang_of(request), n=f"{MAX_FORM_PARTS:,}")) from None
    return fields, files


MAX_FORM_PARTS = 1000
"""Fields, and files, one form may hold (the self-check form has about 60)."""


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
