"""Reading application files: YAML, JSON or JSON Lines, every problem with its line.

``read_application(path, rulebook)`` returns a validated :class:`Application`
or raises :class:`ApplicationError` listing *every* problem found, each as
``file:line field.path: what is wrong`` with a hint where one helps. Claims
are numbered from 1, as in decisions (``claims[1]`` is the first claim).
``iter_applications`` streams many files and ``.jsonl`` lines, yielding each
record or its problems, so that one bad record never stops a batch.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ApplicationError, Problem
from ..model import Application, Claim
from ..rulebook import Rulebook
from ..yamlio import LoadProblem, Located, load_json_line, load_yaml

__all__ = ["Record", "application_from_data", "iter_applications", "read_application", "shown_path"]

APPLICATION_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


def shown_path(loc: tuple[Any, ...]) -> str:
    """A field path as shown to people: claims numbered from 1.

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
    return out


def _suggest(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


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
        if kind == "engine":
            message = ctx["message"]
            hint = ctx.get("hint") or None
            if ctx.get("field"):
                loc = loc + (ctx["field"],)
        elif kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            message = f"unknown field '{loc[-1]}'"
            owner = _model_at(loc[:-1])
            if owner is not None:
                hint = _suggest(str(loc[-1]), list(owner.model_fields))
        elif kind == "literal_error" and loc == ("format",):
            message = f"this engine reads application format 1, got {error['input']!r}"
        elif kind == "literal_error":
            expected = ctx.get("expected", "")
            message = f"must be one of {expected}, got {error['input']!r}"
            options = [x.strip(" '") for x in str(expected).replace(" or ", ",").split(",")]
            hint = _suggest(str(error["input"]), options)
        elif kind == "value_error":
            message = str(ctx.get("error", error["msg"]))
        elif kind == "string_pattern_mismatch" and loc == ("id",):
            message = f"an id is letters, digits and . _ : / - (at most 80), got {error['input']!r}"
        elif kind == "too_short" and loc and loc[-1] == "claims":
            message = "an application needs at least one claim"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = f"expected a mapping of fields, got {type(error['input']).__name__}"
        elif kind in ("string_type",):
            message = f"expected text, got {error['input']!r}"
        else:
            message = error["msg"]
        if loc in seen and kind == "engine":
            continue
        seen.add(loc)
        problems.append(Problem(doc.file, doc.line_of(loc), shown_path(loc), message, hint))
    return problems


def _check_claims(app: Application, doc: Located, rulebook: Rulebook) -> list[Problem]:
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
        given = [name for name in Claim.model_fields if name != "program" and getattr(claim, name) is not None]
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
            f"programme '{name}' is announced in {item.clause} of {ruleset.policy.document} but has "
            "no criteria or amounts yet, so it cannot be evaluated",
            item.status.en,
        )
    return Problem(
        doc.file,
        doc.line_of(loc),
        shown_path(loc),
        f"unknown programme '{name}'",
        _suggest(name, sorted(known)) or "programmes: " + ", ".join(sorted(known)),
    )


def application_from_data(doc: Located, rulebook: Rulebook) -> Application:
    """Validate parsed data as an application; raise ApplicationError with every problem."""
    if not isinstance(doc.data, dict):
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
    try:
        app = Application.model_validate(doc.data)
    except ValidationError as exc:
        problems = _problems(exc, doc) + _check_programs(doc, rulebook)
        raise ApplicationError(sorted(problems, key=lambda p: (p.line or 0, p.path))) from None
    problems = _check_claims(app, doc, rulebook)
    if problems:
        raise ApplicationError(problems)
    return app


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ApplicationError([Problem(str(path), None, "", "no such file")]) from None
    except IsADirectoryError:
        raise ApplicationError([Problem(str(path), None, "", "is a folder, not an application file")]) from None
    except UnicodeDecodeError:
        raise ApplicationError([Problem(str(path), None, "", "not UTF-8 text")]) from None


def read_application(path: str | Path, rulebook: Rulebook) -> Application:
    """One application from a YAML or JSON file."""
    path = Path(path)
    if path.suffix == ".jsonl":
        records = list(iter_applications([path], rulebook))
        if len(records) != 1:
            raise ApplicationError(
                [
                    Problem(
                        str(path),
                        None,
                        "",
                        f"holds {len(records)} applications; check takes one",
                        "use `subsidy screen` for a batch",
                    )
                ]
            )
        record = records[0]
        if record.error is not None:
            raise record.error
        assert record.application is not None
        return record.application
    text = _read_text(path)
    try:
        doc = load_yaml(text, str(path), shown_path, as_json=path.suffix == ".json")
    except LoadProblem as exc:
        raise ApplicationError([exc.problem]) from None
    return application_from_data(doc, rulebook)


@dataclass
class Record:
    """One application read in a batch, or why it could not be."""

    source: str  # file, or file:line for JSON Lines
    application: Application | None
    error: ApplicationError | None
    data: Any = None


def iter_files(paths: list[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix in APPLICATION_SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path


def iter_applications(paths: list[str | Path], rulebook: Rulebook) -> Iterator[Record]:
    """Every application under ``paths`` (files, folders, ``.jsonl``), in file order."""
    for path in iter_files(paths):
        if path.suffix == ".jsonl":
            try:
                handle = path.open(encoding="utf-8")
            except OSError as exc:
                yield Record(str(path), None, ApplicationError([Problem(str(path), None, "", str(exc))]))
                continue
            with handle:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    source = f"{path}:{number}"
                    try:
                        doc = load_json_line(line, str(path), number)
                        yield Record(source, application_from_data(doc, rulebook), None, doc.data)
                    except LoadProblem as exc:
                        yield Record(source, None, ApplicationError([exc.problem]))
                    except ApplicationError as exc:
                        yield Record(source, None, exc)
                    except UnicodeDecodeError:
                        yield Record(source, None, ApplicationError([Problem(str(path), number, "", "not UTF-8 text")]))
            continue
        try:
            text = _read_text(path)
            doc = load_yaml(text, str(path), shown_path, as_json=path.suffix == ".json")
            yield Record(str(path), application_from_data(doc, rulebook), None, doc.data)
        except LoadProblem as exc:
            yield Record(str(path), None, ApplicationError([exc.problem]))
        except ApplicationError as exc:
            yield Record(str(path), None, exc)
