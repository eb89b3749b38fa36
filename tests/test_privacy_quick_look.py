"""The quick look of :mod:`engine.privacy` (UTF-8 bytes, translated, searched) never lets
through a text the patterns would change: what is shown is what the patterns alone make of it."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.privacy import CONTROLS, escape_controls, mask_id_number, mask_id_numbers, shown

_ID_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])[1-8][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)


def _patterns_alone(text: str) -> str:
    if re.search("[\uff10-\uff19]", text):
        text = unicodedata.normalize("NFKC", text)
    text = _ID_SHAPE.sub(lambda m: mask_id_number(m.group()), text)
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


ID = "410902196905177253"
WIDE_ID = "".join(chr(0xFF10 + int(d)) for d in ID[:17]) + "3"
pieces = st.sampled_from(
    [
        ID,
        ID[:17] + "X",
        WIDE_ID,
        "1" * 17,
        "2022-07-01",
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


@settings(max_examples=600, deadline=None)
@given(texts)
@example("x" * 20 + ID)
@example(WIDE_ID + "\x1b")
@example("王敏 410902196905177253\x1b[2J")
def test_shown_is_what_the_patterns_alone_make(text: str) -> None:
    assert shown(text) == _patterns_alone(text)
    assert escape_controls(mask_id_numbers(text)) == _patterns_alone(text)


def test_a_long_line_without_id_number_or_control_comes_back_as_it_was() -> None:
    line = '{"claim":1,"patent":"ZL201914209487.2","amount":"500000.00","explanation":"授权日 2021-11-16（有效）"}' * 60
    assert shown(line) is line
    assert shown(line + ID).endswith("410902********7253")
