"""Chinese patent numbers: ``ZL`` + the CNIPA application number, check digit validated.

From 2003-10-01 ``YYYYTNNNNNNN.C`` (12 digits, a dot, the check digit); before,
``YYTNNNNN.C`` (8 digits; 1985-1988 numbers carry no check digit). The type digit T says the
kind (1/8 invention, 2/9 utility model, 3 design; 8 and 9 PCT). Malformed numbers raise
:class:`~engine.model.normalize.IdentifierError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import cycle, islice
from operator import mul

from ..errors import quoted
from .normalize import DIGITS, IdentifierError, compact, plain, require_text

__all__ = ["KIND_BY_TYPE_DIGIT", "PatentNumber", "parse_patent_number", "patent_check_digit"]

KIND_BY_TYPE_DIGIT: dict[int, str] = {
    1: "invention",
    2: "utility_model",
    3: "design",
    8: "invention",
    9: "utility_model",
}
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_ZERO = ord("0")
_CHECK_CHAR = "0123456789X"
_OFFSETS = tuple(_ZERO * sum(_PATENT_WEIGHTS[:n]) for n in range(len(_PATENT_WEIGHTS) + 1))
_CANONICAL = re.compile(r"ZL([0-9]{4})([0-9])([0-9]{7})\.([0-9X])")  # as the engine writes it, from 2003
_PATENT_SHAPE = re.compile(r"([0-9]+)(\.[0-9X]|X)?")
_TYPE_HINT = "type digits: 1 invention, 2 utility model, 3 design, 8 PCT invention, 9 PCT utility model"
_FORM_HINT = (
    "write ZL, then YYYYTNNNNNNN.C (12 digits, a dot, the check digit), or "
    "YYTNNNNN.C for applications filed before 2003-10-01"
)


@dataclass(frozen=True)
class PatentNumber:
    """A validated CNIPA patent number (``number`` is ``"ZL"`` + ``application_number``)."""

    number: str
    application_number: str
    year: int
    type_digit: int
    kind: str
    pct: bool


def patent_check_digit(digits: str) -> str:
    """Check digit of an application number: weights 2..9,2..5 cycled, sum mod 11, 10 -> X.

    >>> patent_check_digit("202010123456"), patent_check_digit("95115608")
    ('2', 'X')
    """
    text = require_text(digits, "patent digits")
    if not (text.isascii() and text.isdigit()):
        raise IdentifierError(f"a check digit is computed over digits only ({quoted(text, bare=True)})")
    return _check_digit(text)


def _check_digit(digits: str) -> str:
    """:func:`patent_check_digit` of ASCII digits: over their byte values, the sum of the
    weights times ``"0"`` taken off (``"7"`` is byte 55, digit 7)."""
    data = digits.encode("ascii")
    if len(data) <= len(_PATENT_WEIGHTS):  # every real number: the weights once, the offset looked up
        return _CHECK_CHAR[(sum(map(mul, data, _PATENT_WEIGHTS)) - _OFFSETS[len(data)]) % 11]
    total = sum(map(mul, data, cycle(_PATENT_WEIGHTS))) - _ZERO * sum(islice(cycle(_PATENT_WEIGHTS), len(data)))
    return _CHECK_CHAR[total % 11]


def _split_patent(text: str, shown: str) -> tuple[str, str | None]:
    """Split a compact upper-case number (no prefix) into its digits and check (or None).

    >>> _split_patent("202010123456.2", ""), _split_patent("202610516233X", "")
    (('202010123456', '2'), ('202610516233', 'X'))
    >>> _split_patent("2017101580440", ""), _split_patent("85100001", "")
    (('201710158044', '0'), ('85100001', None))
    """
    match = _PATENT_SHAPE.fullmatch(text)
    if match is None:
        bad = next((ch for ch in text if ch not in DIGITS + ".X"), None)
        if bad is None:
            raise IdentifierError(f"a patent number is digits, a dot and one check digit ({shown})", _FORM_HINT)
        hint = _FORM_HINT
        if text[-1] in "ABCUSY":
            hint = "CN...A/B/U/S are publication numbers, a different series; " + hint
        raise IdentifierError(f"unexpected character {bad!r} in a patent number ({shown})", hint)
    digits, check = match[1], (match[2] or "").lstrip(".")
    if not check and len(digits) in (9, 13):  # check digit written without the dot
        digits, check = digits[:-1], digits[-1]
    return digits, check or None


@lru_cache(maxsize=4096)
def parse_patent_number(value: str) -> PatentNumber:
    """Parse a patent or application number, with optional ZL/CN prefix and spaces.

    A 1985-1988 number has no check digit; one given anyway must be right and is dropped.

    >>> parse_patent_number("ZL 2023 1 0397744.0").number
    'ZL202310397744.0'
    >>> p = parse_patent_number("zl95115608.x"); (p.number, p.year, p.kind)
    ('ZL95115608.X', 1995, 'invention')
    """
    found = _CANONICAL.fullmatch(value) if type(value) is str else None
    if found is not None:  # the canonical form, right: what the careful reading below returns, sooner
        year, type_digit, serial, check = int(found[1]), int(found[2]), found[3], found[4]
        kind = KIND_BY_TYPE_DIGIT.get(type_digit)
        digits = found[1] + found[2] + serial
        if year >= 2003 and kind is not None and serial != "0000000" and _check_digit(digits) == check:
            return PatentNumber(value, value[2:], year, type_digit, kind, type_digit in (8, 9))
    return _parse_patent_number(value)


def _parse_patent_number(value: str) -> PatentNumber:
    """:func:`parse_patent_number` of any form, every fault named."""
    shown = quoted(" ".join(plain(require_text(value, "a patent number")).split()), bare=True)
    text = compact(shown).upper()
    digits, check = _split_patent(text[2:] if text[:2] in ("ZL", "CN") else text, shown)
    if len(digits) == 12:
        year, type_digit, serial = int(digits[:4]), int(digits[4]), digits[5:]
        if year < 2003:
            raise IdentifierError(
                f"a 12-digit application number cannot have year {year}: "
                f"the 12-digit form started on 2003-10-01 ({shown})",
                _FORM_HINT,
            )
    elif len(digits) == 8:
        yy, type_digit, serial = int(digits[:2]), int(digits[2]), digits[3:]
        if 4 <= yy <= 84:
            raise IdentifierError(
                f"an 8-digit application number cannot have year {digits[:2]}: "
                f"from 2003-10-01 numbers have 12 digits ({shown})",
                _FORM_HINT,
            )
        year = 1900 + yy if yy >= 85 else 2000 + yy
    else:
        raise IdentifierError(
            f"a patent application number has 12 digits (8 before 2003-10-01), found {len(digits)} ({shown})",
            _FORM_HINT,
        )
    if type_digit not in KIND_BY_TYPE_DIGIT:
        raise IdentifierError(f"type digit {type_digit} is not a CNIPA patent type ({shown})", _TYPE_HINT)
    if int(serial) == 0:
        raise IdentifierError(f"serial number {serial} is never issued, serials start at 1 ({shown})", _FORM_HINT)
    expected = patent_check_digit(digits)
    no_check_era = len(digits) == 8 and year <= 1988
    if check is None and not no_check_era:
        raise IdentifierError(
            f"check digit missing: the number should end in .{expected} ({shown})",
            "copy the digit after the dot from the certificate",
            code="check_digit_missing",
            expected=expected,
        )
    if check is not None and check != expected:
        raise IdentifierError(
            f"check digit should be {expected}, got {check} ({shown})",
            "re-copy the number from the certificate; a digit is probably wrong",
            code="check_char",
            expected=expected,
            got=check,
        )
    application = digits if no_check_era else f"{digits}.{expected}"
    return PatentNumber(
        number="ZL" + application,
        application_number=application,
        year=year,
        type_digit=type_digit,
        kind=KIND_BY_TYPE_DIGIT[type_digit],
        pct=type_digit in (8, 9),
    )
