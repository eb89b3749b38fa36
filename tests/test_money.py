"""Money is read only in the contract's form: digits, commas between groups of three, a dot and
at most two decimals (full-width typing made plain first). Anything else is refused with the
reason — never read as some other amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.money import MAX_AMOUNT, MoneyError, parse_money, to_money
from engine.yamlio import ExponentForm

ACCEPTED = [
    ("1500000.00", "1500000.00"),
    ("1500000", "1500000.00"),
    ("1,500,000.00", "1500000.00"),
    ("1,500,000", "1500000.00"),
    ("999,999.9", "999999.90"),
    ("  250000.5 ", "250000.50"),
    ("１５０００００．００", "1500000.00"),  # full-width digits and dot
    ("１，５００，０００．００", "1500000.00"),  # full-width comma
    ("\u3000120000.00\u3000", "120000.00"),  # ideographic spaces
    ("0.01", "0.01"),
    ("999,999,999,999.99", "999999999999.99"),
    (1500000, "1500000.00"),
    (Decimal("1234567.89"), "1234567.89"),
]


@pytest.mark.parametrize(("written", "amount"), ACCEPTED)
def test_the_contract_form_is_read_exactly(written: object, amount: str) -> None:
    assert parse_money(written) == Decimal(amount)
    assert str(parse_money(written)) == amount


REFUSED = [
    # a separator in the wrong place is refused, never stripped
    ("1500000,00", "a comma may only separate thousands"),
    ("1,5,0,0.00", "a comma may only separate thousands"),
    ("15,00,000.00", "a comma may only separate thousands"),
    ("1,500,000,00", "a comma may only separate thousands"),
    ("1.500.000,00", "a comma may only separate thousands"),
    ("1 500 000.00", "not an amount of money"),
    # exponents, infinities, not-a-number
    ("1e26", "not as an exponent"),
    ("1.5E+6", "not as an exponent"),
    ("NaN", "not an amount of money"),
    ("-inf", "not an amount of money"),
    ("Infinity", "not an amount of money"),
    (".nan", "not an amount of money"),
    # currency and units: amounts are yuan
    ("USD 250000.00", "without currency or unit"),
    ("¥250000", "without currency or unit"),
    ("￥250000.00", "without currency or unit"),
    ("250000.00元", "without currency or unit"),
    ("RMB250000", "without currency or unit"),
    ("25万", "not in 万 or 亿"),
    ("1.2亿", "not in 万 or 亿"),
    # precision and sign
    ("1500000.125", "at most two decimal places"),
    ("1500000.120", "at most two decimal places"),
    ("-1500000.00", "cannot be negative"),
    ("1000000000000.00", "too large: at most 999,999,999,999.99 yuan"),
    ("", "not an amount of money"),
    ("١٢٣", "not an amount of money"),  # Arabic-Indic digits are not the contract's digits
    (1.5, "not a float"),
    (True, "not a bool"),
    (10**40, "too large"),
    (ExponentForm("1E+400"), "not as an exponent"),
    (Decimal("NaN"), "not an amount of money"),
    (Decimal("Infinity"), "not an amount of money"),
    ([1500000], "money must be a decimal string"),
]


@pytest.mark.parametrize(("written", "reason"), REFUSED)
def test_anything_else_is_refused_with_its_reason(written: object, reason: str) -> None:
    with pytest.raises(MoneyError) as info:
        parse_money(written)
    assert reason in info.value.message


def test_the_messages_and_hints_exactly() -> None:
    with pytest.raises(MoneyError) as info:
        parse_money("USD 250000.00")
    assert (info.value.message, info.value.hint) == (
        "an amount is a number of yuan, without currency or unit: 'USD 250000.00'",
        'amounts are in yuan (元); write only the number, e.g. "250000.00"',
    )
    with pytest.raises(MoneyError) as info:
        parse_money("1500000,00")
    assert info.value.message == (
        "a comma may only separate thousands (1,500,000.00), never stand for the decimal point "
        "or sit elsewhere: '1500000,00'"
    )
    assert info.value.hint == 'write yuan as digits, a dot and at most two decimals: "1500000.00" or "1,500,000.00"'
    with pytest.raises(MoneyError) as info:
        parse_money("9" * 5000)
    assert info.value.message.startswith("too large: at most 999,999,999,999.99 yuan, got 9999")
    assert info.value.message.endswith("… (5,000 characters)")


def test_positive_amounts_must_be_above_zero() -> None:
    assert parse_money("0.00") == Decimal("0.00")
    with pytest.raises(MoneyError, match="must be greater than 0, got 0.00"):
        parse_money("0.00", positive=True)


def test_to_money_refuses_what_is_not_money() -> None:
    assert to_money(Decimal("0.005")) == Decimal("0.01")
    with pytest.raises(MoneyError):
        to_money("NaN")


AMOUNTS = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False)


@given(AMOUNTS)
def test_every_amount_reads_back_in_every_form_it_may_be_written(amount: Decimal) -> None:
    plain = f"{amount:.2f}"
    grouped = f"{amount:,.2f}"
    full_width = grouped.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    assert parse_money(plain) == parse_money(grouped) == parse_money(full_width) == amount


@given(AMOUNTS, st.integers(min_value=0, max_value=20))
def test_a_comma_out_of_place_is_never_read_as_some_amount(amount: Decimal, where: int) -> None:
    text = f"{amount:.2f}"
    digits = text.split(".")[0]
    position = where % (len(text) + 1)
    moved = text[:position] + "," + text[position:]
    grouped_ok = moved == f"{amount:,.2f}" or (
        "," in moved.split(".")[0] and moved.split(".")[0].replace(",", "") == digits and _grouped(moved.split(".")[0])
    )
    if grouped_ok:
        assert parse_money(moved) == amount
    else:
        with pytest.raises(MoneyError):
            parse_money(moved)


def _grouped(integer: str) -> bool:
    head, *rest = integer.split(",")
    return 1 <= len(head) <= 3 and all(len(part) == 3 for part in rest)
