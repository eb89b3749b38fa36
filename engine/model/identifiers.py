"""Identifiers an application carries, one module each; this module gathers them.

* credit codes (统一社会信用代码, GB 32100): :mod:`engine.model.credit_codes`
* patent numbers (CNIPA): :mod:`engine.model.patent_numbers`
* resident ID numbers (GB 11643): :mod:`engine.model.id_numbers`
* divisions (GB/T 2260 codes; names from the ruleset's ``divisions.yaml``): :mod:`engine.model.divisions`
* countries (ISO 3166-1): :mod:`engine.model.countries`

Each is made plain first (:mod:`engine.model.normalize`: NFKC, stray spaces) and every
malformed value raises :class:`IdentifierError`, an :class:`~engine.errors.InvalidValueError`.
"""

from __future__ import annotations

from .countries import normalize_country
from .credit_codes import (
    CREDIT_CODE_ALPHABET,
    credit_code_category,
    credit_code_check_char,
    legal_form,
    normalize_credit_code,
)
from .divisions import Division, Gazetteer, division_code
from .id_numbers import mask_id_number, normalize_id_number
from .normalize import IdentifierError
from .patent_numbers import KIND_BY_TYPE_DIGIT, PatentNumber, parse_patent_number, patent_check_digit

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "KIND_BY_TYPE_DIGIT",
    "Division",
    "Gazetteer",
    "IdentifierError",
    "PatentNumber",
    "credit_code_category",
    "credit_code_check_char",
    "division_code",
    "legal_form",
    "mask_id_number",
    "normalize_country",
    "normalize_credit_code",
    "normalize_id_number",
    "parse_patent_number",
    "patent_check_digit",
]
