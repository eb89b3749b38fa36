"""A JSON Lines record read in one pass reads exactly as the careful parser reads it.

Screening reads plain records (:mod:`engine.reading.plain`) with the standard parser and
everything else with the careful one; whichever it takes, the application, its canonical
input and every problem reported must be the same.
"""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import load_rulebook
from engine.errors import ApplicationError
from engine.generate import generate_many
from engine.reading import Entry, LineReader, Source, iter_sources, read_record, read_validated
from engine.reading.limits import MAX_TEXT_CHARS, MAX_VALUES
from engine.reading.plain import PLAIN_BYTES, _has_control, load_plain, plain_application
from engine.store import record_json

RULEBOOK = load_rulebook()
BAD = Path(__file__).resolve().parent / "bad_inputs"


def test_a_plain_record_cannot_pass_a_limit() -> None:
    assert PLAIN_BYTES < MAX_TEXT_CHARS
    assert PLAIN_BYTES // 2 < MAX_VALUES  # a value takes two bytes at least (one, and a comma)


@pytest.mark.parametrize(
    "line",
    [
        '{"a": 1.5}',  # a fraction: Decimal for the careful parser
        '{"a": [1, 2e3]}',  # an exponent
        '{"a": NaN}',
        '{"a": -Infinity}',
        '{"a": 1234567890123456789012345678901}',  # more digits than a number may hold
        '{"a": 1, "a": 2}',  # a duplicate key
        '{"a": "x' + "y" * PLAIN_BYTES + '"}',  # too long to be sure of the limits
        '{"a": 1',  # malformed
    ],
)
def test_what_is_not_plain_goes_to_the_careful_parser(line: str) -> None:
    assert load_plain(line.encode(), line) is None


def test_plain_data_is_the_data() -> None:
    line = '{"id": "PY-1", "n": [1, -2, 30], "t": "1.5 and NaN in a text", "x": null}'
    assert load_plain(line.encode(), line) == json.loads(line)


def _variants(seed: int) -> list[dict[str, Any]]:
    """Generated applications, some of them bent: floats, duplicate-looking fields, bad values."""
    rng = random.Random(seed)
    out = []
    for data in generate_many(300, seed=seed):
        out.append(data)
        bent = copy.deepcopy(data)
        claim = bent["claims"][0]
        choice = rng.randrange(5)
        if choice == 0:
            claim["transaction_amount"] = 1234.5  # a JSON number with a fraction: read as Decimal
        elif choice == 1:
            bent["submitted_on"] = "2024-02-30"
        elif choice == 2:
            claim["patent"]["number"] = claim["patent"]["number"][:-1] + "0"
        elif choice == 3:
            bent["applicant"]["name"] = "  " + bent["applicant"]["name"] + "\u3000"
        else:
            bent["claims"] = bent["claims"] * 2
        out.append(bent)
    return out


def _read_both(entry: Any, lines: LineReader) -> tuple[Any, Any]:
    try:
        careful: Any = read_record(entry, RULEBOOK)
        careful = (careful, record_json(careful.canonical()))
    except ApplicationError as exc:
        careful = exc.problems
    try:
        found = read_validated(entry, RULEBOOK, lines)
        one_pass: Any = (found.application, found.canonical)
    except ApplicationError as exc:
        one_pass = exc.problems
    return careful, one_pass


def test_every_record_reads_the_same_either_way(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) for d in _variants(3)]
    lines.insert(5, lines[4].replace('"format": 1', '"format": 1, "format": 1'))  # a duplicate key
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = 0
    with LineReader() as opened:
        for entry in iter_sources([batch], keep_text=False):
            careful, one_pass = _read_both(entry, opened)
            assert careful == one_pass, entry.source
            read += 1
    assert read == len(lines)


def test_the_bad_inputs_read_the_same_either_way() -> None:
    with LineReader() as opened:
        for entry in iter_sources([BAD], keep_text=False):
            if entry.skipped is None:
                careful, one_pass = _read_both(entry, opened)
                assert careful == one_pass, entry.source


def test_a_generated_record_is_validated_straight_from_its_bytes() -> None:
    for data in generate_many(50, seed=5):
        line = json.dumps(data, ensure_ascii=False).encode()
        found = plain_application(line, RULEBOOK, "batch.jsonl", 1)
        assert found is not None
        assert found == read_record_of(line)


def read_record_of(line: bytes) -> Any:
    from engine.reading import Source
    from engine.reading.reader import Entry

    return read_record(Entry(Source("batch.jsonl", 1, 0, len(line)), None, line), RULEBOOK)


def _bent_by_hand(base: str) -> list[str]:
    """Records the one-pass validation must not take: each differs from the data in a way
    only a careful reading sees, or is wrong in a way it must not say first."""
    return [
        base.replace('"format": 1', '"format": true'),
        base.replace('"format": 1', '"format": "1"'),
        base.replace('"format": 1', '"format": 1, "format": 1'),  # a duplicate key
        base.replace('"format": 1', '"format" : 1, "format": 1'),  # a duplicate with a space before its colon
        base.replace('"format": 1', '"format": 1, "x": ":", "format": 1'),  # and a text starting with a colon
        base.replace('"id": "', '"id": "\\u0050'),  # an escape
        base.replace('"id": "', '"id": ":'),
        base.replace('"claims": [', '"claims": "not a list", "z": ['),
        base.replace('"submitted_on": "', '"submitted_on": " '),
        base.replace('"program": "', '"program": " ', 1),
        base.replace('"program": "', '"program": "x', 1),
        "\ufeff" + base,
        base + " ",
        "[" + base + "]",
    ]


def test_records_bent_by_hand_read_the_same_either_way(tmp_path: Path) -> None:
    base = json.dumps(next(iter(generate_many(1, seed=9))), ensure_ascii=False)
    lines = _bent_by_hand(base)
    batch = tmp_path / "bent.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with LineReader() as opened:
        for entry in iter_sources([batch], keep_text=False):
            careful, one_pass = _read_both(entry, opened)
            assert careful == one_pass, entry.source
    duplicate = lines[2].encode()
    assert plain_application(duplicate, RULEBOOK, "bent.jsonl", 3) is None


@given(st.binary(max_size=64), st.sampled_from([b"", b"\x00", b"\x1f", b"\x7f", b"\xc2\x80", b"\xc2\x9f", b"\xc2\xa0"]))
def test_a_control_character_is_found_as_the_pattern_finds_it(data: bytes, mark: bytes) -> None:
    """The quick look for control characters (C0, DEL, C1 in UTF-8) finds exactly what the
    pattern of them finds, wherever they stand."""
    pattern = re.compile(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]")
    for text in (data, data + mark, mark + data, data[:3] + mark + data[3:]):
        assert _has_control(text) == (pattern.search(text) is not None)


@pytest.mark.parametrize(
    "value, shown", [("yes", "'yes'"), (1, "1"), (0, "0"), ([True], "[True]"), ({"a": 1}, "{'a': 1}")]
)
def test_a_yes_or_no_that_is_not_one_is_refused_in_words_either_way(value: Any, shown: str) -> None:
    data = copy.deepcopy(next(iter(generate_many(1, seed=11))))
    data["applicant"]["infringement_record"] = value
    for ascii_only in (False, True):  # straight from the bytes; escaped, so the careful way
        line = json.dumps(data, ensure_ascii=ascii_only).encode()
        with pytest.raises(ApplicationError) as caught:
            read_validated(Entry(Source("batch.jsonl", 4, 0, len(line)), None, line), RULEBOOK)
        problems = [(p.line, p.path, p.message) for p in caught.value.problems]
        assert problems == [(4, "applicant.infringement_record", f"must be true or false, got {shown}")]
