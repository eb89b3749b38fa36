"""Patent numbers (CNIPA application numbers with ZL): published vectors, exact reasons, properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from engine.model.normalize import IdentifierError
from engine.model.patent_numbers import KIND_BY_TYPE_DIGIT, PatentNumber, parse_patent_number, patent_check_digit


def ref_patent_check(digits: str) -> str:
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    rest = sum(int(d) * weights[i % 12] for i, d in enumerate(digits)) % 11
    return "X" if rest == 10 else str(rest)


def reason(call, *args, **kwargs) -> IdentifierError:
    with pytest.raises(IdentifierError) as info:
        call(*args, **kwargs)
    return info.value


def test_reference_implementation_agrees_with_a_published_example():
    assert ref_patent_check("95115608") == "X"


# --- patent numbers --------------------------------------------------------------------

VALID_PATENTS = [
    # value, canonical number, year, type digit, kind, pct
    ("ZL202010123456.2", "ZL202010123456.2", 2020, 1, "invention", False),
    ("202010123456.2", "ZL202010123456.2", 2020, 1, "invention", False),
    ("ZL202121234567.7", "ZL202121234567.7", 2021, 2, "utility_model", False),
    ("202230345678.9", "ZL202230345678.9", 2022, 3, "design", False),
    ("201980080001.2", "ZL201980080001.2", 2019, 8, "invention", True),
    ("202390090012.0", "ZL202390090012.0", 2023, 9, "utility_model", True),
    ("ZL202010000005.X", "ZL202010000005.X", 2020, 1, "invention", False),
    ("85100001", "ZL85100001", 1985, 1, "invention", False),
    ("ZL95115608.X", "ZL95115608.X", 1995, 1, "invention", False),
    ("97101765.4", "ZL97101765.4", 1997, 1, "invention", False),
    ("ZL 2023 1 0397744.0", "ZL202310397744.0", 2023, 1, "invention", False),
    ("cn202010123456.2", "ZL202010123456.2", 2020, 1, "invention", False),
    ("zl95115608.x", "ZL95115608.X", 1995, 1, "invention", False),
    ("2023211609569", "ZL202321160956.9", 2023, 2, "utility_model", False),
]


@pytest.mark.parametrize(("value", "number", "year", "type_digit", "kind", "pct"), VALID_PATENTS)
def test_valid_patent_numbers(value, number, year, type_digit, kind, pct):
    parsed = parse_patent_number(value)
    assert parsed == PatentNumber(number, number[2:], year, type_digit, kind, pct)


@pytest.mark.parametrize(
    "value",
    [
        "ZL202011472880.4",
        "ZL202111118032.8",
        "ZL 2014 1 0026192.3",
        "ZL 2024 1 0040777.4",
        "ZL 201210442457.9",
        "ZL202210110472.7",
        "ZL 2025 1 1400055.6",
        "201710601862.3",
        "2017101580440",
        "2022106357271",
        "202511963728.9",
        "202610516233X",
    ],
)
def test_real_patent_numbers_validate(value):
    assert parse_patent_number(value).number.startswith("ZL")


INVALID_PATENTS = [
    ("ZL202010123456.7", "check digit should be 2, got 7 (ZL202010123456.7)"),
    ("202010123456.0", "check digit should be 2, got 0 (202010123456.0)"),
    ("202123456789.0", "check digit should be 6, got 0 (202123456789.0)"),
    ("ZL202040123456.1", "type digit 4 is not a CNIPA patent type (ZL202040123456.1)"),
    ("202040123456.1", "type digit 4 is not a CNIPA patent type (202040123456.1)"),
    (
        "ZL20201012345.6",
        "a patent application number has 12 digits (8 before 2003-10-01), found 11 (ZL20201012345.6)",
    ),
    (
        "04101234.5",
        "an 8-digit application number cannot have year 04: from 2003-10-01 numbers have 12 digits (04101234.5)",
    ),
    ("202010123456", "check digit missing: the number should end in .2 (202010123456)"),
    ("202010000000.3", "serial number 0000000 is never issued, serials start at 1 (202010000000.3)"),
    (
        "ZL199910123456.1",
        "a 12-digit application number cannot have year 1999: the 12-digit "
        "form started on 2003-10-01 (ZL199910123456.1)",
    ),
    ("95115608", "check digit missing: the number should end in .X (95115608)"),
    ("85100001.X", "check digit should be 0, got X (85100001.X)"),
    ("CN116455754B", "unexpected character 'B' in a patent number (CN116455754B)"),
    ("ZL202010123456..2", "a patent number is digits, a dot and one check digit (ZL202010123456..2)"),
]


@pytest.mark.parametrize(("value", "message"), INVALID_PATENTS)
def test_invalid_patent_numbers(value, message):
    err = reason(parse_patent_number, value)
    assert err.message == message
    assert err.hint


def test_type_hint_lists_the_types_and_publication_numbers_are_explained():
    assert reason(parse_patent_number, "ZL202040123456.1").hint == (
        "type digits: 1 invention, 2 utility model, 3 design, 8 PCT invention, 9 PCT utility model"
    )
    assert "publication numbers" in (reason(parse_patent_number, "CN116455754B").hint or "")


def test_patent_number_given_as_a_float_is_refused():
    err = reason(parse_patent_number, 202010123456.2)
    assert err.message.startswith("a patent number must be text, got float")


def test_patent_check_digit_helper():
    assert patent_check_digit("202010123456") == "2"
    assert patent_check_digit("202010000005") == "X"
    assert reason(patent_check_digit, "2020１0123456").message.startswith("a check digit")
    assert reason(patent_check_digit, "").message.startswith("a check digit")


def test_kind_by_type_digit():
    assert KIND_BY_TYPE_DIGIT == {
        1: "invention",
        2: "utility_model",
        3: "design",
        8: "invention",
        9: "utility_model",
    }


patents_12 = st.tuples(st.integers(2004, 2030), st.sampled_from([1, 2, 3, 8, 9]), st.integers(1, 9_999_999)).map(
    lambda t: f"{t[0]}{t[1]}{t[2]:07d}"
)


@given(patents_12, st.sampled_from(["", "ZL", "zl", "CN", "ZL "]), st.booleans())
def test_generated_patent_numbers_parse(digits, prefix, spaced):
    check = ref_patent_check(digits)
    body = f"{digits[:4]} {digits[4]} {digits[5:]}" if spaced else digits
    parsed = parse_patent_number(f"{prefix}{body}.{check.lower()}")
    type_digit = int(digits[4])
    assert parsed.number == f"ZL{digits}.{check}"
    assert parsed.application_number == f"{digits}.{check}"
    assert parsed.year == int(digits[:4])
    assert parsed.type_digit == type_digit
    assert (
        parsed.kind == {1: "invention", 8: "invention", 2: "utility_model", 9: "utility_model", 3: "design"}[type_digit]
    )
    assert parsed.pct is (type_digit >= 8)
    assert parse_patent_number(parsed.number) == parsed


@given(patents_12, st.integers(0, 12), st.sampled_from("0123456789X"))
def test_changing_one_patent_digit_invalidates(digits, pos, new):
    number = f"ZL{digits}.{ref_patent_check(digits)}"
    index = 2 + pos if pos < 12 else len(number) - 1  # a digit, or the check digit
    assume(new != number[index])
    with pytest.raises(IdentifierError):
        parse_patent_number(number[:index] + new + number[index + 1 :])


@given(st.sampled_from([*range(85, 100), 0, 1, 2, 3]), st.sampled_from([1, 2, 3, 8, 9]), st.integers(1, 99_999))
def test_generated_old_patent_numbers(yy, type_digit, serial):
    digits = f"{yy:02d}{type_digit}{serial:05d}"
    parsed = parse_patent_number(f"{digits}.{ref_patent_check(digits)}")
    assert parsed.year == (1900 + yy if yy >= 85 else 2000 + yy)
    if yy in (85, 86, 87, 88):
        assert parse_patent_number(digits).number == f"ZL{digits}"
    else:
        assert reason(parse_patent_number, digits).message.startswith("check digit missing")


@given(st.integers(4, 84), st.sampled_from([1, 2, 3]), st.integers(1, 99_999))
def test_old_form_after_2003_is_invalid(yy, type_digit, serial):
    digits = f"{yy:02d}{type_digit}{serial:05d}"
    err = reason(parse_patent_number, f"{digits}.{ref_patent_check(digits)}")
    assert err.message.startswith(f"an 8-digit application number cannot have year {yy:02d}")


@given(patents_12, st.sampled_from([0, 4, 5, 6, 7]))
def test_undefined_type_digits_are_rejected(digits, type_digit):
    digits = digits[:4] + str(type_digit) + digits[5:]
    err = reason(parse_patent_number, f"{digits}.{ref_patent_check(digits)}")
    assert err.message.startswith(f"type digit {type_digit} is not a CNIPA patent type")


@given(
    st.from_regex(r"ZL[0-9]{4}[0-9][0-9]{7}\.[0-9X]", fullmatch=True)
    | st.from_regex(r"ZL20[0-9]{2}[12389][0-9]{7}\.[0-9X]", fullmatch=True)
    | st.sampled_from(["ZL202310397744.0", "ZL200310000000.0", "ZL200210397744.1", "ZL202340397744.6"])
)
def test_the_canonical_form_is_read_quickly_as_the_careful_reading_reads_it(number: str) -> None:
    """A number in the form the engine writes is checked without the careful reading's steps
    (spaces, full-width characters, prefixes): the same number, or the same refusal."""
    from engine.model.patent_numbers import _parse_patent_number

    def outcome(parse: Any) -> Any:
        try:
            return parse(number)
        except IdentifierError as exc:
            return (exc.message, exc.hint)

    assert outcome(parse_patent_number.__wrapped__) == outcome(_parse_patent_number)
    assert patent_check_digit(number[2:14]) == ref_patent_check(number[2:14])


@given(st.from_regex(r"[0-9]{1,30}", fullmatch=True))
def test_the_check_digit_of_any_run_of_digits_is_the_reference_one(digits: str) -> None:
    assert patent_check_digit(digits) == ref_patent_check(digits)
