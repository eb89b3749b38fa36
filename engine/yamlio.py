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

from .errors import InputError, Problem

__all__ = [
    "NO_LIMITS",
    "ExponentForm",
    "Limits",
    "LoadProblem",
    "Located",
    "format_path",
    "load_json_line",
    "load_yaml",
]

try:  # the C parser is several times faster; fall back to the pure-Python one
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

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


_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")


def _scalar(tag: str, value: str, style: str | None) -> Any:
    if style in ("'", '"', "|", ">"):
        return value
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
                return (ExponentForm if "e" in text.lower() else Decimal)(text)
            except InvalidOperation:  # pragma: no cover - regex guards this
                return value
        return value  # .inf / .nan: kept as text, rejected by the models
    return value  # str, and timestamps kept as text


class ExponentForm(Decimal):
    """A number written with an exponent (``1.5e+6``): a value, but not in the form money
    is written in, so that money can refuse it while other numbers read it as usual."""


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
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


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


class _Builder:
    """Plain data from the parser's events, with the line of every value, within limits.

    Built from events rather than from a composed node tree so that nothing is expanded or
    recursed over before the limits have been checked. An alias shares the anchored value
    (it is never copied), and is counted as large and as deep as that value."""

    def __init__(self, file: str, fmt: Formatter, limits: Limits) -> None:
        self.file, self.fmt, self.limits = file, fmt, limits
        self.lines: dict[Path, int] = {}
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # anchor -> (value, values in it, nesting)
        self.count = 0
        # open collections: [container, path, key awaiting its value (mappings) or None, anchor,
        #                    count when opened, deepest nesting inside so far]
        self.stack: list[list[Any]] = []
        self.root: Any = None

    def refuse(self, line: int, path: Path, message: str, hint: str | None = None) -> LoadProblem:
        return LoadProblem(Problem(self.file, line, self.fmt(path), message, hint))

    def build(self, loader: Any) -> tuple[bool, Any]:
        """(whether the stream held a document, its data). Raises LoadProblem, YAMLError."""
        loader.get_event()  # stream start
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            return False, None
        document = loader.get_event()
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.DocumentEndEvent):
                break
            self.event(event, loader)
        if not isinstance(loader.peek_event(), yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                document.start_mark,
                "but found another document",
                loader.get_event().start_mark,
            )
        return True, self.root

    def event(self, event: Any, loader: Any) -> None:
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            done, _, _, anchor, opened, inside = self.stack.pop()
            self.nested(inside + 1)
            if anchor is not None:  # known once whole: an alias inside its own anchor is undefined
                self.anchors[anchor] = (done, self.count - opened + 1, inside + 1)
            return
        line = event.start_mark.line + 1
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top[0], dict) and top[2] is None:
            self.key(event, line, top, loader)
            return
        if top is None:
            path: Path = ()
        elif isinstance(top[0], dict):
            path = top[1] + (top[2],)
        else:
            path = top[1] + (len(top[0]),)
            self.lines[path] = line
        self.lines.setdefault(path, line)
        if isinstance(event, yaml.AliasEvent):
            if any(frame[3] == event.anchor for frame in self.stack):
                raise self.refuse(
                    line,
                    path,
                    f"the alias *{event.anchor} stands inside the value it names (&{event.anchor}): "
                    "a value cannot contain itself",
                )
            if event.anchor not in self.anchors:
                mark: Any = event.start_mark
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", mark)
            value, size, depth = self.anchors[event.anchor]
            self.counted(size, line, path)
            if self.limits.depth is not None and len(self.stack) + depth > self.limits.depth:
                raise self.refuse(line, path, f"nested deeper than {self.limits.depth} levels (through an alias)")
            self.nested(depth)
            self.attach(top, value)
            return
        self.counted(1, line, path)
        tag = event.tag
        if isinstance(event, yaml.ScalarEvent):
            if tag is None or tag == "!":
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            self.plain(tag, line, path)
            value = self.scalar(tag, event.value, event.style, line, path)
            self.attach(top, value)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1, 0)
            return
        kind = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) else yaml.SequenceNode
        if tag is None or tag == "!":
            tag = loader.resolve(kind, None, event.implicit)
        self.plain(tag, line, path)
        if self.limits.depth is not None and len(self.stack) >= self.limits.depth:
            raise self.refuse(line, path, f"nested deeper than {self.limits.depth} levels")
        container: Any = {} if kind is yaml.MappingNode else []
        self.attach(top, container)
        self.stack.append([container, path, None, event.anchor, self.count, 0])

    def counted(self, values: int, line: int, path: Path) -> None:
        self.count += values
        if self.limits.values is not None and self.count > self.limits.values:
            raise self.refuse(
                line,
                path,
                f"more than {self.limits.values:,} values in one application (an alias counts as all it repeats)",
            )

    def nested(self, depth: int) -> None:
        """Note that the open collection holds something nested ``depth`` deep."""
        if self.stack and depth > self.stack[-1][5]:
            self.stack[-1][5] = depth

    def key(self, event: Any, line: int, top: list[Any], loader: Any) -> None:
        container, path = top[0], top[1]
        if not isinstance(event, yaml.ScalarEvent):
            raise self.refuse(line, path, "only plain keys are allowed (no complex keys or merges)")
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:merge":
            raise self.refuse(line, path, "only plain keys are allowed (no complex keys or merges)")
        self.plain(tag, line, path)
        if self.limits.text is not None and len(event.value) > self.limits.text:
            raise self.refuse(line, path, f"a key of {len(event.value):,} characters")
        key = str(self.scalar(tag, event.value, event.style, line, path)) if event.value != "" else ""
        if tag == "tag:yaml.org,2002:bool":
            key = event.value  # `on:`/`yes:` stay words, not booleans
        if key in container:
            raise self.refuse(
                line,
                path + (key,),
                f"duplicate key '{key}' (first given on line {self.lines[path + (key,)]})",
                "each key may appear once; remove or merge the repeated entry",
            )
        self.lines[path + (key,)] = line
        top[2] = key

    def attach(self, top: list[Any] | None, value: Any) -> None:
        if top is None:
            self.root = value
        elif isinstance(top[0], dict):
            top[0][top[2]] = value
            top[2] = None
        else:
            top[0].append(value)

    def plain(self, tag: str, line: int, path: Path) -> None:
        if tag not in _PLAIN_TAGS:
            raise self.refuse(
                line,
                path,
                f"YAML tag {tag} is not allowed in data files",
                "data files hold plain values, lists and mappings only",
            )

    def scalar(self, tag: str, value: str, style: str | None, line: int, path: Path) -> Any:
        limits = self.limits
        if limits.text is not None and len(value) > limits.text:
            raise self.refuse(line, path, f"a text of {len(value):,} characters; at most {limits.text:,} are read")
        if limits.digits is not None and tag in _NUMBER_TAGS and style not in _QUOTED:
            digits = sum(ch.isdigit() for ch in value)
            if digits > limits.digits:
                raise self.refuse(line, path, f"a number of {digits:,} digits; at most {limits.digits} are read")
        return _scalar(tag, value, style)


_QUOTED = ("'", '"', "|", ">")


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


def _syntax_problem(
    text: str, file: str, exc: yaml.MarkedYAMLError, fmt: Formatter, as_json: bool, limits: Limits
) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    path, starts = _path_at_error(text)
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


def load_yaml(
    text: str, file: str, fmt: Formatter = format_path, as_json: bool = False, limits: Limits = NO_LIMITS
) -> Located:
    """Parse one YAML (or JSON) document, keeping lines; raise :class:`LoadProblem`.

    ``fmt`` shows a path as the reader of the file counts (applications number
    claims from 1); ``limits`` bound what the document may hold."""
    loader = _Loader(text)
    builder = _Builder(file, fmt, limits)
    try:
        found, data = builder.build(loader)
    except yaml.MarkedYAMLError as exc:
        raise LoadProblem(_syntax_problem(text, file, exc, fmt, as_json, limits)) from None
    except yaml.YAMLError as exc:
        raise LoadProblem(Problem(file, None, "", f"malformed YAML: {exc}")) from None
    finally:
        loader.dispose()
    if not found:
        raise LoadProblem(Problem(file, 1, "", "the file is empty"))
    return Located(data=data, lines=builder.lines, file=file)


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
