"""Resident ID numbers are never shown whole: what every rendering and every message masks.

The store keeps an application as it was given — its canonical input is what is hashed,
chained and replayed, so it holds the ID number whole —; every face shows it masked,
keeping the first 6 characters (the division) and the last 4 (:func:`mask_id_number`):

* data about to be shown (a record's content, a decision object): :func:`masked`, the value of
  every ``id_number`` key at any depth;
* text that may quote what a person typed (an error message, a fault, a name, a statement, a
  settlement's reason): :func:`mask_id_numbers`, every run of characters shaped like an
  18-character ID number (a division, a real birth date, a sequence, a check character),
  wherever it was typed; :func:`masked` does it to every text (and key) of data as well;
* text about to reach a terminal or a file: :func:`shown`, ID numbers masked and control
  characters written out (``\\u001b``), so that no output sets a terminal's title, clears
  it or forges a line.

Nothing here raises.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["CONTROLS", "escape_controls", "mask_id_number", "mask_id_numbers", "masked", "shown"]

# 6 digits of division (provinces are 11-82), the birth date YYYYMMDD, 3 of sequence, a check character
_ID_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])[1-8][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)
_WIDE_DIGITS = re.compile("[\uff10-\uff19]")

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters (C0 but tab and line feed, DEL, C1), and the halves of a surrogate pair
standing alone (which no output can encode): never written raw to an output."""

# Quick looks before the patterns above, which Python's ``re`` tries at every position of a
# text (a decision line of 5 KB: ~150 µs each). In the text's UTF-8 bytes (lone surrogates
# passed through), by ``bytes.translate`` and a substring search, both in C (~15 µs):
# an ID number needs 17 ASCII digits in a row once full-width digits (U+FF10-FF19, UTF-8
# ``EF BC 90-99``) are read as digits; a control character is a byte 00-08, 0B-1F or 7F, or a
# character led by C2 (U+0080-00BF, C1 among them) or ED (U+D000-DFFF, surrogates among them).
# A text the quick look passes holds neither; one it stops goes through the patterns.
_CONTROL_BYTES = bytes(range(0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f\xc2\xed"
_LOOK = bytes.maketrans(b"123456789" + _CONTROL_BYTES, b"0" * 9 + b"\x00" * len(_CONTROL_BYTES))
_SEVENTEEN_DIGITS = b"0" * 17
_WIDE_DIGIT = re.compile(rb"\xef\xbc[\x90-\x99]")


def _quick_look(text: str) -> tuple[bool, bool]:
    """(whether ``text`` may hold an ID number, whether it may hold a control character)."""
    data = text.encode("utf-8", "surrogatepass")
    looked = data.translate(_LOOK)
    return (
        len(text) >= 18 and (_SEVENTEEN_DIGITS in looked or _WIDE_DIGIT.search(data) is not None),
        b"\x00" in looked,
    )


def mask_id_number(value: str) -> str:
    """Mask an ID number for display, keeping the first 6 and the last 4 characters.

    At least 8 characters (all, if there are no more) are always masked; a masked number
    stays as it is.

    >>> mask_id_number("41090219900101123x")
    '410902********123X'
    >>> mask_id_number("4109021990")
    '41********'
    >>> mask_id_number(mask_id_number("41090219900101123X"))
    '410902********123X'
    """
    text = "".join(ch for ch in unicodedata.normalize("NFKC", str(value)) if not ch.isspace()).upper()
    head = min(6, max(0, len(text) - 8))
    tail = min(4, max(0, len(text) - 8 - head))
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


def mask_id_numbers(text: str) -> str:
    """``text`` with every ID number in it masked (full-width digits read as digits).

    >>> mask_id_numbers("check character should be R, got 5 (410902197804154305)")
    'check character should be R, got 5 (410902********4305)'
    >>> mask_id_numbers("ZL201912256873.4, 91410902MA44P5T29U, 1500000.00")
    'ZL201912256873.4, 91410902MA44P5T29U, 1500000.00'
    """
    if len(text) < 18 or not _quick_look(text)[0]:
        return text
    return _masked_id_numbers(text)


def _masked_id_numbers(text: str) -> str:
    if _WIDE_DIGITS.search(text):
        text = unicodedata.normalize("NFKC", text)
    return _ID_SHAPE.sub(lambda m: mask_id_number(m.group()), text)


def escape_controls(text: str) -> str:
    r"""``text`` with every control character but tab and line feed written out as ``\uXXXX``
    (a form that stays valid inside JSON text).

    >>> escape_controls("刘\x1b]0;x\x07志刚\tok\n")
    '刘\\u001b]0;x\\u0007志刚\tok\n'
    """
    if not _quick_look(text)[1]:
        return text
    return _escaped(text)


def _escaped(text: str) -> str:
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def shown(text: str) -> str:
    r"""``text`` as it may be written out: ID numbers masked, control characters escaped.

    >>> shown("王敏 410902196905177253\x1b[2J")
    '王敏 410902********7253\\u001b[2J'
    """
    id_number, control = _quick_look(text)
    if id_number:
        text = _masked_id_numbers(text)  # NFKC and masking bring no control character in
    return _escaped(text) if control else text


def masked(data: Any) -> Any:
    """``data`` (JSON-like: dicts, lists, values) as it may be shown: the value of every
    ``id_number`` key masked, and every ID number in any other text or key, at any depth;
    everything else as it was (a new structure, ``data`` untouched)."""
    if isinstance(data, dict):
        return {_masked_key(k): _masked_value(v) if k == "id_number" else masked(v) for k, v in data.items()}
    if isinstance(data, list):
        return [masked(v) for v in data]
    if isinstance(data, str):
        return mask_id_numbers(data)
    return data


def _masked_key(key: Any) -> Any:
    return mask_id_numbers(key) if isinstance(key, str) else key


def _masked_value(value: Any) -> Any:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return mask_id_number(str(value))
    return masked(value)
