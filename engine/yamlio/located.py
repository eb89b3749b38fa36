"""Parsed data with the line of every value, the limits of a document, and the error of one
that cannot be read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InputError, Problem

__all__ = ["NO_LIMITS", "ExponentForm", "Formatter", "Limits", "LoadProblem", "Located", "Path", "format_path"]

Path = tuple[str | int, ...]


class LoadProblem(InputError):
    """A file that cannot be read as YAML/JSON at all, or holds more than its limits allow."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__([problem])


@dataclass
class Located:
    """Parsed data plus the 1-based line of every mapping key and sequence item."""

    data: Any
    lines: dict[Path, int]
    file: str

    def line_of(self, path: Path) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def format_path(path: Path) -> str:
    """``("claims", 1, "patent", "number")`` -> ``claims[1].patent.number``.

    Sequence indexes are shown as written in the file (0-based) unless the
    caller shifts them; application claims are shown 1-based by the caller.

    >>> format_path(("claims", 0, "patent", "number"))
    'claims[0].patent.number'
    >>> format_path(())
    ''
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


Formatter = Callable[[Path], str]


class ExponentForm(Decimal):
    """A number written with an exponent (``1.5e+6``): a value, but not in the form money
    is written in, so that money can refuse it while other numbers read it as usual."""


@dataclass(frozen=True)
class Limits:
    """How much one document may hold; ``None`` means no limit (rule files, which we write).

    A YAML alias (``*a``) counts as everything its anchor (``&a``) holds, wherever it is
    used, so that a few hundred bytes of aliases cannot stand for millions of values."""

    depth: int | None = None
    values: int | None = None
    text: int | None = None
    digits: int | None = None


NO_LIMITS = Limits()
