"""A loaded ruleset kept as data, by the content of its files: a cold start skips the full load.

``load_ruleset_cached(folder)`` reads the folder's files and hashes them into the ruleset's
version (:func:`~engine.rulebook.version.ruleset_version`, as the full load does). When the
cache holds a ruleset built from files of exactly that hash, by the same engine code, it is
read back from JSON — no YAML, no rule-file validation, no checks —; otherwise the folder is
loaded in full (:func:`~engine.rulebook.loader.load_ruleset_files`) and the result written to
the cache for the next start.

The cached form is JSON of a closed vocabulary (:mod:`engine.rulebook.cache_codec`): the
ruleset's dataclasses and the rule-file schema's models by name, dates, decimals, tuples.
Nothing in it is executed, no pickle. A cache entry is trusted only when its header names the
version the files hash to now and the engine code that wrote it, and its body hashes to the
SHA-256 its header records; anything else (absent, damaged, another version, another engine,
unreadable) is a miss and the full load runs. A ruleset is written only when its encoded form
reads back equal to it.

Where: ``$SUBSIDY_CACHE_DIR``, else the user's cache folder (``~/.cache/subsidy-engine`` on
Linux, by :mod:`platformdirs`); ``SUBSIDY_CACHE_DIR=off`` turns it off. Never inside
``rules/``. A folder that cannot be created or written leaves every start a full load, and
nothing fails. At most :data:`MAX_ENTRIES` entries are kept, the least recently written
removed first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from .cache_codec import decode_ruleset, encode_ruleset, same_ruleset
from .ruleset import Ruleset
from .version import ruleset_version

__all__ = ["CACHE_ENV", "MAX_ENTRIES", "cache_dir", "code_digest", "load_ruleset_cached", "read_folder"]

CACHE_ENV = "SUBSIDY_CACHE_DIR"
MAX_ENTRIES = 32
"""Cache entries kept (each some 100 KB): enough for every ruleset and what-if of a machine."""

FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent
# the code whose change may change a loaded ruleset: a cache written by other code is a miss
_CODE = ("__init__.py", "rulebook", "model", "yamlio", "money.py", "errors.py", "privacy.py")
_code_digest: str | None = None


def cache_dir() -> Path | None:
    """``$SUBSIDY_CACHE_DIR``, else the user's cache folder; None when set to ``off``."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return None if chosen == "off" else Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("subsidy-engine", appauthor=False))


def code_digest() -> str | None:
    """SHA-256 of the engine's source that builds a ruleset, its release number included
    (worked out once a process); None where that source cannot be read (an engine installed
    without its ``.py`` files): no cache then."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256(str(FORMAT).encode())
        sources = [
            source
            for name in _CODE
            for source in (sorted((_PACKAGE / name).glob("*.py")) if (_PACKAGE / name).is_dir() else [_PACKAGE / name])
        ]
        try:
            for source in sources:
                digest.update(source.name.encode() + b"\0" + source.read_bytes())
        except OSError:
            return None
        _code_digest = digest.hexdigest()
    return _code_digest


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file of a ruleset folder by name (not hidden ones), as the full load reads them."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def load_ruleset_cached(folder: str | Path) -> Ruleset:
    """The ruleset of ``folder``, from the cache when its files are those it was built from.
    Raises :class:`~engine.errors.RuleFileError` as the full load does."""
    folder = Path(folder)
    if not folder.is_dir():
        from .loader import load_ruleset

        return load_ruleset(folder)  # says what is wrong
    files = read_folder(folder)
    version = ruleset_version(files)
    where, code = cache_dir(), code_digest()
    entry = where / f"{version.removeprefix('sha256:')[:40]}-{code[:16]}.json" if where and code else None
    ruleset = _read(entry, version, files) if entry else None
    if ruleset is None:
        from .loader import load_ruleset_files

        ruleset = load_ruleset_files(files, label=str(folder))
        if entry is not None:
            _write(entry, ruleset)
    ruleset.folder = folder
    return ruleset


def _read(entry: Path, version: str, files: dict[str, bytes]) -> Ruleset | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    try:
        header = json.loads(head)
        if header != _header(version, body):
            return None
        return decode_ruleset(body, files)
    except Exception:  # noqa: BLE001 - a damaged entry of any shape is a miss, never an error
        return None


def _header(version: str, body: bytes) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": version,
        "code": code_digest(),
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def _write(entry: Path, ruleset: Ruleset) -> None:
    """Keep ``ruleset`` in the cache, if it reads back equal and the folder can be written."""
    try:
        body = encode_ruleset(ruleset)
        if not same_ruleset(decode_ruleset(body, ruleset.files), ruleset):
            return
    except Exception:  # noqa: BLE001 - a value the vocabulary does not hold: not cached, never an error
        return
    data = json.dumps(_header(ruleset.version, body)).encode() + b"\n" + body
    partial = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, entry)  # whole or not at all: a reader never sees half an entry
        _evict(entry.parent)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _evict(where: Path) -> None:
    entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)
