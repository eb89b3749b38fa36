"""How identifiers typed by people are made plain before they are checked.

Chinese input methods and word processors type full-width digits, letters and punctuation
(``ＺＬ２０２０１１４７２８８０．４``) and stray spaces (``９１４１ ０９０２``); Unicode NFKC makes
them the plain characters they stand for, so that a right value is accepted however it was
typed, and a wrong one refused for what is wrong with it. Every malformed identifier raises
:class:`IdentifierError`: a one-line English message showing the value in parentheses (cut
short; an ID number only ever masked) and, where it helps, a hint.
"""

from __future__ import annotations

import functools
import unicodedata
from functools import lru_cache
from typing import Any

from ..errors import InvalidValueError, quoted

__all__ = ["DIGITS", "IdentifierError", "cached", "compact", "plain", "require_text"]

DIGITS = "0123456789"


class IdentifierError(InvalidValueError):
    """A malformed identifier: ``message`` says what is wrong, ``hint`` how to fix it."""


def plain(value: str) -> str:
    """NFKC: full-width and compatibility characters as the plain ones they stand for.

    >>> plain("ＺＬ２０２０１１４７２８８０．４"), plain("９１４１\u30000902")
    ('ZL202011472880.4', '9141 0902')
    """
    return unicodedata.normalize("NFKC", value)


def compact(value: str, drop: str = "") -> str:
    """Plain (NFKC), without whitespace and without the characters in ``drop``.

    >>> compact(" ９１４１ 0902-MA44 ", "-")
    '91410902MA44'
    """
    text = "".join(plain(value).split())  # str.split() splits at exactly what str.isspace() calls space
    for ch in drop:
        text = text.replace(ch, "")
    return text


def require_text(value: object, what: str, shown: str | None = None) -> str:
    """``value`` when it is text; else an IdentifierError saying ``what`` must be text."""
    if isinstance(value, str):
        return value
    raise IdentifierError(
        f"{what} must be text, got {type(value).__name__} ({shown if shown is not None else quoted(value)})",
        "write it in quotes so it is read as text, not as a number",
    )


def cached(fn: Any) -> Any:
    """Remember the answers for hashable arguments (identifiers repeat across a batch);
    anything else is handled, and refused, as before."""
    remembered = lru_cache(maxsize=8192)(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return remembered(*args, **kwargs)
        except TypeError as exc:
            if "unhashable" not in str(exc):
                raise
            return fn(*args, **kwargs)

    return wrapper
