"""A record's body read for ``verify``: only the fields its checks and the index rule read.

``verify`` reads every body of a store. Decoding the whole of a decision's body — the
explanations, the facts, the arithmetic, about 8 KB — into Python objects took most of
its time, to read some twenty fields. Here msgspec decodes a decision body into a dict
that holds just the fields :func:`~engine.store.bodies.index_rows_of` and the chain's
checks read (:data:`_DecisionBody`) and the input whole (``verify`` re-encodes it the way
records are written and hashes that: an input stored in any other form does not match).

msgspec does not check the UTF-8 of what it skips, so the body is first decoded strictly
(in C, a few microseconds): a body that is not UTF-8 is refused, as reading it whole refuses it.
Nor does it convert the integers it skips: a body that may hold one of more digits than Python
converts (``sys.get_int_max_str_digits``, :func:`long_digits`) is decoded whole, so that
:mod:`json` refuses it as before.

The result answers every question ``verify`` asks exactly as the whole body would: the
shape lists each field the index rule reads, a later key of the same name wins as in
:func:`json.loads`, and any body the shape does not fit — not JSON, a field of another
kind than the format's, a format not in :data:`TRIMMED_FORMATS`, a lone surrogate — is
decoded whole with :mod:`json`, as before.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any, TypedDict

import msgspec

from .records import DECISION

__all__ = ["TRIMMED_FORMATS", "long_digits", "read_body", "read_record"]

# The decision body formats the shapes below were listed from (1: no ``format`` key).
# A body of any other format is decoded whole: a new format may read other fields.
TRIMMED_FORMATS = (None, 2)


class _Criterion(TypedDict, total=False):
    id: Any
    status: Any


class _Decision(TypedDict, total=False):
    decision: Any
    claim: Any
    program: Any
    outcome: Any
    amount: Any
    maximums: Any
    patent: Any
    criteria: list[_Criterion]


class _Result(TypedDict, total=False):
    applicant: Any
    submitted_on: Any
    decisions: list[_Decision]


class _DecisionBody(TypedDict, total=False):
    type: Any
    format: Any
    application: Any
    recorded_at: Any
    input: msgspec.Raw
    input_sha256: Any
    ruleset: Any
    result: _Result


_BODY = msgspec.json.Decoder(_DecisionBody)
_INPUT = msgspec.json.Decoder()
# The input decoded with its fractions as Decimal: encoded again, a fraction comes out as a JSON
# string, so an input holding one never matches its bytes and is decoded again by ``_INPUT``.
_INPUT_EXACT = msgspec.json.Decoder(float_hook=Decimal)
_ENCODE = msgspec.json.Encoder().encode
# ``record_json`` (pydantic-core) refuses to write a value nested past about 254 levels, where
# msgspec writes it back byte for byte: an input with this many brackets or more (in any
# place, texts included, so the count is never below the depth) is never taken as canonical.
MAX_CANONICAL_BRACKETS = 200


def read_body(body: bytes, kind: str) -> tuple[Any, memoryview | None]:
    """A record's content, as verify and :func:`~engine.store.bodies.index_rows_of` read it,
    and its input as stored (its bytes in the body, when it was taken out unread; ``None``
    when the body was decoded whole, its ``input`` then decoded in the content). ``kind`` is the record's kind
    column: a decision's body is read trimmed, any other decoded whole.

    Raises ValueError when the body is not JSON, not UTF-8 or nested too deep (RecursionError
    is taken as ValueError); a body that is JSON but not an object is returned as it is."""
    content, given, _ = read_record(body, kind)
    return content, given


def read_record(body: bytes, kind: str) -> tuple[Any, memoryview | None, bool]:
    """:func:`read_body`, and whether the input as stored is its canonical form: the bytes
    :func:`~engine.store.records.record_json` writes for it (then its hash is the hash of those
    bytes as they are, with no second encoding). False says nothing against the input: its
    canonical form must then be written again to be hashed (``input_hash`` of the content's
    ``input``), which decides.

    The test is that msgspec encodes the input decoded back to the same bytes: for the JSON
    values an input holds (objects, arrays, texts, whole numbers, true, false, null) msgspec
    and ``record_json`` (pydantic-core) write the same bytes, which a property test holds
    (``tests/test_verify_input_bytes.py``); a fraction is decoded as a Decimal, which msgspec
    writes as a text, so an input with a fraction is never taken as canonical here. Only an
    object is (``input_hash`` takes a text as already canonical), and only one with fewer than
    ``MAX_CANONICAL_BRACKETS`` brackets (pydantic-core writes no value nested past ~254 levels)."""
    try:
        text = body.decode("utf-8")  # strict: the fields msgspec skips are checked too
        return _read(body, text, kind)
    except RecursionError:
        raise ValueError("nested too deep") from None


def long_digits(body: bytes | str) -> bool:
    """Whether ``body`` may hold a run of more digits than Python converts to an integer, which
    :func:`json.loads` refuses and msgspec steps over unread. A run of more than ``limit``
    digits covers a whole block of ``limit // 2`` bytes starting at a multiple of it, so only
    those blocks are looked at (``isdigit`` stops at the first other byte: well under a
    microsecond a body; in a text, other digits than ASCII ones only send more bodies the whole
    way). Replay asks it too, before it steps over the fields it does not read."""
    limit = sys.get_int_max_str_digits()
    if limit:
        step = limit // 2
        for at in range(0, len(body) - step + 1, step):
            if body[at : at + step].isdigit():
                return True
    return False


def _read(body: bytes, text: str, kind: str) -> tuple[Any, memoryview | None, bool]:
    if kind == DECISION and not long_digits(body):
        try:
            content: dict[str, Any] = _BODY.decode(body)  # type: ignore[assignment]
            if content.get("format") in TRIMMED_FORMATS:
                raw = content.get("input")
                if raw is None:
                    return content, None, False
                given = memoryview(raw)
                stored = bytes(given)
                try:
                    value = _INPUT_EXACT.decode(stored)
                except ArithmeticError:  # an exponent no Decimal holds: not canonical, read as JSON reads it
                    value = None
                shallow = stored.count(b"[") + stored.count(b"{") < MAX_CANONICAL_BRACKETS
                if shallow and type(value) is dict and _encoded(value) == stored:
                    content["input"] = value
                    return content, given, True
                content["input"] = _INPUT.decode(given)
                return content, given, False
        except (msgspec.DecodeError, msgspec.ValidationError):
            pass
    return json.loads(text), None, False


def _encoded(value: dict[str, Any]) -> bytes | None:
    try:
        return _ENCODE(value)
    except (RecursionError, TypeError, ValueError):  # none expected of a value msgspec decoded
        return None
