"""The one reader of application files, for every command and face.

Two ways in, one way of reading:

* **one application** — ``read_application(path, rulebook)`` for ``check``;
  ``read_upload(data, name, rulebook)`` for bytes that arrived with a file name (a web upload);
* **a batch** — ``iter_sources(paths)`` finds every record (a file, or a JSON Lines line with its
  byte offset) and reads just its key ``(submitted_on, id)``, cheaply, so that a batch can be put
  in order without holding it; ``read_record(entry, rulebook)`` then reads one record whole.
  ``iter_applications(paths, rulebook)`` does both, in file order; ``iter_upload`` the same for
  uploaded bytes.

Whatever reads a record, it gets the same :class:`ApplicationError` for it, listing every problem
as ``file:line field.path: what is wrong`` (claims numbered from 1), at most
:data:`~engine.reading.limits.MAX_PROBLEMS` of them, within the limits of :mod:`.limits`.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ApplicationError, Problem
from ..model import Application
from ..model.values import parse_date
from ..rulebook import Rulebook
from ..yamlio import Limits, LoadProblem, Located, load_json, load_json_line, load_yaml
from .files import (
    MAX_FILE_BYTES,
    LineReader,
    Source,
    closest_beside,
    decode,
    iter_files,
    iter_lines,
    kind_of,
    read_bytes,
    read_line,
    split_lines,
    too_large,
    too_long,
)
from .limits import MAX_DEPTH, MAX_NUMBER_DIGITS, MAX_TEXT_CHARS, MAX_VALUES
from .plain import load_plain, plain_application
from .validate import application_from_data, shown_path

__all__ = [
    "APPLICATION_LIMITS",
    "Entry",
    "Record",
    "Validated",
    "iter_applications",
    "iter_sources",
    "iter_upload",
    "read_application",
    "read_document",
    "read_record",
    "read_upload",
    "read_validated",
    "record_key",
]

APPLICATION_LIMITS = Limits(depth=MAX_DEPTH, values=MAX_VALUES, text=MAX_TEXT_CHARS, digits=MAX_NUMBER_DIGITS)


@dataclass
class Entry:
    """One record found in a batch, before it is read whole.

    ``key`` is ``(submitted_on, id)`` when both could be read (else None: reading the record
    says what is wrong); ``text`` the bytes of a JSON Lines record, kept so that the record
    need not be read from disk again (None for a whole file, or when not kept); ``error``
    why the record cannot be read at all; ``skipped`` why a file in a folder is not read."""

    source: Source
    key: tuple[str, str] | None = None
    text: bytes | None = None
    error: ApplicationError | None = None
    skipped: str | None = None


@dataclass
class Record:
    """One application read in a batch, or why it could not be (or, for a file in a
    folder that is not an application file, why it was skipped)."""

    source: str  # file, or file:line for JSON Lines
    application: Application | None
    error: ApplicationError | None
    data: Any = None
    skipped: str | None = None


def record_key(data: Any) -> tuple[str, str] | None:
    """``(submitted_on, id)`` as the application will be validated, when both look right.

    >>> record_key({"id": " ＰＹ-1 ", "submitted_on": "2024-03-15"})
    ('2024-03-15', 'PY-1')
    >>> record_key({"id": "PY-1"}) is None
    True
    """
    if not isinstance(data, dict):
        return None
    app_id, submitted = data.get("id"), data.get("submitted_on")
    if not isinstance(app_id, str) or len(app_id) > 200:
        return None
    try:
        when = parse_date(submitted)
    except ValueError:
        return None
    return when.isoformat(), unicodedata.normalize("NFKC", app_id).strip()


def _not_an_application(file: str) -> ApplicationError:
    return ApplicationError(
        [
            Problem(
                file,
                None,
                "",
                "not an application file: the name must end in .yaml, .yml, .json or .jsonl",
                "name the file after what it holds: YAML, JSON, or JSON Lines (one application per line)",
            )
        ]
    )


def _misnamed(file: str) -> ApplicationError:
    """A name on disk that is no application file's: a path that does not exist is said to
    be missing (with the closest name beside it), before its name is judged."""
    if os.path.lexists(file):
        return _not_an_application(file)
    return ApplicationError([Problem(file, None, "", "no such file or folder", closest_beside(file))])


def _parse(data: bytes, source: Source, kind: str) -> Located:
    """One record's bytes as data with lines, held to the limits; raise ApplicationError."""
    text = decode(data, source.file, source.line)
    try:
        if source.line is not None:
            return load_json_line(text, source.file, source.line, shown_path, APPLICATION_LIMITS)
        if kind == "json":
            return load_json(text, source.file, shown_path, APPLICATION_LIMITS)
        return load_yaml(text, source.file, shown_path, limits=APPLICATION_LIMITS)
    except LoadProblem as exc:
        raise ApplicationError([exc.problem]) from None


def read_document(entry: Entry | Source, rulebook: Rulebook) -> tuple[Application, Located]:
    """:func:`read_record`, also giving the parsed document (the line of every field)."""
    return _read(entry if isinstance(entry, Entry) else Entry(entry), rulebook)


def _read(entry: Entry, rulebook: Rulebook) -> tuple[Application, Located]:
    if entry.error is not None:
        raise entry.error
    source = entry.source
    kind = kind_of(source.file)
    if kind is None:
        raise _misnamed(source.file) if entry.text is None else _not_an_application(source.file)
    if source.line is not None:
        data = entry.text if entry.text is not None else read_line(source)
        kind = "jsonl"
    else:
        data = entry.text if entry.text is not None else read_bytes(source.file)
    doc = _parse(data, source, kind)
    return application_from_data(doc, rulebook), doc


@dataclass(frozen=True)
class Validated:
    """One application read whole and validated, with its canonical input: compact JSON
    text of the validated application, as the store keeps and hashes it."""

    application: Application
    canonical: str
    id_line: int | None  # the line of its id


def read_validated(entry: Entry | Source, rulebook: Rulebook, lines: LineReader | None = None) -> Validated:
    """:func:`read_record`, with the canonical input; a JSON Lines record is read again
    through ``lines`` (files kept open) when given. A plain record (:mod:`.plain`) is
    validated straight from its bytes, or parsed in one pass; the same ApplicationError is
    raised for the same record either way."""
    entry = entry if isinstance(entry, Entry) else Entry(entry)
    source = entry.source
    if entry.error is None and source.line is not None and kind_of(source.file) is not None:
        data = entry.text
        if data is None:
            data = lines.read(source) if lines is not None else read_line(source)
        app = plain_application(data, rulebook, source.file, source.line)
        if app is not None:
            return Validated(app, app.canonical_json(), source.line)
        plain = load_plain(data, decode(data, source.file, source.line))
        if plain is not None:
            try:
                app = application_from_data(Located(plain, {(): source.line}, source.file), rulebook)
                return Validated(app, app.canonical_json(), source.line)
            except ApplicationError:  # the careful parser may find something to say first
                pass
        entry = Entry(source, entry.key, data)
    app, doc = _read(entry, rulebook)
    return Validated(app, app.canonical_json(), source.line or doc.line_of(("id",)))


def read_record(entry: Entry | Source, rulebook: Rulebook) -> Application:
    """Read one record found by :func:`iter_sources` whole, and validate it.

    Raises :class:`ApplicationError` with every problem: the same for the same record,
    whichever command reads it."""
    return _read(entry if isinstance(entry, Entry) else Entry(entry), rulebook)[0]


def iter_sources(paths: Iterable[str | Path], keep_text: bool = True) -> Iterator[Entry]:
    """Every record under ``paths`` — files, folders, JSON Lines files — in file order, with
    its key; a file in a folder that is not an application file comes as a skipped entry.

    Cheap: a JSON Lines record is parsed only for its key (and kept as bytes when
    ``keep_text``); a whole file is parsed once, for its key, and comes with its error when
    it cannot be read at all."""
    for found in iter_files(list(paths)):
        file = found.file
        if found.skipped is not None:
            yield Entry(Source(file), skipped=found.skipped)
            continue
        if found.error is not None:
            yield Entry(Source(file), error=ApplicationError([Problem(file, None, "", found.error)]))
            continue
        kind = kind_of(file)
        if kind is None:
            yield Entry(Source(file), error=_misnamed(file))
        elif kind == "jsonl":
            yield from _line_entries(file, iter_lines(file), keep_text)
        else:
            source = Source(file)
            try:
                doc = _parse(read_bytes(file), source, kind)
            except ApplicationError as exc:
                yield Entry(source, error=exc)
            except Exception:  # a fault of the engine, not of the file: reading it whole reports it
                yield Entry(source)
            else:
                yield Entry(source, record_key(doc.data))


def _line_entries(file: str, lines: Iterator[tuple[int, int, bytes | None]], keep_text: bool) -> Iterator[Entry]:
    try:
        for number, offset, data in lines:
            if data is None:
                yield Entry(Source(file, number, offset, 0), error=too_long(file, number))
                continue
            try:
                key = record_key(json.loads(data))
            except Exception:  # reading it whole says what is wrong (or reports a fault of the engine)
                key = None
            yield Entry(Source(file, number, offset, len(data)), key, data if keep_text else None)
    except ApplicationError as exc:
        yield Entry(Source(file), error=exc)


def iter_applications(paths: Iterable[str | Path], rulebook: Rulebook) -> Iterator[Record]:
    """Every application under ``paths`` (files, folders, ``.jsonl``), in file order, read
    whole: a record, its problems, or why a file in a folder was skipped."""
    for entry in iter_sources(paths):
        yield _record(entry, rulebook)


def _record(entry: Entry, rulebook: Rulebook) -> Record:
    where = str(entry.source)
    if entry.skipped is not None:
        return Record(where, None, None, skipped=entry.skipped)
    try:
        application, doc = _read(entry, rulebook)
    except ApplicationError as exc:
        return Record(where, None, exc)
    return Record(where, application, None, doc.data)


def _only(entries: Iterator[Entry], file: str) -> Entry:
    """The one record of a file that must hold one."""
    first = next(entries, None)
    if first is not None and next(entries, None) is None:
        return first
    message = "holds no application" if first is None else "holds more than one application; this reads one"
    code = "no_application" if first is None else "many_applications"  # the web says it without the command
    raise ApplicationError([Problem(file, None, "", message, "screen a batch: `subsidy screen FILE --db DB`", code)])


def read_application(path: str | Path, rulebook: Rulebook) -> Application:
    """The one application in a YAML, JSON or one-line JSON Lines file.

    Raises :class:`ApplicationError` with every problem found."""
    file = str(path)
    if Path(file).is_dir():
        raise ApplicationError([Problem(file, None, "", "is a folder, not an application file")])
    if kind_of(file) != "jsonl":
        return read_record(Source(file), rulebook)
    return read_record(_only(iter_sources([file]), file), rulebook)


def _upload_entries(data: bytes, name: str) -> Iterator[Entry]:
    kind = kind_of(name)
    if kind is None:
        yield Entry(Source(name), error=_not_an_application(name))
    elif kind == "jsonl":
        yield from _line_entries(name, split_lines(data), keep_text=True)
    elif len(data) > MAX_FILE_BYTES:
        yield Entry(Source(name), error=too_large(name))
    else:
        yield Entry(Source(name), text=data)


def read_upload(data: bytes, name: str, rulebook: Rulebook) -> Application:
    """The one application in ``data``: bytes that arrived with the file name ``name``,
    whose suffix says how to read them. Raises :class:`ApplicationError`."""
    return read_record(_only(_upload_entries(data, name), name), rulebook)


def iter_upload(data: bytes, name: str, rulebook: Rulebook) -> Iterator[Record]:
    """Every application in uploaded bytes named ``name``: one, or one per JSON Lines line."""
    for entry in _upload_entries(data, name):
        yield _record(entry, rulebook)
