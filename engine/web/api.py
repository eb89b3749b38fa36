"""The HTTP API under ``/api/v1``: the same services as the command line, as JSON.

Money is always a decimal string in yuan, exactly as the contract's JSON; ID
numbers are masked; every error has the one body of :func:`.errors.error_body`.
Anonymous callers reach the self-check and the application schema only; everything
else takes a user's API token (``Authorization: Bearer sbt_…``, from
``subsidy users token NAME``), and an enterprise's token reads only its own decisions.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationInfo, field_validator
from starlette.concurrency import run_in_threadpool

from ..errors import InvalidValueError, StoreError, UsageError, quoted
from ..explain.json_bytes import json_bytes
from ..model import Application
from ..privacy import escape_controls, mask_id_numbers
from ..reading import read_upload
from ..services import ScreenResult, ScreenSummary, check, history, replay, report, screen, settle, show, verify
from ..services.accounts import user_for_token
from ..store import User
from .desk import can_read
from .errors import WebError, problem_body
from .security import require
from .views import masked

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["api"])
bearer = HTTPBearer(auto_error=False, description="an API token from `subsidy users token NAME`")

MAX_CHECK_BYTES = 1024 * 1024
MAX_SCREEN_BYTES = 16 * 1024 * 1024
_APPLICATION_SCHEMA = Application.model_json_schema(mode="validation")


def _json(data: Any, status: int = 200) -> Response:
    """``data`` as the JSON body of a response; no ID number in it whole (:func:`masked`)."""
    return Response(json_bytes(masked(data)), status_code=status, media_type="application/json")


def _user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> User | None:
    if credentials is None:
        return None
    found: User | None = user_for_token(request.app.state.store, credentials.credentials.strip())
    return found


CurrentUser = Annotated[User | None, Depends(_user)]


async def _body(request: Request, limit: int) -> bytes:
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > limit:
            raise WebError(413, f"the body is at most {limit // 1024} KB")
    return bytes(data)


@router.get("/schema/application", summary="The application format (format 1) as JSON Schema")
def application_schema() -> Response:
    return _json(_APPLICATION_SCHEMA)


@router.post(
    "/check",
    summary="Self-check one application: nothing is stored",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _APPLICATION_SCHEMA}}}},
)
async def api_check(request: Request, lang: Literal["zh", "en"] = "zh") -> Response:
    if "yaml" in request.headers.get("content-type", "").lower():
        raise WebError(
            415,
            "the API reads an application as JSON (Content-Type: application/json), not YAML",
            hint="send the application as JSON; a YAML file is checked on the /check page or with `subsidy check FILE`",
        )
    body = await _body(request, MAX_CHECK_BYTES)
    # reading and deciding are CPU work: in a worker thread, so that the event loop serves others meanwhile
    return await run_in_threadpool(_checked, body, request.app.state.rulebook, lang)


def _checked(body: bytes, rulebook: Any, lang: str) -> Response:
    application = read_upload(body, "request.json", rulebook)
    return _json(masked(check(application, rulebook).json(lang)))


@router.post(
    "/screen",
    summary="Screen a batch (JSON Lines in the body) into the store",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "one application per line (JSON Lines)",
            "content": {"application/x-ndjson": {"schema": {"type": "array", "items": _APPLICATION_SCHEMA}}},
        }
    },
)
async def api_screen(request: Request, user: CurrentUser) -> Response:
    require(user, "reviewer")
    data = await _body(request, MAX_SCREEN_BYTES)
    return await run_in_threadpool(_screen_batch, data, request.app.state.store, request.app.state.rulebook)


def _screen_batch(data: bytes, store: Any, rulebook: Any) -> Response:
    """A batch screened in a worker thread (the event loop serves other requests meanwhile)."""
    folder = Path(tempfile.mkdtemp(prefix="subsidy-api-"))
    try:
        (folder / "batch.jsonl").write_bytes(data)
        results, summary = [], ScreenSummary()
        for event in screen([folder / "batch.jsonl"], store, rulebook, workers=0):
            if isinstance(event, ScreenResult):
                results.append(_screened(event, str(folder) + "/"))
            elif isinstance(event, ScreenSummary):
                summary = event
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    counts = {k: getattr(summary, k) for k in ("recorded", "already_recorded", "invalid", "failed")}
    return _json({"summary": counts, "results": results})


def _screened(event: ScreenResult, prefix: str) -> dict[str, Any]:
    return {
        "status": event.status,
        "source": event.source.replace(prefix, ""),
        "application": event.application,
        "decision": masked(event.output) if event.status == "recorded" else None,
        "record_hash": event.record_hash,
        "problems": [problem_body(p) for p in event.problems],
    }


@router.get("/decisions", summary="Decisions, oldest first, by filters or by any id, credit code or patent")
def api_decisions(
    request: Request,
    user: CurrentUser,
    search: Annotated[str | None, Query(max_length=200)] = None,
    program: Annotated[str | None, Query(max_length=100)] = None,
    division: Annotated[str | None, Query(max_length=20)] = None,
    outcome: Literal["eligible", "ineligible", "needs_review"] | None = None,
    awaiting_review: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    user = require(user, "reviewer", "auditor", "enterprise")
    scope = user.credit_code if user.role == "enterprise" else None
    found = history(
        request.app.state.store,
        search=search,
        program=program,
        division=division,
        outcome=outcome,
        credit_code=scope,
        awaiting_review=awaiting_review,
        limit=limit,
        offset=offset,
    )
    rows = [
        {
            "decision": d.row.decision_id,
            "application": d.row.application,
            "claim": d.row.claim,
            "program": d.row.program,
            "outcome": d.row.outcome,
            "amount": None if d.row.amount is None else str(d.row.amount),
            "applicant": d.row.applicant,
            "credit_code": d.row.credit_code,
            "division": d.row.division,
            "patent": d.row.patent,
            "submitted_on": d.row.submitted_on,
            "open_criteria": list(d.row.open_criteria),
            "settled": d.settled,
            "record_seq": d.record_seq,
        }
        for d in found.decisions
    ]
    return _json({"decisions": rows, "offset": found.offset, "limit": found.limit, "more": found.more})


@router.get("/decisions/{ref:path}", summary="One recorded decision with its settlements and record hash")
def api_decision(request: Request, ref: str, user: CurrentUser) -> Response:
    user = require(user, "reviewer", "auditor", "enterprise")
    try:
        shown = show(request.app.state.store, ref[:200], as_recorded=True)
    except UsageError:  # not there: 404, whatever the id looks like, as for another enterprise's
        raise WebError(404, f"nothing recorded as '{ref[:200]}'") from None
    if not can_read(user, shown.content["result"]["applicant"].get("credit_code")):
        raise WebError(404, f"nothing recorded as '{ref[:200]}'")
    return _json(
        masked(
            {
                "record": shown.record.record_id,
                "seq": shown.record.seq,
                "hash": shown.record.hash,
                "content": shown.content,
                "settlements": shown.settlements,
            }
        )
    )


class SettleRequest(BaseModel):
    decision: str = Field(max_length=200, examples=["PY-2024-0501/1"])
    outcome: Literal["eligible", "ineligible"]
    reason: str = Field(min_length=1, max_length=2000)
    amount: str | None = Field(None, max_length=40, description="yuan as a decimal string; a yearly fund for P3")
    housing_m2: str | None = Field(None, max_length=20)

    @field_validator("amount", "housing_m2", mode="before")
    @classmethod
    def _written_as_text(cls, value: Any, info: ValidationInfo) -> Any:
        """A JSON number is refused as money is everywhere, with the form to send: a float is not
        exact, and the record keeps the decimal string as sent."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if info.field_name == "amount":
                raise InvalidValueError(
                    f"money is a decimal string in yuan, never a JSON number: {quoted(value)}",
                    'send it in quotes, as a decimal string in yuan, e.g. "70000.00"',
                )
            raise InvalidValueError(
                f"housing is a decimal string of square metres, never a JSON number: {quoted(value)}",
                'send it in quotes, e.g. "120"',
            )
        return value


def _encodable(field: str, text: str) -> str:
    """``text`` when it can be looked up and recorded; a 422 naming ``field`` when it holds the
    half of a surrogate pair (a JSON ``\\ud800`` escape standing alone), which no store or
    output can encode."""
    half = _HALF.search(text)
    if half is not None:
        raise WebError(
            422,
            f"{field} holds the half of a surrogate pair U+{ord(half.group()):04X}, no character of any text: "
            f"'{escape_controls(text[:200])}'",
            field=field,
            hint="send the text as it was typed: a character beyond U+FFFF is written as both halves (\\ud83d\\ude00)",
        )
    return text


_HALF = re.compile("[\ud800-\udfff]")


@router.post("/settlements", summary="Record a reviewer's settlement, exactly as `subsidy settle` does")
def api_settle(request: Request, body: SettleRequest, user: CurrentUser) -> Response:
    user = require(user, "reviewer")
    for field in ("decision", "reason", "amount", "housing_m2"):
        _encodable(field, getattr(body, field) or "")
    done = settle(
        request.app.state.store, body.decision, body.outcome, body.reason, user.name, body.amount, body.housing_m2
    )
    return _json({"record": done.record.record_id, "hash": done.record.hash, "content": masked(done.content)}, 201)


def _replayed(store: Any, ids: list[str]) -> list[Any]:
    """Every id replayed; an id that names no recorded decision is a 404 naming it (and its
    place in ``ids``), as an unknown id is everywhere in the API."""
    try:
        return list(replay(store, ids, workers=0, detail=True))
    except StoreError as exc:
        first = exc.problems[0]
        if first.code != "no_decision":
            raise
        wanted = dict(first.params).get("id")
        # the id as the problem names it: ID-number-shaped ones masked, as in every message
        at = next((f"ids[{n}]" for n, i in enumerate(ids) if wanted in (i, mask_id_numbers(i))), None)
        raise WebError(404, first.message, field=at, hint=first.hint) from None


class ReplayRequest(BaseModel):
    ids: list[str] = Field(min_length=1, max_length=200, description="application or decision ids")


@router.post("/replay", summary="Evaluate recorded decisions again and compare them field by field")
def api_replay(request: Request, body: ReplayRequest, user: CurrentUser) -> Response:
    require(user, "auditor")
    ids = [_encodable(f"ids[{n}]", i[:200]) for n, i in enumerate(body.ids)]
    out = []
    decisions = differ = 0  # a decision per claim: a record holds one or more
    for done in _replayed(request.app.state.store, ids):
        decisions += done.decisions
        differ += done.differing
        out.append(
            {
                "record": done.record,
                "ruleset": done.ruleset,
                "version": done.version,
                "reproduced": done.reproduced,
                "decisions": done.decisions,
                "differing": done.differing,
                "error": done.error,
                "differences": [d.__dict__ for d in done.differences],
                "wording": [d.__dict__ for d in done.wording],
                "compared": [d.__dict__ for d in done.compared],
            }
        )
    return _json({"replayed": out, "decisions": decisions, "reproduced": decisions - differ, "differ": differ})


@router.get("/verify", summary="Verify the whole chain; the chain head to note down")
def api_verify(
    request: Request, user: CurrentUser, expect_head: Annotated[str | None, Query(max_length=64)] = None
) -> Response:
    require(user, "auditor")
    found = verify(request.app.state.store, expect_head=expect_head)
    return _json({"intact": found.intact, **found.__dict__})


@router.get("/report", summary="Awards by programme, enterprise, division and month; what awaits review")
def api_report(request: Request, user: CurrentUser) -> Response:
    require(user, "reviewer", "auditor")
    r = report(request.app.state.store)

    def totals(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "key": list(t.key),
                "awards": t.awards,
                "one_off": t.one_off,
                "per_year": t.per_year,
                "housing_m2": t.housing_m2,
            }
            for t in items
        ]

    return _json(
        {
            "applications": r.applications,
            "settlements": r.settlements,
            "outcomes": r.outcomes,
            "by_program": totals(r.by_program),
            "by_enterprise": totals(r.by_enterprise),
            "by_division": totals(r.by_division),
            "by_month": totals(r.by_month),
            "held_for_review": r.held_for_review,
            "awaiting_review": [p.__dict__ for p in r.awaiting_review],
        }
    )


@router.get("/programmes", summary="Every programme: operative or announced, with its clause")
def api_programmes(request: Request, user: CurrentUser, lang: Literal["zh", "en"] = "zh") -> Response:
    require(user, "reviewer", "auditor", "enterprise")
    from ..rulebook.tools.programmes import list_programmes

    return _json([p.__dict__ for p in list_programmes(request.app.state.rulebook, lang)])


@router.get("/rules", summary="The rulesets: version, window, and each criterion with its clause and the plan's words")
def api_rules(request: Request, user: CurrentUser, lang: Literal["zh", "en"] = "zh") -> Response:
    require(user, "reviewer", "auditor", "enterprise")
    zh = lang == "zh"
    out = []
    for r in request.app.state.rulebook.rulesets:
        programs = []
        for p in r.programs.values():
            criteria = [
                {"id": c.id, "label": c.label.zh if zh else c.label.en, "clause": c.clause, "quote": c.quote}
                for c in p.criteria
            ]
            programs.append(
                {"id": p.id, "label": p.label.zh if zh else p.label.en, "clause": p.clause, "criteria": criteria}
            )
        window = {"from": str(r.policy.in_force.from_), "to": str(r.policy.in_force.to)}
        out.append(
            {
                "id": r.id,
                "version": r.version,
                "document": r.policy.document,
                "in_force": window,
                "programmes": programs,
            }
        )
    return _json(out)
