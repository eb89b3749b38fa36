"""A JSON Lines record read in one pass, when nothing in it needs the careful parser.

The careful parser (:func:`engine.yamlio.load_json_line`) reads every number through
``Decimal``, refuses duplicate keys pair by pair, and walks the parsed data to hold it to
the limits of :mod:`.limits`. A record that is *plain* parses to the very same data with
the standard parser alone — duplicate keys still refused — and cannot pass a limit:

* no number with a fraction or an exponent, no ``NaN`` or ``Infinity`` (only whole
  numbers, which both parsers read as ``int``), and no run of more digits than a number
  may hold (:data:`~.limits.MAX_NUMBER_DIGITS`);
* at most :data:`PLAIN_BYTES` bytes, so that no text or key is longer than
  :data:`~.limits.MAX_TEXT_CHARS` and there are fewer values than :data:`~.limits.MAX_VALUES`
  (and an application that validates nests only as deep as its fields do).

The test is conservative (text that merely looks like a number counts against it); a
record that is not plain, or whose plain reading does not validate, is read by the careful
parser, which says what is wrong. Either way the answer is the same.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .limits import MAX_NUMBER_DIGITS

__all__ = ["PLAIN_BYTES", "load_plain"]

PLAIN_BYTES = 16_384
"""The longest record the one-pass reading takes (a generated application has about 1 KB);
below ``MAX_TEXT_CHARS`` and twice ``MAX_VALUES`` (a value takes two bytes at least)."""

# a number value with a fraction or an exponent, a non-finite one, or too many digits in a row
_NOT_PLAIN = re.compile(rb"[:\[,]\s*-?(?:[0-9]+[.eE]|NaN|Infinity)|[0-9]{%d}" % (MAX_NUMBER_DIGITS + 1))


class _Duplicate(ValueError):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Duplicate
    return out


def load_plain(data: bytes, text: str) -> Any | None:
    """The data of one JSON Lines record (``data``, decoded as ``text``) when it is plain;
    None when the careful parser must read it."""
    if len(data) > PLAIN_BYTES or _NOT_PLAIN.search(data):
        return None
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except (ValueError, RecursionError):  # malformed, or a duplicate key: the careful parser says which
        return None
