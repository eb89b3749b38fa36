"""Minimal-change guidance in words and as JSON (the additive ``guidance`` of a decision).

Each change names the fact to change in words (the JSON adds its application field,
``claims[1].industrialization.division``), its value now, what the criteria ask of it —
their conditions in words, with the values bound for the submission date — and a value
that would do. Guidance that finds no way says why, criterion by criterion: the facts of
record in the way, the parameters unset (by their labels; the JSON lists their names).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ...money import format_yuan, from_fen
from ..facts import FACTS, application_field, plain_value
from ..guidance import Blocked, Change, Guidance
from ..ruleset import Ruleset
from .words import condition_words, fact_label, value_words

__all__ = ["best_reachable", "change_field", "guidance_json", "guidance_lines"]


def change_field(change: Change, claim: int) -> tuple[str | None, Any]:
    """The application field a change sets, and the value to write there (None: leave it out).
    A list written in a field of one text (the patentees in ``holder``) is joined with "；"."""
    spec = FACTS[change.fact]
    field = application_field(change.fact, claim)
    value = plain_value(spec, change.to)
    if isinstance(value, list) and spec.source is not None and not spec.source.endswith("s"):
        value = "；".join(value)
    return field, value


def _room(ruleset: Ruleset, program: str, fact: dict[str, Any], when: date) -> Decimal | None:
    cap = ruleset.programs[program].award.cap
    if cap is None:
        return None
    limit = ruleset.param_value(cap.param, when)
    if not isinstance(limit, Decimal):
        return None
    return max(limit - from_fen(fact.get("ledger.awarded_total", 0)), Decimal("0.00"))


def best_reachable(g: Guidance, outcome: str) -> str:
    """The best outcome a claim decided ``outcome`` can reach: the guidance's target when a change
    reaches it; else what the claim has now — review (by the panel, for a discretionary programme)
    when it awaits review, since no change can do better; ineligible otherwise."""
    if g.reachable:
        return g.outcome
    return "needs_review" if outcome == "needs_review" else "ineligible"


def guidance_json(
    g: Guidance,
    ruleset: Ruleset,
    claim: int,
    fact: dict[str, Any],
    when: date,
    lang: str = "zh",
    outcome: str = "ineligible",
) -> dict[str, Any]:
    """The ``guidance`` object of a decision that is not eligible (decided ``outcome``):
    ``best_reachable`` is :func:`best_reachable`."""
    out: dict[str, Any] = {"reachable": g.reachable, "outcome": g.outcome, "best_reachable": best_reachable(g, outcome)}
    changes = []
    for c in g.changes:
        field, value = change_field(c, claim)
        changes.append(
            {
                "fact": c.fact,
                "field": field,
                "now": plain_value(FACTS[c.fact], c.now),
                "to": value,
                "criteria": list(c.criteria),
                "requirement": _requirement(c, ruleset, lang, when),
            }
        )
    out["changes"] = changes
    out["blocked"] = [
        {
            "criterion": b.criterion,
            "facts": list(b.facts),
            "unset": list(b.unset),
            "reason": _reason(b, ruleset, fact, lang),
        }
        for b in g.blocked
    ]
    if g.discretionary:
        out["for_the_panel"] = list(g.discretionary)
    room = _room(ruleset, g.program, fact, when)
    if room is not None:
        out["room"] = str(room)
    return out


def _requirement(c: Change, ruleset: Ruleset, lang: str, when: date) -> str:
    seen: list[str] = []
    for leaf in c.requirement:
        words = condition_words(leaf, ruleset, lang, when)
        if words not in seen:
            seen.append(words)
    return ("；" if lang == "zh" else "; ").join(seen)


def _reason(b: Blocked, ruleset: Ruleset, fact: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    parts = [f"{fact_label(f, lang)} {value_words(f, fact.get(f), lang)}" for f in b.facts]
    text = ("、".join(parts) if zh else ", ".join(parts)) + ("（既成事实，不能改变）" if zh else " (of record)")
    if not b.facts:
        text = ""
    if b.unset:
        params = [ruleset.parameters.get(n) for n in b.unset]
        named = [(p.label.zh if zh else p.label.en) if p else n for n, p in zip(b.unset, params, strict=True)]
        unset = ("、" if zh else ", ").join(named)
        more = f"主管部门尚未设定{unset}" if zh else f"not yet set by the programme office: {unset}"
        text = f"{text}{'；' if zh else '; '}{more}" if text else more
    return text


def guidance_lines(
    g: Guidance,
    ruleset: Ruleset,
    claim: int,
    fact: dict[str, Any],
    when: date,
    labels: dict[str, str],
    lang: str,
    outcome: str = "ineligible",
) -> list[str]:
    """The guidance as lines of the decision text (indented like the criteria); ``labels``
    names each criterion; ``outcome`` is the claim's decision now. A claim awaiting review that
    no change can take further is told its best reachable outcome is review, not that it is hopeless."""
    zh = lang == "zh"
    target = "符合条件" if g.outcome == "eligible" else "只余评审小组认定的事项"
    target_en = "eligible" if g.outcome == "eligible" else "left with only the panel's points"
    lines: list[str] = []
    if g.reachable and g.changes:
        lines.append(
            f"  最小改动（可使本项{target}）：" if zh else f"  Smallest change (the claim would be {target_en}):"
        )
        for c in g.changes:
            now = value_words(c.fact, c.now, lang, places=ruleset.divisions)
            to = value_words(c.fact, c.to, lang, places=ruleset.divisions)
            need = _requirement(c, ruleset, lang, when)
            if zh:
                lines.append(f"    · {fact_label(c.fact, lang)}：现为 {now}；要求：{need}（如 {to}）")
            else:
                lines.append(f"    · {fact_label(c.fact, lang)}: now {now}; required: {need} (e.g. {to})")
    elif g.reachable:
        lines.append("  最小改动：无需改动" if zh else "  Smallest change: none needed")
    elif best_reachable(g, outcome) == "needs_review":
        by = ("评审小组" if zh else "the panel") if g.discretionary else ("评审人" if zh else "a reviewer")
        lines.append(
            f"  最小改动：无——可达到的最好结果是由{by}评审：提交申报后，本项即按现状交{by}评审"
            if zh
            else f"  Smallest change: none — the best reachable outcome is review by {by}: "
            f"submit the application and it goes to {by} as it is"
        )  # guidance is a self-check's: nothing is filed yet, so the claim awaits nothing
    else:
        lines.append(
            "  最小改动：没有能使本项符合条件的改动"
            if zh
            else "  Smallest change: no change would make the claim eligible"
        )
    if not g.reachable:
        for b in g.blocked:
            label = labels.get(b.criterion, b.criterion)
            reason = _reason(b, ruleset, fact, lang)
            lines.append(f"    · {label}：{reason}" if zh else f"    · {label}: {reason}")
    if g.discretionary and (g.reachable or best_reachable(g, outcome) == "needs_review"):
        panel = "、".join(labels.get(d, d) for d in g.discretionary)
        lines.append(f"    · {panel}：由评审小组认定" if zh else f"    · {panel}: for the review panel")
    room = _room(ruleset, g.program, fact, when)
    if room is not None and g.reachable:
        lines.append(
            f"    · 本企业上限剩余 {format_yuan(room)} 元，奖励不超过此数"
            if zh
            else f"    · room left under the cap: {format_yuan(room)} yuan; the award is at most that"
        )
    return lines
