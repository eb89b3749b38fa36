"""One JSON Lines record as data, held to the limits; numbers never binary floats."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..errors import Problem
from .located import NO_LIMITS, ExponentForm, Formatter, Limits, LoadProblem, Located, Path, format_path

__all__ = ["load_json_line"]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key '{key}'")
        out[key] = value
    return out


class _Oversized:
    """A JSON number with more digits than the limit, kept as its length only."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _json_number(limits: Limits, decimal: bool) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if limits.digits is not None and len(text) > limits.digits:
            digits = sum(ch.isdigit() for ch in text)
            if digits > limits.digits:
                return _Oversized(digits)
        if not decimal:
            return int(text)
        return ExponentForm(text) if "e" in text or "E" in text else Decimal(text)

    return parse


def _check_json(data: Any, file: str, line: int, fmt: Formatter, limits: Limits) -> None:
    """Hold parsed JSON to ``limits`` (JSON has no aliases); raise LoadProblem at the first excess."""
    count = 0
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        count += 1
        if limits.values is not None and count > limits.values:
            raise LoadProblem(Problem(file, line, fmt(path), f"more than {limits.values:,} values in one application"))
        if isinstance(value, (dict, list)):
            if limits.depth is not None and len(path) >= limits.depth:
                raise LoadProblem(Problem(file, line, fmt(path), f"nested deeper than {limits.depth} levels"))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in reversed(list(items)):
                if isinstance(key, str) and limits.text is not None and len(key) > limits.text:
                    raise LoadProblem(Problem(file, line, fmt(path), f"a key of {len(key):,} characters"))
                stack.append((item, path + (key,)))
        elif isinstance(value, str) and limits.text is not None and len(value) > limits.text:
            raise LoadProblem(
                Problem(file, line, fmt(path), f"a text of {len(value):,} characters; at most {limits.text:,} are read")
            )
        elif isinstance(value, _Oversized):
            raise LoadProblem(
                Problem(file, line, fmt(path), f"a number of {value.digits:,} digits; at most {limits.digits} are read")
            )


def load_json_line(
    text: str, file: str, line: int, fmt: Formatter = format_path, limits: Limits = NO_LIMITS
) -> Located:
    """Parse one JSON Lines record; numbers with a fraction become ``Decimal``, and NaN and
    Infinity ``Decimal`` too, so that the field they stand in reports them."""
    try:
        data = json.loads(
            text,
            parse_float=_json_number(limits, decimal=True),
            parse_int=_json_number(limits, decimal=False),
            parse_constant=Decimal,
            object_pairs_hook=_no_duplicates,
        )
    except json.JSONDecodeError as exc:
        raise LoadProblem(Problem(file, line, "", f"malformed JSON at column {exc.colno}: {exc.msg}")) from None
    except RecursionError:
        depth = limits.depth if limits.depth is not None else 100
        raise LoadProblem(Problem(file, line, "", f"nested deeper than {depth} levels")) from None
    except ValueError as exc:
        raise LoadProblem(Problem(file, line, "", f"malformed JSON: {exc}")) from None
    _check_json(data, file, line, fmt, limits)
    return Located(data=data, lines={(): line}, file=file)
