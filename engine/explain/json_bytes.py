"""JSON as the contract writes it: compact UTF-8 (or indented), never ASCII-escaped.

The contract's objects are dicts, lists, text, whole numbers, booleans and None (money is
already a decimal string); a date reads as its ISO form, a ``Decimal`` as its decimal string.
msgspec writes the bytes :func:`pydantic_core.to_json` writes for these (the tests hold the
two equal over generated decisions, both languages, and every code point) in about half the
time: a decision's contract JSON took 21 µs with it, 12 µs with msgspec (10,000 generated
applications, one core).
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["json_bytes"]

_ENCODE = msgspec.json.Encoder().encode


def json_bytes(data: Any, indent: int | None = None) -> bytes:
    """``data`` as UTF-8 JSON, compact, or indented by ``indent`` spaces.

    Raises ``TypeError`` for an object of another kind and ``UnicodeEncodeError`` for text
    holding a lone surrogate (which no reader lets in)."""
    out = _ENCODE(data)
    return msgspec.json.format(out, indent=indent) if indent else out
