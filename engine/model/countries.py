"""Countries and regions as ISO 3166-1 alpha-2 codes, checked against the standard's list, and
their names.

The list is pycountry's copy of ISO 3166-1 (the Debian iso-codes data), not one typed here,
read from its data file when first needed (importing pycountry itself costs a cold command
a tenth of its time: it reads every installed package's metadata for its own version); so
are the names: English from the list (its common name where it has one), Chinese from the
iso-codes translations pycountry ships (gettext domain ``iso3166-1``, ``zh_CN``). Where that
catalogue is not installed, Chinese text falls back to the English name. The one exception is
how Chinese official usage names Hong Kong, Macao and Taiwan (中国香港, 中国澳门, 中国台湾).
"""

from __future__ import annotations

import gettext
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from ..errors import quoted
from .normalize import IdentifierError, compact, require_text

__all__ = ["code_of_name", "country_name", "normalize_country"]

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
    if code not in _countries():
        hint = f"the ISO code is {_NOT_ISO[code]}" if code in _NOT_ISO else "see the ISO 3166-1 alpha-2 list"
        raise IdentifierError(f"{code} is not an ISO 3166 country code", hint)
    return code


@lru_cache(maxsize=1)
def _package() -> Path | None:
    """pycountry's folder (its data files and translations), found without importing it."""
    spec = importlib.util.find_spec("pycountry")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "databases" / "iso3166-1.json").is_file():
            return Path(folder)
    return None


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """Every ISO 3166-1 alpha-2 code with its (official, common) English name, from pycountry's
    data file (from pycountry itself if the file is not where this version of it keeps it)."""
    folder = _package()
    if folder is not None:
        rows = json.loads((folder / "databases" / "iso3166-1.json").read_bytes())["3166-1"]
        return {c["alpha_2"]: (c["name"], c.get("common_name") or c["name"]) for c in rows}
    import pycountry

    return {c.alpha_2: (c.name, getattr(c, "common_name", None) or c.name) for c in pycountry.countries}


# Chinese official usage for the regions of China the list names as countries: (zh, en)
_REGIONS = {
    "HK": ("中国香港", "Hong Kong, China"),
    "MO": ("中国澳门", "Macao, China"),
    "TW": ("中国台湾", "Taiwan, China"),
}


@lru_cache(maxsize=1)
def _chinese() -> gettext.NullTranslations:
    folder = _package()
    if folder is None:
        import pycountry

        locales = pycountry.LOCALES_DIR
    else:
        locales = str(folder / "locales")
    return gettext.translation("iso3166-1", locales, languages=["zh_CN"], fallback=True)


@lru_cache(maxsize=512)
def country_name(code: str, lang: str = "zh") -> str:
    """The name of the country ``code`` (ISO 3166-1 alpha-2) in Chinese (``zh``) or English;
    the code itself when the list does not know it.

    >>> country_name("VN"), country_name("VN", "en"), country_name("HK"), country_name("KR", "en")
    ('越南', 'Vietnam', '中国香港', 'South Korea')
    """
    zh = lang != "en"
    if code in _REGIONS:
        return _REGIONS[code][0 if zh else 1]
    names = _countries().get(code)
    if names is None:
        return code
    return _chinese().gettext(names[0]) if zh else names[1]


def code_of_name(name: str) -> str | None:
    """The code of the country called ``name`` as :func:`country_name` calls it, in Chinese or
    English, or by its official English name, in any letter case; None for any other text.

    >>> code_of_name("中国"), code_of_name("germany"), code_of_name("中华")
    ('CN', 'DE', None)
    """
    return _names().get(compact(name).casefold())


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, (official, _) in _countries().items():
        for said in (official, country_name(code, "en"), country_name(code, "zh")):
            names.setdefault(compact(said).casefold(), code)
    return names
