"""Conditions and fact values in words, Chinese or English, for rule pages and guidance.

A condition is read as the rule file writes it — parameters by name with their
value, derived conditions by their label — so a programme officer can check the
words against the plan without reading YAML.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...model.divisions import Gazetteer
from ...money import format_yuan, from_fen
from ..conditions import All, AnyOf, Compare, Condition, DerivedRef, FactRef, Not, ParamRef, Present
from ..facts import ENUM_LABELS, FACTS, decode_date
from ..ruleset import Ruleset

__all__ = ["condition_words", "fact_label", "size_words", "value_words"]

_OPS = {
    "zh": {
        "eq": "为",
        "ne": "不为",
        "in": "属于",
        "not_in": "不属于",
        "contains": "包含",
        ("date", "lt"): "早于",
        ("date", "le"): "不晚于",
        ("date", "gt"): "晚于",
        ("date", "ge"): "不早于",
        ("money", "lt"): "小于",
        ("money", "le"): "不超过",
        ("money", "gt"): "大于",
        ("money", "ge"): "不少于",
        ("count", "lt"): "少于",
        ("count", "le"): "不超过",
        ("count", "gt"): "多于",
        ("count", "ge"): "不少于",
    },
    "en": {
        "eq": "is",
        "ne": "is not",
        "in": "is one of",
        "not_in": "is none of",
        "contains": "include",  # both list facts are plural: "inventors include applicant name"
        ("date", "lt"): "is before",
        ("date", "le"): "is on or before",
        ("date", "gt"): "is after",
        ("date", "ge"): "is on or after",
        ("money", "lt"): "is less than",
        ("money", "le"): "is at most",
        ("money", "gt"): "is more than",
        ("money", "ge"): "is at least",
        ("count", "lt"): "is fewer than",
        ("count", "le"): "is at most",
        ("count", "gt"): "is more than",
        ("count", "ge"): "is at least",
    },
}
_ENUM_ZH = {
    "enterprise": "企业",
    "individual": "个人",
    "invention": "发明专利",
    "utility_model": "实用新型",
    "design": "外观设计",
    "university": "高等院校",
    "research_institute": "科研机构",
    "assignment": "转让",
    "license": "许可",
    "none": "无",
    "gold": "金奖",
    "silver": "银奖",
    "excellence": "优秀奖",
}


def fact_label(path: str, lang: str) -> str:
    spec = FACTS[path]
    return spec.zh if lang == "zh" else spec.en


def value_words(
    path: str | None, value: Any, lang: str, type_: str | None = None, places: Gazetteer | None = None
) -> str:
    """An encoded value (fen, ``YYYYMMDD``, codes) as a person reads it; a division code
    with its name from ``places`` (a ruleset's divisions), when given."""
    kind = type_ or (FACTS[path].type if path else None)
    if value is None:
        return "（未填写）" if lang == "zh" else "(not given)"
    if isinstance(value, (list, tuple)):
        joiner = "、" if lang == "zh" else ", "
        return joiner.join(value_words(path, v, lang, kind if kind != "text_list" else "text", places) for v in value)
    if kind == "bool" or isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if kind == "date":
        return decode_date(value) if isinstance(value, int) else str(value)
    if kind == "money":
        return format_yuan(from_fen(value) if isinstance(value, int) else value) + (" 元" if lang == "zh" else " yuan")
    if kind == "division":
        d = places.by_code(str(value)) if places is not None else None
        if d is None:
            return str(value)
        return f"{d.code} {d.name_zh if lang == 'zh' else d.name_en}"
    if isinstance(value, str) and value in ENUM_LABELS:
        return ENUM_LABELS[value][0 if lang == "zh" else 1]
    if lang == "zh" and isinstance(value, str):
        return _ENUM_ZH.get(value, value)
    return str(value)


def _param(ruleset: Ruleset, name: str, lang: str, when: date | None) -> str:
    if name in ("policy_in_force_from", "policy_in_force_to"):
        value: Any = ruleset.param_value(name, when or date.min)
        return f"{name}（{value}）" if lang == "zh" else f"{name} ({value})"
    p = ruleset.parameters[name]
    if not p.values:
        return f"{name}（未设定）" if lang == "zh" else f"{name} (not set)"
    value = p.value_at(when or p.values[0][0])
    kind = {"money": "money", "date": "date", "boolean": "bool", "divisions": "division"}.get(p.type)
    if p.type == "money":
        shown = format_yuan(value) + (" 元" if lang == "zh" else " yuan")
    elif p.type == "rate":
        shown = f"{value * 100:g}%"
    else:
        shown = value_words(None, value, lang, kind, ruleset.divisions)
    return f"{name}（{shown}）" if lang == "zh" else f"{name} ({shown})"


def condition_words(cond: Condition, ruleset: Ruleset, lang: str, when: date | None = None) -> str:
    """A condition as written in the rule file, in words.

    Raises nothing; a derived condition is named by its label."""
    sep = "；" if lang == "zh" else "; "
    if isinstance(cond, All):
        inner = sep.join(condition_words(c, ruleset, lang, when) for c in cond.items)
        return f"同时满足：{inner}" if lang == "zh" else f"all of: {inner}"
    if isinstance(cond, AnyOf):
        inner = sep.join(condition_words(c, ruleset, lang, when) for c in cond.items)
        return f"满足其一：{inner}" if lang == "zh" else f"any of: {inner}"
    if isinstance(cond, Not):
        inner = condition_words(cond.item, ruleset, lang, when)
        return f"并非（{inner}）" if lang == "zh" else f"not ({inner})"
    if isinstance(cond, DerivedRef):
        d = ruleset.derived[cond.name]
        return f"“{d.label.zh}”成立" if lang == "zh" else f"“{d.label.en}” holds"
    if isinstance(cond, Present):
        label = fact_label(cond.fact, lang)
        if lang == "zh":
            return f"{label}已填写" if cond.present else f"{label}未填写"
        return f"{label} is given" if cond.present else f"{label} is not given"
    assert isinstance(cond, Compare)
    spec = FACTS[cond.fact]
    ops = _OPS[lang]
    op = ops.get((spec.type, cond.op)) or ops.get(cond.op, cond.op)
    operand = cond.operand
    if isinstance(operand, ParamRef):
        right = ("参数 " if lang == "zh" else "parameter ") + _param(ruleset, operand.name, lang, when)
    elif isinstance(operand, FactRef):
        right = fact_label(operand.path, lang)
        years = operand.add_years
        if isinstance(years, ParamRef):
            years_text = _param(ruleset, years.name, lang, when)
            right += f"加 {years_text} 年" if lang == "zh" else f" plus {years_text} years"
        elif years:
            right += f"加 {years} 年" if lang == "zh" else f" plus {years} years"
    else:
        right = value_words(cond.fact, operand, lang, places=ruleset.divisions)
    return (
        f"{fact_label(cond.fact, lang)}{op}{right}" if lang == "zh" else f"{fact_label(cond.fact, lang)} {op} {right}"
    )


def size_words(table: Any, lang: str) -> str:
    """A size-class table (``size_classes`` parameter) in words, one industry after another:
    the SME ceiling (either measure below it), then the medium and small floors (both met);
    revenue in 万元 as the national standard writes it."""
    zh = lang == "zh"

    def measures(level: dict[str, Any], op: str, joiner: str) -> str:
        parts = []
        for measure, value in level.items():
            if measure == "employees":
                parts.append(f"从业人员 {op}{value} 人" if zh else f"employees {op} {value}")
            else:
                wan = f"{value / 10000:,f}".rstrip("0").rstrip(".")
                parts.append(f"营业收入 {op}{wan} 万元" if zh else f"revenue {op} {wan} wan yuan")
        return joiner.join(parts)

    lines = []
    for industry, bands in table.items():
        name = ENUM_LABELS.get(industry, (industry, industry))[0 if zh else 1]
        if zh:
            sme, medium = measures(bands.sme_below, "<", "或"), measures(bands.medium, "≥", "且")
            lines.append(
                f"{name}：{sme}为中小微企业；中型 {medium}；小型 {measures(bands.small, '≥', '且')}；其余为微型"
            )
        else:
            sme, medium = measures(bands.sme_below, "<", " or "), measures(bands.medium, "≥", " and ")
            small = measures(bands.small, "≥", " and ")
            lines.append(f"{name}: an SME when {sme}; medium when {medium}; small when {small}; else micro")
    return "。".join(lines) if zh else ". ".join(lines)
