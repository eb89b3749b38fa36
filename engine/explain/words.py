"""Words for values: fact values, divisions, parameters, outcomes and field names as people read them.

Chinese by default, English on request (``lang="en"``); the labels of criteria,
programmes and facts come from the rule files, the few here are the vocabulary's
own (kinds of patent, seller types, outcomes); countries are named by ISO 3166-1 through
:func:`engine.model.countries.country_name`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from ..evaluation.decision import ELIGIBLE, INELIGIBLE, MET, NEEDS_REVIEW, NOT_MET, AwardRef, Decision
from ..model.countries import country_name
from ..model.divisions import Gazetteer
from ..money import format_yuan, from_fen
from ..rulebook import Ruleset
from ..rulebook.conditions import UNSET
from ..rulebook.facts import ENUM_LABELS, FACTS, decode_date

__all__ = [
    "MARK",
    "OUTCOME",
    "SELF_CHECK_NOTE",
    "field_label",
    "is_zh",
    "missing_words",
    "maximums_line",
    "reads_the_record",
    "ref_text",
    "show_division",
    "show_param",
    "show_value",
    "value_shower",
]

VALUE_LABELS: dict[str, tuple[str, str]] = {
    "invention": ("发明专利", "invention patent"),
    "utility_model": ("实用新型", "utility model"),
    "design": ("外观设计", "design"),
    "enterprise": ("企业", "enterprise"),
    "individual": ("个人", "individual"),
    "university": ("高等院校", "university"),
    "research_institute": ("科研机构", "research institution"),
    "assignment": ("转让", "assignment"),
    "license": ("许可", "licence"),
    "none": ("无", "none"),
    "gold": ("金奖", "gold award"),
    "silver": ("银奖", "silver award"),
    "excellence": ("优秀奖", "award of excellence"),
}
OUTCOME = {
    ELIGIBLE: ("符合条件", "ELIGIBLE"),
    INELIGIBLE: ("不符合条件", "INELIGIBLE"),
    NEEDS_REVIEW: ("待评审", "NEEDS REVIEW"),
}
MARK = {MET: "✔", NOT_MET: "✘", "unknown": "?"}
# A self-check is decided as if nothing had been awarded before (docs: operations, ``check``):
# what a criterion or a total says of earlier awards and caps is confirmed at review.
SELF_CHECK_NOTE = (
    "自查按此前未获奖励核验，不查询已有奖励记录，评审时核对",
    "a self-check is decided as if nothing had been awarded before: earlier awards are checked at review",
)
MAXIMUM_LABELS = {
    "housing_m2": ("住房面积不超过 {v} 平方米", "housing of at most {v} m²"),
    "research_fund_per_year": ("科研经费补贴每年最高 {v} 元", "research fund of at most {v} yuan a year"),
}


def is_zh(lang: str) -> bool:
    return lang != "en"


def reads_the_record(facts: Any) -> bool:
    """Whether a criterion that read ``facts`` (paths) judged earlier awards: a fact of the
    ledger (once per patent, the cap already used)."""
    return any(FACTS[p].scope == "ledger" for p in facts if p in FACTS)


def show_value(path: str, value: Any, lang: str, places: Gazetteer | None = None) -> str:
    """A fact value as a person reads it (a division with its name from ``places``,
    the ruleset's divisions, when given)."""
    return value_shower(path, lang, places)(value)


_SHOWERS: dict[tuple[str, str, int], tuple[Gazetteer | None, Callable[[Any], str]]] = {}


def value_shower(path: str, lang: str, places: Gazetteer | None = None) -> Callable[[Any], str]:
    """:func:`show_value` for one fact path, language and gazetteer, made once: a function of
    the value alone (what the fact's type decides is decided here, not per value)."""
    key = (path, lang, id(places))
    found = _SHOWERS.get(key)
    if found is not None and found[0] is places:
        return found[1]
    shower = _shower(path, lang, places)
    _SHOWERS[key] = (places, shower)
    return shower


def _shower(path: str, lang: str, places: Gazetteer | None) -> Callable[[Any], str]:
    """One function of the value per type (absent included): a sentence shows a few values each."""
    zh = is_zh(lang)
    absent = "（未提供）" if zh else "(not given)"
    spec = FACTS[path]
    show: Callable[[Any], str]
    if spec.type == "date":

        def show(value: Any) -> str:
            if value is None:
                return absent
            text = _DAYS.get(value)
            if text is None:
                if len(_DAYS) >= 100_000:
                    _DAYS.clear()
                text = _DAYS[value] = decode_date(value)
            return text

    elif spec.type == "money":

        def show(value: Any) -> str:
            return absent if value is None else format_yuan(from_fen(value))

    elif spec.type == "bool":
        yes, no = ("是", "否") if zh else ("yes", "no")

        def show(value: Any) -> str:
            return absent if value is None else yes if value else no

    elif spec.type == "enum":

        def show(value: Any) -> str:
            if value is None:
                return absent
            labels = VALUE_LABELS.get(value) or ENUM_LABELS.get(value)
            return labels[0 if zh else 1] if labels else str(value)

    elif spec.type == "division":

        def show(value: Any) -> str:
            return absent if value is None else show_division(value, lang, places)

    elif path == "seller.country":

        def show(value: Any) -> str:
            return absent if value is None else country_name(value, lang)

    elif spec.type == "text_list":
        joiner = "、" if zh else ", "

        def show(value: Any) -> str:
            return absent if value is None else joiner.join(value)

    else:

        def show(value: Any) -> str:
            if value is None:
                return absent
            text = value if type(value) is str else str(value)
            if "\n" in text or "\r" in text:  # a statement over several lines, shown on the sentence's one
                return _LINE_BREAKS.sub(" ", text)
            return text

    return show


_DAYS: dict[int, str] = {}  # a date fact's text by its encoded value: the same few days, shown again and again
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def show_division(code: str, lang: str, places: Gazetteer | None = None) -> str:
    """A division code with its name from ``places`` (a ruleset's divisions); the code alone
    when there is none."""
    division = places.by_code(code) if places is not None else None
    if division is None:
        return code
    name = division.name_zh if is_zh(lang) else division.name_en
    return f"{code} {name}" if code[:1].isdigit() else name


def show_param(ruleset: Ruleset, name: str, when: date, lang: str) -> str:
    value = ruleset.param_value(name, when)
    if value is UNSET:
        return "（未设定）" if is_zh(lang) else "(not set)"
    ptype = "date" if name.startswith("policy_") else ruleset.parameters[name].type
    if ptype == "money":
        return format_yuan(value)
    if ptype == "rate":
        return f"{(value * 100).normalize():f}%"
    if ptype == "date":
        return value.isoformat()
    if ptype == "divisions":
        return ("、" if is_zh(lang) else ", ").join(show_division(c, lang, ruleset.divisions) for c in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def ref_text(ref: AwardRef, lang: str) -> str:
    zh = is_zh(lang)
    if ref.claim is not None:
        text = f"第{ref.claim}项" if zh else f"claim {ref.claim}"
    else:
        text = f"决定 {ref.decision}" if zh else f"decision {ref.decision}"
    if ref.pending:
        text += "，待评审" if zh else ", awaiting review"
    return text


def maximums_line(decision: Decision, lang: str) -> str | None:
    if not decision.maximums:
        return None
    zh = is_zh(lang)
    parts = []
    for key, value in decision.maximums.items():
        shown = format_yuan(value) if key != "housing_m2" else f"{value.normalize():f}"
        zh_t, en_t = MAXIMUM_LABELS.get(key, (key + " {v}", key + " {v}"))
        parts.append((zh_t if zh else en_t).format(v=shown))
    return ("可获奖励上限：" + "；".join(parts)) if zh else ("Maximum award: " + "; ".join(parts))


SECTION_LABELS = {
    "patent": ("专利信息", "patent details"),
    "patent.high_value": ("高价值专利情形", "high-value categories"),
    "industrialization": ("产业化情况", "industrialization details"),
    "seller": ("卖方信息", "seller details"),
    "enterprise_size": ("企业规模情况（行业、从业人员、营业收入）", "size details (industry, employees, revenue)"),
    "pledge_loan": ("质押贷款情况", "pledge loan details"),
    "applicant.credit_code": ("统一社会信用代码", "credit code"),
}


def field_label(field: str, lang: str) -> str:
    """The name people use for an application field named in `missing`."""
    bare = re.sub(r"^claims\[\d+\]\.", "", field)
    labels = SECTION_LABELS.get(bare)
    if labels is None and bare in FACTS:
        labels = (FACTS[bare].zh, FACTS[bare].en)
    if labels is None:
        return bare
    return labels[0 if is_zh(lang) else 1]


def missing_words(fields: list[str] | tuple[str, ...], lang: str) -> str:
    """The application fields named in ``missing`` as people call them (the paths stay in
    the JSON): ``["claims[1].industrialization"]`` -> ``产业化情况``."""
    labels: list[str] = []
    for field in fields:
        label = field_label(field, lang)
        if label not in labels:
            labels.append(label)
    return ("、" if is_zh(lang) else ", ").join(labels)
