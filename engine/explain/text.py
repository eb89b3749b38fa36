"""Decisions in words: the contract's JSON, and text in Chinese (default) or English.

Every line rests on the rule files: the criterion's label and clause, its
explanation template filled with the facts it read, the parameters in force,
the policy's own words. Nothing is invented here; templates are plain text
with ``{fact.path}`` and ``{param:name}`` holes, filled, never executed.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..evaluation.decision import (
    ELIGIBLE,
    INELIGIBLE,
    MET,
    NEEDS_REVIEW,
    NOT_MET,
    Assessment,
    AwardRef,
    CriterionResult,
    Decision,
)
from ..model import identifiers
from ..money import format_yuan, from_fen
from ..rulebook import Ruleset
from ..rulebook.conditions import UNSET, derived_refs
from ..rulebook.facts import FACTS, decode_date, plain_value

__all__ = ["assessment_json", "criterion_explanation", "decision_summary", "render_text"]

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
COUNTRIES = {
    "CN": ("中国", "China"),
    "US": ("美国", "US"),
    "JP": ("日本", "Japan"),
    "DE": ("德国", "Germany"),
    "GB": ("英国", "UK"),
    "FR": ("法国", "France"),
    "KR": ("韩国", "Korea"),
    "RU": ("俄罗斯", "Russia"),
    "IT": ("意大利", "Italy"),
    "NL": ("荷兰", "Netherlands"),
    "CH": ("瑞士", "Switzerland"),
    "SE": ("瑞典", "Sweden"),
    "IL": ("以色列", "Israel"),
    "SG": ("新加坡", "Singapore"),
    "CA": ("加拿大", "Canada"),
    "AU": ("澳大利亚", "Australia"),
    "HK": ("中国香港", "Hong Kong, China"),
    "MO": ("中国澳门", "Macao, China"),
    "TW": ("中国台湾", "Taiwan, China"),
}
OUTCOME = {
    ELIGIBLE: ("符合条件", "ELIGIBLE"),
    INELIGIBLE: ("不符合条件", "INELIGIBLE"),
    NEEDS_REVIEW: ("待评审", "NEEDS REVIEW"),
}
MARK = {MET: "✔", NOT_MET: "✘", "unknown": "?"}
MAXIMUM_LABELS = {
    "housing_m2": ("住房面积不超过 {v} 平方米", "housing of at most {v} m²"),
    "research_fund_per_year": ("科研经费补贴每年最高 {v} 元", "research fund of at most {v} yuan a year"),
}
_HOLE = re.compile(r"\{([^{}]+)\}")


def _zh(lang: str) -> bool:
    return lang != "en"


def show_value(path: str, value: Any, lang: str) -> str:
    """A fact value as a person reads it."""
    zh = _zh(lang)
    if value is None:
        return "（未提供）" if zh else "(not given)"
    spec = FACTS[path]
    if spec.type == "date":
        return decode_date(value)
    if spec.type == "money":
        return format_yuan(from_fen(value))
    if spec.type == "bool":
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if spec.type == "enum":
        labels = VALUE_LABELS.get(value)
        return labels[0 if zh else 1] if labels else str(value)
    if spec.type == "division":
        return show_division(value, lang)
    if path == "seller.country":
        return COUNTRIES.get(value, (value, value))[0 if zh else 1]
    if spec.type == "text_list":
        return ("、" if zh else ", ").join(value)
    return str(value)


@lru_cache(maxsize=4096)
def show_division(code: str, lang: str) -> str:
    try:
        division = identifiers.resolve_division(code)
    except identifiers.IdentifierError:
        return code
    name = division.name_zh if _zh(lang) else division.name_en
    return f"{code} {name}" if code[:1].isdigit() else name


def show_param(ruleset: Ruleset, name: str, when: date, lang: str) -> str:
    value = ruleset.param_value(name, when)
    if value is UNSET:
        return "（未设定）" if _zh(lang) else "(not set)"
    ptype = "date" if name.startswith("policy_") else ruleset.parameters[name].type
    if ptype == "money":
        return format_yuan(value)
    if ptype == "rate":
        return f"{(value * 100).normalize():f}%"
    if ptype == "date":
        return value.isoformat()
    if ptype == "divisions":
        return ("、" if _zh(lang) else ", ").join(show_division(c, lang) for c in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@lru_cache(maxsize=2048)
def _compiled(template: str) -> tuple[str, tuple[str, ...]]:
    """A template made once into a format string and the names of its holes."""
    parts = _HOLE.split(template)
    text = "".join(part.replace("{", "{{").replace("}", "}}") if not i % 2 else "{}" for i, part in enumerate(parts))
    return text, tuple(parts[1::2])


_PARAM_TEXT: dict[tuple[str, str, date, str], str] = {}


def _fill(template: str, result: CriterionResult, ruleset: Ruleset, when: date, lang: str) -> str:
    text, holes = _compiled(template)
    if not holes:
        return template
    fact = result.fact
    values = []
    for hole in holes:
        if hole.startswith("param:"):
            key = (ruleset.version, hole, when, lang)
            shown = _PARAM_TEXT.get(key)
            if shown is None:
                if len(_PARAM_TEXT) > 50_000:
                    _PARAM_TEXT.clear()
                shown = _PARAM_TEXT[key] = show_param(ruleset, hole[6:], when, lang)
            values.append(shown)
        else:
            values.append(show_value(hole, fact.get(hole), lang))
    return text.format(*values)


def criterion_explanation(result: CriterionResult, ruleset: Ruleset, when: date, lang: str) -> str:
    return _explanation(result, ruleset, when, lang)


def _explanation(result: CriterionResult, ruleset: Ruleset, when: date, lang: str, with_missing: bool = True) -> str:
    """One line: what the criterion found, from its template or its label and facts."""
    zh = _zh(lang)
    template = getattr(result.explain, result.status)
    if result.review and result.explain.not_met is not None:
        template = result.explain.not_met
    if template is not None:
        text = _fill(template.zh if zh else template.en, result, ruleset, when, lang)
    else:
        label = result.label.zh if zh else result.label.en
        shown = ("，" if zh else ", ").join(
            f"{FACTS[p].zh if zh else FACTS[p].en} {show_value(p, v, lang)}"
            for p, v in result.facts.items()
            if FACTS[p].scope != "ledger"
        )
        if result.status == MET:
            text = label + (f"（{shown}）" if zh and shown else f" ({shown})" if shown else "")
        elif result.status == NOT_MET:
            text = (f"不满足“{label}”" if zh else f"not met: {label}") + (
                f"：{shown}" if zh and shown else f": {shown}" if shown else ""
            )
        else:
            text = (f"“{label}”尚不能确定" if zh else f"cannot tell yet: {label}") + (
                f"：{shown}" if zh and shown else f": {shown}" if shown else ""
            )
    if result.status == "unknown" and not result.missing:  # open for want of a parameter, not a fact
        for name in result.criterion.params:
            param = ruleset.parameters.get(name)
            if param is not None and param.unset is not None and ruleset.param_value(name, when) is UNSET:
                text += f"；{param.unset.zh}" if zh else f"; {param.unset.en}"
    if result.earlier and result.status != MET:
        refs = ("、" if zh else "; ").join(f"{_ref(r, lang)} {format_yuan(r.amount)}" for r in result.earlier)
        text += f"（见 {refs}）" if zh else f" (see {refs})"
    if result.missing and with_missing:
        gap = ", ".join(result.missing)
        text += f"（缺少 {gap}）" if zh else f" (missing {gap})"
    return text


def _ref(ref: AwardRef, lang: str) -> str:
    zh = _zh(lang)
    if ref.claim is not None:
        text = f"第{ref.claim}项" if zh else f"claim {ref.claim}"
    else:
        text = f"决定 {ref.decision}" if zh else f"decision {ref.decision}"
    if ref.pending:
        text += "，待评审" if zh else ", awaiting review"
    return text


def arithmetic_line(decision: Decision, lang: str) -> str | None:
    a = decision.arithmetic
    if a is None:
        return None
    zh = _zh(lang)
    if a.kind == "fixed":
        return (
            (
                f"计算：每项奖励 {format_yuan(a.amount)} 元"
                if zh
                else f"Arithmetic: {format_yuan(a.amount)} yuan per patent"
            )
            if a.amount
            else None
        )
    if a.base is None:
        return (
            "计算：技术交易额未提供，无法计算奖励"
            if zh
            else "Arithmetic: no transaction amount given, the reward cannot be computed"
        )
    rate = f"{(a.rate * 100).normalize():f}%" if a.rate is not None else "?"
    gross = f"{format_yuan(a.base)} × {rate} = {format_yuan(a.gross)}" if a.gross is not None else ""
    if a.cap is None:
        return f"计算：{gross}" if zh else f"Arithmetic: {gross}"
    if len(a.earlier) == 1:
        earlier = _ref(a.earlier[0], lang)
    else:
        earlier = " + ".join(f"{_ref(r, lang)} {format_yuan(r.amount)}" for r in a.earlier)
    used = format_yuan(a.used or Decimal("0"))
    assert a.cap is not None and a.room is not None and a.amount is not None  # a capped rate award
    if zh:
        room = (
            f"本企业累计上限 {format_yuan(a.cap)}，已用 {used}"
            + (f"（{earlier}）" if earlier else "")
            + f"，剩余 {format_yuan(a.room)}"
        )
        return f"计算：技术交易额 {gross}；{room} → 奖励 {format_yuan(a.amount)}"
    room = (
        f"cap {format_yuan(a.cap)} per enterprise, used {used}"
        + (f" ({earlier})" if earlier else "")
        + f", room {format_yuan(a.room)}"
    )
    return f"Arithmetic: {gross}; {room} → {format_yuan(a.amount)}"


def decision_summary(
    decision: Decision, ruleset: Ruleset, when: date, lang: str, explained: dict[int, str] | None = None
) -> str:
    """The one sentence a decision opens with."""
    zh = _zh(lang)
    done = explained or {}

    def criterion_explanation(c: CriterionResult, ruleset: Ruleset, when: date, lang: str) -> str:
        return done.get(id(c)) or _explanation(c, ruleset, when, lang)

    if decision.outcome == INELIGIBLE:
        reasons = [
            f"{criterion_explanation(c, ruleset, when, lang)}（{c.clause}）"
            if zh
            else f"{criterion_explanation(c, ruleset, when, lang)} ({c.clause})"
            for c in decision.criteria
            if c.status == NOT_MET
        ]
        return ("不符合条件：" + "；".join(reasons) + "。") if zh else ("Not eligible: " + "; ".join(reasons) + ".")
    if decision.outcome == NEEDS_REVIEW:
        open_points = [c for c in decision.criteria if c.status == "unknown"]
        reasons = []
        for c in open_points:
            if c.discretionary:
                label = c.label.zh if zh else c.label.en
                reasons.append(f"“{label}”须由评审小组认定" if zh else f"“{label}” is for the review panel to judge")
            else:
                reasons.append(_explanation(c, ruleset, when, lang, with_missing=False))
        rest = len(open_points) < len(decision.criteria)
        tail = ("其余条件均已满足。" if zh else " All other criteria are met.") if rest else ""
        gap = ", ".join(decision.missing)  # named once, for the whole claim
        if gap:
            tail = (f"缺少 {gap}。" if zh else f" Missing: {gap}.") + tail
        return (
            ("待评审：" + "；".join(reasons) + "。" + tail)
            if zh
            else ("Needs review: " + "; ".join(reasons) + "." + tail)
        )
    if decision.amount is not None:
        capped = decision.arithmetic is not None and decision.arithmetic.capped
        if zh:
            return f"符合条件：奖励 {format_yuan(decision.amount)} 元（{decision.clause}）" + (
                "，受单个企业上限限制。" if capped else "。"
            )
        return f"Eligible: {format_yuan(decision.amount)} yuan ({decision.clause})" + (
            ", limited by the per-enterprise cap." if capped else "."
        )
    return f"符合条件（{decision.clause}）。" if zh else f"Eligible ({decision.clause})."


def _maximums(decision: Decision, lang: str) -> str | None:
    if not decision.maximums:
        return None
    zh = _zh(lang)
    parts = []
    for key, value in decision.maximums.items():
        shown = format_yuan(value) if key != "housing_m2" else f"{value.normalize():f}"
        zh_t, en_t = MAXIMUM_LABELS.get(key, (key + " {v}", key + " {v}"))
        parts.append((zh_t if zh else en_t).format(v=shown))
    return ("可获奖励上限：" + "；".join(parts)) if zh else ("Maximum award: " + "; ".join(parts))


# ------------------------------------------------------------------ JSON


def _maximums_json(maximums: dict[str, Decimal] | None) -> dict[str, str] | None:
    if maximums is None:
        return None
    return {k: (f"{v.normalize():f}" if k == "housing_m2" else str(v)) for k, v in maximums.items()}


_STATIC: dict[tuple[int, str], tuple[Any, dict[str, Any], str, tuple[tuple[str, Any], ...]]] = {}


def _static(c: CriterionResult, lang: str) -> tuple[dict[str, Any], str, tuple[tuple[str, Any], ...]]:
    """The parts of a criterion's JSON that come from the rule file alone (built once per
    criterion; the cache holds the criterion itself, so an id is never reused under it)."""
    key = (id(c.criterion), lang)
    entry = _STATIC.get(key)
    if entry is not None and entry[0] is c.criterion:
        return entry[1], entry[2], entry[3]
    zh = _zh(lang)
    item: dict[str, Any] = {
        "id": c.id,
        "clause": c.clause,
        "label": c.label.zh if zh else c.label.en,
        "quote": c.quote,
    }
    if c.code:
        item["code"] = c.code
    if c.kind != "criterion":
        item["kind"] = c.kind
    if c.discretionary:
        item["discretionary"] = True
    if c.interpretation is not None:
        item["interpretation"] = c.interpretation.zh if zh else c.interpretation.en
    specs = tuple((path, FACTS[path]) for path in c.criterion.facts)
    hint = c.hint.zh if zh else c.hint.en
    _STATIC[key] = (c.criterion, item, hint, specs)
    return item, hint, specs


def decision_json(decision: Decision, ruleset: Ruleset, when: date, lang: str) -> dict[str, Any]:
    zh = _zh(lang)
    criteria = []
    explanations: dict[int, str] = {}
    plain: dict[str, Any] = {}  # each fact in the application's own terms, once per claim
    for c in decision.criteria:
        static, hint, specs = _static(c, lang)
        explanation = _explanation(c, ruleset, when, lang)
        explanations[id(c)] = explanation
        fact = c.fact
        for path, spec in specs:
            if path not in plain:
                plain[path] = plain_value(spec, fact.get(path))
        item = {
            **static,
            "status": c.status,
            "explanation": explanation,
            "facts": {path: plain[path] for path, _ in specs},
            "missing": list(c.missing),
        }
        if c.review:
            item["review"] = True
        if c.earlier:
            item["earlier_awards"] = [r.to_json() for r in c.earlier]
        if c.status != MET:
            item["hint"] = hint
        criteria.append(item)
    out: dict[str, Any] = {
        "claim": decision.claim,
        "program": decision.program,
        "outcome": decision.outcome,
        "amount": str(decision.amount) if decision.amount is not None and decision.outcome != INELIGIBLE else None,
        "maximums": _maximums_json(decision.maximums),
        "criteria": criteria,
        "missing": list(decision.missing),
        "summary": decision_summary(decision, ruleset, when, lang, explanations),
        "clause": decision.clause,
    }
    if decision.patent:
        out["patent"] = decision.patent
    if decision.arithmetic is not None:
        out["arithmetic"] = decision.arithmetic.to_json()
    if decision.derived:
        out["derived"] = [
            {"id": d.id, "status": d.status, "label": d.label.zh if zh else d.label.en} for d in decision.derived
        ]
    return out


def applicant_json(assessment: Assessment) -> dict[str, Any]:
    out: dict[str, Any] = {"type": assessment.applicant_type, "name": assessment.applicant_name}
    if assessment.credit_code:
        out["credit_code"] = assessment.credit_code
    if assessment.id_number:
        out["id_number"] = identifiers.mask_id_number(assessment.id_number)
    return out


def assessment_json(assessment: Assessment, ruleset: Ruleset, lang: str = "zh") -> dict[str, Any]:
    """The contract's decision object for one application (plus additive fields)."""
    when = assessment.submitted_on
    return {
        "application": assessment.application_id,
        "ruleset": {"id": assessment.ruleset_id, "version": assessment.ruleset_version},
        "decisions": [decision_json(d, ruleset, when, lang) for d in assessment.decisions],
        "submitted_on": when.isoformat(),
        "applicant": applicant_json(assessment),
        "policy": {
            "document": assessment.document,
            "title": assessment.title.zh if _zh(lang) else assessment.title.en,
            "in_force": assessment.in_force,
        },
        "total": str(assessment.total),
        "engine": assessment.engine,
    }


# ------------------------------------------------------------------ text


def _who(assessment: Assessment) -> str:
    if assessment.credit_code:
        return f"{assessment.applicant_name}（{assessment.credit_code}）"
    if assessment.id_number:
        return f"{assessment.applicant_name}（{identifiers.mask_id_number(assessment.id_number)}）"
    return assessment.applicant_name


def render_text(assessment: Assessment, ruleset: Ruleset, lang: str = "zh") -> str:
    """What a reviewer signs off from and an applicant acts on."""
    zh = _zh(lang)
    when = assessment.submitted_on
    version = assessment.ruleset_version
    short = version[:13] + "…" if len(version) > 14 else version
    lines: list[str] = []
    if zh:
        lines.append(f"申请 {assessment.application_id} · {_who(assessment)} · 提交日期 {when}")
        lines.append(f"适用政策：{assessment.document} {assessment.title.zh}（规则版本 {short}）")
    else:
        who = _who(assessment).replace("（", " (").replace("）", ")")
        lines.append(f"Application {assessment.application_id} · {who} · submitted {when}")
        lines.append(f"Policy: {assessment.document} {assessment.title.en} (rules {short})")
    for d in assessment.decisions:
        lines.append("")
        lines.extend(_decision_lines(d, ruleset, when, lang))
    total = assessment.total
    lines.append("")
    lines.append(f"合计奖励 {format_yuan(total)} 元" if zh else f"Total award {format_yuan(total)} yuan")
    pending = [d for d in assessment.decisions if d.outcome == NEEDS_REVIEW]
    if pending:
        lines.append(f"另有 {len(pending)} 项待评审" if zh else f"{len(pending)} claim(s) await review")
    seen: list[str] = []
    for d in assessment.decisions:
        if d.quote not in seen:
            seen.append(d.quote)
            lines.append(f"政策原文（{d.clause}）：“{d.quote}”" if zh else f"Policy text ({d.clause}): “{d.quote}”")
    return "\n".join(lines) + "\n"


def _decision_lines(d: Decision, ruleset: Ruleset, when: date, lang: str) -> list[str]:
    zh = _zh(lang)
    label = d.program_label.zh if zh else d.program_label.en
    outcome = OUTCOME[d.outcome][0 if zh else 1]
    head = (
        f"第{d.claim}项 {label} · {d.clause} · {outcome}"
        if zh
        else f"Claim {d.claim} · {label} · {d.clause} · {outcome}"
    )
    capped = d.arithmetic is not None and d.arithmetic.capped
    if d.amount is not None and d.outcome == ELIGIBLE:
        head += (
            f" · 奖励 {format_yuan(d.amount)} 元" + ("（受单个企业上限限制）" if capped else "")
            if zh
            else f" · {format_yuan(d.amount)} yuan" + (" (limited by the per-enterprise cap)" if capped else "")
        )
    elif d.amount is not None and d.outcome == NEEDS_REVIEW:
        head += f" · 核实后拟奖励 {format_yuan(d.amount)} 元" if zh else f" · {format_yuan(d.amount)} yuan once settled"
    lines = [head]
    if d.outcome != ELIGIBLE:
        lines.append("  " + decision_summary(d, ruleset, when, lang))
    maximums = _maximums(d, lang)
    if maximums:
        lines.append("  " + maximums)
    if d.outcome != INELIGIBLE:
        arithmetic = arithmetic_line(d, lang)
        if arithmetic:
            lines.append("  " + arithmetic)
    order = {NOT_MET: 0, "unknown": 1, MET: 2}
    for c in sorted(d.criteria, key=lambda c: order[c.status]):
        text = c.label.zh if zh else c.label.en
        line = (
            f"  {MARK[c.status]} {text}：{criterion_explanation(c, ruleset, when, lang)}"
            if zh
            else f"  {MARK[c.status]} {text}: {criterion_explanation(c, ruleset, when, lang)}"
        )
        if c.clause != d.clause:
            line += f" · {c.clause}"
        if c.interpretation is not None:
            line += "（解释性适用）" if zh else " (interpretation)"
        lines.append(line)
        for x in _beneath(c, d, ruleset):
            name = x.label.zh if zh else x.label.en
            lines.append(f"      {MARK[x.status]} {name}")
    hints = [c.hint.zh if zh else c.hint.en for c in d.criteria if c.status != MET]
    if hints:
        lines.append(("  如何满足：" if zh else "  What to do: ") + (" " if not zh else "").join(hints))
    if d.missing:
        shown = [f"{field_label(m, lang)}（{m}）" if zh else f"{field_label(m, lang)} ({m})" for m in d.missing]
        lines.append(("  缺少信息：" if zh else "  Missing: ") + ("；" if zh else "; ").join(shown))
    return lines


def _beneath(c: CriterionResult, d: Decision, ruleset: Ruleset) -> list[Any]:
    """The derived verdicts a criterion rests on, below the ones it names itself (for
    "high-value patent": which of the five categories hold)."""
    if c.criterion.condition is None:
        return []
    named = derived_refs(c.criterion.condition)
    reached: list[str] = []
    stack = list(named)
    while stack:
        name = stack.pop()
        for ref in derived_refs(ruleset.derived[name].condition) if name in ruleset.derived else []:
            if ref not in reached:
                reached.append(ref)
                stack.append(ref)
    return [x for x in d.derived if x.id in reached]


SECTION_LABELS = {
    "patent": ("专利信息", "patent details"),
    "patent.high_value": ("高价值专利情形", "high-value categories"),
    "industrialization": ("产业化情况", "industrialization details"),
    "seller": ("卖方信息", "seller details"),
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
    return labels[0 if _zh(lang) else 1]


# ------------------------------------------------------- recorded decisions


def render_recorded(
    content: dict[str, Any], settlements: list[dict[str, Any]], record_hash: str, ruleset: Ruleset
) -> str:
    """A recorded decision as it was recorded (its explanations are stored in Chinese), with
    the labels of the archived rules it was decided under."""
    result = content["result"]
    applicant = result["applicant"]
    who = applicant["name"] + (
        f"（{applicant.get('credit_code') or applicant.get('id_number')}）"
        if applicant.get("credit_code") or applicant.get("id_number")
        else ""
    )
    lines = [
        f"申请 {result['application']} · {who} · 提交日期 {result['submitted_on']}",
        f"适用政策：{result['policy']['document']} {result['policy']['title']}",
        f"规则版本 {content['ruleset']['version']} · 记录于 {content['recorded_at']} · 来源 {content['source']}",
        f"记录哈希 {record_hash}",
    ]
    settled = {s["decision"]: s for s in settlements}
    for d in result["decisions"]:
        outcome = OUTCOME[d["outcome"]][0]
        program = ruleset.programs.get(d["program"])
        name = program.label.zh if program is not None else d["program"]
        criteria = {c.id: c for c in program.criteria} if program is not None else {}
        head = f"第{d['claim']}项 [{d['decision']}] {name} · {d['clause']} · {outcome}"
        if d["amount"] is not None:
            head += f" · {'奖励' if d['outcome'] == ELIGIBLE else '拟奖励'} {format_yuan(Decimal(d['amount']))} 元"
        lines += ["", head, "  " + d["summary"]]
        for c in d["criteria"]:
            known = criteria.get(c["id"])
            line = f"  {MARK[c['status']]} {known.label.zh if known else c['id']}：{c['explanation']}"
            if c["clause"] != d["clause"]:
                line += f" · {c['clause']}"
            if known is not None and known.interpretation is not None:
                line += "（解释性适用）"
            lines.append(line)
        if d["missing"]:
            lines.append("  缺少信息：" + ", ".join(d["missing"]))
        s = settled.get(d["decision"])
        if s is not None:
            amount = f"，金额 {format_yuan(Decimal(s['amount']))} 元" if s.get("amount") else ""
            lines.append(
                f"  ⇒ 评审结论：{OUTCOME[s['outcome']][0]}{amount}（{s['reviewer']}，{s['recorded_at']}）"
                f"：{s['reason']}"
            )
    settled_total = sum(
        (Decimal(s["amount"]) for s in settlements if s["outcome"] == ELIGIBLE and s.get("amount")), Decimal("0.00")
    )
    lines.append("")
    lines.append(
        f"合计奖励 {format_yuan(Decimal(result['total']) + settled_total)} 元"
        + (f"（其中评审结论 {format_yuan(settled_total)} 元）" if settled_total else "")
    )
    return "\n".join(lines) + "\n"
