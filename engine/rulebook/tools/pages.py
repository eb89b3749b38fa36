"""``subsidy rules show``: a readable page per programme, generated from the rule files.

For each criterion, beside the plan's own words: the clause and quote, the condition
in words, the parameters it reads with their dated values and citations, the
interpretation and the switch it applies under, what the applicant can do, and two
examples — facts that meet it and facts that fail it — found by
:func:`engine.rulebook.witness.witness` and checked against the rule itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...errors import UsageError
from ..facts import FACTS, encode_date
from ..ruleset import Ruleset
from ..witness import witness
from .plan_text import clause_texts, sentences
from .words import condition_words, fact_label, size_words, value_words

__all__ = ["CriterionPage", "ParameterLine", "ProgrammePage", "programme_pages"]

EXAMPLE_DAY = date(2024, 3, 15)
EXAMPLE_BASE = {
    "submitted_on": encode_date(EXAMPLE_DAY),
    "applicant.name": "濮阳市示例有限公司",
}


@dataclass
class ParameterLine:
    name: str
    label: str
    values: list[tuple[str, str]]  # (from, value in words)
    clause: str
    citation: str  # the quote, or the source when the value is not the plan's
    interpretation: str | None
    unset: str | None


@dataclass
class CriterionPage:
    id: str
    code: str | None
    kind: str
    label: str
    clause: str
    quote: str
    condition: str
    discretionary: bool
    on_fail: str
    switch: tuple[str, str] | None  # (parameter, its value in words)
    interpretation: str | None
    hint: str
    parameters: list[ParameterLine] = field(default_factory=list)
    meets: list[tuple[str, str]] | None = None  # (fact, value) pairs; None: no example can be given
    fails: list[tuple[str, str]] | None = None


@dataclass
class ProgrammePage:
    id: str
    code: str
    label: str
    clause: str
    provision: str  # the plan's sentence holding the programme's quote
    applicant: str
    award: list[str]
    criteria: list[CriterionPage]
    document: str
    title: str
    ruleset: str
    version: str
    in_force: str
    awaiting: list[tuple[str, str]] = field(default_factory=list)  # (parameter, why unset) before it applies
    purpose: list[tuple[str, str]] = field(default_factory=list)  # (words of the plan, why they are its aim)


def programme_pages(ruleset: Ruleset, program: str | None = None, lang: str = "zh") -> list[ProgrammePage]:
    """The pages of one programme (by id or code, e.g. ``P2``) or of all. Raises :class:`UsageError`
    for a programme the ruleset does not define."""
    wanted = list(ruleset.programs)
    if program is not None:
        found = [p.id for p in ruleset.programs.values() if program in (p.id, p.code)]
        if not found:
            raise UsageError(f"no programme '{program}' in {ruleset.id}; programmes: " + ", ".join(wanted))
        wanted = found
    return [_page(ruleset, pid, lang) for pid in wanted]


def _t(text: Any, lang: str) -> str:
    return getattr(text, lang) if text is not None else ""


def _parameter(ruleset: Ruleset, name: str, lang: str) -> ParameterLine | None:
    if name in ("policy_in_force_from", "policy_in_force_to"):
        w = ruleset.policy.in_force
        value = w.from_ if name.endswith("from") else w.to
        return ParameterLine(name, name, [(str(w.from_), str(value))], "序言", ruleset.policy.document, None, None)
    p = ruleset.parameters[name]
    kind = {"money": "money", "date": "date", "boolean": "bool", "divisions": "division"}.get(p.type)
    values = []
    for start, value in p.values:
        if p.type == "size_classes":
            values.append((str(start), size_words(value, lang)))
            continue
        shown = f"{value * 100:g}%" if p.type == "rate" else value_words(None, value, lang, kind, ruleset.divisions)
        if p.type == "money":
            from ...money import format_yuan

            shown = format_yuan(value) + (" 元" if lang == "zh" else " yuan")
        values.append((str(start), shown))
    citation = p.quote or _t(p.source, lang)
    return ParameterLine(
        name,
        _t(p.label, lang),
        values,
        p.clause,
        citation,
        _t(p.interpretation, lang) or None,
        _t(p.unset, lang) or None,
    )


def _example(
    ruleset: Ruleset, program: str, criterion: str, want: str, lang: str, facts_read: tuple[str, ...] = ()
) -> list[tuple[str, str]] | None:
    period = ruleset.period_of(EXAMPLE_DAY)
    cond = ruleset.bound(period, program, "criterion", criterion)
    for frozen in (frozenset({"submitted_on"}), frozenset()):
        found = witness(cond, want, dict(EXAMPLE_BASE), frozen)
        if found is not None:
            facts = {**EXAMPLE_BASE, **found} if any(k in found for k in ("applicant.name",)) else found
            if not found:  # what the condition reads is simply not given
                facts = {k: None for k in facts_read if k not in EXAMPLE_BASE}
                facts = facts or {"submitted_on": EXAMPLE_BASE["submitted_on"]}
            return [(fact_label(k, lang), value_words(k, v, lang, places=ruleset.divisions)) for k, v in facts.items()]
    return None


def _page(ruleset: Ruleset, pid: str, lang: str) -> ProgrammePage:
    program = ruleset.programs[pid]
    texts = clause_texts(ruleset.source_text)
    provision = next((s for s in sentences(texts.get(program.clause, "")) if program.quote in s), program.quote)
    criteria = []
    for c in program.criteria:
        page = CriterionPage(
            c.id,
            c.code,
            c.kind,
            _t(c.label, lang),
            c.clause,
            c.quote,
            condition_words(c.condition, ruleset, lang) if c.condition is not None else "",
            c.discretionary,
            c.on_fail,
            None,
            _t(c.interpretation, lang) or None,
            _t(c.hint, lang),
        )
        if c.applies_if:
            value = ruleset.parameters[c.applies_if].value_at(ruleset.policy.in_force.from_)
            page.switch = (c.applies_if, value_words(None, value, lang, "bool"))
        tables = [t for t in (FACTS[f].param for f in c.facts) if t is not None and t in ruleset.parameters]
        names = list(c.params) + ([c.applies_if] if c.applies_if else []) + tables
        page.parameters = [p for p in (_parameter(ruleset, n, lang) for n in names) if p is not None]
        if not c.discretionary:
            page.meets = _example(ruleset, pid, c.id, "met", lang, c.facts[:1])
            page.fails = _example(ruleset, pid, c.id, "not_met", lang, c.facts[:1])
        criteria.append(page)
    award = []
    unset = "（未设定）" if lang == "zh" else "(not set)"
    spec = program.award
    for label, operand in (("fixed", spec.fixed), ("rate", spec.rate), ("cap", spec.cap)):
        if operand is not None:
            line = _parameter(ruleset, operand.param, lang)
            if line is not None:
                award.append(f"{label}: {line.label} {line.values[-1][1] if line.values else unset} ({line.name})")
    for key, operand in (spec.maximums or {}).items():
        line = _parameter(ruleset, operand.param, lang)
        if line is not None:
            award.append(f"{key}: {line.label} {line.values[-1][1] if line.values else ''} ({line.name})")
    window = ruleset.policy.in_force
    awaiting = [
        (name, _t(ruleset.parameters[name].unset, lang))
        for name in program.requires
        if not ruleset.parameters[name].values
    ]
    purpose = [(p.quote, _t(p.reading, lang)) for p in program.purpose]
    return ProgrammePage(
        pid,
        program.code,
        _t(program.label, lang),
        program.clause,
        provision,
        program.applicant,
        award,
        criteria,
        ruleset.policy.document,
        _t(ruleset.policy.title, lang),
        ruleset.id,
        ruleset.version,
        f"{window.from_} … {window.to}",
        awaiting,
        purpose,
    )
