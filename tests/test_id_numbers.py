"""Resident ID numbers (GB 11643): published vectors, exact reasons, masking, properties."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from engine.model.id_numbers import mask_id_number, normalize_id_number
from engine.model.normalize import IdentifierError


def ref_id_check(body17: str) -> str:
    rest = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body17)) % 11
    value = (12 - rest) % 11
    return "X" if value == 10 else str(value)


def reason(call, *args, **kwargs) -> IdentifierError:
    with pytest.raises(IdentifierError) as info:
        call(*args, **kwargs)
    return info.value


def test_reference_implementation_agrees_with_a_published_example():
    assert ref_id_check("11010519491231002") == "X"


# --- resident ID numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("440524188001010014", "440524188001010014"),
        ("410902 20000229 0019", "410902200002290019"),
    ],
)
def test_valid_id_numbers(value, canonical):
    assert normalize_id_number(value) == canonical


INVALID_IDS = [
    ("110105194912310021", "check character should be X, got 1 (110105********0021)"),
    ("11010519491331002X", "the birth date in positions 7-14 is not a real date (110105********002X)"),
    ("410902190002290011", "the birth date in positions 7-14 is not a real date (410902********0011)"),
    ("110105299912310021", "the birth date in positions 7-14 is in the future (110105********0021)"),
    ("110105179912310021", "the birth date in positions 7-14 is before 1800 (110105********0021)"),
    ("1101051949123100", "an ID number has 18 characters, found 16 (110105********00)"),
    ("110105491231002", "15-digit first-generation ID numbers are no longer valid (110105********2)"),
    ("1101051949123100XX", "character 'X' at position 17 is not a digit (110105********00XX)"),
    ("11010519491231002Y", "the last character must be a digit or X, got 'Y' (110105********002Y)"),
]


@pytest.mark.parametrize(("value", "message"), INVALID_IDS)
def test_invalid_id_numbers(value, message):
    err = reason(normalize_id_number, value)
    assert err.message == message
    assert err.hint


def test_id_number_given_as_a_number_is_refused_without_revealing_it():
    err = reason(normalize_id_number, 440524188001010014)
    assert err.message == "an ID number must be text, got int (440524********0014)"


def test_mask_id_number_examples():
    assert mask_id_number("41090219900101123X") == "410902********123X"
    assert mask_id_number("41090219900101123x") == "410902********123X"
    assert mask_id_number("") == ""
    assert mask_id_number("1234567") == "*******"


ids = st.tuples(
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.dates(dt.date(1900, 1, 1), dt.date.today()),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
).map(lambda t: f"{t[0]}{t[1]:%Y%m%d}{t[2]}")


@given(ids, st.booleans())
def test_generated_id_numbers_validate(body, lower):
    number = body + ref_id_check(body)
    assert normalize_id_number(number.lower() if lower else number) == number


@given(ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_changing_one_id_character_invalidates(body, pos, new):
    number = body + ref_id_check(body)
    assume(new != number[pos])
    with pytest.raises(IdentifierError):
        normalize_id_number(number[:pos] + new + number[pos + 1 :])


@given(ids)
def test_masking_never_reveals_the_middle(body):
    number = body + ref_id_check(body)
    masked = mask_id_number(number)
    assert masked == number[:6] + "*" * 8 + number[14:]
    assert number[6:14] not in masked


@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_id_errors_never_reveal_the_middle(number):
    try:
        normalize_id_number(number)
    except IdentifierError as err:
        assert number[6:14] not in err.message
        assert number[6:14] not in (err.hint or "")


@given(st.text())
def test_mask_never_raises_and_hides_at_least_eight(text):
    compact = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace()).upper()
    masked, size = mask_id_number(text), len(compact)
    hidden = min(8, size)
    shapes = {
        compact[:head] + "*" * (size - head - tail) + compact[size - tail :]
        for head in range(7)
        for tail in range(5)
        if size - head - tail >= hidden
    }
    assert masked in shapes
