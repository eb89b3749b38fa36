"""The values an application is made of, as people write them: dates, money, names, divisions,
ids, yes/no — each read from the forms the contract allows, made plain (NFKC, stray spaces),
or refused with a message that says why (and, through :func:`fail`, a hint and a field)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator, Strict, ValidationInfo
from pydantic_core import PydanticCustomError

from ..errors import InvalidValueError, quoted
from ..money import parse_money
from ..privacy import mask_id_numbers
from ..yamlio import ExponentForm
from . import identifiers

__all__ = [
    "ApplicationId",
    "Bool",
    "Date",
    "DivisionCode",
    "Money",
    "Name",
    "PositiveMoney",
    "application_id",
    "canonical_name",
    "fail",
    "from_identifier",
    "parse_date",
    "whole_count",
]

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_date(value: Any) -> date:
    """A date as the contract writes it, ``YYYY-MM-DD``, after NFKC and without stray spaces
    (full-width digits and dashes, as Chinese input methods type them, are read the same).

    >>> parse_date("２０２４－０３－１５ "), parse_date(" 2024 - 03 - 15")
    (datetime.date(2024, 3, 15), datetime.date(2024, 3, 15))
    """
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidValueError(
            f"a date is written YYYY-MM-DD, got {quoted(value)}", code="date_form", got=quoted(value)
        )
    if len(value) == 10 and value.isascii() and _DATE.fullmatch(value):  # as the contract writes it
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # said below, as for any other form
    text = "".join(unicodedata.normalize("NFKC", value).split())
    match = _DATE.fullmatch(text)
    if match is None:
        raise InvalidValueError(
            f"a date is written YYYY-MM-DD, got {quoted(value)}", code="date_form", got=quoted(value)
        )
    y, m, d = (int(x) for x in match.groups())
    try:
        return date(y, m, d)
    except ValueError:
        raise InvalidValueError(f"{text} is not a real date", code="date_unreal", got=text) from None


def _money(value: Any) -> Decimal:
    return parse_money(_not_a_float(value))


def _positive_money(value: Any) -> Decimal:
    return parse_money(_not_a_float(value), positive=True)


def _not_a_float(value: Any) -> Any:
    """Money is a decimal string, never a float (CONTRACT.md): a number written with a
    fraction unquoted is a float in YAML and JSON alike, refused with the form to write.
    A whole number is exact and read as it is; an exponent is refused by :func:`parse_money`."""
    if isinstance(value, Decimal) and not isinstance(value, ExponentForm):
        raise fail(
            f"money is a decimal string in yuan, never a float: {value} is written without quotes",
            f'write it in quotes, as text: "{value}"',
            code="money_float",
            got=value,
        )
    return value


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef（）"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


@lru_cache(maxsize=8192)
def canonical_name(value: str) -> str:
    """Names as the rules compare them: NFKC (full-width brackets and letters made
    plain), white space collapsed, and none beside Chinese characters.

    >>> canonical_name(" 濮阳市龙丰（新材料） 有限公司 ")
    '濮阳市龙丰(新材料)有限公司'
    >>> canonical_name("Technische  Universität München")
    'Technische Universität München'
    """
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    return _SPACE_BY_CJK.sub("", text)


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"a name is text, got {type(value).__name__}")
    name = canonical_name(value)
    if not name:
        raise ValueError("a name cannot be empty")
    return name


def _division(value: Any, info: ValidationInfo) -> str:
    """A division as its code: names are read against the places of the ruleset in force
    (the validation context's ``divisions``); without one, only a code is read."""
    places = (info.context or {}).get("divisions")
    try:
        return places.resolve(value).code if places is not None else identifiers.division_code(value)
    except identifiers.IdentifierError as exc:
        raise from_identifier(exc) from None


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


def application_id(value: Any) -> Any:
    """An application id made plain (NFKC, outer spaces), then held to its alphabet; an id
    shaped like a resident ID number is refused (it would be shown whole everywhere)."""
    if not isinstance(value, str):
        return value  # the type check says what is wrong
    text = unicodedata.normalize("NFKC", value).strip()
    if not _ID.fullmatch(text):
        raise fail(
            f"an id is 1 to 80 letters, digits, '-', '_' and '.', starting with a letter or digit; got {quoted(value)}",
            "decision and settlement ids are built from the application id with '/', so it cannot hold one",
        )
    if mask_id_numbers(text) != text:
        raise fail(
            f"an id cannot be a resident ID number, got {quoted(value)}",
            "an application id is shown and recorded in the clear, on every decision and settlement; "
            "number applications as the office does (PY-2024-0001)",
        )
    return text


def fail(
    message: str, hint: str | None = None, field: str | None = None, *, code: str | None = None, **params: object
) -> PydanticCustomError:
    """An error whose message, hint, (for cross-field checks) field, and code with the values
    it names (for a face that words it itself) survive pydantic's wrapping;
    :mod:`engine.reading.validate` turns them into a Problem."""
    named = tuple((k, str(v)) for k, v in params.items())
    ctx = {"message": message, "hint": hint or "", "field": field or "", "code": code or "", "params": named}
    return PydanticCustomError("engine", "{message}", ctx)


def from_identifier(exc: identifiers.IdentifierError) -> PydanticCustomError:
    return fail(exc.message, exc.hint, code=exc.code, **dict(exc.params))


Date = Annotated[date, BeforeValidator(parse_date)]
Money = Annotated[Decimal, BeforeValidator(_money)]
PositiveMoney = Annotated[Decimal, BeforeValidator(_positive_money)]
Name = Annotated[str, BeforeValidator(_name)]
DivisionCode = Annotated[str, BeforeValidator(_division)]
Bool = Annotated[bool, Strict()]  # true or false only: refused as 'bool_type' (the reader says so in words)
ApplicationId = Annotated[str, BeforeValidator(application_id)]


def whole_count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a whole number of persons, got {quoted(value)}")
    return value
