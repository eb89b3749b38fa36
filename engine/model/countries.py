"""Countries and regions as ISO 3166-1 alpha-2 codes, checked against the standard's list.

The list is pycountry's copy of ISO 3166-1 (the Debian iso-codes data), not one typed here,
read from its data file when first needed (importing pycountry itself costs a cold command
a tenth of its time: it reads every installed package's metadata for its own version).
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

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
    if code not in _alpha_2():
        hint = f"the ISO code is {_NOT_ISO[code]}" if code in _NOT_ISO else "see the ISO 3166-1 alpha-2 list"
        raise IdentifierError(f"{code} is not an ISO 3166 country code", hint)
    return code


@lru_cache(maxsize=1)
def _alpha_2() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code, from pycountry's data file (from pycountry itself if the
    file is not where this version of it keeps it)."""
    spec = importlib.util.find_spec("pycountry")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        data = Path(folder) / "databases" / "iso3166-1.json"
        if data.is_file():
            return frozenset(c["alpha_2"] for c in json.loads(data.read_bytes())["3166-1"])
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)
