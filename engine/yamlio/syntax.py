"""Where a malformed YAML or JSON file goes wrong: the line, the field being read, in words."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from ..errors import Problem
from .located import Formatter, Limits, Path

__all__ = ["syntax_problem"]


def _path_at_error(text: str, loader: Any) -> tuple[Path, dict[int, Path]]:
    """Replay the parser's events up to a syntax error: the path being read when it
    failed, and the path of every value by the line it starts on."""
    stack: list[list[Any]] = []  # frames: ["map", key or None, expecting_value] / ["seq", index]
    starts: dict[int, Path] = {}

    def here() -> Path:
        path: list[str | int] = []
        for frame in stack:
            if frame[0] == "map":
                if frame[2] and frame[1] is not None:
                    path.append(frame[1])
            else:
                path.append(frame[1])
        return tuple(path)

    def node_done() -> None:
        if stack:
            frame = stack[-1]
            if frame[0] == "map":
                frame[2] = False
            else:
                frame[1] += 1

    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.ScalarEvent):
                if stack and stack[-1][0] == "map" and not stack[-1][2]:
                    stack[-1][1], stack[-1][2] = event.value, True
                    continue
                if event.start_mark is not None:
                    starts.setdefault(event.start_mark.line + 1, here())
                node_done()
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.start_mark is not None:
                    starts.setdefault(event.start_mark.line + 1, here())
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                stack.append(["map", None, False] if kind == "map" else ["seq", 0])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                node_done()
    except yaml.YAMLError:
        pass
    return here(), starts


def _unclosed_quote(text: str, before: int) -> int | None:
    """The first line (before the error) that opens a quoted value it does not close."""
    for number, line in enumerate(text.splitlines()[:before], start=1):
        doubles = len(re.findall(r'(?<!\\)"', line))
        if doubles % 2 == 1:
            return number
        single = re.search(r"(?:^|[:\-\[{,])\s*'(.*)$", line)
        if single and single.group(1).replace("''", "").count("'") % 2 == 0:
            return number
    return None


def syntax_problem(
    text: str, file: str, exc: yaml.MarkedYAMLError, fmt: Formatter, as_json: bool, limits: Limits, loader: Any
) -> Problem:
    """The problem of a document the parser (``loader``, a loader class) could not read."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    path, starts = _path_at_error(text, loader)
    if "nesting depth" in (exc.problem or ""):  # the parser's own limit, far past ours
        depth = limits.depth if limits.depth is not None else len(path)
        return Problem(file, line, fmt(path[: depth + 1]), f"nested deeper than {depth} levels")
    if as_json:
        try:
            json.loads(text)
        except RecursionError:
            pass
        except json.JSONDecodeError as jexc:
            where = starts.get(jexc.lineno)
            return Problem(
                file,
                jexc.lineno,
                fmt(where if where is not None else path),
                f"malformed JSON: {jexc.msg} at column {jexc.colno}",
                "look for a missing comma, quote or bracket on this line or the one before it",
                code="json_syntax",
                params=(("column", str(jexc.colno)),),
            )
        except ValueError:
            pass
    quote = _unclosed_quote(text, line or 0)
    if quote is not None and line is not None and quote < line:
        where = starts.get(quote, path)
        return Problem(
            file,
            quote,
            fmt(where),
            "malformed YAML: a quote opened on this line is never closed",
            'close the quote on the same line, e.g. transaction_amount: "1200000.00"',
            code="yaml_quote",
        )
    what = exc.problem or "not valid YAML"
    if exc.context:
        what = f"{exc.context}, {what}"
    hint = "check indentation and brackets on this line and the one before it"
    if "escape" in what:  # "\ud800": half of a surrogate pair, or an escape YAML has not
        hint = (
            "write the character itself, or an escape YAML knows: one beyond U+FFFF as \\U0001F600, "
            "never as two \\u halves"
        )
    return Problem(file, line, fmt(path), f"malformed YAML: {what}", hint, "yaml_syntax", (("what", what),))
