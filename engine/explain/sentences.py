"""Sentences: each criterion's explanation, the arithmetic of an amount, a decision's summary.

Every sentence rests on the rule files: the criterion's label and clause, its
explanation template filled with the facts it read, the parameters in force.
Templates are plain text with ``{fact.path}`` and ``{param:name}`` holes, filled,
never executed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..evaluation.decision import ELIGIBLE, INELIGIBLE, MET, NEEDS_REVIEW, NOT_MET, CriterionResult, Decision
from ..money import format_yuan
from ..rulebook import Ruleset
from ..rulebook.conditions import UNSET
from ..rulebook.facts import FACTS
from .words import SELF_CHECK_NOTE, is_zh, missing_words, ref_text, show_param, value_shower

__all__ = ["arithmetic_line", "closing_lines", "criterion_explanation", "decision_summary", "explanation", "summary"]

_HOLE = re.compile(r"\{([^{}]+)\}")


@lru_cache(maxsize=2048)
def _compiled(template: str) -> tuple[str, tuple[str, ...]]:
    """A template made once into a format string and the names of its holes."""
    parts = _HOLE.split(template)
    text = "".join(part.replace("{", "{{").replace("}", "}}") if not i % 2 else "{}" for i, part in enumerate(parts))
    return text, tuple(parts[1::2])


_PARAM_TEXT: dict[tuple[int, str, date, str], tuple[Ruleset, str]] = {}


def _param_text(ruleset: Ruleset, name: str, when: date, lang: str) -> str:
    """A parameter's value in force on ``when``, shown; kept per ruleset object, not per
    version: a what-if ruleset keeps the version of the one it changes."""
    key = (id(ruleset), name, when, lang)
    found = _PARAM_TEXT.get(key)
    if found is not None and found[0] is ruleset:
        return found[1]
    if len(_PARAM_TEXT) > 50_000:
        _PARAM_TEXT.clear()
    shown = show_param(ruleset, name, when, lang)
    _PARAM_TEXT[key] = (ruleset, shown)
    return shown


Words = Callable[[dict[str, Any], date], str]
"""A criterion's words for one status, prepared: a function of the claim's fact and the
submission date (for the parameters in force)."""

_WORDS: dict[tuple[int, str, bool, str], tuple[Any, Ruleset, Words]] = {}


def _words(result: CriterionResult, ruleset: Ruleset, lang: str) -> Words:
    """The words of ``result``'s criterion for its status, prepared once per ruleset: the
    template parsed into a format string and a function per hole, or the label and a
    function per fact shown."""
    criterion, status, review = result.criterion, result.status, result.review
    key = (id(criterion), status, review, lang)
    found = _WORDS.get(key)
    if found is not None and found[0] is criterion and found[1] is ruleset:
        return found[2]
    words = _prepare(result, ruleset, lang)
    _WORDS[key] = (criterion, ruleset, words)
    return words


def _param_fill(ruleset: Ruleset, name: str, lang: str) -> Words:
    return lambda fact, when: _param_text(ruleset, name, when, lang)


def _fact_fill(path: str, show: Callable[[Any], str]) -> Words:
    return lambda fact, when: show(fact.get(path))


def _prepare(result: CriterionResult, ruleset: Ruleset, lang: str) -> Words:
    zh = is_zh(lang)
    template = getattr(result.explain, result.status)
    if result.review and result.explain.not_met is not None:
        template = result.explain.not_met
    if template is not None:
        written = template.zh if zh else template.en
        text, holes = _compiled(written)
        if not holes:
            return lambda fact, when: written  # type: ignore[misc]
        fills = tuple(
            _param_fill(ruleset, hole[6:], lang)
            if hole.startswith("param:")
            else _fact_fill(hole, value_shower(hole, lang, ruleset.divisions))
            for hole in holes
        )

        def filled(fact: dict[str, Any], when: date) -> str:
            return text.format(*[fill(fact, when) for fill in fills])

        return filled
    label = result.label.zh if zh else result.label.en
    shown_facts = tuple(
        (path, FACTS[path].zh if zh else FACTS[path].en, value_shower(path, lang, ruleset.divisions))
        for path in result.criterion.facts
        if FACTS[path].scope != "ledger"
    )
    joiner = "，" if zh else ", "
    if result.status == MET:
        head, open_, close = label, ("（" if zh else " ("), ("）" if zh else ")")
    elif result.status == NOT_MET:
        head, open_, close = (f"不满足“{label}”" if zh else f"not met: {label}"), ("：" if zh else ": "), ""
    else:
        head, open_, close = (f"“{label}”尚不能确定" if zh else f"cannot tell yet: {label}"), ("：" if zh else ": "), ""

    def said(fact: dict[str, Any], when: date) -> str:
        shown = joiner.join(f"{name} {show(fact.get(path))}" for path, name, show in shown_facts)
        return f"{head}{open_}{shown}{close}" if shown else head

    return said


def criterion_explanation(result: CriterionResult, ruleset: Ruleset, when: date, lang: str) -> str:
    return explanation(result, ruleset, when, lang)


def explanation(result: CriterionResult, ruleset: Ruleset, when: date, lang: str, with_missing: bool = True) -> str:
    """One line: what the criterion found, from its template or its label and facts."""
    text = _words(result, ruleset, lang)(result.fact, when)
    if result.status == "unknown" and not result.missing:  # open for want of a parameter, not a fact
        zh = is_zh(lang)
        for name in result.criterion.params:
            param = ruleset.parameters.get(name)
            if param is not None and param.unset is not None and ruleset.param_value(name, when) is UNSET:
                text += f"；{param.unset.zh}" if zh else f"; {param.unset.en}"
    if result.earlier and result.status != MET:
        zh = is_zh(lang)
        refs = ("、" if zh else "; ").join(f"{ref_text(r, lang)} {format_yuan(r.amount)}" for r in result.earlier)
        text += f"（见 {refs}）" if zh else f" (see {refs})"
    if result.missing and with_missing:
        gap = missing_words(result.missing, lang)
        text += f"（缺少{gap}）" if is_zh(lang) else f" (missing {gap})"
    return text


def arithmetic_line(decision: Decision, lang: str) -> str | None:
    a = decision.arithmetic
    if a is None:
        return None
    zh = is_zh(lang)
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
    base = FACTS[a.base_fact]
    if a.base is None:
        return (
            f"计算：{base.zh}未提供，无法计算奖励"
            if zh
            else f"Arithmetic: no {base.en} given, the reward cannot be computed"
        )
    rate = f"{(a.rate * 100).normalize():f}%" if a.rate is not None else "?"
    gross = f"{format_yuan(a.base)} × {rate} = {format_yuan(a.gross)}" if a.gross is not None else ""
    if a.cap is None:
        return f"计算：{gross}" if zh else f"Arithmetic: {gross}"
    if len(a.earlier) == 1:
        earlier = ref_text(a.earlier[0], lang)
    else:
        earlier = " + ".join(f"{ref_text(r, lang)} {format_yuan(r.amount)}" for r in a.earlier)
    used = format_yuan(a.used or Decimal("0"))
    assert a.cap is not None and a.room is not None and a.amount is not None  # a capped rate award
    if zh:
        room = (
            f"本企业累计上限 {format_yuan(a.cap)}，已用 {used}"
            + (f"（{earlier}）" if earlier else "")
            + f"，剩余 {format_yuan(a.room)}"
        )
        return f"计算：{base.zh} {gross}；{room} → 奖励 {format_yuan(a.amount)}"
    room = (
        f"cap {format_yuan(a.cap)} per enterprise, used {used}"
        + (f" ({earlier})" if earlier else "")
        + f", room {format_yuan(a.room)}"
    )
    return f"Arithmetic: {gross}; {room} → {format_yuan(a.amount)}"


def decision_summary(
    decision: Decision, ruleset: Ruleset, when: date, lang: str, explained: dict[int, str] | None = None
) -> str:
    """The one sentence a decision opens with (``explained``: criteria's explanations already
    made, by the id of their result)."""
    done = explained or {}
    return summary(
        decision,
        lang,
        lambda c: done.get(id(c)) or explanation(c, ruleset, when, lang),
        lambda c: explanation(c, ruleset, when, lang, with_missing=False),
    )


def summary(
    decision: Decision, lang: str, said: Callable[[CriterionResult], str], base: Callable[[CriterionResult], str]
) -> str:
    """:func:`decision_summary` from a criterion's explanation (``said``) and its explanation
    without the fields missing (``base``)."""
    zh = is_zh(lang)
    if decision.outcome == INELIGIBLE:
        reasons = [
            f"{said(c)}（{c.clause}）" if zh else f"{said(c)} ({c.clause})"
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
                reasons.append(base(c))
        rest = len(open_points) < len(decision.criteria)
        tail = ("其余条件均已满足。" if zh else " All other criteria are met.") if rest else ""
        gap = missing_words(decision.missing, lang)  # named once, for the whole claim
        if gap:
            tail = (f"缺少{gap}。" if zh else f" Missing: {gap}.") + tail
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


def closing_lines(total: Decimal, outcomes: list[str], lang: str, self_check: bool = False) -> list[str]:
    """The lines a decision closes with: the cash total, what awaits review; "no award" when
    nothing is awarded or pending — never a total of 0.00. ``outcomes``: each claim's.
    ``self_check``: the total is an estimate, the earlier awards unseen (:data:`SELF_CHECK_NOTE`)."""
    zh = is_zh(lang)
    pending = outcomes.count(NEEDS_REVIEW)
    lines = []
    if total and self_check:
        note = SELF_CHECK_NOTE[0 if zh else 1]
        lines.append(
            f"预计合计奖励 {format_yuan(total)} 元（{note}）"
            if zh
            else f"Estimated total {format_yuan(total)} yuan ({note})"
        )
    elif total:
        lines.append(f"合计奖励 {format_yuan(total)} 元" if zh else f"Total award {format_yuan(total)} yuan")
    if pending and total:
        lines.append(f"另有 {pending} 项待评审" if zh else f"{pending} claim(s) await review")
    elif pending:
        lines.append(
            f"{pending} 项待评审，奖励待评审后确定"
            if zh
            else f"{pending} claim(s) await review; any award is settled then"
        )
    elif not total and ELIGIBLE not in outcomes:
        lines.append("不予奖励" if zh else "No award")
    return lines
