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

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import InvalidValueError

__all__ = [
    "FEN",
    "MoneyError",
    "format_yuan",
    "from_fen",
    "parse_money",
    "percent_of",
    "to_fen",
    "to_money",
]

FEN = Decimal("0.01")


class MoneyError(InvalidValueError):
    """A value that cannot be an amount of money."""


def to_money(value: Decimal | int | str) -> Decimal:
    """Quantize to the fen, half-up."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def parse_money(value: object, *, positive: bool = False) -> Decimal:
    """Read money as written in an application: a decimal string or an integer.

    A binary float is refused (it cannot carry an exact amount), as are more
    than two decimal places and negative sums.

    >>> parse_money("1500000.00")
    Decimal('1500000.00')
    >>> parse_money("0.125")
    Traceback (most recent call last):
    ...
    engine.money.MoneyError: at most two decimal places (fen) are allowed, got 0.125
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f'money must be a decimal string such as "1500000.00", not a {type(value).__name__}')
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"not an amount of money: {value!r}") from None
    else:
        raise MoneyError(f"money must be a decimal string, got {type(value).__name__}")
    if not amount.is_finite():
        raise MoneyError(f"not an amount of money: {value!r}")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(FEN):
        raise MoneyError(f"at most two decimal places (fen) are allowed, got {value}")
    if amount < 0:
        raise MoneyError(f"money cannot be negative, got {value}")
    if positive and amount == 0:
        raise MoneyError(f"must be greater than 0, got {value}")
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
