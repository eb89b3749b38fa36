"""The one error body of the HTTP API, and what every error becomes in a response.

:func:`error_body` builds every JSON error the API sends (a test locks its shape)::

    {"error": {"status": 422, "code": "invalid_application", "message": "...",
               "field": "claims[1].patent.number", "hint": "...",
               "problems": [{"field": ..., "line": ..., "message": ..., "hint": ...}]}}

Pages get the same facts as a page in the user's language. No response ever
carries a stack trace: a fault of the engine is answered with a reference to quote,
and is logged (without the request's content) for the operator.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from typing import Any

from ..errors import (
    ApplicationError,
    ConflictError,
    EngineError,
    InputError,
    IntegrityError,
    Problem,
    StoreError,
    UsageError,
)
from ..privacy import escape_controls

__all__ = ["ERROR_CODES", "WebError", "error_body", "from_engine_error", "internal_error", "problem_body"]

log = logging.getLogger("engine.web")

ERROR_CODES = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_attempts",
    500: "internal_error",
}


class WebError(Exception):
    """An error a route answers with: status, code, message (and field, hint)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        hint: str | None = None,
        problems: list[Problem] | None = None,
        headers: dict[str, str] | None = None,
        words: str | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """``words`` names the message in :data:`engine.web.i18n.PROBLEM_WORDS` (said in the
        user's language on a page, with ``params``); ``message`` is the API's English."""
        super().__init__(message)
        self.status = status
        self.code = code or ERROR_CODES.get(status, "error")
        self.message = message
        self.field = field
        self.hint = hint
        self.problems = problems or []
        self.headers = headers
        first = self.problems[0] if self.problems else None
        self.words = words or (first.code if first is not None else None)
        self.params = params if params is not None else dict(first.params) if first is not None else {}


def error_body(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    hint: str | None = None,
    problems: list[Problem] | None = None,
) -> dict[str, Any]:
    """The JSON body of every API error (see the module's notes); its texts quote what was
    sent, so every control or invisible character in them is written out (``\\udc00``,
    ``\\u202e``: :func:`~engine.privacy.escape_controls`)."""
    return {
        "error": {
            "status": status,
            "code": code,
            "message": escape_controls(message),
            "field": _escaped(field),
            "hint": _escaped(hint),
            "problems": [problem_body(p) for p in problems or []],
        }
    }


def problem_body(problem: Problem) -> dict[str, Any]:
    """One problem as the API shows it: field, line, message, hint (their control and
    invisible characters written out)."""
    return {
        "field": _escaped(problem.path or None),
        "line": problem.line,
        "message": escape_controls(problem.message),
        "hint": _escaped(problem.hint),
    }


def _escaped(text: str | None) -> str | None:
    return None if text is None else escape_controls(text)


def from_engine_error(exc: EngineError) -> WebError:
    """An engine error as the response it deserves: the input's fault 4xx, the record's 409."""
    if isinstance(exc, InputError):
        problems = list(exc.problems)
        first = problems[0] if problems else Problem("", None, "", str(exc))
        if isinstance(exc, ApplicationError):
            status, code = 422, "invalid_application"
        elif isinstance(exc, ConflictError):
            status, code = 409, "conflict"
        elif isinstance(exc, StoreError):
            status, code = 409, "refused"
        elif isinstance(exc, UsageError):
            status, code = 422, "invalid_request"
        else:
            status, code = 422, "invalid_input"
        message = first.message if len(problems) == 1 else f"{len(problems)} problems: {first.message} …"
        return WebError(status, message, code=code, field=first.path or None, hint=first.hint, problems=problems)
    if isinstance(exc, IntegrityError):
        return WebError(409, str(exc), code="altered_record", words="altered_record")
    return internal_error(exc)


def internal_error(exc: BaseException) -> WebError:
    """A fault of the engine: logged for the operator by reference, never shown as a trace."""
    reference = secrets.token_hex(4)
    # the frames only: an exception's text may quote what a person typed, and a self-check leaves no trace
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("internal error %s: %s\n%s", reference, type(exc).__name__, frames)
    return WebError(
        500,
        f"internal error {reference}: a fault of the engine, not of the request",
        hint="please report it with this reference",
        words="internal",
        params={"reference": reference},
    )
