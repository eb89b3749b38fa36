"""The pages of signed-in users: the reviewer's desk, the auditor's view, the enterprise's own.

================================  ==========================  ==========================
page                              who                         service
================================  ==========================  ==========================
``/desk/queue``                   reviewer                    ``review_queue``
``/decision?id=…``                reviewer, auditor, own ent. ``show``
``POST /decision/settle``         reviewer                    ``settle``
``/desk/batch``                   reviewer                    ``screen`` (in the background)
``/desk/report`` (``.csv``)       reviewer, auditor           ``report``
``/audit/history``                reviewer, auditor           ``history``
``/audit/replay``                 auditor                     ``replay``
``/audit/verify``                 auditor                     ``verify``
``/mine``                         enterprise                  ``history`` (its credit code)
================================  ==========================  ==========================
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import InputError, Problem, StoreError, UsageError
from ..explain import REPORT_COLUMNS, report_rows
from ..services import history, replay, report, review_queue, settle, show, verify
from ..store import User
from .batches import job_of, start_batch
from .charts import report_charts
from .errors import WebError, from_engine_error
from .i18n import problem_text
from .problem_words import field_error, problem_line
from .rendering import lang_of, read_form, render
from .replay_view import replay_view
from .security import check_csrf, page_user, require
from .tables import csv_for_excel
from .views import recorded_view

__all__ = ["can_read", "router"]

router = APIRouter(include_in_schema=False)


def can_read(user: User, credit_code: str | None) -> bool:
    """Whether ``user`` may read a decision made for the enterprise ``credit_code``."""
    return user.role in ("reviewer", "auditor") or (user.role == "enterprise" and user.credit_code == credit_code)


def _filters(request: Request) -> dict[str, str | None]:
    q = request.query_params
    return {key: (q.get(key) or None) for key in ("program", "division", "reason", "outcome", "search")}


def _labels(request: Request) -> dict[str, str]:
    zh = lang_of(request) != "en"
    out: dict[str, str] = {}
    for ruleset in request.app.state.rulebook.rulesets:
        for p in ruleset.programs.values():
            out.setdefault(p.id, p.label.zh if zh else p.label.en)
    return out


def _criteria(request: Request) -> dict[str, str]:
    """Every criterion's label by id, in the user's language (from the rule files)."""
    zh = lang_of(request) != "en"
    out: dict[str, str] = {}
    for ruleset in request.app.state.rulebook.rulesets:
        for p in ruleset.programs.values():
            for c in p.criteria:
                out.setdefault(c.id, c.label.zh if zh else c.label.en)
    return out


def _places(request: Request) -> list[Any]:
    ruleset = max(request.app.state.rulebook.rulesets, key=lambda r: r.policy.in_force.from_)
    return list(ruleset.divisions.jurisdiction)


@router.get("/desk/queue", response_class=HTMLResponse)
def queue(request: Request, page: int = 0) -> Response:
    user = require(page_user(request), "reviewer")
    f = _filters(request)
    size = 50
    pending = review_queue(
        request.app.state.store,
        program=f["program"],
        division=f["division"],
        reason=f["reason"],
        limit=size + 1,
        offset=max(page, 0) * size,
    )
    return render(
        request,
        "queue.html",
        user=user,
        pending=pending[:size],
        more=len(pending) > size,
        page=page,
        filters=f,
        labels=_labels(request),
        places=_places(request),
        criteria=_criteria(request),
    )


def _decision(request: Request, user: User, id: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The decision page of ``id`` (404 for another enterprise's, as if it were not there),
    each settlement with the hash of its record."""
    store = request.app.state.store
    shown = show(store, id[:200])
    if not can_read(user, shown.content["result"]["applicant"].get("credit_code")):
        raise WebError(404, "nothing recorded under that id for you", words="not_yours")
    view = recorded_view(shown, lang_of(request))
    for claim in view["claims"]:
        if claim["settlement"]:
            record = store.record(f"{claim['decision']}/settlement")
            claim["settlement"] = {**claim["settlement"], "hash": record.hash if record is not None else None}
    return render(request, "decision.html", status=status, user=user, d=view, asked=id, **context)


@router.get("/decision", response_class=HTMLResponse)
def decision_page(request: Request, id: str) -> Response:
    return _decision(request, require(page_user(request), "reviewer", "auditor", "enterprise"), id)


@router.post("/decision/settle")
async def settle_decision(request: Request) -> Response:
    """Record a settlement; a refused one (too much, no reason…) is shown on the decision
    page beside its form, with what was typed kept."""
    user = require(page_user(request), "reviewer")
    form, _ = await read_form(request)
    check_csrf(request, form)
    return await run_in_threadpool(_settle, request, user, form)  # the store's work: off the event loop


def _settle(request: Request, user: User, form: dict[str, str]) -> Response:
    decision = str(form.get("decision") or "")[:200]
    try:
        done = settle(
            request.app.state.store,
            decision,
            str(form.get("outcome") or ""),
            str(form.get("reason") or ""),
            user.name,
            str(form.get("amount") or "").strip() or None,
            str(form.get("housing_m2") or "").strip() or None,
        )
    except InputError as exc:
        said = problem_text(from_engine_error(exc), lang_of(request))
        typed = {k: str(v) for k, v in form.items() if k != "csrf"}
        return _decision(request, user, decision, 422, settle_error=said, settle_form=typed)
    return RedirectResponse(f"/decision?id={done.content['decision']}&settled=1", status_code=303)


@router.get("/desk/batch", response_class=HTMLResponse)
def batch_page(request: Request) -> Response:
    user = require(page_user(request), "reviewer")
    return render(request, "batch.html", user=user, job=None)


@router.post("/desk/batch", response_class=HTMLResponse)
async def batch_upload(request: Request) -> Response:
    user = require(page_user(request), "reviewer")
    form, uploaded = await read_form(request)
    check_csrf(request, form)
    files = [(name or "upload", data) for name, data in uploaded.get("files", []) if name]
    job = start_batch(request.app, user.name, files)
    return RedirectResponse(f"/desk/batch/{job.id}", status_code=303)


@router.get("/desk/batch/{job_id}", response_class=HTMLResponse)
def batch_status(request: Request, job_id: str) -> Response:
    user = require(page_user(request), "reviewer")
    job = job_of(request.app, job_id, user.name)
    template = "batch_progress.html" if request.headers.get("hx-request") else "batch.html"
    lang = lang_of(request)

    def said(problem: Problem | str, file: str) -> str:
        if isinstance(problem, str):  # a file that could not be screened at all
            return field_error(problem, lang)
        return problem_line(problem, lang, file)

    return render(request, template, user=user, job=job, said=said)


@router.get("/desk/report", response_class=HTMLResponse)
def report_page(request: Request) -> Response:
    user = require(page_user(request), "reviewer", "auditor")
    data = report(request.app.state.store)
    lang = lang_of(request)
    return render(request, "report.html", user=user, r=data, charts=report_charts(data, lang), labels=_labels(request))


@router.get("/desk/report.csv")
def report_csv(request: Request) -> Response:
    require(page_user(request), "reviewer", "auditor")
    data = report(request.app.state.store)
    return csv_for_excel([REPORT_COLUMNS, *report_rows(data)], "report.csv")


@router.get("/audit/history", response_class=HTMLResponse)
def history_page(request: Request, page: int = 0) -> Response:
    user = require(page_user(request), "reviewer", "auditor")
    f = _filters(request)
    found = history(
        request.app.state.store,
        search=f["search"],
        program=f["program"],
        division=f["division"],
        outcome=f["outcome"],
        offset=max(page, 0) * 50,
    )
    return render(
        request, "history.html", user=user, found=found, filters=f, labels=_labels(request), places=_places(request)
    )


@router.get("/mine", response_class=HTMLResponse)
def mine(request: Request, page: int = 0) -> Response:
    user = require(page_user(request), "enterprise")
    found = history(request.app.state.store, credit_code=user.credit_code, offset=max(page, 0) * 50)
    return render(request, "mine.html", user=user, found=found, labels=_labels(request), filters={})


MAX_REPLAYED = 200  # decisions one replay from the page takes


def _replay_form(request: Request, user: User, status: int = 200, **context: Any) -> HTMLResponse:
    return render(
        request,
        "replay.html",
        status=status,
        user=user,
        labels=_labels(request),
        places=_places(request),
        most=MAX_REPLAYED,
        **{"results": None, "ids": [], "filters": _filters(request), **context},
    )


@router.get("/audit/replay", response_class=HTMLResponse)
def replay_form(request: Request) -> Response:
    """The replay form: ids, or the filters of the history."""
    return _replay_form(request, require(page_user(request), "auditor"))


@router.post("/audit/replay", response_class=HTMLResponse)
async def replay_page(request: Request) -> Response:
    user = require(page_user(request), "auditor")
    form, _ = await read_form(request)
    check_csrf(request, form)
    return await run_in_threadpool(_replay, request, user, form)  # deciding again is CPU work: off the event loop


def _replay(request: Request, user: User, form: dict[str, str]) -> Response:
    ids = [i for i in str(form.get("ids") or "").split() if i][:MAX_REPLAYED]
    filters = {key: (str(form.get(key) or "").strip() or None) for key in ("program", "division", "outcome", "search")}
    if not ids and any(filters.values()):
        found = history(request.app.state.store, limit=MAX_REPLAYED, **filters)  # type: ignore[arg-type]
        ids = list(dict.fromkeys(d.row.decision_id for d in found.decisions))
    if not ids:
        error = WebError(422, "name the decisions to replay", field="ids", words="replay_ids")
        return _replay_form(request, user, 422, error=problem_text(error, lang_of(request)), filters=filters)
    try:
        results = list(replay(request.app.state.store, ids, workers=0, detail=len(ids) == 1))
    except StoreError as exc:  # an id that names no decision: said by the form, with the ids as typed
        if exc.problems[0].code != "no_decision":
            raise
        said = problem_text(from_engine_error(exc), lang_of(request))
        return _replay_form(request, user, 404, error=said, filters=filters, ids=ids)
    rulebook, lang = request.app.state.rulebook, lang_of(request)
    shown = [(r, replay_view(r, rulebook, lang)) for r in results]
    return render(request, "replay.html", user=user, results=results, shown=shown, ids=ids)


@router.get("/audit/verify", response_class=HTMLResponse)
def verify_page(request: Request) -> Response:
    user = require(page_user(request), "auditor")
    return render(request, "verify.html", user=user, report=None)


@router.post("/audit/verify", response_class=HTMLResponse)
async def verify_run(request: Request) -> Response:
    user = require(page_user(request), "auditor")
    form, _ = await read_form(request)
    check_csrf(request, form)
    return await run_in_threadpool(_verify, request, user, form)  # a whole chain read: off the event loop


def _verify(request: Request, user: User, form: dict[str, str]) -> Response:
    expect = str(form.get("expect_head") or "").strip() or None
    try:
        report = verify(request.app.state.store, expect_head=expect)
    except UsageError as exc:  # not a head (a prefix, a typo): say so by the field, never "altered"
        return render(request, "verify.html", 422, user=user, report=None, expect=expect, error=exc.problems[0])
    return render(request, "verify.html", user=user, report=report, expect=expect)
