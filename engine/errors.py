"""The one tree of errors the engine raises.

::

    EngineError                      root: everything the engine raises on purpose
    ├── InputError                   something a person wrote or asked is wrong; exit code 2
    │   ├── RuleFileError            every problem found in a rule file, each with file:line
    │   │   └── ComplexityError      a condition too large for the inference engine
    │   ├── ApplicationError         every problem found in an application file
    │   ├── InvalidValueError        one value that cannot be what it claims (also a ValueError,
    │   │                            so model validators report it at its field)
    │   ├── StoreError               the store cannot be used as asked (wrong file, conflict,
    │   │   │                        locked, read-only, full)
    │   │   └── ConflictError        a writing transaction lost a race with another writer and
    │   │                            was rolled back; the caller may redo it
    │   └── UsageError               a command or request asked for something that cannot work
    ├── IntegrityError               the record is not what was written; exit code 1
    │                                (an altered record or archive, a broken chain)
    └── InternalError                a fault of the engine itself, never of the input; exit code 3
        └── EngineInconsistencyError the inference engine's verdicts do not add up
                                     (a criterion with no verdict or two, or a
                                     durable_rules failure translated from its code)

An ``InputError`` carries a list of :class:`Problem`; its message lists them all,
one per line, as ``file:line path: message`` with a hint after a blank line.
Every class carries the ``exit_code`` the command line ends with. A message may quote
what a person typed: an ID number in it is masked (:func:`engine.privacy.mask_id_numbers`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .privacy import mask_id_numbers

__all__ = [
    "ApplicationError",
    "ComplexityError",
    "ConflictError",
    "EngineError",
    "EngineInconsistencyError",
    "InputError",
    "IntegrityError",
    "InternalError",
    "InvalidValueError",
    "Problem",
    "RuleFileError",
    "StoreError",
    "UsageError",
    "quoted",
    "validation_message",
]

SHOWN_CHARS = 60
"""Characters of a value quoted back in a message; the rest is cut."""


def quoted(value: object, bare: bool = False, limit: int = SHOWN_CHARS) -> str:
    """A value as quoted back in a message: its ``repr`` (or, ``bare``, its text), cut short.

    >>> quoted("ZL2020")
    "'ZL2020'"
    >>> quoted("9" * 100, bare=True, limit=10)
    '9999999999… (100 characters)'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        return f"a number of about {int(value.bit_length() * 0.30103):,} digits"
    text = str(value) if bare else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of one file."""

    file: str
    line: int | None
    path: str
    message: str
    hint: str | None = None
    code: str | None = None  # what kind of problem, for a face that says it in its own words
    params: tuple[tuple[str, str], ...] = ()  # the values the message names, by name

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", mask_id_numbers(self.path))  # a key may be one, too
        object.__setattr__(self, "message", mask_id_numbers(self.message))
        if self.hint:
            object.__setattr__(self, "hint", mask_id_numbers(self.hint))
        if self.params:
            object.__setattr__(self, "params", tuple((k, mask_id_numbers(v)) for k, v in self.params))

    def location(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} {self.path}" if self.path else where

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.hint:
            text += f"\n\n  hint: {self.hint}"
        return text


def validation_message(error: Mapping[str, Any]) -> str:
    """The words of one pydantic error (an item of ``ValidationError.errors()``): a value
    error's own message, without pydantic's "Value error, " before it.

    >>> validation_message({"type": "value_error", "msg": "Value error, bad", "ctx": {"error": ValueError("bad")}})
    'bad'
    """
    cause = (error.get("ctx") or {}).get("error")
    if error.get("type") == "value_error" and cause is not None:
        return str(cause)
    return str(error.get("msg", ""))


class EngineError(Exception):
    """Root of every error the engine raises on purpose."""

    exit_code = 3


class InputError(EngineError):
    """Something a person wrote or asked for is wrong. The CLI exits with code 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | str, *, code: str | None = None, **params: object) -> None:
        """``problems``, or one message; with a message, ``code`` and ``params`` (the values
        it names) let a face say it in the user's language."""
        if isinstance(problems, str):
            named = tuple((k, str(v)) for k, v in params.items())
            problems = [Problem(file="", line=None, path="", message=problems, code=code, params=named)]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        return "\n".join(_render_problem(p) for p in self.problems)


def _render_problem(problem: Problem) -> str:
    if not problem.file and not problem.path:
        text = problem.message
        return text + (f"\n\n  hint: {problem.hint}" if problem.hint else "")
    return str(problem)


class RuleFileError(InputError):
    """Every problem found while loading a rule file (or a ruleset folder)."""


class ComplexityError(RuleFileError):
    """A criterion or derived condition too large for the inference engine, even with its
    derived parts decided in earlier stages. ``kind`` is ``"criterion"`` or ``"derived"``,
    ``item`` its id; the loader reports it at the condition's file and line."""

    def __init__(self, message: str, kind: str, item: str) -> None:
        self.message, self.kind, self.item = message, kind, item
        super().__init__([Problem(file="", line=None, path="", message=message)])


class ApplicationError(InputError):
    """Every problem found in an application file."""


class InvalidValueError(InputError, ValueError):
    """One value that cannot be what it claims (an amount of money, an identifier):
    ``message`` says what is wrong, ``hint`` how to fix it; ``code`` and ``params`` (the
    values the message names) let a face say it in its own words. The caller that knows the
    file and field reports it there (model validators do, being ``ValueError``-aware)."""

    def __init__(self, message: str, hint: str | None = None, *, code: str | None = None, **params: object) -> None:
        self.message = mask_id_numbers(message)
        self.hint = hint
        self.code = code
        self.params = tuple((k, str(v)) for k, v in params.items())
        problem = Problem(file="", line=None, path="", message=message, hint=hint, code=code, params=self.params)
        super().__init__([problem])

    def __str__(self) -> str:
        return self.message


class StoreError(InputError):
    """The decision store cannot be used as asked."""


class ConflictError(StoreError):
    """A writing transaction lost a race with another writer (a deadlock, a serialisation
    failure) and was rolled back: nothing of it was written, and it may be redone."""


class UsageError(InputError):
    """A command was called in a way that cannot work."""


class IntegrityError(EngineError):
    """The record is not what was written: an altered record or rules archive, a broken
    chain. Never the input's fault, never the engine's: someone changed the store."""

    exit_code = 1


@dataclass
class InternalError(EngineError):
    """A fault of the engine itself. Never caused by input; always a bug to report."""

    message: str
    details: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.message = mask_id_numbers(self.message)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class EngineInconsistencyError(InternalError):
    """The inference engine answered something that cannot be a decision."""
