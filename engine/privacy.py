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

import datetime as _dt
import re
import unicodedata
from typing import Any

__all__ = [
    "BIDI",
    "BYTE_ORDER_MARK",
    "CONTROLS",
    "FORMATS",
    "escape_controls",
    "mask_id_number",
    "mask_id_numbers",
    "masked",
    "may_hold_format",
    "shown",
]

# The 18 characters of an ID number: 6 digits of division (provinces are 11-83), the birth date
# YYYYMMDD, 3 of sequence, a check character; "~" stands where format characters may split it.
_ID_PARTS = (
    r"[1-8]~[0-9]~[0-9]~[0-9]~[0-9]~[0-9]~(?:1~8|1~9|2~0)~[0-9]~[0-9]~(?:0~[1-9]|1~[0-2])"
    r"~(?:0~[1-9]|[12]~[0-9]|3~[01])~[0-9]~[0-9]~[0-9]~[0-9Xx]"
)
_FORMAT_CLASS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
FORMATS = re.compile(f"[{_FORMAT_CLASS}]")
"""Format characters (Unicode category Cf, as of Unicode 14): invisible, yet they split what they stand in
(U+200B ZERO WIDTH SPACE, U+00AD SOFT HYPHEN, U+2060 WORD JOINER, U+FEFF…) or reorder a line
(the bidirectional controls, :data:`BIDI`). Never written raw to an output."""

BYTE_ORDER_MARK = "\ufeff"
"""U+FEFF starting a text is a byte-order mark (a CSV starts with one, for Excel), written as it
is; anywhere else it is a format character like the others."""

BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The bidirectional controls among :data:`FORMATS`: a right-to-left override (U+202E) shows
what follows it reversed, so a line can read as something else than it holds."""

# Two digits on either side of an ID shape make a longer number, never an ID number; a Latin
# letter right before or after one may be a word typed against it (ID410902…) or a code made of
# letters and digits (a credit code, a hash): the shape is then masked only when it is an ID
# number in full (:func:`_whole_id_number`).
_ID_SHAPE = re.compile("(?<![0-9])" + _ID_PARTS.replace("~", "") + "(?![0-9])")
_ID_SHAPE_SPLIT = re.compile("(?<![0-9])" + _ID_PARTS.replace("~", f"[{_FORMAT_CLASS}]*") + "(?![0-9])")
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WIDE_DIGITS = re.compile("[\uff10-\uff19]")

# GB/T 2260 province-level codes, and 83 (residence permits of Taiwan residents)
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters (C0 but tab and line feed, DEL, C1), and the halves of a surrogate pair
standing alone (which no output can encode): never written raw to an output."""

_ESCAPED = re.compile(f"[{CONTROLS.pattern[1:-1]}{_FORMAT_CLASS}]")

# Quick looks before the patterns above, which Python's ``re`` tries at every position of a
# text (a decision line of 5 KB: ~150 µs each). In the text's UTF-8 bytes (lone surrogates
# passed through), by ``bytes.translate``, substring searches and a pattern with a literal first
# byte, all in C (~12 µs):
# an ID number needs 17 ASCII digits in a row once full-width digits (U+FF10-FF19, UTF-8
# ``EF BC 90-99``) are read as digits, or a format character to split it; a control character is
# a byte 00-08, 0B-1F or 7F, or a character led by C2 (U+0080-00BF, C1 among them) or ED
# (U+D000-DFFF, surrogates among them); a format character is U+00AD (``C2 AD``), a character
# led by D8, DB, DC (U+0600-073F), E0, E1 (U+0800-1FFF), F0 or F3 (beyond U+FFFF), or one of
# U+200B-200F, U+202A-202E, U+2060-206F (``E2 80 8B-8F``, ``E2 80 AA-AE``, ``E2 81 A0-AF``),
# U+FEFF and U+FFF9-FFFB (``EF BB BF``, ``EF BF B9-BB``).
# A text the quick look passes holds none of them; one it stops goes through the patterns.
_CONTROL_BYTES = bytes(range(0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f\xc2\xed"
_FORMAT_LEADS = b"\xd8\xdb\xdc\xe0\xe1\xf0\xf3"
_LOOK = bytes.maketrans(
    b"123456789" + _CONTROL_BYTES + _FORMAT_LEADS + b"\xe2\xef",
    b"0" * 9 + b"\x00" * len(_CONTROL_BYTES) + b"\x01" * len(_FORMAT_LEADS) + b"\x02\x02",
)
_SEVENTEEN_DIGITS = b"0" * 17
# after E2 or EF (both read as 02; the rest of a character is left as it is): a format
# character or a full-width digit, and a few characters of neither (U+2F10-2F19, U+2EFF,
# U+2FF9-2FFB, U+F00B-F00F…), which only send a text the careful way
_FORMAT_OR_WIDE_DIGIT = re.compile(
    rb"\x02(?:\x80[\x8b-\x8f\xaa-\xae]|\x81[\xa0-\xaf]|\xbc[\x90-\x99]|\xbb\xbf|\xbf[\xb9-\xbb])"
)


def _quick_look(text: str) -> tuple[bool, bool]:
    """(whether ``text`` may hold an ID number, whether it may hold a control or a format
    character)."""
    data = text.encode("utf-8", "surrogatepass")
    looked = data.translate(_LOOK)
    odd = b"\x01" in looked or (b"\x02" in looked and _FORMAT_OR_WIDE_DIGIT.search(looked) is not None)
    return (
        len(text) >= 18 and (odd or _SEVENTEEN_DIGITS in looked or (b"\xc2" in data and b"\xc2\xad" in data)),
        odd or b"\x00" in looked,
    )


def may_hold_format(data: bytes) -> bool:
    """Whether UTF-8 ``data`` may hold a format character (:data:`FORMATS`); False only when
    it holds none (the quick look of :func:`shown`, for a reader deciding whether to look
    closer)."""
    looked = data.translate(_LOOK)
    return (
        b"\x01" in looked
        or (b"\xc2" in data and b"\xc2\xad" in data)
        or (b"\x02" in looked and _FORMAT_OR_WIDE_DIGIT.search(looked) is not None)
    )


def _whole_id_number(shape: str) -> bool:
    """Whether 18 ID-shaped characters are an ID number in full: a known province, a real
    birth date, the ISO 7064 MOD 11-2 check character (GB 11643-1999)."""
    if shape[:2] not in _PROVINCES:
        return False
    try:
        _dt.date(int(shape[6:10]), int(shape[10:12]), int(shape[12:14]))
    except ValueError:
        return False
    total = sum(int(ch) * w for ch, w in zip(shape[:17], _ID_WEIGHTS, strict=True))
    return shape[17].upper() == _ID_CHECKS[total % 11]


def mask_id_number(value: str) -> str:
    """Mask an ID number for display, keeping the first 6 and the last 4 characters (spaces
    dropped, full-width characters read as ASCII).

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
    """``text`` with every ID number in it masked (full-width digits read as digits; format
    characters inside one go with it).

    An ID shape with a Latin letter right before or after it is masked when it is an ID
    number in full (province, real birth date, check character); codes of letters and digits
    stay as they are.

    >>> mask_id_numbers("check character should be R, got 5 (410902197804154305)")
    'check character should be R, got 5 (410902********4305)'
    >>> mask_id_numbers("ZL201912256873.4, 91410902MA44P5T29U, 1500000.00")
    'ZL201912256873.4, 91410902MA44P5T29U, 1500000.00'
    >>> mask_id_numbers("濮阳市华瑞ID410902196905177253公司")
    '濮阳市华瑞ID410902********7253公司'
    """
    if not _quick_look(text)[0]:
        return text
    return _masked_id_numbers(text)


def _masked_id_numbers(text: str) -> str:
    """The careful way: full-width digits read as ASCII (the whole text made NFKC, when it
    holds an ID number so written), format characters seen through, every ID shape masked."""
    plain = unicodedata.normalize("NFKC", text) if _WIDE_DIGITS.search(text) else text
    shape = _ID_SHAPE_SPLIT if FORMATS.search(plain) else _ID_SHAPE
    found = shape.sub(_mask_match, plain)
    return text if found == plain else found


def _mask_match(match: re.Match[str]) -> str:
    found, text, start, end = match.group(), match.string, match.start(), match.end()
    digits = FORMATS.sub("", found)  # what splits an ID number goes with it
    if (start > 0 and text[start - 1] in _LATIN) or (end < len(text) and text[end] in _LATIN):
        if not _whole_id_number(digits):
            return found
    return mask_id_number(digits)


def escape_controls(text: str) -> str:
    r"""``text`` with every control character but tab and line feed, and every format character
    (:data:`FORMATS`), written out as ``\uXXXX`` (a form that stays valid inside JSON text).

    >>> escape_controls("刘\x1b]0;x\x07志刚\tok\n")
    '刘\\u001b]0;x\\u0007志刚\tok\n'
    >>> escape_controls("\u202e352771509691209014")
    '\\u202e352771509691209014'
    """
    if not _quick_look(text)[1]:
        return text
    return _escaped(text)


def _escaped(text: str) -> str:
    if text.startswith(BYTE_ORDER_MARK):  # it starts a CSV for Excel: no text, nothing to hide
        return BYTE_ORDER_MARK + _ESCAPED.sub(_escape, text[1:])
    return _ESCAPED.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # as JSON writes it: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def shown(text: str) -> str:
    r"""``text`` as it may be written out: ID numbers masked, control and format characters
    escaped.

    >>> shown("王敏 410902196905177253\x1b[2J")
    '王敏 410902********7253\\u001b[2J'
    >>> shown("王敏 4109021969\u200b05177253\u202e")
    '王敏 410902********7253\\u202e'
    """
    id_number, odd = _quick_look(text)
    if id_number:
        text = _masked_id_numbers(text)  # NFKC and masking bring no control or format character in
    return _escaped(text) if odd else text


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
