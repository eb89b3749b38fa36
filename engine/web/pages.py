"""The public pages: home, language switch, sign in and out, and the self-check.

The self-check stores nothing: the form's answers are evaluated (``check``) and
shown, never written to the store, the session or the log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import ApplicationError
from ..reading import application_from_data, read_upload
from ..services import check, history
from ..yamlio import Located
from .errors import WebError
from .forms import MAX_CLAIMS, application_fields, claim_fields, form_data, window_text
from .i18n import text
from .problem_words import problem_line, problem_words
from .rendering import lang_of, read_form, render
from .security import check_csrf, page_user, sign_in, sign_out
from .views import checked_view

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

MAX_UPLOAD_BYTES = 1024 * 1024  # one application file in a self-check
STATIC = Path(__file__).resolve().parent / "static"


def _local(target: str | None) -> str:
    """A redirect target on this site only (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


def _windows(request: Request) -> list[str]:
    """Each ruleset's pilot period and the submission dates it takes, oldest first."""
    rulesets = sorted(request.app.state.rulebook.rulesets, key=lambda r: r.policy.in_force.from_)
    return [window_text(r, lang_of(request)) for r in rulesets]


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return render(request, "home.html", windows=_windows(request))


@router.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon where a browser looks for it unasked (the pages link the same SVG)."""
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str | None = None) -> Response:
    if code in ("zh", "en"):
        request.session["lang"] = code
    return RedirectResponse(_local(next), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", next=_local(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form, _ = await read_form(request)
    check_csrf(request, form)
    name, password = str(form.get("username") or ""), str(form.get("password") or "")
    target = _local(str(form.get("next") or "/"))
    user = await run_in_threadpool(sign_in, request, name, password)  # a password hash: ~0.1 s of CPU
    if user is None:
        return render(request, "login.html", status=401, next=target, failed=True, username=name[:64])
    if target == "/":
        target = {"reviewer": "/desk/queue", "auditor": "/audit/history", "enterprise": "/mine"}[user.role]
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    check_csrf(request, (await read_form(request))[0])
    sign_out(request)
    return RedirectResponse("/", status_code=303)


# ------------------------------------------------------------------ the self-check


def _programs(request: Request) -> list[tuple[str, str]]:
    ruleset = _ruleset(request)
    zh = lang_of(request) != "en"
    return [(p.id, p.label.zh if zh else p.label.en) for p in ruleset.programs.values()]


def _ruleset(request: Request) -> Any:
    rulebook = request.app.state.rulebook
    return max(rulebook.rulesets, key=lambda r: r.policy.in_force.from_)


def _form_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    ruleset = _ruleset(request)
    values: dict[str, str] = context.pop("values", {})
    claims = sorted(
        {int(k[7:].split("]")[0]) for k in values if k.startswith("claims[") and k.endswith("].program")}
    ) or [1]
    sections = []
    for n in claims:
        program = values.get(f"claims[{n}].program") or next(iter(ruleset.programs))
        if program not in ruleset.programs:
            program = next(iter(ruleset.programs))
        sections.append((n, program, claim_fields(ruleset, program, n, lang)))
    return render(
        request,
        "check.html",
        status=status,
        applicant_fields=application_fields(ruleset, lang),
        sections=sections,
        programs=_programs(request),
        places=ruleset.divisions.jurisdiction,
        values=values,
        windows=_windows(request),
        max_claims=MAX_CLAIMS,
        **context,
    )


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request) -> Response:
    return _form_page(request, values=_own_applicant(request))


def _own_applicant(request: Request) -> dict[str, str]:
    """A signed-in enterprise's own applicant fields, to open its form with: the credit code of
    its account and the name its recorded applications give (nothing for anyone else). Only
    the form is filled: the check itself still reads nothing of the record."""
    user = page_user(request)
    if user is None or user.role != "enterprise" or not user.credit_code:
        return {}
    values = {"applicant.type": "enterprise", "applicant.credit_code": user.credit_code}
    found = history(request.app.state.store, credit_code=user.credit_code, limit=1)
    if found.decisions:
        values["applicant.name"] = found.decisions[0].row.applicant
    return values


@router.get("/check/claim", response_class=HTMLResponse)
def claim_section(request: Request, n: int = 1, program: str | None = None, add: bool = False) -> Response:
    """One claim's fieldset, for the programme chosen (htmx swaps it in); ``add``: a claim added
    at the end, sent with the add button for the next claim (out of band)."""
    ruleset = _ruleset(request)
    n = min(max(n, 1), MAX_CLAIMS)
    program = program or request.query_params.get(f"claims[{n}].program")  # the select itself, sent by htmx
    if program not in ruleset.programs:
        program = next(iter(ruleset.programs))
    assert program is not None
    fields = claim_fields(ruleset, program, n, lang_of(request))
    return render(
        request,
        "claim_added.html" if add else "claim_fields.html",
        n=n,
        next_n=n + 1,
        max_claims=MAX_CLAIMS,
        program=program,
        fields=fields,
        programs=_programs(request),
        places=ruleset.divisions.jurisdiction,
        values={},
        errors={},
    )


def _errors(exc: ApplicationError, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in exc.problems:
        key = p.path or "_"
        said = problem_words(p, lang)
        out[key] = f"{out[key]}；{said}" if key in out else said
    return out


def _shown_again(values: dict[str, str], errors: dict[str, str]) -> dict[str, str]:
    """The form's values to fill in again after a refusal, less any resident ID number the
    form refused: that field comes back empty with its error beside it, never whole."""
    return {k: v for k, v in values.items() if not (k.endswith("id_number") and k in errors)}


def _result(request: Request, checked: Any, values: dict[str, str] | None = None) -> HTMLResponse:
    """The result page; ``values``: the form as typed, carried in hidden fields so that
    "修改申报" returns to the form with its values (nothing kept on the server). A resident
    ID number is not carried: no page holds one whole; it is typed again."""
    carried = {k: v for k, v in (values or {}).items() if not k.endswith("id_number")}
    return render(request, "result.html", result=checked_view(checked, lang_of(request)), values=carried)


@router.post("/check", response_class=HTMLResponse)
async def run_check(request: Request) -> Response:
    form, _ = await read_form(request)
    check_csrf(request, form)
    return await run_in_threadpool(_run_check, request, form)  # CPU work: the event loop serves others meanwhile


def _run_check(request: Request, form: dict[str, str]) -> Response:
    values = {k: v for k, v in form.items() if k != "csrf"}
    rulebook = request.app.state.rulebook
    try:
        application = application_from_data(Located(form_data(values), {}, "form"), rulebook)
    except ApplicationError as exc:
        errors = _errors(exc, lang_of(request))
        return _form_page(request, 422, values=_shown_again(values, errors), errors=errors)
    return _result(request, check(application, rulebook), values)


@router.post("/check/edit", response_class=HTMLResponse)
async def edit_check(request: Request) -> Response:
    """The form again with the values a result page carried back."""
    form, _ = await read_form(request)
    check_csrf(request, form)
    return _form_page(request, values={k: v for k, v in form.items() if k != "csrf"})


@router.post("/check/upload", response_class=HTMLResponse)
async def run_check_upload(request: Request) -> Response:
    form, files = await read_form(request)
    check_csrf(request, form)
    uploads = [f for f in files.get("file", []) if f[0]]
    if not uploads:
        return _form_page(
            request, 422, upload_error=text("file", lang_of(request)) + "：" + text("choose_file", lang_of(request))
        )
    filename, data = uploads[0]
    if len(data) > MAX_UPLOAD_BYTES:
        raise WebError(
            413,
            f"an application file is at most {MAX_UPLOAD_BYTES // 1024} KB",
            words="file_too_large",
            params={"kb": str(MAX_UPLOAD_BYTES // 1024)},
        )
    return await run_in_threadpool(_run_check_upload, request, filename, data)


def _run_check_upload(request: Request, filename: str, data: bytes) -> Response:
    rulebook = request.app.state.rulebook
    try:
        application = read_upload(data, filename, rulebook)
    except ApplicationError as exc:
        said = [problem_line(p, lang_of(request), filename) for p in exc.problems]
        return _form_page(request, 422, upload_problems=said)
    return _result(request, check(application, rulebook))
