"""YAML (and JSON files, for their lines) read from the parser's events into plain data.

Nothing is expanded or recursed over before the limits have been checked; an alias shares
the value it names and counts as all of it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from ..errors import Problem
from .located import NO_LIMITS, ExponentForm, Formatter, Limits, LoadProblem, Located, Path, format_path
from .syntax import syntax_problem

__all__ = ["load_yaml"]

try:  # the C parser is several times faster; fall back to the pure-Python one
    _Base: Any = yaml.CSafeLoader
    _C_PARSER = True
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader
    _C_PARSER = False


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


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


# Resolve timestamps as plain strings: the models parse and validate dates.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}


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
        if limits.digits is not None and tag in _NUMBER_TAGS and style not in _QUOTED:  # a number, however long
            digits = sum(ch.isdigit() for ch in value)
            if digits > limits.digits:
                raise self.refuse(line, path, f"a number of {digits:,} digits; at most {limits.digits} are read")
        if limits.text is not None and len(value) > limits.text:
            raise self.refuse(line, path, f"a text of {len(value):,} characters; at most {limits.text:,} are read")
        return _scalar(tag, value, style)


_QUOTED = ("'", '"', "|", ">")


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
        raise LoadProblem(syntax_problem(text, file, exc, fmt, as_json, limits, _Loader)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML cannot hold, found before parsing: say where
        if _C_PARSER:  # libyaml counts bytes
            line = text.encode("utf-8", "surrogatepass")[: exc.position].count(b"\n") + 1
        else:
            line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise LoadProblem(
            Problem(
                file,
                line,
                "",
                f"the control character U+{code:04X} cannot stand in a {'JSON' if as_json else 'YAML'} file",
                "remove it: the file holds text, and text holds no control characters",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise LoadProblem(
            Problem(file, None, "", f"malformed YAML: {exc}", code="yaml_syntax", params=(("what", str(exc)),))
        ) from None
    finally:
        loader.dispose()
    if not found:
        raise LoadProblem(Problem(file, 1, "", "the file is empty", code="file_empty"))
    return Located(data=data, lines=builder.lines, file=file)
