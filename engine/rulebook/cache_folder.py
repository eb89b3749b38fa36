"""The rulebook cache's folder: which folder is trusted, and reading, writing and evicting its entries.

The folder is trusted as the installed engine and its ``__pycache__`` are: whoever can write
it decides what a cached start loads. So a folder is used only when it is a directory owned by
the current user and writable by nobody else (as ssh and ccache require); anything else is no
cache (every start a full load, nothing fails). An entry is read only when it is a regular file
owned by the user, not group- or other-writable, at most :data:`MAX_ENTRY_BYTES`, opened
without following a symbolic link and without blocking (a FIFO or a device is a miss).

Entries are written to a new file of a random name (:func:`tempfile.mkstemp`, created
exclusively, mode 0600) in the folder and moved into place whole (:func:`os.replace`); a
partial file a killed process left is removed after :data:`STALE_PARTIAL_SECONDS`. Only files
named as entries (:data:`ENTRY_NAME`) or as our partial files (:data:`PARTIAL_NAME`) are ever
removed: a folder shared with other files loses none of them.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

__all__ = [
    "ENTRY_NAME",
    "MAX_ENTRIES",
    "MAX_ENTRY_BYTES",
    "PARTIAL_NAME",
    "STALE_PARTIAL_SECONDS",
    "read_entry",
    "trusted_folder",
    "write_entry",
]

MAX_ENTRIES = 32
"""Cache entries kept (each some 100 KB): enough for every ruleset and what-if of a machine."""
MAX_ENTRY_BYTES = 16 * 1024 * 1024
"""Bytes an entry may hold (one is some 100 KB); a larger file is a miss, never read."""
STALE_PARTIAL_SECONDS = 600
"""A partial file this old was left by a process that died while writing: removed."""
ENTRY_NAME = re.compile(r"[0-9a-f]{40}-[0-9a-f]{16}\.json")
"""An entry's name: the ruleset version's first 40 hex digits, the cache key's first 16."""
_PARTIAL_PREFIX, _PARTIAL_SUFFIX = ".entry-", ".partial"
PARTIAL_NAME = re.compile(re.escape(_PARTIAL_PREFIX) + r"[A-Za-z0-9_]{6,16}" + re.escape(_PARTIAL_SUFFIX))
"""A file being written (:func:`tempfile.mkstemp`'s random part between our prefix and suffix)."""
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


def _owned_and_private(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & _OTHERS_WRITE


def trusted_folder(where: Path, create: bool = True) -> bool:
    """True when ``where`` is a directory the current user owns and nobody else can write;
    created (mode 0700) when absent and ``create``. Never raises."""
    if not hasattr(os, "geteuid"):
        return False  # no owners to compare: no cache
    try:
        if create and not where.exists():
            where.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = where.stat()
    except (OSError, ValueError):
        return False
    return stat.S_ISDIR(st.st_mode) and _owned_and_private(st)


def read_entry(entry: Path) -> bytes | None:
    """The bytes of ``entry`` when it is a regular file of the user's, writable by nobody else,
    of at most :data:`MAX_ENTRY_BYTES`; None otherwise (absent, a link, a FIFO, a device, too
    large, unreadable). Never follows a symbolic link, never blocks, never raises."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(entry, flags)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _owned_and_private(st) or st.st_size > MAX_ENTRY_BYTES:
            return None
        chunks, left = [], MAX_ENTRY_BYTES + 1  # a file that grew past the limit is a miss too
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks) if left > 0 else None


def write_entry(entry: Path, data: bytes) -> None:
    """Put ``data`` at ``entry`` whole or not at all (a reader never sees half an entry), then
    keep only the newest :data:`MAX_ENTRIES` entries. A failure leaves no partial file and is
    not an error."""
    where = entry.parent
    try:
        fd, partial = tempfile.mkstemp(prefix=_PARTIAL_PREFIX, suffix=_PARTIAL_SUFFIX, dir=where)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(partial, entry)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        return
    with contextlib.suppress(OSError):
        _evict(where)


def _evict(where: Path) -> None:
    """Remove the entries past the newest :data:`MAX_ENTRIES` and stale partial files: only
    names of our own patterns, only regular files, never through a link."""
    entries: list[tuple[int, str]] = []
    stale_before = time.time_ns() - STALE_PARTIAL_SECONDS * 1_000_000_000
    with os.scandir(where) as listing:
        for item in listing:
            try:
                if not item.is_file(follow_symlinks=False):
                    continue
                if ENTRY_NAME.fullmatch(item.name):
                    entries.append((item.stat(follow_symlinks=False).st_mtime_ns, item.name))
                elif PARTIAL_NAME.fullmatch(item.name) and item.stat(follow_symlinks=False).st_mtime_ns < stale_before:
                    os.unlink(item.path)
            except OSError:
                continue
    entries.sort(reverse=True)
    for _, name in entries[MAX_ENTRIES:]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(where / name)
