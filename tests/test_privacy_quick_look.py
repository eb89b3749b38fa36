"""The quick look of :mod:`engine.privacy` (UTF-8 bytes, translated, searched) never lets
through a text the careful way would change: what is shown is what the careful way alone,
written here character by character from Unicode's own categories, makes of it."""

from __future__ import annotations

import datetime
import re
import sys
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.privacy import BIDI, FORMATS, escape_controls, mask_id_numbers, may_hold_format, shown

# every format character (Cf) of this Python's Unicode
_CF = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
# Unicode's Default_Ignorable_Code_Point beyond Cf (DerivedCoreProperties.txt, 15.1), written here
# apart from the engine's list; and the format characters Unicode 15 added (Cf on Python 3.12)
_IGNORABLE = [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x2065, 0x3164, 0xFFA0]
_IGNORABLE += [*range(0xFE00, 0xFE10), *range(0xFFF0, 0xFFF9), *range(0xE0000, 0xE1000)]
_UNICODE_15_CF = list(range(0x13439, 0x13440))
_INVISIBLE = frozenset(_CF) | {chr(c) for c in _IGNORABLE + _UNICODE_15_CF}
_INVISIBLE_CLASS = "[" + "".join(re.escape(ch) for ch in sorted(_INVISIBLE)) + "]*"
_PARTED = "[ \u3000.\\-]"
_ATOMS = (
    r"[1-8]~[0-9]~[0-9]~[0-9]~[0-9]~[0-9]~%(?:1~8|1~9|2~0)~[0-9]~[0-9]~(?:0~[1-9]|1~[0-2])"
    r"~(?:0~[1-9]|[12]~[0-9]|3~[01])~%[0-9]~[0-9]~[0-9]~[0-9Xx]"
)
_ID_SHAPE = re.compile(  # parted both times by the same character, or not at all
    r"(?<![0-9])"
    + _ATOMS.replace("%", f"(?:(?P<parted>{_PARTED})~)?", 1)
    .replace("%", "(?(parted)(?P=parted)~)")
    .replace("~", _INVISIBLE_CLASS)
    + r"(?![0-9])"
)
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
_PROVINCES |= {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}


def _id_number_in_full(digits: str) -> bool:
    try:
        datetime.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(digits[:17]))  # ISO 7064 MOD 11-2
    return int(digits[:2]) in _PROVINCES and digits[17].upper() == "10X98765432"[total % 11]


def _credit_code_in_full(chars: str) -> bool:
    """GB 32100: the 18th character checks the other 17 (weights 3^i mod 31)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(ch) * (3**i % 31) for i, ch in enumerate(chars[:17]))
    return chars[17].upper() == alphabet[-total % 31]


def _masked(match: re.Match[str]) -> str | None:
    text, start, end = match.string, match.start(), match.end()
    kept = [ch for ch in match.group() if ch not in _INVISIBLE]
    digits = "".join(ch for ch in kept if ch not in " \u3000.-")
    latin = re.compile("[A-Za-z]")
    beside = (start > 0 and latin.match(text[start - 1])) or (end < len(text) and latin.match(text[end]))
    if (beside or len(kept) > 18 or _credit_code_in_full(digits)) and not _id_number_in_full(digits):
        return None
    return digits[:6].upper() + "********" + digits[14:].upper()


def _escaped(ch: str) -> str:
    if ch in "\t\n" or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _INVISIBLE):
        return ch
    units = ch.encode("utf-16-be", "surrogatepass")  # as JSON writes it: a surrogate pair beyond U+FFFF
    return "".join(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2))


def _careful_way(text: str) -> str:
    """Each character read as NFKC makes it when the text holds a full-width digit, Ｘ or ｘ
    (whatever the text's length), every ID shape in what is read masked in the characters it
    was read from, the rest as it was; then every control and invisible character escaped."""
    read = [(ch, i) for i, typed in enumerate(text) for ch in unicodedata.normalize("NFKC", typed)]
    if not any("\uff10" <= ch <= "\uff19" or ch in "\uff38\uff58" for ch in text):
        read = [(ch, i) for i, ch in enumerate(text)]
    plain = "".join(ch for ch, _ in read)
    out, done = "", 0
    for match in _ID_SHAPE.finditer(plain):
        masked = _masked(match)
        if masked is not None:
            first, last = read[match.start()][1], read[match.end() - 1][1]
            out, done = out + text[done:first] + masked, last + 1
    return "".join(_escaped(ch) for ch in out + text[done:])


ID = "410902196905177253"
WIDE_ID = "".join(chr(0xFF10 + int(d)) for d in ID[:17]) + "3"
pieces = st.sampled_from(
    [
        ID,
        ID[:17] + "X",
        ID[:17] + "0",  # a wrong check character
        "11010519491231002x",
        "990902196905177253",  # no province (a credit code in full: its check character holds)
        "990902196905177254",
        "121101194001011007",  # a credit code (an institution's) in an ID number's shape
        "410902199902297253",  # no such day
        WIDE_ID,
        "1" * 17,
        ID[:6],
        ID[6:14],
        ID[14:],
        "2022-07-01",
        "91410902MA44P5T29U",
        "ZL201912256873.4",
        "ID",
        "abc",
        "x",
        "Ｉ",
        "\u200b",
        "\u00ad",
        "\u2060",
        "\ufeff",
        "\u202e",
        "\u2066",
        "\u0600",
        "\u180e",
        "\ufff9",
        "\U000e0001",
        "\u2f10",  # led by E2 BC 90, like a full-width digit's EF BC 90
        "\u034f",  # invisible, not Cf: Default_Ignorable_Code_Point
        "\ufe0f",
        "\ufe00",
        "\u3164",
        "\uffa0",
        "\u115f",
        "\u17b4",
        "\u180b",
        "\U000e0100",
        "\U00013439",  # Cf from Unicode 15
        "\ufff0",
        "\u0370",  # led by CD, like U+034F
        "\u3000",
        "\u3001",
        "-",
        ".",
        ID[:6] + " " + ID[6:14] + " " + ID[14:],
        ID[:6] + "-" + ID[6:14] + "-" + ID[14:17],
        ID[:6] + "\u3000" + ID[6:14] + "\u3000",
        ID[:6] + " " + ID[6:14] + "." + ID[14:],  # parted twice, not alike
        ID[:6] + " " + ID[6:],
        "0393-8888888",
        "Ｘ",  # full-width check characters
        "ｘ",
        "⑩",  # NFKC makes them longer: two digits, or more
        "⑲",
        "㉑",
        "㊶",
        "⒈",
        "⑴",
        "Ⅲ",
        "㎡",
        "，",
        "\uf00b",
        "“",
        "…",
        "（",
        "：",
        "·",
        "\x1b",
        "\x85",
        "\x9f",
        "\ud800",
        "\t",
        "\n",
        "\u00a0",
        "\ud55c",
        "濮阳",
        "a",
        "0",
        "9",
        " ",
        '"',
    ]
)
texts = st.lists(st.one_of(pieces, st.text(max_size=6)), max_size=24).map("".join)


@settings(max_examples=1500, deadline=None)
@given(texts)
@example("x" * 20 + ID)
@example(WIDE_ID + "\x1b")
@example("王敏 410902196905177253\x1b[2J")
@example("濮阳市华瑞ID410902196905177253公司")
@example("ＩＤ" + WIDE_ID)
@example("abc" + ID[:6] + "\u200b" + ID[6:] + "def")
@example("\u202e" + ID[::-1])
@example("\ufeffsection,program\n\ufeff")
@example("㊶０９０２⑲６９０５⑰７２５３")  # 15 characters NFKC makes an ID number
@example(ID[:17] + "Ｘ")
@example(ID[:6] + "\u3000" + ID[6:14] + "\u3000" + ID[14:])
@example("身份证" + WIDE_ID + "，技术在濮阳实现产业化")
@example(ID[:6] + "\u034f" + ID[6:] + "\ufe0f")
@example(ID[:6] + "\u00ad" + ID[6:14] + "\u2060" + ID[14:] + "\U000e0001")
def test_shown_is_what_the_careful_way_makes(text: str) -> None:
    assert shown(text) == _careful_way(text)
    assert escape_controls(mask_id_numbers(text)) == _careful_way(text)


def test_the_invisible_characters_are_unicodes_own() -> None:
    """Every Cf of the Python running, and every default-ignorable code point, whatever
    Unicode version the Python running has (3.11: 14.0, 3.12: 15.0)."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if 0xD800 > c or c > 0xDFFF)
    assert set(FORMATS.findall(every)) == _INVISIBLE
    assert [ch for ch in _CF if not FORMATS.fullmatch(ch)] == []
    assert "".join(BIDI.findall(every)) == "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_a_long_line_without_id_number_or_control_comes_back_as_it_was() -> None:
    line = '{"claim":1,"patent":"ZL201914209487.2","amount":"500000.00",'
    line = (line + '"explanation":"授权日 2021-11-16（有效）“专利”…"}') * 60
    assert shown(line) is line
    assert shown(line + ID).endswith("410902********7253")


def test_what_splits_an_id_number_goes_with_it() -> None:
    assert mask_id_numbers("吴" + ID[:9] + "\u200b\u2060" + ID[9:] + "\u200b") == "吴410902********7253\u200b"


@settings(max_examples=500, deadline=None)
@given(texts)
@example("a\u00adb")
@example("\U000e0041")
def test_a_reader_looking_for_format_characters_misses_none(text: str) -> None:
    if any(ch in _INVISIBLE for ch in text):
        assert may_hold_format(text.encode("utf-8", "surrogatepass"))
