"""A replay as an auditor reads it: one section per decision, numbered as everywhere else
(申报项目 2 · PY-2024-0031/2), each compared field named in words, what differs shown and
what is the same folded behind its count ("全部 78 个字段一致")."""

from __future__ import annotations

import re
from typing import Any

from ..explain.words import MAXIMUM_LABELS, OUTCOME, VALUE_LABELS, field_label
from ..rulebook import Rulebook
from ..services import Replayed
from .i18n import WORDS, text

__all__ = ["replay_view"]

_PART = re.compile(r"decisions\[(\d+)\](?:\.(.*))?")
_CRITERION = re.compile(r"criteria\[(\d+)\](?:\.(.*))?")
_SECTIONS = {
    "program": ("奖补项目", "programme"),
    "outcome": ("结论", "outcome"),
    "amount": ("金额", "amount"),
    "maximums": ("可获上限", "maximums"),
    "patent": ("专利", "patent"),
    "arithmetic": ("计算", "arithmetic"),
    "missing": ("缺少信息", "missing"),
    "facts": ("所用事实", "fact used"),
    "derived": ("派生条件", "derived condition"),
}
_CRITERION_PARTS = {
    "id": ("条件编号", "id"),
    "status": ("状态", "status"),
    "review": ("须评审", "for the panel"),
    "missing": ("缺少信息", "missing"),
    "earlier_awards": ("在先决定", "earlier awards"),
}
_STATUS = {"met": "met", "not_met": "not_met", "unknown": "unknown_status"}
_ITEMS = {  # the parts of an earlier award, listed in the arithmetic and by a criterion
    "earlier": ("在先奖励", "earlier award"),
    "kind": ("计算方式", "kind"),
    "amount": ("金额", "amount"),
    "claim": ("申报项目", "claim"),
    "decision": ("决定", "decision"),
    "pending": ("待评审", "awaiting review"),
}
_KINDS = {"fixed": ("定额", "a fixed sum"), "rate": ("按比例", "a rate")}
_ITEM = re.compile(r"(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")


def _item(inner: str, lang: str, words: dict[str, tuple[str, str]]) -> str:
    """``earlier[0].amount`` -> 在先奖励 1 · 金额."""
    found = _ITEM.fullmatch(inner)
    if found is None:
        return inner
    name, index, part = found.groups()
    i = 0 if lang != "en" else 1
    said = words[name][i] if name in words else name
    if index is not None:
        said += f" {int(index) + 1}"
    if part:
        said += f" · {_ITEMS[part][i] if part in _ITEMS else part}"
    return said


def _labels(rulebook: Rulebook, lang: str) -> dict[str, str]:
    """Programmes and criteria by id, as the rule files name them."""
    labels: dict[str, str] = {}
    for ruleset in rulebook.rulesets:
        for program in ruleset.programs.values():
            labels.setdefault(program.id, program.label.zh if lang != "en" else program.label.en)
            for c in program.criteria:
                labels.setdefault(c.id, c.label.zh if lang != "en" else c.label.en)
    return labels


def _field(rest: str, criteria: dict[int, str], labels: dict[str, str], lang: str) -> str:
    """A compared field in words: ``criteria[8].status`` -> 第9项条件（该专利未曾获得本项奖励）· 状态."""
    zh = lang != "en"
    found = _CRITERION.fullmatch(rest)
    if found is not None:
        index, part = int(found.group(1)), found.group(2) or ""
        crit = criteria.get(index)
        head = f"第{index + 1}项条件" if zh else f"criterion {index + 1}"
        if crit is not None:
            head += f"（{labels.get(crit, crit)}）" if zh else f" ({labels.get(crit, crit)})"
        return f"{head} · {_item(part, lang, _CRITERION_PARTS)}" if part else head
    section, _, inner = rest.partition(".")
    words = _SECTIONS.get(section.split("[")[0])
    if words is None:
        return rest
    head = words[0 if zh else 1]
    if not inner:
        return head
    if section == "facts":
        return f"{head} · {field_label(inner, lang)}"
    if section == "arithmetic":
        key = "ar_" + inner
        return f"{head} · {text(key, lang) if key in WORDS else _item(inner, lang, _ITEMS)}"
    if section == "maximums" and inner in MAXIMUM_LABELS:
        return f"{head} · {MAXIMUM_LABELS[inner][0 if zh else 1].replace('{v}', '').strip()}"
    return f"{head} · {inner}"


def _value(rest: str, value: Any, lang: str, labels: dict[str, str]) -> Any:
    """A compared value in words where it is a word of the engine (eligible, met, invention)."""
    zh = lang != "en"
    if not isinstance(value, str):
        return value
    if rest == "program" and value in labels:
        return labels[value]
    if rest == "arithmetic.kind" and value in _KINDS:
        return _KINDS[value][0 if zh else 1]
    if rest.endswith("outcome") and value in OUTCOME:
        return text(value, lang)
    if rest.endswith(".status") and value in _STATUS:
        return text(_STATUS[value], lang)
    if value in VALUE_LABELS:
        return VALUE_LABELS[value][0 if zh else 1]
    return value


def replay_view(result: Replayed, rulebook: Rulebook, lang: str) -> list[dict[str, Any]]:
    """The decisions of one replayed record, in claim order: each with the fields that
    differ and the fields that are the same (listed only when every field was compared)."""
    labels = _labels(rulebook, lang)
    by_claim: dict[int, dict[str, Any]] = {}
    rows = result.compared or result.differences
    criteria: dict[int, dict[int, str]] = {}
    for row in rows:  # the criterion each index stands for, from its compared id
        found = _PART.fullmatch(row.path)
        inner = _CRITERION.fullmatch(found.group(2) or "") if found else None
        if found and inner and inner.group(2) == "id" and isinstance(row.recorded, str):
            criteria.setdefault(int(found.group(1)), {})[int(inner.group(1))] = row.recorded
    for row in rows:
        found = _PART.fullmatch(row.path)
        if found is None:  # the number of decisions differs: the record as a whole
            claim, rest = 0, row.path
        else:
            claim, rest = int(found.group(1)) + 1, found.group(2) or ""
        section = by_claim.setdefault(
            claim,
            {
                "claim": claim,
                "decision": f"{result.record}/{claim}" if claim else result.record,
                "differ": [],
                "same": [],
            },
        )
        shown = {
            "field": _field(rest, criteria.get(claim - 1, {}), labels, lang) if rest else row.path,
            "path": row.path,
            "recorded": _value(rest, row.recorded, lang, labels),
            "now": _value(rest, row.now, lang, labels),
        }
        section["differ" if row.recorded != row.now else "same"].append(shown)
    return [by_claim[k] for k in sorted(by_claim)]
