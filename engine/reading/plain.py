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

A record with no escape in it (no ``\\``) is validated straight from its bytes
(:func:`plain_application`, pydantic's ``model_validate_json``), with no Python data of
ours between: one shape per application. The standard parser's reading of it (in Rust,
``pydantic_core.from_json``) is walked once, for what would make the careful parser read it
otherwise — a number with a fraction, an exponent, a non-finite one, too many digits — and
for duplicate keys: with no escape, every ``"`` delimits a text, so each key ends in ``":``
(a key with a space before its colon sends the record the careful way), and a record whose
objects hold fewer keys than it has ``":`` repeats one (or has a text starting with a
colon: it is read the careful way too). Whatever fails on the way (a value, a programme, a
count) sends the record the slower way, which says what is wrong.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pydantic_core import from_json

from ..model import Application
from ..privacy import may_hold_format
from ..yamlio import Located
from .limits import MAX_CLAIMS, MAX_NUMBER_DIGITS
from .validate import check_claims

if TYPE_CHECKING:
    from ..rulebook import Rulebook

__all__ = ["PLAIN_BYTES", "load_plain", "plain_application"]

PLAIN_BYTES = 16_384
"""The longest record the one-pass reading takes (a generated application has about 1 KB);
below ``MAX_TEXT_CHARS`` and twice ``MAX_VALUES`` (a value takes two bytes at least)."""

# a number value with a fraction or an exponent, a non-finite one, or too many digits in a row
_NOT_PLAIN = re.compile(rb"[:\[,]\s*-?(?:[0-9]+[.eE]|NaN|Infinity)|[0-9]{%d}" % (MAX_NUMBER_DIGITS + 1))


# a key with white space before its colon: not counted by ``":``
_SPACED_KEY = re.compile(rb'"\s+:')


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


_BIGGEST = 10**MAX_NUMBER_DIGITS


def _keys(value: Any) -> int:
    """How many keys the objects in ``value`` hold, all the way down; -1 when it holds a
    number the standard parser reads otherwise than the careful one (a fraction, an exponent,
    a non-finite one, more digits than a number may hold)."""
    kind = type(value)
    if kind is dict:
        values = value.values()
        found = len(value)
    elif kind is list:
        values = value
        found = 0
    elif kind is float or (kind is int and not -_BIGGEST < value < _BIGGEST):
        return -1
    else:
        return 0
    for item in values:
        if type(item) not in _LEAVES:
            inner = _keys(item)
            if inner < 0:
                return -1
            found += inner
    return found


_LEAVES = (str, bool, type(None))
_C0_DEL = bytes(range(0x20)) + b"\x7f"
_C1 = re.compile(rb"\xc2[\x80-\x9f]")  # in UTF-8


def _has_control(data: bytes) -> bool:
    """Whether ``data`` holds a control character (C0, DEL, C1): deleting the C0 and DEL bytes
    in C and comparing lengths, then a C1 looked for only where its lead byte occurs (a regular
    expression of both tried at every byte of a record: 10× slower)."""
    return len(data.translate(None, _C0_DEL)) != len(data) or (b"\xc2" in data and _C1.search(data) is not None)


def plain_application(data: bytes, rulebook: Rulebook, file: str, line: int) -> Application | None:
    """The application of one JSON Lines record (``data``, line ``line`` of ``file``),
    validated straight from its bytes when it is plain, has no escape and validates cleanly
    under the one ruleset whose places it can be read with; None otherwise (the careful way
    then reads it, and says what is wrong)."""
    if (
        len(data) > PLAIN_BYTES
        or b"\\" in data
        or _has_control(data)  # a control character is refused by the careful way, with its field
        or may_hold_format(data)  # and so is a format character (U+200B, U+202E…)
        or len({id(r.divisions) for r in rulebook.rulesets}) != 1
        or (b'" ' in data and _SPACED_KEY.search(data))  # (no other white space: it is a control character)
    ):
        return None
    try:
        if _keys(from_json(data)) != data.count(b'":'):
            return None
        app = Application.model_validate_json(data, context={"divisions": rulebook.rulesets[0].divisions})
    except (ValidationError, ValueError, RecursionError):
        return None
    if len(app.claims) > MAX_CLAIMS:
        return None
    if check_claims(app, Located(None, {(): line}, file), rulebook):
        return None
    return app
