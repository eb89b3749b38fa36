"""A decision as text: what a reviewer signs off from and an applicant acts on.

Chinese by default, English on request. Each claim opens with its outcome and
amount, then the arithmetic, every criterion (not met first, then open, then met)
with the facts it read, what to do and what is missing; the plan's own words close.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ..evaluation.decision import (
    ELIGIBLE,
    INELIGIBLE,
    MET,
    NEEDS_REVIEW,
    NOT_MET,
    Assessment,
    CriterionResult,
    Decision,
)
from ..model import identifiers
from ..money import format_yuan
from ..rulebook import Ruleset
from ..rulebook.conditions import derived_refs
from .sentences import arithmetic_line, closing_lines, criterion_explanation, decision_summary
from .words import MARK, OUTCOME, is_zh, maximums_line, missing_words

__all__ = ["render_text"]


def _who(assessment: Assessment) -> str:
    if assessment.credit_code:
        return f"{assessment.applicant_name}（{assessment.credit_code}）"
    if assessment.id_number:
        return f"{assessment.applicant_name}（{identifiers.mask_id_number(assessment.id_number)}）"
    return assessment.applicant_name


def render_text(
    assessment: Assessment, ruleset: Ruleset, lang: str = "zh", notes: Mapping[int, Sequence[str]] | None = None
) -> str:
    """What a reviewer signs off from and an applicant acts on; ``notes``: more lines to show
    under a claim, by claim number (the self-check's minimal-change guidance)."""
    zh = is_zh(lang)
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
        lines.extend((notes or {}).get(d.claim, ()))
    lines.append("")
    lines.extend(closing_lines(assessment.total, [d.outcome for d in assessment.decisions], lang))
    seen: list[str] = []
    for d in assessment.decisions:
        if d.quote not in seen:
            seen.append(d.quote)
            lines.append(f"政策原文（{d.clause}）：“{d.quote}”" if zh else f"Policy text ({d.clause}): “{d.quote}”")
    return "\n".join(lines) + "\n"


def _decision_lines(d: Decision, ruleset: Ruleset, when: date, lang: str) -> list[str]:
    zh = is_zh(lang)
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
    maximums = maximums_line(d, lang)
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
        lines.append(("  缺少信息：" if zh else "  Missing: ") + missing_words(d.missing, lang))
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
