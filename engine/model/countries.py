"""Countries and regions as ISO 3166-1 alpha-2 codes, checked against the standard's list.

The list is pycountry's copy of ISO 3166-1 (the Debian iso-codes data), not one typed here.
"""

from __future__ import annotations

import pycountry

from ..errors import quoted
from .normalize import IdentifierError, compact, require_text

__all__ = ["normalize_country"]

# Codes people use that ISO 3166-1 reserves for something else (exceptionally reserved).
_NOT_ISO = {"UK": "GB", "EL": "GR"}


def normalize_country(value: object) -> str:
    """An ISO 3166-1 alpha-2 code in upper case (full-width letters and spaces made plain).

    >>> normalize_country(" ｃｎ "), normalize_country("de")
    ('CN', 'DE')
    >>> normalize_country("UK")
    Traceback (most recent call last):
    ...
    engine.model.normalize.IdentifierError: UK is not an ISO 3166 country code
    """
    code = compact(require_text(value, "a country")).upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise IdentifierError(
            f"a country is an ISO 3166 two-letter code such as CN, got {quoted(value)}",
            "CN China, HK Hong Kong, TW Taiwan, US, DE, JP, KR, GB …",
        )
    if pycountry.countries.get(alpha_2=code) is None:
        hint = f"the ISO code is {_NOT_ISO[code]}" if code in _NOT_ISO else "see the ISO 3166-1 alpha-2 list"
        raise IdentifierError(f"{code} is not an ISO 3166 country code", hint)
    return code
