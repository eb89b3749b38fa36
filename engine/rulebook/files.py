"""Reading the YAML files of a ruleset folder: roles, schema, every problem with its line.

Each ``*.yaml``/``*.yml`` file gets its role from its top-level key (``policy``,
``parameters``, ``criteria``/``derived``, ``disqualifiers``, ``program``) and is
validated against :mod:`engine.rulebook.schema`; a pydantic error becomes a
:class:`~engine.errors.Problem` at the file, line and path, with a did-you-mean
for misspelt keys.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, validation_message
from ..model.divisions import DivisionsFile
from ..yamlio import LoadProblem, Located, format_path, load_yaml
from .schema import CommonFile, DisqualifiersFile, ParametersFile, PolicyFile, ProgramFile
from .suggest import did_you_mean

__all__ = ["ROLES", "RuleFiles"]

ROLES: dict[str, type[BaseModel]] = {
    "policy": PolicyFile,
    "parameters": ParametersFile,
    "criteria": CommonFile,
    "derived": CommonFile,
    "disqualifiers": DisqualifiersFile,
    "program": ProgramFile,
    "divisions": DivisionsFile,
}


class RuleFiles:
    """The files of one ruleset folder, read and validated, and the problems found so far.

    ``docs`` maps a file name to its located YAML and its validated model;
    ``unreadable`` says some file could not be read or validated (dangling names
    are then not reported: they may be defined in the broken file)."""

    def __init__(self, files: dict[str, bytes], label: str) -> None:
        self.files = files
        self.label = label
        self.problems: list[Problem] = []
        self.docs: dict[str, tuple[Located, BaseModel]] = {}
        self.unreadable = False

    def name(self, file: str) -> str:
        return f"{self.label}/{file}"

    def problem(self, doc: Located, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        self.add(Problem(doc.file, doc.line_of(path), format_path(path), message, hint))

    def add(self, problem: Problem) -> None:
        """Keep a problem once (a shared criterion is read for every programme using it)."""
        if problem not in self.problems:
            self.problems.append(problem)

    def follow_on(self, doc: Located, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        """A dangling reference: reported only when every file could be read, since a
        file that failed to load leaves its names undefined without any fault of the referrer."""
        if not self.unreadable:
            self.problem(doc, path, message, hint)

    def read(self) -> None:
        for file, data in sorted(self.files.items()):
            if not file.endswith((".yaml", ".yml")):
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                self.problems.append(Problem(self.name(file), None, "", "not UTF-8 text"))
                continue
            try:
                doc = load_yaml(text, self.name(file))
            except LoadProblem as exc:
                self.add(exc.problem)
                self.unreadable = True
                continue
            if not isinstance(doc.data, dict) or not doc.data:
                self.problem(doc, (), "a rule file is a mapping with one of the keys: " + ", ".join(sorted(set(ROLES))))
                continue
            role = next((k for k in doc.data if k in ROLES), None)
            if role is None:
                first = next(iter(doc.data))
                close = difflib.get_close_matches(str(first), list(ROLES), n=1)
                self.problem(
                    doc,
                    (first,),
                    f"unknown top-level key '{first}'",
                    f"did you mean '{close[0]}'?"
                    if close
                    else "a rule file starts with one of: " + ", ".join(sorted(set(ROLES))),
                )
                continue
            model: type[BaseModel] = ROLES[role]
            try:
                self.docs[file] = (doc, model.model_validate(doc.data))
            except ValidationError as exc:
                self._validation(doc, exc, model)
                self.unreadable = True

    def _validation(self, doc: Located, exc: ValidationError, model: type[BaseModel]) -> None:
        for error in exc.errors():
            raw = tuple(error["loc"])
            # pydantic names the union member in the location; it is not part of the file's path
            loc = tuple(
                p
                for i, p in enumerate(raw)
                if not (p in ("criterion", "use") and i > 0 and isinstance(raw[i - 1], int))
            )
            message = validation_message(error)
            hint = None
            if error["type"] == "extra_forbidden":
                key = loc[-1]
                message = f"unknown field '{key}'"
                hint = did_you_mean(str(key), _fields_at(model, loc[:-1]))
            elif error["type"] == "missing":
                message = f"required field '{loc[-1]}' is missing"
            self.problem(doc, loc, message, hint)


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at a location of a schema (for did-you-mean)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if field is None:
            return []
        current = _model_in(field.annotation, typing)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _model_in(annotation: Any, typing: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg, typing)
        if found is not None and found is not type(None):
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
    return None
