"""A ruleset's version: the SHA-256 of its folder's files, names and bytes."""

from __future__ import annotations

import hashlib

__all__ = ["ruleset_version"]


def ruleset_version(files: dict[str, bytes]) -> str:
    """SHA-256 over every file's name and bytes, in name order: ``"sha256:<64 hex digits>"``."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return "sha256:" + digest.hexdigest()
