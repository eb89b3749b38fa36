"""Credit codes (统一社会信用代码, GB 32100): published vectors, exact reasons, properties.

Check characters in the properties are computed here from the formulas in the domain notes
(derived differently from the module's tables), so a wrong table in the module shows up.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from engine.model.credit_codes import (
    CREDIT_CODE_ALPHABET,
    credit_code_category,
    credit_code_check_char,
    normalize_credit_code,
)
from engine.model.normalize import IdentifierError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def ref_credit_check(body17: str) -> str:
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body17))
    return ALPHABET[(31 - total % 31) % 31]


def ref_org_check(body8: str) -> str:
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body8]
    rest = 11 - sum(v * w for v, w in zip(values, [3, 7, 9, 10, 5, 8, 4, 2], strict=True)) % 11
    return "X" if rest == 10 else "0" if rest == 11 else str(rest)


def reason(call, *args, **kwargs) -> IdentifierError:
    with pytest.raises(IdentifierError) as info:
        call(*args, **kwargs)
    return info.value


def test_reference_implementations_agree_with_published_examples():
    assert ref_credit_check("91410902MA44P5T29") == "U"
    assert ref_org_check("60003734") == "1"


def test_error_is_a_value_error_with_message_and_hint():
    err = IdentifierError("bad thing (x)", "do this")
    assert isinstance(err, ValueError)
    assert (err.message, err.hint, str(err)) == ("bad thing (x)", "do this", "bad thing (x)")
    assert IdentifierError("only message").hint is None


# --- 统一社会信用代码 ---------------------------------------------------------------------

VALID_CREDIT_CODES = [
    "91410902MA44P5T29U",
    "91410922174806127W",
    "91410928MA9GKL3N16",
    "91350100M000100Y43",
    "91410900MA40WQ2E7J",
    "92410923MA45R7YB1X",
    "93410926MA3X8K1C5R",
    "91410927MA46CJ0U2H",
    "91410971MA47B2DK21",
    "91410972MA47C8FW5G",
    # real codes
    "91110000600037341L",
    "91440300708461136T",
    "914403001922038216",
    "91350200MA2YJ1XR9G",
    "9135021359498494XQ",
    "123502001549897397",
    "12440300MB2C92173E",
]


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_valid_credit_codes(code, strict):
    assert normalize_credit_code(code, strict=strict) == code
    assert credit_code_check_char(code[:17]) == code[17]


INVALID_CREDIT_CODES = [
    ("91410902MA44P5T29W", False, "check character should be U, got W (91410902MA44P5T29W)"),
    ("91410902MA44P5TI9U", False, "letter I is not used in credit codes (position 16) (91410902MA44P5TI9U)"),
    ("91410902MA44P5T29V", False, "letter V is not used in credit codes (position 18) (91410902MA44P5T29V)"),
    ("91410902MA44P5T29", False, "a credit code has 18 characters, found 17 (91410902MA44P5T29)"),
    (
        "94410902MA44P5T2XG",
        True,
        "category 4 does not exist under registration authority 9 (94410902MA44P5T2XG)",
    ),
    ("91410902MA44P5T2XR", True, "organisation code check character should be 9, got X (91410902MA44P5T2XR)"),
    # real-world anomaly: issued, but fails the check (needs a manual override elsewhere)
    ("91350203M0001QAY9B", False, "check character should be 9, got B (91350203M0001QAY9B)"),
    ("9141A902MA44P5T29U", False, "check character should be P, got U (9141A902MA44P5T29U)"),
    (
        "91410902MA44P5T2*U",
        False,
        "character '*' is not used in credit codes (position 17) (91410902MA44P5T2*U)",
    ),
    ("", False, "a credit code has 18 characters, found 0 ()"),
]


@pytest.mark.parametrize(("code", "strict", "message"), INVALID_CREDIT_CODES)
def test_invalid_credit_codes(code, strict, message):
    err = reason(normalize_credit_code, code, strict=strict)
    assert err.message == message
    assert err.hint


@pytest.mark.parametrize("code", ["94410902MA44P5T2XG", "91410902MA44P5T2XR"])
def test_strict_only_faults_pass_by_default(code):
    assert normalize_credit_code(code) == code


def test_division_part_must_be_digits():
    body = "9141A902MA44P5T29"
    code = body + ref_credit_check(body)
    err = reason(normalize_credit_code, code)
    assert err.message == f"positions 3-8 must be digits (a division code), found 41A902 ({code})"


def test_unknown_registration_authority_in_strict_mode():
    body = "B1410902MA44P5T29"
    code = body + ref_credit_check(body)
    assert normalize_credit_code(code) == code
    assert reason(normalize_credit_code, code, strict=True).message == (
        f"registration authority B is not defined in GB 32100 ({code})"
    )


def test_credit_code_input_normalisation_and_category():
    assert normalize_credit_code(" 9141-0902 ma44 p5t2 9u ") == "91410902MA44P5T29U"
    assert credit_code_category("92410923ma45r7yb1x") == "92"
    assert credit_code_category("91410902MA44P5T29U") == "91"
    assert reason(credit_code_category, "91410902MA44P5T29W").message.startswith("check")


def test_credit_code_check_char_rejects_bad_bodies():
    assert reason(credit_code_check_char, "9141").message == ("a credit code body has 17 characters, found 4 (9141)")
    assert "letter O" in reason(credit_code_check_char, "9141O902MA44P5T29").message


def test_non_text_credit_code():
    err = reason(normalize_credit_code, 914109021748061270)
    assert err.message.startswith("a credit code must be text, got int")


def _body17() -> st.SearchStrategy[str]:
    letter = st.sampled_from(CREDIT_CODE_ALPHABET)
    digit = st.sampled_from("0123456789")
    return st.tuples(
        st.lists(letter, min_size=2, max_size=2),
        st.lists(digit, min_size=6, max_size=6),
        st.lists(letter, min_size=9, max_size=9),
    ).map(lambda parts: "".join(ch for part in parts for ch in part))


@given(_body17(), st.data())
def test_generated_credit_code_validates_and_round_trips(body, data):
    code = body + ref_credit_check(body)
    assert credit_code_check_char(body) == code[17]
    assert normalize_credit_code(code) == code
    cuts = data.draw(st.lists(st.integers(0, 18), max_size=4))
    messy = code.lower()
    for cut in sorted(cuts, reverse=True):
        messy = messy[:cut] + data.draw(st.sampled_from([" ", "-", "  "])) + messy[cut:]
    assert normalize_credit_code(messy) == code


@given(_body17(), st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET + "IOSVZ*é"))
def test_changing_one_credit_code_character_invalidates(body, pos, new):
    code = body + ref_credit_check(body)
    assume(new != code[pos])
    with pytest.raises(IdentifierError):
        normalize_credit_code(code[:pos] + new + code[pos + 1 :])


@given(
    st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=8, max_size=8),
    st.sampled_from(["91", "92", "93", "12", "51", "N2"]),
    st.sampled_from("0123456789X"),
)
def test_strict_mode_checks_the_organisation_code(org_body, head, wrong):
    good = head + "410902" + org_body + ref_org_check(org_body)
    good += ref_credit_check(good)
    assert normalize_credit_code(good, strict=True) == good
    assume(wrong != good[16])
    bad = good[:16] + wrong
    bad += ref_credit_check(bad)
    assert normalize_credit_code(bad) == bad
    assert reason(normalize_credit_code, bad, strict=True).message.startswith(
        "organisation code check character should be"
    )
