"""统一社会信用代码 (unified social credit codes), GB 32100-2015.

18 characters from ``0123456789ABCDEFGHJKLMNPQRTUWXY``; the last is a mod-31 check character
over the first 17. Positions 3-8 are the registering authority's division, not where the
enterprise is now. Malformed codes raise :class:`~engine.model.normalize.IdentifierError`.
"""

from __future__ import annotations

from operator import mul

from ..errors import quoted
from .normalize import DIGITS, IdentifierError, cached, compact, require_text

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "LEGAL_FORMS",
    "credit_code_category",
    "credit_code_check_char",
    "normalize_credit_code",
]

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CHARS = frozenset(CREDIT_CODE_ALPHABET)
_CREDIT_VALUE = {ch: value for value, ch in enumerate(CREDIT_CODE_ALPHABET)}  # the check table, made once
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_HINT = "a credit code has 18 characters: 2 category, 6 division, 9 organisation code, 1 check character"
_ALPHABET_HINT = (
    "credit codes use digits and the letters A-Z except I, O, S, V and Z "
    "(a misread I is usually 1, O is 0, S is 5, Z is 2)"
)
# Registration authority (position 1) -> (English label, categories allowed at position 2).
_CATEGORIES: dict[str, tuple[str, str]] = {
    "1": ("institutional staffing", "1239"),
    "2": ("foreign affairs", "19"),
    "3": ("justice administration", "123459"),
    "4": ("culture", "19"),
    "5": ("civil affairs", "1239"),
    "6": ("tourism", "129"),
    "7": ("religious affairs", "129"),
    "8": ("trade unions", "19"),
    "9": ("market regulation", "123"),
    "A": ("military staffing", "19"),
    "N": ("agriculture", "1239"),
    "Y": ("other", "1"),
}


def _check_credit_chars(code: str) -> None:
    if _CREDIT_CHARS.issuperset(code):
        return
    for pos, ch in enumerate(code, start=1):
        if ch not in CREDIT_CODE_ALPHABET:
            what = f"letter {ch}" if "A" <= ch <= "Z" else f"character {ch!r}"
            raise IdentifierError(f"{what} is not used in credit codes (position {pos}) ({code})", _ALPHABET_HINT)


def _mod31_check(body: str) -> str:
    if len(body) != len(_CREDIT_WEIGHTS):
        raise ValueError(f"a credit code body has {len(_CREDIT_WEIGHTS)} characters")
    total = sum(map(mul, map(_CREDIT_VALUE.__getitem__, body), _CREDIT_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _org_code_check(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation-code body (A=10 ... Z=35).

    >>> _org_code_check("60003734"), _org_code_check("59498494"), _org_code_check("MA44P5T2")
    ('1', 'X', '9')
    """
    total = sum((int(ch) if ch in DIGITS else ord(ch) - 55) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a credit code.

    >>> credit_code_check_char("91410902MA44P5T29")
    'U'
    >>> credit_code_check_char("91350200ma2yj1xr9")
    'G'
    """
    body = compact(require_text(first17, "a credit code body")).upper()
    if len(body) != 17:
        raise IdentifierError(
            f"a credit code body has 17 characters, found {len(body):,} ({quoted(body, bare=True)})", _CREDIT_HINT
        )
    _check_credit_chars(body)
    return _mod31_check(body)


@cached
def normalize_credit_code(value: str, *, strict: bool = False) -> str:
    """Validate a 统一社会信用代码 and return it in canonical upper case.

    Spaces and hyphens are dropped; positions in messages count what remains. ``strict``
    also checks the category pair (positions 1-2) and the embedded organisation code's own
    check character (position 17), which real codes satisfy but this rule does not require.

    >>> normalize_credit_code("91410902 ma44p5t29u")
    '91410902MA44P5T29U'
    >>> try:
    ...     normalize_credit_code("91410902MA44P5T29W")
    ... except IdentifierError as exc:
    ...     print(exc)
    check character should be U, got W (91410902MA44P5T29W)
    """
    code = compact(require_text(value, "a credit code"), "-").upper()
    if len(code) != 18:
        raise IdentifierError(
            f"a credit code has 18 characters, found {len(code):,} ({quoted(code, bare=True)})",
            _CREDIT_HINT,
            code="credit_code_length",
            found=len(code),
        )
    _check_credit_chars(code)
    expected = _mod31_check(code[:17])
    if code[17] != expected:
        raise IdentifierError(
            f"check character should be {expected}, got {code[17]} ({code})",
            "re-copy the code from the business licence; one character is probably misread",
            code="check_char",
            expected=expected,
            got=code[17],
        )
    if not (code[2:8].isascii() and code[2:8].isdigit()):  # the letters of the alphabet are ASCII
        raise IdentifierError(
            f"positions 3-8 must be digits (a division code), found {code[2:8]} ({code})", _CREDIT_HINT
        )
    if strict:
        _check_category(code)
        org = _org_code_check(code[8:16])
        if code[16] != org:
            raise IdentifierError(
                f"organisation code check character should be {org}, got {code[16]} ({code})",
                "positions 9-17 are the GB 11714 organisation code, whose last character checks "
                "the other eight; re-copy the code, or validate it without strict mode",
            )
    return code


def _check_category(code: str) -> None:
    authority, category = code[0], code[1]
    if authority not in _CATEGORIES:
        raise IdentifierError(
            f"registration authority {authority} is not defined in GB 32100 ({code})",
            f"authorities: {', '.join(_CATEGORIES)}",
        )
    label, allowed = _CATEGORIES[authority]
    if category not in allowed:
        raise IdentifierError(
            f"category {category} does not exist under registration authority {authority} ({code})",
            f"authority {authority} ({label}) has categories {', '.join(allowed)}; an enterprise's code starts with 91",
        )


def credit_code_category(code: str) -> str:
    """The first two characters (authority and category) of a valid credit code.

    >>> credit_code_category("92410923ma45r7yb1x")
    '92'
    """
    return normalize_credit_code(code)[:2]


# GB 32100-2015 附录A: the legal forms a category names (authority + category); every other one
# is "another organisation".
LEGAL_FORMS: dict[str, str] = {
    "91": "enterprise",  # 企业
    "92": "individual_business",  # 个体工商户
    "93": "farmers_cooperative",  # 农民专业合作社
    "11": "government_organ",  # 机关
    "12": "public_institution",  # 事业单位
    "13": "social_organization",  # 中央编办直接管理机构编制的群众团体
    "51": "social_organization",  # 社会团体
    "52": "private_non_enterprise",  # 民办非企业单位
    "53": "foundation",  # 基金会
}


def legal_form(category: str) -> str:
    """The legal form a credit-code category names (GB 32100-2015 附录A).

    >>> legal_form("92"), legal_form("91"), legal_form("31")
    ('individual_business', 'enterprise', 'other_organization')
    """
    return LEGAL_FORMS.get(category, "other_organization")
