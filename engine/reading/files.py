"""Where applications are on disk: files, folders, JSON Lines, and their bytes as text.

A folder is walked in name order; every file whose name ends in ``.yaml``, ``.yml``,
``.json`` or ``.jsonl`` (in any letter case) is read, and everything else — other files,
hidden files and folders, links to folders (never followed) — is reported as skipped, never
silently ignored. Only regular files are opened: a named pipe, a socket or a device is
refused unread, as one bad record. Bytes become
text only as UTF-8 (a byte-order mark is dropped); sizes are held to :mod:`.limits`.
"""

from __future__ import annotations

import difflib
import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import ApplicationError, Problem
from .limits import MAX_FILE_BYTES, MAX_RECORD_BYTES

__all__ = [
    "APPLICATION_SUFFIXES",
    "Found",
    "LineReader",
    "Source",
    "decode",
    "iter_files",
    "iter_lines",
    "kind_of",
    "open_regular",
    "read_bytes",
    "read_line",
    "split_lines",
    "too_large",
    "too_long",
]

APPLICATION_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
_SUFFIX_HINT = "application files are named *.yaml, *.yml, *.json (one application) or *.jsonl (one per line)"
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Source:
    """Where one application is: a whole file, or one line of a JSON Lines file.

    ``offset`` and ``size`` locate a JSON Lines record in bytes (without its line end),
    so that it can be read again without reading the lines before it."""

    file: str
    line: int | None = None
    offset: int = 0
    size: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


def kind_of(name: str) -> str | None:
    """``yaml``, ``json`` or ``jsonl`` by the file name's suffix, in any letter case; else None.

    >>> kind_of("a.YML"), kind_of("batch.JsonL"), kind_of("notes.txt")
    ('yaml', 'jsonl', None)
    """
    suffix = os.path.splitext(name)[1].lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".json", ".jsonl"):
        return suffix[1:]
    return None


@dataclass(frozen=True)
class Found:
    """A file named or found in a folder: to read, skipped (and why), or unreadable (and why)."""

    file: str
    skipped: str | None = None
    error: str | None = None


def iter_files(paths: list[str | Path]) -> Iterator[Found]:
    """Every file under ``paths``, in order: application files to read; other files, hidden
    files and hidden folders inside a folder as skipped; a folder that cannot be read as an
    error. A path named outright is always to be read (reading it says what is wrong with it)."""
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield Found(str(path))
            continue
        errors: list[OSError] = []
        for folder, dirs, files in os.walk(path, onerror=errors.append):
            yield from _unreadable(errors)
            dirs.sort()
            for name in list(dirs):
                full = os.path.join(folder, name)
                if name.startswith("."):
                    dirs.remove(name)
                    yield Found(full, skipped="a hidden folder, not read")
                elif os.path.islink(full):  # never followed: it may lead back up, or out of the folder
                    dirs.remove(name)
                    yield Found(full, skipped="a link to a folder, not followed (name the folder itself to read it)")
            for name in sorted(files):
                full = os.path.join(folder, name)
                if name.startswith("."):
                    yield Found(full, skipped="a hidden file, not read")
                elif kind_of(name) is None:
                    yield Found(
                        full, skipped="not an application file (only .yaml, .yml, .json and .jsonl files are read)"
                    )
                else:
                    yield Found(full)
        yield from _unreadable(errors)


def _unreadable(errors: list[OSError]) -> Iterator[Found]:
    while errors:
        error = errors.pop(0)
        yield Found(str(error.filename), error=f"a folder that cannot be read: {error.strerror or error}")


def closest_beside(file: str) -> str | None:
    """A hint naming the entry beside a missing ``file`` whose name is closest to its own
    ("did you mean 'applications/a.yaml'?"), or None."""
    folder, name = os.path.split(file)
    try:
        beside = os.listdir(folder or ".")
    except OSError:
        beside = []
    close = difflib.get_close_matches(name, beside, n=1, cutoff=0.75) if name else []
    return f"did you mean '{os.path.join(folder, close[0])}'?" if close else None


def _refused(
    file: str, message: str, hint: str | None = None, line: int | None = None, code: str | None = None, **params: str
) -> ApplicationError:
    return ApplicationError([Problem(file, line, "", message, hint, code, tuple(params.items()))])


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _kind_of_special(mode: int) -> str:
    return next((name for test, name in _NOT_REGULAR if test(mode)), "not a file")


def open_regular(file: str) -> BinaryIO:
    """``file`` opened for reading in binary, only when it is a regular file (a link to one
    counts): a folder, a named pipe, a socket or a device is refused without reading it — a
    pipe would wait for a writer for ever. Raise ApplicationError (its ``OSError`` in words)."""
    try:
        mode = os.stat(file).st_mode
        if stat.S_ISDIR(mode):
            raise _refused(file, "is a folder, not an application file")
        if not stat.S_ISREG(mode):
            raise _not_regular(file, mode)
        # never blocks, even if the file became a pipe since it was looked at
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        if os.path.islink(file):
            raise _refused(file, "a link to a file that does not exist", "name the application file itself") from None
        raise _refused(file, "no such file", closest_beside(file)) from None
    except PermissionError:
        raise _refused(file, "cannot be read: permission denied") from None
    except OSError as exc:
        raise _refused(file, f"cannot be read: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _not_regular(file, mode)
    return os.fdopen(fd, "rb")


def _not_regular(file: str, mode: int) -> ApplicationError:
    return _refused(
        file,
        f"not a regular file ({_kind_of_special(mode)}), not read",
        "an application is a file saved on disk: copy it into a file and name that",
    )


def read_bytes(file: str) -> bytes:
    """A whole application file's bytes, at most :data:`MAX_FILE_BYTES`; raise ApplicationError
    (also for anything that is not a regular file: :func:`open_regular`)."""
    try:
        with open_regular(file) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _refused(file, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise too_large(file)
    return data


def iter_lines(file: str) -> Iterator[tuple[int, int, bytes | None]]:
    """(line number, byte offset, the line's bytes without its end) for every non-blank line
    of a JSON Lines file; the bytes are None for a line longer than :data:`MAX_RECORD_BYTES`
    (skipped without holding it). Raise ApplicationError when the file cannot be opened."""
    handle = open_regular(file)  # closed below, also when the caller stops early
    with handle:
        yield from _lines(handle)


def split_lines(data: bytes) -> Iterator[tuple[int, int, bytes | None]]:
    """:func:`iter_lines` over bytes already in memory (an upload)."""
    return _lines(io.BytesIO(data))


def _lines(handle: BinaryIO) -> Iterator[tuple[int, int, bytes | None]]:
    offset = number = 0
    while True:
        chunk = handle.readline(MAX_RECORD_BYTES + 3)
        if not chunk:
            return
        number += 1
        at = offset
        offset += len(chunk)
        text = chunk.rstrip(b"\r\n")
        if len(text) > MAX_RECORD_BYTES:
            while chunk and not chunk.endswith(b"\n"):  # the rest of the line, in pieces
                chunk = handle.readline(MAX_RECORD_BYTES)
                offset += len(chunk)
            yield number, at, None
            continue
        if number == 1 and text.startswith(_BOM):
            text, at = text[len(_BOM) :], at + len(_BOM)
        if text.strip():
            yield number, at, text


def too_long(file: str, line: int) -> ApplicationError:
    """The error for a JSON Lines line over :data:`MAX_RECORD_BYTES`."""
    return _refused(
        file, f"a line longer than {MAX_RECORD_BYTES:,} bytes, the most one application may hold", line=line
    )


def too_large(file: str) -> ApplicationError:
    """The error for a file over :data:`MAX_FILE_BYTES`."""
    return _refused(
        file,
        f"larger than {MAX_FILE_BYTES:,} bytes, the most one application file may hold",
        "put a batch in a .jsonl file, one application per line",
    )


def read_line(source: Source) -> bytes:
    """The bytes of one JSON Lines record, read again by its offset."""
    assert source.size is not None
    try:
        with open_regular(source.file) as handle:
            handle.seek(source.offset)
            return handle.read(source.size)
    except OSError as exc:
        raise _refused(source.file, f"cannot be read: {exc.strerror or exc}", line=source.line) from None


class LineReader:
    """JSON Lines records read again by their offsets, each file opened once (a context
    manager: the files are closed on leaving)."""

    def __init__(self) -> None:
        self.handles: dict[str, BinaryIO] = {}

    def __enter__(self) -> LineReader:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self.handles.values():
            handle.close()
        self.handles.clear()

    def read(self, source: Source) -> bytes:
        """:func:`read_line`, on a file kept open."""
        assert source.size is not None
        try:
            handle = self.handles.get(source.file)
            if handle is None:
                handle = self.handles[source.file] = open_regular(source.file)
            handle.seek(source.offset)
            return handle.read(source.size)
        except OSError as exc:
            raise _refused(source.file, f"cannot be read: {exc.strerror or exc}", line=source.line) from None


def decode(data: bytes, file: str, line: int | None = None) -> str:
    """UTF-8 bytes as text (a byte-order mark dropped); raise ApplicationError otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refused(file, "UTF-16 text, not UTF-8", "save the file as UTF-8", line, "utf16")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refused(
            file,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start + 1:,})",
            "save the file as UTF-8; files saved as GBK or GB18030 must be converted",
            line,
            "not_utf8",
            byte=f"{data[exc.start]:02x}",
            position=f"{exc.start + 1:,}",
        ) from None
