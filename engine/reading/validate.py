"""Parsed data as an application: every problem with its line, people's words for it.

``application_from_data(doc, rulebook)`` returns a validated :class:`Application`
or raises :class:`ApplicationError` listing every problem found (at most
:data:`~engine.reading.limits.MAX_PROBLEMS`), each as ``file:line field.path: what is
wrong`` with a hint where one helps. Claims are numbered from 1, as in decisions
(``claims[1]`` is the first claim). Which programmes a claim may name, and which fields
each programme's claims carry, is checked against the ruleset in force.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ApplicationError, InvalidValueError, Problem, quoted
from ..model import Application
from ..model.values import parse_date
from ..privacy import BIDI, CONTROLS, FORMATS
from ..rulebook import Rulebook, Ruleset
from ..yamlio import Located
from .limits import MAX_CLAIMS, MAX_PROBLEMS, MAX_SHOWN_FIELD_CHARS

__all__ = ["application_from_data", "bounded", "check_claims", "shown_path"]


def shown_path(loc: tuple[Any, ...]) -> str:
    """A field path as shown to people: claims numbered from 1; cut short past
    :data:`~engine.reading.limits.MAX_SHOWN_FIELD_CHARS` characters (ending with "…").

    >>> shown_path(("claims", 0, "patent", "number"))
    'claims[1].patent.number'
    """
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            shown = part + 1 if i > 0 and loc[i - 1] == "claims" else part
            out += f"[{shown}]"
        else:
            out += ("." if out else "") + str(part)
    return out if len(out) <= MAX_SHOWN_FIELD_CHARS else out[:MAX_SHOWN_FIELD_CHARS] + "…"


def _closest(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the field at ``loc`` (for did-you-mean)."""
    from .. import model

    current: Any = model.Application
    for part in loc:
        if isinstance(part, int):
            continue
        fields = current.model_fields if isinstance(current, type) and issubclass(current, BaseModel) else {}
        info = fields.get(part)
        if info is None:
            return None
        current = _inner(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner(annotation: Any) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


def _problems(exc: ValidationError, doc: Located) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal["))))
        ctx = error.get("ctx") or {}
        kind = error["type"]
        hint: str | None = None
        code: str | None = None  # what kind of problem, with the values it names: for a face's own words
        params: dict[str, str] = {}
        if kind == "engine":
            message = ctx["message"]
            hint = ctx.get("hint") or None
            code, params = ctx.get("code") or None, dict(ctx.get("params") or ())
            if ctx.get("field"):
                loc = loc + (ctx["field"],)
        elif kind == "missing":
            message, code = "required field is missing", "required"
        elif kind == "extra_forbidden":
            message, code = f"unknown field {quoted(str(loc[-1]))}", "unknown_field"
            params["name"] = quoted(str(loc[-1]), bare=True)
            owner = _model_at(loc[:-1])
            close = _closest(str(loc[-1])[:100], list(owner.model_fields)) if owner is not None else None
            if close is not None:
                hint, params["suggestion"] = f"did you mean '{close}'?", close
        elif kind in ("literal_error", "int_parsing_size") and loc == ("format",):
            message = f"this engine reads application format 1, got {quoted(error['input'])}"
        elif kind == "literal_error":
            expected = ctx.get("expected", "")
            message, code = f"must be one of {expected}, got {quoted(error['input'])}", "one_of"
            options = [x.strip(" '") for x in str(expected).replace(" or ", ",").split(",")]
            params = {"expected": "、".join(options), "got": quoted(error["input"])}
            close = _closest(str(error["input"])[:100], options)
            if close is not None:
                hint, params["suggestion"] = f"did you mean '{close}'?", close
        elif kind == "value_error":
            cause = ctx.get("error")
            message = str(cause if cause is not None else error["msg"])
            if isinstance(cause, InvalidValueError):
                hint, code, params = cause.hint, cause.code, dict(cause.params)
        elif kind == "too_short" and loc and loc[-1] == "claims":
            message = "an application needs at least one claim"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = f"expected a mapping of fields, got {type(error['input']).__name__}"
        elif kind == "bool_type":  # a Bool (strict: pydantic checks it without calling back into Python)
            message = f"must be true or false, got {quoted(error['input'])}"
            code, params = "true_false", {"got": quoted(error["input"])}
        elif kind in ("string_type",):
            message = f"expected text, got {quoted(error['input'])}"
        else:
            message = error["msg"]
        if loc in seen and kind == "engine":
            continue
        seen.add(loc)
        problems.append(
            Problem(doc.file, doc.line_of(loc), shown_path(loc), message, hint, code, tuple(params.items()))
        )
    return problems


def check_claims(app: Application, doc: Located, rulebook: Rulebook) -> list[Problem]:
    """Programme names and the fields each programme's claims may carry."""
    problems: list[Problem] = []
    known = rulebook.programs()
    announced = rulebook.announced()
    ruleset = rulebook.select(app.submitted_on, tuple(c.program for c in app.claims if c.program in known))
    for i, claim in enumerate(app.claims):
        loc: tuple[Any, ...] = ("claims", i, "program")
        if claim.program not in known:
            problems.append(_program_problem(doc, loc, claim.program, known, announced))
            continue
        program = ruleset.programs.get(claim.program)
        if program is None:
            problems.append(
                Problem(
                    doc.file,
                    doc.line_of(loc),
                    shown_path(loc),
                    f"programme '{claim.program}' is not part of {ruleset.policy.document}, "
                    f"which governs applications submitted on {app.submitted_on}",
                )
            )
            continue
        awaiting = ruleset.awaiting(claim.program, app.submitted_on)
        if awaiting:
            names = ", ".join(p.name for p in awaiting)
            problems.append(
                Problem(
                    doc.file,
                    doc.line_of(loc),
                    shown_path(loc),
                    f"programme {quoted(claim.program)} ({program.clause} of {ruleset.policy.document}) cannot "
                    f"be applied to applications submitted on {app.submitted_on} yet: {names} not set",
                    "; ".join(p.unset.en for p in awaiting if p.unset is not None) or None,
                )
            )
            continue
        given = [name for name, value in vars(claim).items() if value is not None and name != "program"]
        for name in given:
            if name not in program.claim_fields:
                where = ("claims", i, name)
                problems.append(
                    Problem(
                        doc.file,
                        doc.line_of(where),
                        shown_path(where),
                        f"'{name}' is not a field of {claim.program} claims",
                        "fields of this programme: " + ", ".join(program.claim_fields),
                    )
                )
        if "patent" in program.claim_fields and claim.patent is None:
            where = ("claims", i, "patent")
            problems.append(
                Problem(
                    doc.file,
                    doc.line_of(("claims", i)),
                    shown_path(where),
                    "required field is missing",
                    "every claim names its patent: number, kind, holder, dates",
                )
            )
    return problems


def _check_programs(doc: Located, rulebook: Rulebook) -> list[Problem]:
    """Programme names, from the raw data: reported even when other fields are wrong."""
    claims = doc.data.get("claims") if isinstance(doc.data, dict) else None
    if not isinstance(claims, list):
        return []
    known = rulebook.programs()
    announced = rulebook.announced()
    problems = []
    for i, claim in enumerate(claims):
        name = claim.get("program") if isinstance(claim, dict) else None
        if not isinstance(name, str) or name in known:
            continue
        loc: tuple[Any, ...] = ("claims", i, "program")
        problems.append(_program_problem(doc, loc, name, known, announced))
    return problems


def _program_problem(
    doc: Located, loc: tuple[Any, ...], name: str, known: dict[str, Any], announced: dict[str, Any]
) -> Problem:
    if name in announced:
        ruleset, item = announced[name]
        return Problem(
            doc.file,
            doc.line_of(loc),
            shown_path(loc),
            f"programme {quoted(name)} is announced in {item.clause} of {ruleset.policy.document} but has "
            "no criteria or amounts yet, so it cannot be evaluated",
            item.status.en,
        )
    close = _closest(name[:100], sorted(known))
    return Problem(
        doc.file,
        doc.line_of(loc),
        shown_path(loc),
        f"unknown programme {quoted(name)}",
        f"did you mean '{close}'?" if close else "programmes: " + ", ".join(sorted(known)),
        "unknown_program",
        (("name", quoted(name, bare=True)),) + ((("suggestion", close),) if close else ()),
    )


def _ruleset_for(data: dict[str, Any], rulebook: Rulebook) -> Ruleset:
    """The ruleset whose data (its places) an application is read with: the one in force on
    its submission date; the latest when that date cannot be read (which is reported)."""
    try:
        when = parse_date(data.get("submitted_on"))
    except ValueError:
        return max(rulebook.rulesets, key=lambda r: r.policy.in_force.from_)
    given = data.get("claims")
    claims: list[Any] = given if isinstance(given, list) else []
    known = rulebook.programs()
    programs = tuple(
        c["program"]
        for c in claims
        if isinstance(c, dict) and isinstance(c.get("program"), str) and c["program"] in known
    )
    return rulebook.select(when, programs)


def _in_file_order(problem: Problem) -> tuple[Any, ...]:
    """By line, then by field path with claim numbers compared as numbers (claims[2] < claims[10])."""
    parts = re.split(r"(\d+)", problem.path)
    return (problem.line or 0, tuple(int(x) if x.isdigit() else x for x in parts))


def bounded(problems: list[Problem], file: str) -> list[Problem]:
    """At most :data:`MAX_PROBLEMS` problems; the rest counted in one more line."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    more = Problem(file, None, "", f"… and {rest:,} more problem{'s' if rest > 1 else ''} not shown")
    return problems[:MAX_PROBLEMS] + [more]


_LINE_BREAK = "\r\n"  # a line break as Windows writes it: text, unlike a carriage return alone


def _controls(doc: Located) -> list[Problem]:
    """A problem for every key or text holding a control character (tab and line breaks are
    text) or a format character (invisible: U+200B, U+00AD, U+FEFF, the bidirectional
    controls…): nothing read may set a terminal's title, clear it, hide in a record, split an
    ID number so that it is not seen as one, or reorder what a line shows."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc.data, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                where = loc + (key,)
                if isinstance(key, str) and _refused(key):
                    problems.append(_control_problem(doc, where, key, "a field name"))
                else:
                    stack.append((item, where))
        elif isinstance(value, list):
            stack.extend((item, loc + (i,)) for i, item in enumerate(value))
        elif isinstance(value, str) and _refused(value):
            problems.append(_control_problem(doc, loc, value, "a text"))
    return problems


def _refused(text: str) -> re.Match[str] | None:
    """The first control or format character of ``text`` (a Windows line break is text)."""
    plain = text.replace(_LINE_BREAK, "\n")
    return CONTROLS.search(plain) or FORMATS.search(plain)


def _control_problem(doc: Located, loc: tuple[Any, ...], text: str, what: str) -> Problem:
    found = _refused(text)
    assert found is not None
    char = found.group()
    code = ord(char)
    if FORMATS.fullmatch(char):
        name = unicodedata.name(char, "")
        said = f"U+{code:04X} ({name})" if name else f"U+{code:04X}"
        if BIDI.fullmatch(char):
            return Problem(
                doc.file,
                doc.line_of(loc),
                shown_path(loc),
                f"{what} holding the bidirectional control {said}; text may hold no invisible format characters",
                "remove it: it reorders what follows it on the line, so the text would not read as it was typed",
            )
        return Problem(
            doc.file,
            doc.line_of(loc),
            shown_path(loc),
            f"{what} holding the invisible format character {said}; text may hold no invisible format characters",
            "remove it (it often comes with text copied from a web page or a document): "
            "unseen, it splits a name or a number into something else than it shows",
        )
    if 0xD800 <= code <= 0xDFFF:
        return Problem(
            doc.file,
            doc.line_of(loc),
            shown_path(loc),
            f"{what} holding the half of a surrogate pair U+{code:04X}, which is no character of any text",
            "write the character itself (a JSON \\u escape of a character beyond U+FFFF takes both halves, "
            "e.g. \\ud842\\udfb7 for 𠮷)",
        )
    return Problem(
        doc.file,
        doc.line_of(loc),
        shown_path(loc),
        f"{what} holding the control character U+{code:04X}; text may hold no control characters",
        "remove it: only tabs and line breaks may stand in a text (a control character can forge what is shown)",
    )


def application_from_data(doc: Located, rulebook: Rulebook) -> Application:
    """Validate parsed data as an application; raise ApplicationError with every problem."""
    data = doc.data
    if not isinstance(data, dict):
        raise ApplicationError(
            [
                Problem(
                    doc.file,
                    doc.line_of(()),
                    "",
                    "an application is a mapping of fields",
                    "see applications/ for examples",
                )
            ]
        )
    claims = data.get("claims")
    if isinstance(claims, list) and len(claims) > MAX_CLAIMS:
        where = ("claims",)
        raise ApplicationError(
            [
                Problem(
                    doc.file,
                    doc.line_of(where),
                    shown_path(where),
                    f"{len(claims):,} claims; one application holds at most {MAX_CLAIMS}",
                    "split the claims over several applications",
                )
            ]
        )
    controls = _controls(doc)
    if controls:
        raise ApplicationError(bounded(sorted(controls, key=_in_file_order), doc.file))
    try:
        app = Application.model_validate(data, context={"divisions": _ruleset_for(data, rulebook).divisions})
    except ValidationError as exc:
        problems = _problems(exc, doc) + _check_programs(doc, rulebook)
        raise ApplicationError(bounded(sorted(problems, key=_in_file_order), doc.file)) from None
    problems = check_claims(app, doc, rulebook)
    if problems:
        raise ApplicationError(bounded(problems, doc.file))
    return app
