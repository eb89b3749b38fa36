"""JSON as data, held to the limits, numbers never binary floats: one JSON Lines record
(:func:`load_json_line`), or a whole ``.json`` file (:func:`load_json`) — strict JSON, with
the line of every field."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import Problem, quoted
from .located import NO_LIMITS, ExponentForm, Formatter, Limits, LoadProblem, Located, Path, format_path
from .yaml_builder import load_yaml

__all__ = ["load_json", "load_json_line"]


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


class _OutOfRange:
    """A JSON number whose exponent no ``Decimal`` holds (``1e-99999999999999999999``), as written."""

    def __init__(self, text: str) -> None:
        self.text = text


def _json_number(limits: Limits, decimal: bool) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if limits.digits is not None and len(text) > limits.digits:
            digits = sum(ch.isdigit() for ch in text)
            if digits > limits.digits:
                return _Oversized(digits)
        if not decimal:
            return int(text)
        try:
            return ExponentForm(text) if "e" in text or "E" in text else Decimal(text)
        except InvalidOperation:  # an exponent past what a Decimal holds: refused, not a fault
            return _OutOfRange(text)

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
        elif isinstance(value, _OutOfRange):
            raise LoadProblem(
                Problem(
                    file,
                    line,
                    fmt(path),
                    f"the number {quoted(value.text, bare=True)} has an exponent out of range",
                    "write the number out in digits, e.g. 1500000.00",
                    "number_range",
                    (("got", quoted(value.text)),),
                )
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
        at = line + exc.lineno - 1  # a record is one line; a file, many
        raise LoadProblem(
            Problem(
                file,
                at,
                "",
                f"malformed JSON at column {exc.colno}: {exc.msg}",
                code="json_syntax",
                params=(("column", str(exc.colno)),),
            )
        ) from None
    except RecursionError:
        depth = limits.depth if limits.depth is not None else 100
        raise LoadProblem(Problem(file, line, "", f"nested deeper than {depth} levels")) from None
    except ValueError as exc:
        raise LoadProblem(Problem(file, line, "", f"malformed JSON: {exc}")) from None
    _check_json(data, file, line, fmt, limits)
    return Located(data=data, lines={(): line}, file=file)


def load_json(text: str, file: str, fmt: Formatter = format_path, limits: Limits = NO_LIMITS) -> Located:
    """Parse a whole JSON file as strict JSON — no single quotes, trailing commas or YAML
    forms — keeping the line of every field (read through the YAML parser, as JSON is a
    form of YAML); raise :class:`LoadProblem`, in JSON's words where YAML's would mislead.

    JSON that the YAML parser cannot read (a raw C1 character, an escaped lone surrogate)
    is read all the same, every field on the document's first line."""
    try:
        strict = load_json_line(text, file, 1, fmt, limits)
    except LoadProblem as exc:
        try:
            load_yaml(text, file, fmt, as_json=True, limits=limits)
        except LoadProblem as yaml_exc:  # YAML's reading says where, unless it calls the file YAML
            if not yaml_exc.problem.message.startswith("malformed YAML"):
                raise yaml_exc from None
        raise exc from None
    try:
        return load_yaml(text, file, fmt, as_json=True, limits=limits)
    except LoadProblem:
        return strict
