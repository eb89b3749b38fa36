"""Identifiers an application carries: credit codes, patent numbers, ID numbers, divisions.

Every malformed value raises :class:`IdentifierError`: a one-line English message showing the
value in parentheses (an ID number only ever masked) and, where it helps, a hint.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import InvalidValueError

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "KIND_BY_TYPE_DIGIT",
    "PUYANG_DIVISIONS",
    "Division",
    "IdentifierError",
    "PatentNumber",
    "credit_code_category",
    "credit_code_check_char",
    "mask_id_number",
    "normalize_credit_code",
    "normalize_id_number",
    "parse_patent_number",
    "patent_check_digit",
    "resolve_division",
]

_DIGITS = "0123456789"


class IdentifierError(InvalidValueError):
    """A malformed identifier: ``message`` says what is wrong, ``hint`` how to fix it."""


def _require_text(value: object, what: str, shown: str) -> str:
    if isinstance(value, str):
        return value
    raise IdentifierError(
        f"{what} must be text, got {type(value).__name__} ({shown})",
        "write it in quotes so it is read as text, not as a number",
    )


def _compact(value: str, drop: str = "") -> str:
    """Remove whitespace and the characters in ``drop``.

    >>> _compact(" 9141 0902-MA44 ", "-")
    '91410902MA44'
    """
    return "".join(ch for ch in value if not ch.isspace() and ch not in drop)


def _cached(fn: Any) -> Any:
    """Remember the answers for hashable arguments (identifiers repeat across a batch);
    anything else is handled, and refused, as before."""
    cached = lru_cache(maxsize=8192)(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return cached(*args, **kwargs)
        except TypeError as exc:
            if "unhashable" not in str(exc):
                raise
            return fn(*args, **kwargs)

    return wrapper


# --- 统一社会信用代码, GB 32100-2015 ----------------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
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
    for pos, ch in enumerate(code, start=1):
        if ch not in CREDIT_CODE_ALPHABET:
            what = f"letter {ch}" if "A" <= ch <= "Z" else f"character {ch!r}"
            raise IdentifierError(f"{what} is not used in credit codes (position {pos}) ({code})", _ALPHABET_HINT)


def _mod31_check(body: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _org_code_check(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation-code body (A=10 ... Z=35).

    >>> _org_code_check("60003734"), _org_code_check("59498494"), _org_code_check("MA44P5T2")
    ('1', 'X', '9')
    """
    total = sum((int(ch) if ch in _DIGITS else ord(ch) - 55) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a credit code.

    >>> credit_code_check_char("91410902MA44P5T29")
    'U'
    >>> credit_code_check_char("91350200ma2yj1xr9")
    'G'
    """
    body = _require_text(first17, "a credit code body", repr(first17)).upper()
    if len(body) != 17:
        raise IdentifierError(f"a credit code body has 17 characters, found {len(body)} ({body})", _CREDIT_HINT)
    _check_credit_chars(body)
    return _mod31_check(body)


@_cached
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
    code = _compact(_require_text(value, "a credit code", repr(value)), "-").upper()
    if len(code) != 18:
        raise IdentifierError(f"a credit code has 18 characters, found {len(code)} ({code})", _CREDIT_HINT)
    _check_credit_chars(code)
    expected = _mod31_check(code[:17])
    if code[17] != expected:
        raise IdentifierError(
            f"check character should be {expected}, got {code[17]} ({code})",
            "re-copy the code from the business licence; one character is probably misread",
        )
    if any(ch not in _DIGITS for ch in code[2:8]):
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


# --- Patent numbers: ZL + application number --------------------------------------------

KIND_BY_TYPE_DIGIT: dict[int, str] = {
    1: "invention",
    2: "utility_model",
    3: "design",
    8: "invention",
    9: "utility_model",
}
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_PATENT_SHAPE = re.compile(r"([0-9]+)(\.[0-9X]|X)?")
_TYPE_HINT = "type digits: 1 invention, 2 utility model, 3 design, 8 PCT invention, 9 PCT utility model"
_FORM_HINT = (
    "write ZL, then YYYYTNNNNNNN.C (12 digits, a dot, the check digit), or "
    "YYTNNNNN.C for applications filed before 2003-10-01"
)


@dataclass(frozen=True)
class PatentNumber:
    """A validated CNIPA patent number (``number`` is ``"ZL"`` + ``application_number``)."""

    number: str
    application_number: str
    year: int
    type_digit: int
    kind: str
    pct: bool


def patent_check_digit(digits: str) -> str:
    """Check digit of an application number: weights 2..9,2..5 cycled, sum mod 11, 10 -> X.

    >>> patent_check_digit("202010123456"), patent_check_digit("95115608")
    ('2', 'X')
    """
    text = _require_text(digits, "patent digits", repr(digits))
    if not text or any(ch not in _DIGITS for ch in text):
        raise IdentifierError(f"a check digit is computed over digits only ({text})")
    total = sum(int(ch) * _PATENT_WEIGHTS[i % 12] for i, ch in enumerate(text))
    return "X" if total % 11 == 10 else str(total % 11)


def _split_patent(text: str, shown: str) -> tuple[str, str | None]:
    """Split a compact upper-case number (no prefix) into its digits and check (or None).

    >>> _split_patent("202010123456.2", ""), _split_patent("202610516233X", "")
    (('202010123456', '2'), ('202610516233', 'X'))
    >>> _split_patent("2017101580440", ""), _split_patent("85100001", "")
    (('201710158044', '0'), ('85100001', None))
    """
    match = _PATENT_SHAPE.fullmatch(text)
    if match is None:
        bad = next((ch for ch in text if ch not in _DIGITS + ".X"), None)
        if bad is None:
            raise IdentifierError(f"a patent number is digits, a dot and one check digit ({shown})", _FORM_HINT)
        hint = _FORM_HINT
        if text[-1] in "ABCUSY":
            hint = "CN...A/B/U/S are publication numbers, a different series; " + hint
        raise IdentifierError(f"unexpected character {bad!r} in a patent number ({shown})", hint)
    digits, check = match[1], (match[2] or "").lstrip(".")
    if not check and len(digits) in (9, 13):  # check digit written without the dot
        digits, check = digits[:-1], digits[-1]
    return digits, check or None


@lru_cache(maxsize=4096)
def parse_patent_number(value: str) -> PatentNumber:
    """Parse a patent or application number, with optional ZL/CN prefix and spaces.

    A 1985-1988 number has no check digit; one given anyway must be right and is dropped.

    >>> parse_patent_number("ZL 2023 1 0397744.0").number
    'ZL202310397744.0'
    >>> p = parse_patent_number("zl95115608.x"); (p.number, p.year, p.kind)
    ('ZL95115608.X', 1995, 'invention')
    """
    shown = " ".join(_require_text(value, "a patent number", repr(value)).split())
    text = _compact(shown).upper()
    digits, check = _split_patent(text[2:] if text[:2] in ("ZL", "CN") else text, shown)
    if len(digits) == 12:
        year, type_digit, serial = int(digits[:4]), int(digits[4]), digits[5:]
        if year < 2003:
            raise IdentifierError(
                f"a 12-digit application number cannot have year {year}: "
                f"the 12-digit form started on 2003-10-01 ({shown})",
                _FORM_HINT,
            )
    elif len(digits) == 8:
        yy, type_digit, serial = int(digits[:2]), int(digits[2]), digits[3:]
        if 4 <= yy <= 84:
            raise IdentifierError(
                f"an 8-digit application number cannot have year {digits[:2]}: "
                f"from 2003-10-01 numbers have 12 digits ({shown})",
                _FORM_HINT,
            )
        year = 1900 + yy if yy >= 85 else 2000 + yy
    else:
        raise IdentifierError(
            f"a patent application number has 12 digits (8 before 2003-10-01), found {len(digits)} ({shown})",
            _FORM_HINT,
        )
    if type_digit not in KIND_BY_TYPE_DIGIT:
        raise IdentifierError(f"type digit {type_digit} is not a CNIPA patent type ({shown})", _TYPE_HINT)
    if int(serial) == 0:
        raise IdentifierError(f"serial number {serial} is never issued, serials start at 1 ({shown})", _FORM_HINT)
    expected = patent_check_digit(digits)
    no_check_era = len(digits) == 8 and year <= 1988
    if check is None and not no_check_era:
        raise IdentifierError(
            f"check digit missing: the number should end in .{expected} ({shown})",
            "copy the digit after the dot from the certificate",
        )
    if check is not None and check != expected:
        raise IdentifierError(
            f"check digit should be {expected}, got {check} ({shown})",
            "re-copy the number from the certificate; a digit is probably wrong",
        )
    application = digits if no_check_era else f"{digits}.{expected}"
    return PatentNumber(
        number="ZL" + application,
        application_number=application,
        year=year,
        type_digit=type_digit,
        kind=KIND_BY_TYPE_DIGIT[type_digit],
        pct=type_digit in (8, 9),
    )


# --- Resident ID numbers, GB 11643-1999 --------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"
_ID_HINT = "a resident ID number has 18 characters: 17 digits, then a digit or X"
_BIRTH_HINT = "positions 7-14 are the birth date as YYYYMMDD"


def mask_id_number(value: str) -> str:
    """Mask an ID number for display, keeping the first 6 and the last 4 characters.

    Never raises; at least 8 characters (all, if there are no more) are always masked.

    >>> mask_id_number("41090219900101123x")
    '410902********123X'
    >>> mask_id_number("4109021990")
    '41********'
    """
    text = _compact(str(value)).upper()
    head = min(6, max(0, len(text) - 8))
    tail = min(4, max(0, len(text) - 8 - head))
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


@_cached
def normalize_id_number(value: str) -> str:
    """Validate an 18-character resident ID number; return it with an upper-case X.

    >>> normalize_id_number("11010519491231002x")
    '11010519491231002X'
    """
    text = _compact(_require_text(value, "an ID number", mask_id_number(str(value)))).upper()
    shown = mask_id_number(text)
    if len(text) == 15 and all(ch in _DIGITS for ch in text):
        raise IdentifierError(
            f"15-digit first-generation ID numbers are no longer valid ({shown})",
            "give the 18-digit number of the current ID card",
        )
    if len(text) != 18:
        raise IdentifierError(f"an ID number has 18 characters, found {len(text)} ({shown})", _ID_HINT)
    bad = next((pos for pos, ch in enumerate(text[:17], start=1) if ch not in _DIGITS), None)
    if bad is not None:
        raise IdentifierError(f"character {text[bad - 1]!r} at position {bad} is not a digit ({shown})", _ID_HINT)
    if text[17] not in _DIGITS + "X":
        raise IdentifierError(f"the last character must be a digit or X, got {text[17]!r} ({shown})", _ID_HINT)
    try:
        born = _dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise IdentifierError(f"the birth date in positions 7-14 is not a real date ({shown})", _BIRTH_HINT) from None
    if born > _dt.date.today():
        raise IdentifierError(f"the birth date in positions 7-14 is in the future ({shown})", _BIRTH_HINT)
    if born.year < 1800:
        raise IdentifierError(f"the birth date in positions 7-14 is before 1800 ({shown})", _BIRTH_HINT)
    total = sum(int(ch) * w for ch, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    if text[17] != _ID_CHECKS[total % 11]:
        raise IdentifierError(
            f"check character should be {_ID_CHECKS[total % 11]}, got {text[17]} ({shown})",
            "re-copy the number from the ID card; a digit is probably wrong",
        )
    return text


# --- Divisions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Division:
    """A county-level division, Puyang city, a Puyang zone, or a coarse place elsewhere."""

    code: str
    name_zh: str
    name_en: str
    short_zh: str
    in_puyang: bool
    is_zone: bool


PUYANG_DIVISIONS: tuple[Division, ...] = (
    Division("410902", "华龙区", "Hualong District", "华龙区", True, False),
    Division("410928", "濮阳县", "Puyang County", "濮阳县", True, False),
    Division("410922", "清丰县", "Qingfeng County", "清丰县", True, False),
    Division("410923", "南乐县", "Nanle County", "南乐县", True, False),
    Division("410926", "范县", "Fan County", "范县", True, False),
    Division("410927", "台前县", "Taiqian County", "台前县", True, False),
    Division(
        "410972",
        "濮阳经济技术开发区",
        "Puyang Economic and Technological Development Zone",
        "经开区",
        True,
        True,
    ),
    Division("410971", "河南濮阳工业园区", "Henan Puyang Industrial Park", "工业园区", True, True),
    Division(
        "PY-SFQ",
        "濮阳市城乡一体化示范区",
        "Puyang Urban-Rural Integration Demonstration Zone",
        "示范区",
        True,
        True,
    ),
)
_BY_CODE: dict[str, Division] = {d.code: d for d in PUYANG_DIVISIONS}
_BY_CODE["410900"] = Division("410900", "濮阳市", "Puyang City", "濮阳市", True, False)
_BY_NAME: dict[str, Division] = {
    **{d.name_zh: d for d in _BY_CODE.values()},
    **{d.short_zh: d for d in _BY_CODE.values()},
    "开发区": _BY_CODE["410972"],
    "濮阳经开区": _BY_CODE["410972"],
    "濮阳工业园区": _BY_CODE["410971"],
    "城乡一体化示范区": _BY_CODE["PY-SFQ"],
}
_BY_NAME_EN: dict[str, Division] = {d.name_en.casefold(): d for d in _BY_CODE.values()}
_PROVINCES: dict[str, tuple[str, str]] = {
    "11": ("北京市", "Beijing"),
    "12": ("天津市", "Tianjin"),
    "13": ("河北省", "Hebei"),
    "14": ("山西省", "Shanxi"),
    "15": ("内蒙古自治区", "Inner Mongolia"),
    "21": ("辽宁省", "Liaoning"),
    "22": ("吉林省", "Jilin"),
    "23": ("黑龙江省", "Heilongjiang"),
    "31": ("上海市", "Shanghai"),
    "32": ("江苏省", "Jiangsu"),
    "33": ("浙江省", "Zhejiang"),
    "34": ("安徽省", "Anhui"),
    "35": ("福建省", "Fujian"),
    "36": ("江西省", "Jiangxi"),
    "37": ("山东省", "Shandong"),
    "41": ("河南省", "Henan"),
    "42": ("湖北省", "Hubei"),
    "43": ("湖南省", "Hunan"),
    "44": ("广东省", "Guangdong"),
    "45": ("广西壮族自治区", "Guangxi"),
    "46": ("海南省", "Hainan"),
    "50": ("重庆市", "Chongqing"),
    "51": ("四川省", "Sichuan"),
    "52": ("贵州省", "Guizhou"),
    "53": ("云南省", "Yunnan"),
    "54": ("西藏自治区", "Xizang"),
    "61": ("陕西省", "Shaanxi"),
    "62": ("甘肃省", "Gansu"),
    "63": ("青海省", "Qinghai"),
    "64": ("宁夏回族自治区", "Ningxia"),
    "65": ("新疆维吾尔自治区", "Xinjiang"),
    "71": ("台湾省", "Taiwan"),
    "81": ("香港特别行政区", "Hong Kong"),
    "82": ("澳门特别行政区", "Macao"),
}
_HENAN_PREFECTURES: dict[str, tuple[str, str]] = {
    "4101": ("郑州市", "Zhengzhou"),
    "4102": ("开封市", "Kaifeng"),
    "4103": ("洛阳市", "Luoyang"),
    "4104": ("平顶山市", "Pingdingshan"),
    "4105": ("安阳市", "Anyang"),
    "4106": ("鹤壁市", "Hebi"),
    "4107": ("新乡市", "Xinxiang"),
    "4108": ("焦作市", "Jiaozuo"),
    "4109": ("濮阳市", "Puyang"),
    "4110": ("许昌市", "Xuchang"),
    "4111": ("漯河市", "Luohe"),
    "4112": ("三门峡市", "Sanmenxia"),
    "4113": ("南阳市", "Nanyang"),
    "4114": ("商丘市", "Shangqiu"),
    "4115": ("信阳市", "Xinyang"),
    "4116": ("周口市", "Zhoukou"),
    "4117": ("驻马店市", "Zhumadian"),
    "4190": ("济源市", "Jiyuan"),  # 省直辖县级行政区划: only 济源 (419001)
}
_COUNTIES: dict[str, tuple[str, str]] = {
    "410102": ("中原区", "Zhongyuan District"),
    "410103": ("二七区", "Erqi District"),
    "410104": ("管城回族区", "Guancheng Hui District"),
    "410105": ("金水区", "Jinshui District"),
}
_CODES_HINT = (
    "Puyang's codes: 410900 city, 410902 华龙区, 410928 濮阳县, 410922 清丰县, "
    "410923 南乐县, 410926 范县, 410927 台前县, 410972 经开区, 410971 工业园区, "
    "PY-SFQ 示范区"
)


def _division_by_code(code: str, shown: str) -> Division:
    if code in _BY_CODE:
        return _BY_CODE[code]
    if code.startswith("4109"):
        raise IdentifierError(f"{code} is not a division code in use in Puyang ({shown})", _CODES_HINT)
    if code[:2] not in _PROVINCES:
        raise IdentifierError(
            f"{code[:2]} is not a province-level code ({shown})",
            "a division code starts with a province: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81 or 82",
        )
    name_zh, name_en = _PROVINCES[code[:2]]
    short_zh = name_zh
    if code[:4] in _HENAN_PREFECTURES:
        pref_zh, pref_en = _HENAN_PREFECTURES[code[:4]]
        name_zh, name_en, short_zh = name_zh + pref_zh, f"{pref_en}, {name_en}", pref_zh
        if code in _COUNTIES:
            short_zh, county_en = _COUNTIES[code]
            name_zh, name_en = pref_zh + short_zh, f"{county_en}, {name_en}"
    return Division(code, name_zh, name_en, short_zh, in_puyang=False, is_zone=False)


def _outside_by_name(name: str) -> Division | None:
    """A place outside Puyang named as a Henan prefecture (安阳市, 河南省郑州市, 郑州市中原区)
    or a province (北京市): resolved to its code, so it is judged, not refused.

    >>> _outside_by_name("安阳市").code, _outside_by_name("河南省郑州市中原区").code
    ('410500', '410102')
    """
    bare = name[3:] if name.startswith("河南省") and len(name) > 3 else name
    for code, (county_zh, _) in _COUNTIES.items():
        if bare in (_HENAN_PREFECTURES[code[:4]][0] + county_zh,):
            return _division_by_code(code, name)
    for prefix, (pref_zh, _) in _HENAN_PREFECTURES.items():
        if prefix != "4109" and bare in (pref_zh, pref_zh[:-1]):
            return _division_by_code(prefix + "00", name)
    for prefix, (prov_zh, _) in _PROVINCES.items():
        if prefix != "41" and name in (prov_zh, prov_zh[:-1]):
            return _division_by_code(prefix + "0000", name)
    return None


def _strip_prefixes(name: str) -> str:
    """Drop a leading 河南省 and then 濮阳市, each only when more follows.

    >>> _strip_prefixes("河南省濮阳市范县"), _strip_prefixes("濮阳市")
    ('范县', '濮阳市')
    """
    for prefix in ("河南省", "濮阳市"):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
    return name


@_cached
def resolve_division(value: str | int) -> Division:
    """Resolve a 6-digit code (str or int) or a Chinese (or English) name to a Division.

    >>> resolve_division("濮阳市范县").code, resolve_division(410972).short_zh
    ('410926', '经开区')
    >>> resolve_division("410102").name_zh, resolve_division("110105").name_zh
    ('郑州市中原区', '北京市')
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise IdentifierError(
            f"a division is a 6-digit code or a name, got {type(value).__name__} ({value!r})", _CODES_HINT
        )
    shown = " ".join(str(value).split())
    text = _compact(shown)
    if text.upper() == "PY-SFQ":
        return _BY_CODE["PY-SFQ"]
    if text.isascii() and any(ch in _DIGITS for ch in text):
        if len(text) != 6 or any(ch not in _DIGITS for ch in text):
            raise IdentifierError(f"a division code has 6 digits ({shown})", _CODES_HINT)
        return _division_by_code(text, shown)
    found = _BY_NAME.get(text) or _BY_NAME.get(_strip_prefixes(text))
    found = found or _BY_NAME_EN.get(" ".join(shown.split()).casefold())
    if found is not None:
        return found
    outside = _outside_by_name(text)
    if outside is not None:
        return outside
    if not text:
        raise IdentifierError(f"a division code or name is required ({shown})", _CODES_HINT)
    known = [*_BY_NAME, *(d.name_en for d in _BY_CODE.values())]
    close = difflib.get_close_matches(_strip_prefixes(text), known, n=3, cutoff=0.5)
    guess = f"; did you mean {' or '.join(close)}?" if close else ""
    raise IdentifierError(
        f"unknown division name{guess} ({shown})",
        "give a name such as 华龙区 or 经开区, or a 6-digit code; " + _CODES_HINT,
    )
