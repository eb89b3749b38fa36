"""A loaded ruleset kept as data, by the content of its files: a cold start skips the full load.

``load_ruleset_cached(folder)`` reads the folder's files and hashes them into the ruleset's
version (:func:`~engine.rulebook.version.ruleset_version`, as the full load does). When the
cache holds a ruleset built from files of exactly that hash, by the same engine code on the
same Python and libraries, it is read back from JSON — no YAML, no rule-file validation, no
checks —; otherwise the folder is loaded in full
(:func:`~engine.rulebook.loader.load_ruleset_files`) and the result written to the cache for
the next start.

The cached form is JSON of a closed vocabulary (:mod:`engine.rulebook.cache_codec`): the
ruleset's dataclasses and the rule-file schema's models by name, dates, decimals, tuples.
Nothing in it is executed, no pickle. An entry's header names the version the files hash to,
the key of the code that wrote it (:func:`code_digest`) and the SHA-256 of its body; anything
else (absent, damaged, another version, another engine, unreadable) is a miss and the full load
runs. A ruleset is written only when its encoded form reads back equal to it.

Trust: the header's SHA-256 is a checksum, not an authenticator. The folder is trusted as the
installed engine is (:mod:`engine.rulebook.cache_folder` refuses one another user could
write), and only read-only starts use the cache at all: a decision that is recorded, replayed,
settled, screened or served comes from rule files loaded in full
(:func:`~engine.rulebook.rulebook.load_rulebook` loads in full unless asked ``cached=True``).

Where: ``$SUBSIDY_CACHE_DIR``, else the user's cache folder (``~/.cache/subsidy-engine`` on
Linux, by :mod:`platformdirs`); a value of :data:`OFF_VALUES` (any case, empty included) turns it
off, and so does no user cache folder to be found. A cache folder at or inside the ruleset
folder being loaded, or its rules folder, is not used for that load (its entries would become
rule files). A folder that cannot be created, written or trusted leaves every start a full
load, and nothing fails. At most :data:`~engine.rulebook.cache_folder.MAX_ENTRIES` entries are
kept, the least recently written removed first.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path

from .cache_codec import decode_ruleset, encode_ruleset, same_ruleset
from .cache_folder import MAX_ENTRIES, read_entry, trusted_folder, write_entry
from .ruleset import Ruleset
from .version import ruleset_version

__all__ = [
    "CACHE_ENV",
    "MAX_ENTRIES",
    "OFF_VALUES",
    "cache_dir",
    "code_digest",
    "load_ruleset_cached",
    "read_folder",
]

CACHE_ENV = "SUBSIDY_CACHE_DIR"
OFF_VALUES = frozenset({"", "off", "0", "false", "no", "none"})
"""Values of ``$SUBSIDY_CACHE_DIR`` that turn the cache off (compared without case or spaces)."""

FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent
# the code whose change may change a loaded ruleset: a cache written by other code is a miss
_CODE = ("__init__.py", "rulebook", "model", "yamlio", "money.py", "errors.py", "privacy.py")
# the libraries a load runs on (distribution, module): another release of one is a miss
_LIBRARIES = (("pydantic", "pydantic"), ("pyyaml", "yaml"), ("durable_rules", "durable"))
_code_digest: str | None = None


def cache_dir() -> Path | None:
    """``$SUBSIDY_CACHE_DIR``, else the user's cache folder; None when the variable is one of
    :data:`OFF_VALUES` or there is no user cache folder (no home directory). Never raises."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in OFF_VALUES else Path(chosen)
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("subsidy-engine", appauthor=False))
    except Exception:  # noqa: BLE001 - no home, no platformdirs: an optimisation is off, never an error
        return None


def code_digest() -> str | None:
    """SHA-256 of what builds a ruleset: the engine's source with its release number, Python's
    version and the releases of :data:`_LIBRARIES` (worked out once a process); None where the
    engine's source cannot be read (an engine installed without its ``.py`` files): no cache then."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{_library_releases()}".encode())
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


def _library_releases() -> str:
    """The installed release of each library, by its metadata folder's name (``pydantic-2.14.4
    .dist-info``) beside the module, found without importing it or :mod:`importlib.metadata`
    (~10 ms a cold start); the module file's size and time where there is none."""
    found, listings = [], {}
    for dist, module in _LIBRARIES:
        try:
            spec = importlib.util.find_spec(module)
            origin = Path(spec.origin) if spec and spec.origin else None
        except (ImportError, ValueError):
            origin = None
        if origin is None:
            found.append(f"{dist}:absent")
            continue
        home = origin.parent.parent if origin.name == "__init__.py" else origin.parent
        if home not in listings:
            try:
                listings[home] = sorted(os.listdir(home))
            except OSError:
                listings[home] = []
        metadata = [
            n for n in listings[home] if n.lower().startswith(dist + "-") and n.endswith((".dist-info", ".egg-info"))
        ]
        if metadata:
            found.extend(metadata)
        else:
            with_stat = origin.stat() if origin.exists() else None
            found.append(f"{dist}:{origin}:{with_stat and (with_stat.st_size, with_stat.st_mtime_ns)}")
    return "\0".join(found)


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file of a ruleset folder by name (not hidden ones), as the full load reads them."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def load_ruleset_cached(folder: str | Path, root: str | Path | None = None) -> Ruleset:
    """The ruleset of ``folder`` (one of the rules folder ``root``), from the cache when its
    files are those it was built from. Raises :class:`~engine.errors.RuleFileError` as the full
    load does. For read-only starts only: a decision that is recorded must not use this."""
    folder = Path(folder)
    if not folder.is_dir():
        from .loader import load_ruleset

        return load_ruleset(folder)  # says what is wrong
    files = read_folder(folder)
    version = ruleset_version(files)
    code = code_digest()
    where = _usable_dir(folder, root) if code else None
    entry = where / f"{version.removeprefix('sha256:')[:40]}-{code[:16]}.json" if where and code else None
    ruleset = _read(entry, version, files) if entry else None
    if ruleset is None:
        from .loader import load_ruleset_files

        ruleset = load_ruleset_files(files, label=str(folder))
        if entry is not None:
            _write(entry, ruleset)
    ruleset.folder = folder
    return ruleset


def _usable_dir(folder: Path, root: str | Path | None) -> Path | None:
    """The cache folder, when it is trusted and lies outside the rule files being loaded."""
    where = cache_dir()
    if where is None:
        return None
    try:
        inside = where.resolve()
        ruled = [Path(p).resolve() for p in (folder, root) if p is not None]
    except (OSError, RuntimeError, ValueError):
        return None
    if any(inside == p or p in inside.parents for p in ruled):
        return None  # its entries would be read as rule files and change the version
    return where if trusted_folder(where) else None


def _read(entry: Path, version: str, files: dict[str, bytes]) -> Ruleset | None:
    data = read_entry(entry)
    if data is None:
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
    write_entry(entry, json.dumps(_header(ruleset.version, body)).encode() + b"\n" + body)
