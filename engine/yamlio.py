"""Safe YAML and JSON reading that keeps line numbers and never makes a float.

Rule files and application files are data. They are read with PyYAML's safe
composer only (no Python tags), duplicate keys are rejected, every node's line
is kept so that problems can be reported as ``file:line path``, and:

* timestamps are *not* resolved: ``2024-02-30`` stays the text ``"2024-02-30"``
  so that the model, not the parser, reports an impossible date;
* a YAML float such as ``1500000.00`` becomes ``Decimal("1500000.00")`` built
  from the text as written, so no binary float ever holds money.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from .errors import Problem

__all__ = ["Located", "format_path", "load_json_line", "load_yaml", "LoadProblem"]

try:  # the C parser is several times faster; fall back to the pure-Python one
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

Path = tuple[str | int, ...]


class LoadProblem(Exception):
    """A file that cannot be read as YAML/JSON at all."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


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


_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style in ("'", '"', "|", ">"):
        return value
    tag = node.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() in ("true", "yes", "on", "y")
    if tag == "tag:yaml.org,2002:int":
        text = value.replace("_", "")
        if _INT.match(text):
            return int(text)
        return value  # octal/hex/sexagesimal forms are not numbers in our files
    if tag == "tag:yaml.org,2002:float":
        text = value.replace("_", "")
        if _FLOAT.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - regex guards this
                return value
        return value  # .inf / .nan: kept as text, rejected by the models
    return value  # str, and timestamps kept as text


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


# Resolve timestamps as plain strings: the models parse and validate dates.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}


Formatter = Callable[[Path], str]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int], file: str, fmt: Formatter) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS:
        raise LoadProblem(
            Problem(
                file,
                node.start_mark.line + 1,
                fmt(path),
                f"YAML tag {node.tag} is not allowed in data files",
                "data files hold plain values, lists and mappings only",
            )
        )
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        out_list = []
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            out_list.append(_walk(item, path + (index,), lines, file, fmt))
        return out_list
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise LoadProblem(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        fmt(path),
                        "only plain keys are allowed (no complex keys or merges)",
                    )
                )
            key = str(_scalar(key_node)) if key_node.value != "" else ""
            if key_node.tag == "tag:yaml.org,2002:bool":
                key = key_node.value  # `on:`/`yes:` stay words, not booleans
            if key in out:
                raise LoadProblem(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        fmt(path + (key,)),
                        f"duplicate key '{key}' (first given on line {lines[path + (key,)]})",
                        "each key may appear once; remove or merge the repeated entry",
                    )
                )
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _walk(value_node, path + (key,), lines, file, fmt)
        return out
    raise LoadProblem(Problem(file, None, fmt(path), "unsupported YAML node"))


def _path_at_error(text: str) -> tuple[Path, dict[int, Path]]:
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
        for event in yaml.parse(text, Loader=_Loader):
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


def _syntax_problem(text: str, file: str, exc: yaml.MarkedYAMLError, fmt: Formatter, as_json: bool) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    path, starts = _path_at_error(text)
    if as_json:
        try:
            json.loads(text)
        except json.JSONDecodeError as jexc:
            where = starts.get(jexc.lineno)
            return Problem(
                file,
                jexc.lineno,
                fmt(where if where is not None else path),
                f"malformed JSON: {jexc.msg} at column {jexc.colno}",
                "look for a missing comma, quote or bracket on this line or the one before it",
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
        )
    what = exc.problem or "not valid YAML"
    if exc.context:
        what = f"{exc.context}, {what}"
    return Problem(
        file,
        line,
        fmt(path),
        f"malformed YAML: {what}",
        "check indentation and brackets on this line and the one before it",
    )


def load_yaml(text: str, file: str, fmt: Formatter = format_path, as_json: bool = False) -> Located:
    """Parse one YAML (or JSON) document, keeping lines; raise :class:`LoadProblem`.

    ``fmt`` shows a path as the reader of the file counts (applications number
    claims from 1)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise LoadProblem(_syntax_problem(text, file, exc, fmt, as_json)) from None
    except yaml.YAMLError as exc:
        raise LoadProblem(Problem(file, None, "", f"malformed YAML: {exc}")) from None
    finally:
        loader.dispose()
    if node is None:
        raise LoadProblem(Problem(file, 1, "", "the file is empty"))
    lines: dict[Path, int] = {}
    data = _walk(node, (), lines, file, fmt)
    return Located(data=data, lines=lines, file=file)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key '{key}'")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def load_json_line(text: str, file: str, line: int) -> Located:
    """Parse one JSON Lines record; numbers with a fraction become ``Decimal``."""
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_no_constant,
            object_pairs_hook=_no_duplicates,
        )
    except json.JSONDecodeError as exc:
        raise LoadProblem(Problem(file, line, "", f"malformed JSON at column {exc.colno}: {exc.msg}")) from None
    except ValueError as exc:
        raise LoadProblem(Problem(file, line, "", f"malformed JSON: {exc}")) from None
    return Located(data=data, lines={(): line}, file=file)
