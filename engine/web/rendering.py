"""What every page is made with: the templates and their filters, the user's language,
a page rendered in it, a submitted form read within limits.

The routers (:mod:`.pages`, :mod:`.desk`) and the application (:mod:`.app`) all render
through here, so that none of them imports another to do it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..money import format_yuan
from ..privacy import shown
from .errors import WebError
from .i18n import text
from .security import csrf_token, page_user

__all__ = ["HERE", "MAX_FORM_PARTS", "lang_of", "page_address", "read_form", "render"]

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
