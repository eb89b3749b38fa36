"""Resident ID numbers (居民身份证号码), GB 11643-1999: checked, and never shown whole.

18 characters: 17 digits (6 of division, 8 of birth date, 3 of sequence) and a mod-11 check
character. Messages and outputs show an ID number masked (:func:`engine.privacy.mask_id_number`).
Malformed numbers raise :class:`~engine.model.normalize.IdentifierError`.
"""

from __future__ import annotations

import datetime as _dt

from ..errors import quoted
from ..privacy import mask_id_number
from .normalize import DIGITS, IdentifierError, cached, compact, require_text

__all__ = ["mask_id_number", "normalize_id_number"]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"
_ID_HINT = "a resident ID number has 18 characters: 17 digits, then a digit or X"
_BIRTH_HINT = "positions 7-14 are the birth date as YYYYMMDD"


@cached
def normalize_id_number(value: str) -> str:
    """Validate an 18-character resident ID number; return it with an upper-case X.

    >>> normalize_id_number("11010519491231002x")
    '11010519491231002X'
    """
    huge = isinstance(value, int) and value.bit_length() > 256
    shown_given = "a very long number" if huge else mask_id_number(str(value))
    text = compact(require_text(value, "an ID number", quoted(shown_given, bare=True))).upper()
    shown = quoted(mask_id_number(text), bare=True)
    if len(text) == 15 and all(ch in DIGITS for ch in text):
        raise IdentifierError(
            f"15-digit first-generation ID numbers are no longer valid ({shown})",
            "give the 18-digit number of the current ID card",
        )
    if len(text) != 18:
        raise IdentifierError(
            f"an ID number has 18 characters, found {len(text)} ({shown})",
            _ID_HINT,
            code="id_number_length",
            found=len(text),
        )
    bad = next((pos for pos, ch in enumerate(text[:17], start=1) if ch not in DIGITS), None)
    if bad is not None:
        raise IdentifierError(f"character {text[bad - 1]!r} at position {bad} is not a digit ({shown})", _ID_HINT)
    if text[17] not in DIGITS + "X":
        raise IdentifierError(f"the last character must be a digit or X, got {text[17]!r} ({shown})", _ID_HINT)
    try:
        born = _dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise IdentifierError(f"the birth date in positions 7-14 is not a real date ({shown})", _BIRTH_HINT) from None
    if born > _dt.date.today():
        raise IdentifierError(f"the birth date in positions 7-14 is in the future ({shown})", _BIRTH_HINT)
    if born.year < 1800:
        raise IdentifierError(f"the birth date in positions 7-14 is before 1800 ({shown})", _BIRTH_HINT)
    total = sum(int(ch) * w for ch, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    if text[17] != _ID_CHECKS[total % 11]:
        raise IdentifierError(
            f"check character should be {_ID_CHECKS[total % 11]}, got {text[17]} ({shown})",
            "re-copy the number from the ID card; a digit is probably wrong",
            code="check_char",
            expected=_ID_CHECKS[total % 11],
            got=text[17],
        )
    return text
