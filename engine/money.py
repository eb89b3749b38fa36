"""Money: ``Decimal`` yuan, two places, half-up at the fen. Never a float.

>>> to_money("1500000")
Decimal('1500000.00')
>>> percent_of(Decimal("1234567.89"), Decimal("0.10"))
Decimal('123456.79')
>>> to_fen(Decimal("0.10")), from_fen(12345)
(10, Decimal('123.45'))
>>> format_yuan(Decimal("1200000"))
'1,200,000.00'
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import InvalidValueError, quoted
from .yamlio import ExponentForm

__all__ = [
    "FEN",
    "MAX_AMOUNT",
    "MoneyError",
    "format_yuan",
    "from_fen",
    "parse_money",
    "percent_of",
    "to_fen",
    "to_money",
]

FEN = Decimal("0.01")

MAX_AMOUNT = Decimal("999999999999.99")
"""The largest amount read: a fen under a trillion yuan. Every amount is then exact as
integer fen in the inference engine (below 2**53) and in every sum of a batch."""


class MoneyError(InvalidValueError):
    """A value that cannot be an amount of money."""


def to_money(value: Decimal | int | str) -> Decimal:
    """Quantize to the fen, half-up."""
    try:
        amount = Decimal(value)
        if amount.is_finite():
            return amount.quantize(FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        pass
    raise MoneyError(f"not an amount of money: {quoted(value)}")


# The contract's form: digits, optionally grouped in threes by commas, a dot and the fen.
_FORM = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_CURRENCY = re.compile(r"[A-Za-z¥$€£元圆万亿]")
_FORM_HINT = 'write yuan as digits, a dot and at most two decimals: "1500000.00" or "1,500,000.00"'


def _form_error(text: str, value: object) -> MoneyError:
    """Why ``text`` (normalised) is not written as the contract writes money."""
    shown = quoted(value)
    if _EXPONENT.fullmatch(text):
        return MoneyError(
            f"an amount is written in full, not as an exponent: {shown}", _FORM_HINT, code="money_exponent", got=shown
        )
    if re.fullmatch(r"[+-]?\.?(nan|inf|infinity)", text, flags=re.IGNORECASE):
        return MoneyError(f"not an amount of money: {shown}", _FORM_HINT, code="money_form", got=shown)
    if "万" in text or "亿" in text:
        return MoneyError(
            f"amounts are in yuan, not in 万 or 亿: {shown}",
            'write the whole number of yuan: 25万 is "250000.00"',
            code="money_unit",
            got=shown,
        )
    if _CURRENCY.search(text):
        return MoneyError(
            f"an amount is a number of yuan, without currency or unit: {shown}",
            'amounts are in yuan (元); write only the number, e.g. "250000.00"',
            code="money_currency",
            got=shown,
        )
    if "," in text:
        return MoneyError(
            f"a comma may only separate thousands (1,500,000.00), never stand for the decimal point "
            f"or sit elsewhere: {shown}",
            _FORM_HINT,
            code="money_comma",
            got=shown,
        )
    return MoneyError(f"not an amount of money: {shown}", _FORM_HINT, code="money_form", got=shown)


def parse_money(value: object, *, positive: bool = False) -> Decimal:
    """Read money as the contract writes it: a decimal string of yuan, or a plain number.

    Full-width digits and punctuation are made plain first (NFKC). Accepted: digits with
    an optional comma between every group of three, a dot and at most two decimals. Refused,
    never guessed at: a separator anywhere else, an exponent, NaN or infinity, a currency sign
    or unit, a binary float, a negative sum, more than two decimals, more than
    :data:`MAX_AMOUNT`. Raises :class:`MoneyError` saying which.

    >>> parse_money("1500000.00"), parse_money("１，５００，０００．００")
    (Decimal('1500000.00'), Decimal('1500000.00'))
    >>> parse_money("1500000,00")
    Traceback (most recent call last):
    ...
    engine.money.MoneyError: a comma may only separate thousands (1,500,000.00), never stand for the decimal point \
or sit elsewhere: '1500000,00'
    >>> parse_money("0.125")
    Traceback (most recent call last):
    ...
    engine.money.MoneyError: at most two decimal places (fen) are allowed, got 0.125
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(
            f'money must be a decimal string such as "1500000.00", not a {type(value).__name__}',
            code="money_type",
        )
    if isinstance(value, ExponentForm):
        raise MoneyError(
            f"an amount is written in full, not as an exponent: {value}", _FORM_HINT, code="money_exponent", got=value
        )
    if isinstance(value, int):
        if abs(value) > MAX_AMOUNT:  # before str(): an integer may have thousands of digits
            raise MoneyError(
                f"too large: at most {format_yuan(MAX_AMOUNT)} yuan",
                code="money_too_large",
                most=format_yuan(MAX_AMOUNT),
            )
        amount = Decimal(value)
        written = str(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(f"not an amount of money: {value}", _FORM_HINT, code="money_form", got=value)
        amount = value
        written = str(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if not _FORM.fullmatch(text):
            raise _form_error(text, value)
        amount = Decimal(text.replace(",", ""))
        written = text
    else:
        raise MoneyError(f"money must be a decimal string, got {type(value).__name__}", code="money_type")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        shown = quoted(written, bare=True)
        raise MoneyError(f"at most two decimal places (fen) are allowed, got {shown}", code="money_decimals", got=shown)
    if amount < 0:
        shown = quoted(written, bare=True)
        raise MoneyError(f"money cannot be negative, got {shown}", code="money_negative", got=shown)
    if amount > MAX_AMOUNT:
        most = format_yuan(MAX_AMOUNT)
        raise MoneyError(
            f"too large: at most {most} yuan, got {quoted(written, bare=True)}", code="money_too_large", most=most
        )
    if positive and amount == 0:
        shown = quoted(written, bare=True)
        raise MoneyError(f"must be greater than 0, got {shown}", code="money_zero", got=shown)
    return amount.quantize(FEN)


def percent_of(base: Decimal, rate: Decimal) -> Decimal:
    """``base × rate``, exact, then half-up to the fen."""
    return (base * rate).quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    """Integer fen, the only money the inference engine sees."""
    return int(amount.quantize(FEN) * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def format_yuan(amount: Decimal) -> str:
    """Thousands separators, two places: the form reviewers read."""
    return f"{to_money(amount):,.2f}"
