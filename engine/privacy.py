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
* text about to reach a terminal or a file: :func:`shown`, ID numbers masked and control and
  invisible characters written out (``\\u001b``, ``\\u200b``), so that no output sets a
  terminal's title, clears it, forges or reorders a line.

An ID number is found however it is typed: full-width (``４１０９…``, ``…１０６Ｘ``), split by
invisible characters (:data:`FORMATS`), in groups parted by spaces, hyphens or dots.

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
    "INVISIBLE_RANGES",
    "escape_controls",
    "mask_id_number",
    "mask_id_numbers",
    "masked",
    "may_hold_format",
    "shown",
]

# Every character drawn as nothing: Unicode's format characters (General_Category Cf) and its
# Default_Ignorable_Code_Point property, as of Unicode 15.1, first and last code point of each
# range. Sources: UnicodeData.txt (Cf) and DerivedCoreProperties.txt (Default_Ignorable_Code_Point),
# Unicode 15.1.0. Written out rather than asked of ``unicodedata``, whose answer depends on the
# Python running (3.11 has Unicode 14, where U+13439-1343F are not yet Cf; 3.12 has 15.0).
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    # Cf
    (0x00AD, 0x00AD),  # SOFT HYPHEN
    (0x0600, 0x0605),  # ARABIC NUMBER SIGN..ARABIC NUMBER MARK ABOVE
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x06DD, 0x06DD),  # ARABIC END OF AYAH
    (0x070F, 0x070F),  # SYRIAC ABBREVIATION MARK
    (0x0890, 0x0891),  # ARABIC POUND MARK ABOVE..ARABIC PIASTRE MARK ABOVE
    (0x08E2, 0x08E2),  # ARABIC DISPUTED END OF AYAH
    (0x180E, 0x180E),  # MONGOLIAN VOWEL SEPARATOR
    (0x200B, 0x200F),  # ZERO WIDTH SPACE..RIGHT-TO-LEFT MARK
    (0x202A, 0x202E),  # LEFT-TO-RIGHT EMBEDDING..RIGHT-TO-LEFT OVERRIDE
    (0x2060, 0x2064),  # WORD JOINER..INVISIBLE PLUS
    (0x2066, 0x206F),  # LEFT-TO-RIGHT ISOLATE..NOMINAL DIGIT SHAPES
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (byte-order mark)
    (0xFFF9, 0xFFFB),  # INTERLINEAR ANNOTATION ANCHOR..TERMINATOR
    (0x110BD, 0x110BD),  # KAITHI NUMBER SIGN
    (0x110CD, 0x110CD),  # KAITHI NUMBER SIGN ABOVE
    (0x13430, 0x1343F),  # EGYPTIAN HIEROGLYPH VERTICAL JOINER..END WALLED ENCLOSURE (1343x: Unicode 15)
    (0x1BCA0, 0x1BCA3),  # SHORTHAND FORMAT LETTER OVERLAP..UP STEP
    (0x1D173, 0x1D17A),  # MUSICAL SYMBOL BEGIN BEAM..END PHRASE
    (0xE0001, 0xE0001),  # LANGUAGE TAG
    (0xE0020, 0xE007F),  # TAG SPACE..CANCEL TAG
    # Default_Ignorable_Code_Point that is not Cf
    (0x034F, 0x034F),  # COMBINING GRAPHEME JOINER (Mn)
    (0x115F, 0x1160),  # HANGUL CHOSEONG FILLER..JUNGSEONG FILLER (Lo)
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ..AA (Mn)
    (0x180B, 0x180D),  # MONGOLIAN FREE VARIATION SELECTOR ONE..THREE (Mn)
    (0x180F, 0x180F),  # MONGOLIAN FREE VARIATION SELECTOR FOUR (Mn)
    (0x2065, 0x2065),  # reserved
    (0x3164, 0x3164),  # HANGUL FILLER (Lo)
    (0xFE00, 0xFE0F),  # VARIATION SELECTOR-1..16 (Mn)
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER (Lo)
    (0xFFF0, 0xFFF8),  # reserved
    (0xE0000, 0xE0000),  # reserved
    (0xE0002, 0xE001F),  # reserved
    (0xE0080, 0xE0FFF),  # reserved, VARIATION SELECTOR-17..256 (E0100-E01EF, Mn), reserved
)
"""Invisible characters: ``(first, last)`` code points of Unicode 15.1's format characters
(Cf) and default-ignorable code points (the module's notes name the sources)."""

_FORMAT_CLASS = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in INVISIBLE_RANGES)
FORMATS = re.compile(f"[{_FORMAT_CLASS}]")
"""Invisible characters (:data:`INVISIBLE_RANGES`): drawn as nothing, yet they split what they
stand in (U+200B ZERO WIDTH SPACE, U+00AD SOFT HYPHEN, U+034F COMBINING GRAPHEME JOINER, U+FE0F
VARIATION SELECTOR-16, U+3164 HANGUL FILLER, U+FEFF…) or reorder a line (the bidirectional
controls, :data:`BIDI`). Refused in what is read, seen through in an ID number, never written
raw to an output."""

BYTE_ORDER_MARK = "\ufeff"
"""U+FEFF starting a document (a CSV starts with one, for Excel) is a byte-order mark, written
as it is by whatever writes the document; inside a text it is a format character like the others."""

BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The bidirectional controls among :data:`FORMATS`: a right-to-left override (U+202E) shows
what follows it reversed, so a line can read as something else than it holds."""

# The 18 characters of an ID number: 6 digits of division (provinces are 11-83), the birth date
# YYYYMMDD, 3 of sequence, a check character; "~" stands where invisible characters may split it,
# "%" where the groups written 6-8-4 may be parted, both by one space, ideographic space, hyphen
# or dot (410902 19690517 7253).
_ID_PARTS = (
    r"[1-8]~[0-9]~[0-9]~[0-9]~[0-9]~[0-9]~%(?:1~8|1~9|2~0)~[0-9]~[0-9]~(?:0~[1-9]|1~[0-2])"
    r"~(?:0~[1-9]|[12]~[0-9]|3~[01])~%[0-9]~[0-9]~[0-9]~[0-9Xx]"
)
_SEPARATOR = "[ \u3000.\\-]"
_SEPARATORS = re.compile(_SEPARATOR)

# Two digits on either side of an ID shape make a longer number, never an ID number; a Latin
# letter right before or after one may be a word typed against it (ID410902…) or a code made of
# letters and digits (a credit code, a hash), and groups parted by separators may be an amount
# or a phone number: the shape is then masked only when it is an ID number in full
# (:func:`_whole_id_number`). So is one that is a credit code in full (:func:`_credit_code`).
_ID_SHAPE = re.compile(
    "(?<![0-9])"
    + _ID_PARTS.replace("%", f"({_SEPARATOR})?", 1).replace("%", "(?(1)\\1)").replace("~", "")
    + "(?![0-9])"
)
_ID_SHAPE_SPLIT = re.compile(
    "(?<![0-9])"
    + _ID_PARTS.replace("%", f"(?:({_SEPARATOR})~)?", 1).replace("%", "(?(1)\\1~)").replace("~", f"[{_FORMAT_CLASS}]*")
    + "(?![0-9])"
)
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WIDE = re.compile("[\uff10-\uff19\uff38\uff58]")  # full-width digits, Ｘ, ｘ: the text is then read as NFKC

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
# passed through), by ``bytes.translate``, substring searches and patterns with a literal first
# byte, all in C (~12 µs):
# an ID number needs 17 ASCII digits, dots or hyphens in a row (all read as 0), or 8 digits
# between two spaces or two ideographic spaces (a space, E3 and 80 all read as 03: ``E3 80 80``
# too) — once a text with a full-width digit or Ｘ (U+FF10-FF19, FF38, FF58: ``EF BC 90-99``,
# ``EF BC B8``, ``EF BD 98``) or an invisible character has been sent the careful way —; a
# control character is a byte 00-08, 0B-1F or 7F, or a character led by C2 (U+0080-00BF, C1
# among them) or ED (U+D000-DFFF, surrogates among them); an invisible character is U+00AD
# (``C2 AD``), a character led by CD (U+0340-037F), D8, DB, DC (U+0600-073F), E0, E1
# (U+0800-1FFF), F0 or F3 (beyond U+FFFF), or one of U+200B-200F, U+202A-202E, U+2060-206F
# (``E2 80 8B-8F``, ``E2 80 AA-AE``, ``E2 81 A0-AF``), U+FE00-FE0F (``EF B8 80-8F``), U+FEFF
# (``EF BB BF``), U+FFA0 (``EF BE A0``), U+FFF0-FFFB (``EF BF B0-BB``) and U+3164 (looked for
# in the text itself: ``E3`` leads most Chinese punctuation).
# A text the quick look passes holds none of them; one it stops goes through the patterns.
_CONTROL_BYTES = bytes(range(0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f\xc2\xed"
_FORMAT_LEADS = b"\xcd\xd8\xdb\xdc\xe0\xe1\xf0\xf3"
_LOOK = bytes.maketrans(
    b"123456789.- \xe3\x80" + _CONTROL_BYTES + _FORMAT_LEADS + b"\xe2\xef",
    b"0" * 11 + b"\x03" * 3 + b"\x00" * len(_CONTROL_BYTES) + b"\x01" * len(_FORMAT_LEADS) + b"\x02\x02",
)
_SEVENTEEN_DIGITS = b"0" * 17
_SPACED_DIGITS = b"\x03" + b"0" * 8 + b"\x03"
_HANGUL_FILLER = "\u3164"
# after E2 or EF (both read as 02; the rest of a character is left as it is, 80 read as 03): an
# invisible character or a full-width digit or Ｘ, and a few characters of neither (U+2F10-2F19, U+2EFF,
# U+2FF9-2FFB, U+F00B-F00F…), which only send a text the careful way
_FORMAT_OR_WIDE_DIGIT = re.compile(
    rb"\x02(?:\x03[\x8b-\x8f\xaa-\xae]|\x81[\xa0-\xaf]|\xbc[\x90-\x99\xb8]|\xbd\x98|\xb8[\x03\x81-\x8f]"
    rb"|\xbb\xbf|\xbe\xa0|\xbf[\xb0-\xbb])"
)


def _quick_look(text: str) -> tuple[bool, bool]:
    """(whether ``text`` may hold an ID number, whether it may hold a control or an invisible
    character)."""
    data = text.encode("utf-8", "surrogatepass")
    looked = data.translate(_LOOK)
    odd = (
        b"\x01" in looked
        or (b"\x02" in looked and _FORMAT_OR_WIDE_DIGIT.search(looked) is not None)
        or _HANGUL_FILLER in text
    )
    return (
        odd  # NFKC may make a short text longer (⑲: 19)
        or (
            len(text) >= 18
            and (_SEVENTEEN_DIGITS in looked or (b"\xc2" in data and b"\xc2\xad" in data) or _SPACED_DIGITS in looked)
        ),
        odd or b"\x00" in looked,
    )


def may_hold_format(data: bytes) -> bool:
    """Whether UTF-8 ``data`` may hold an invisible character (:data:`FORMATS`); False only when
    it holds none (the quick look of :func:`shown`, for a reader deciding whether to look
    closer)."""
    looked = data.translate(_LOOK)
    return (
        b"\x01" in looked
        or (b"\xc2" in data and b"\xc2\xad" in data)
        or (b"\x02" in looked and _FORMAT_OR_WIDE_DIGIT.search(looked) is not None)
        or (b"\xe3" in data and b"\xe3\x85\xa4" in data)  # U+3164
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
    """``text`` with every ID number in it masked (full-width digits and Ｘ read as ASCII;
    invisible characters inside one go with it); the rest of ``text`` as it was.

    An ID shape with a Latin letter right before or after it, or written in groups 6-8-4
    parted twice by the same space, hyphen or dot, is masked when it is an ID number in full
    (province, real birth date, check character); codes of letters and digits, amounts and
    phone numbers stay as they are.

    >>> mask_id_numbers("check character should be R, got 5 (410902197804154305)")
    'check character should be R, got 5 (410902********4305)'
    >>> mask_id_numbers("ZL201912256873.4, 91410902MA44P5T29U, 1500000.00")
    'ZL201912256873.4, 91410902MA44P5T29U, 1500000.00'
    >>> mask_id_numbers("濮阳市华瑞ID410902196905177253公司")
    '濮阳市华瑞ID410902********7253公司'
    >>> mask_id_numbers("身份证 410902 19690517 7253，已核实")
    '身份证 410902********7253，已核实'
    """
    if not _quick_look(text)[0]:
        return text
    return _masked_id_numbers(text)


def _masked_id_numbers(text: str) -> str:
    """The careful way: every ID shape masked, invisible characters seen through; in a text
    holding a full-width digit or Ｘ, each character read as NFKC makes it (４: 4, ⑲: 19) while
    looking. Only the characters of an ID number change: the rest stays as typed."""
    owner: list[int] | None = None
    plain = text
    if _WIDE.search(text):
        pieces = [ch if ch.isascii() else unicodedata.normalize("NFKC", ch) for ch in text]
        plain = "".join(pieces)
        owner = [i for i, piece in enumerate(pieces) for _ in piece]  # the character each comes from
    shape = _ID_SHAPE_SPLIT if FORMATS.search(plain) else _ID_SHAPE
    parts: list[str] = []
    done = 0
    for match in shape.finditer(plain):
        masked = _mask_of(match)
        if masked is None:
            continue
        start, end = match.span()
        if owner is not None:
            start, end = owner[start], owner[end - 1] + 1
        parts += (text[done:start], masked)
        done = end
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


def _mask_of(match: re.Match[str]) -> str | None:
    """The masked form of an ID shape, or None when it is left as it is."""
    found, text, start, end = match.group(), match.string, match.start(), match.end()
    digits = FORMATS.sub("", found)  # what splits an ID number goes with it
    parted = _SEPARATORS.search(digits) is not None
    if parted:
        digits = _SEPARATORS.sub("", digits)
    if not _whole_id_number(digits):
        beside = (start > 0 and text[start - 1] in _LATIN) or (end < len(text) and text[end] in _LATIN)
        if parted or beside or _credit_code(digits):
            return None
    return mask_id_number(digits)


def _credit_code(shape: str) -> bool:
    """Whether 18 ID-shaped characters are a credit code in full, its check character being the
    GB 32100 one (ISO 7064 MOD 31-3: weights 3^i mod 31): the code of an institution registered in
    a division whose code ends in 18-20 (121101…) can have an ID number's shape. An ID number in
    full is masked all the same. (Checked here: the model's own check quotes the code in its
    errors, whose messages are masked by this module.)"""
    total = sum(_CREDIT_VALUE[ch] * w for ch, w in zip(shape[:17], _CREDIT_WEIGHTS, strict=True))
    return shape[17].upper() == _CREDIT_ALPHABET[-total % 31]


_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {ch: value for value, ch in enumerate(_CREDIT_ALPHABET)}
_CREDIT_WEIGHTS = tuple(3**i % 31 for i in range(17))


def escape_controls(text: str) -> str:
    r"""``text`` with every control character but tab and line feed, and every invisible
    character (:data:`FORMATS`, a byte-order mark among them), written out as ``\uXXXX`` (a
    form that stays valid inside JSON text).

    >>> escape_controls("刘\x1b]0;x\x07志刚\tok\n")
    '刘\\u001b]0;x\\u0007志刚\tok\n'
    >>> escape_controls("\u202e352771509691209014")
    '\\u202e352771509691209014'
    """
    if not _quick_look(text)[1]:
        return text
    return _escaped(text)


def _escaped(text: str) -> str:
    return _ESCAPED.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # as JSON writes it: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def shown(text: str) -> str:
    r"""``text`` as it may be written out: ID numbers masked, control and invisible characters
    escaped (a document's own byte-order mark is its writer's to add).

    >>> shown("王敏 410902196905177253\x1b[2J")
    '王敏 410902********7253\\u001b[2J'
    >>> shown("王敏 4109021969\u200b05177253\u202e")
    '王敏 410902********7253\\u202e'
    """
    id_number, odd = _quick_look(text)
    if id_number:
        text = _masked_id_numbers(text)  # masking brings no control or invisible character in
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
