"""The contract's decision object: what ``check --format json`` and ``screen --format jsonl`` print.

One object per application (``application``, ``ruleset``, ``decisions``…), one entry
per claim, every criterion with its status, clause, explanation and the facts it
read (in the application's own terms). Money is always a decimal string.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from ..evaluation.decision import INELIGIBLE, MET, Assessment, CriterionResult, Decision
from ..model import identifiers
from ..rulebook import Ruleset
from ..rulebook.facts import FACTS, FactSpec, plain_value
from . import sentences
from .words import is_zh

__all__ = ["applicant_json", "assessment_json", "criterion_static", "decision_json", "maximums_json"]


def maximums_json(maximums: dict[str, Decimal] | None) -> dict[str, str] | None:
    if maximums is None:
        return None
    return {k: (f"{v.normalize():f}" if k == "housing_m2" else str(v)) for k, v in maximums.items()}


_STATIC: dict[tuple[int, str], tuple[Any, dict[str, Any], str, tuple[tuple[str, Any], ...]]] = {}


def criterion_static(c: CriterionResult, lang: str) -> tuple[dict[str, Any], str, tuple[tuple[str, Any], ...]]:
    """The parts of a criterion's JSON that come from the rule file alone (built once per
    criterion; the cache holds the criterion itself, so an id is never reused under it)."""
    key = (id(c.criterion), lang)
    entry = _STATIC.get(key)
    if entry is not None and entry[0] is c.criterion:
        return entry[1], entry[2], entry[3]
    zh = is_zh(lang)
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


_PLAIN: dict[tuple[int, str], tuple[Any, dict[str, Any], str, tuple[tuple[str, Any], ...]]] = {}


def _plain_of(spec: FactSpec) -> Callable[[Any], Any] | None:
    """How an encoded value of this fact reads in the application's own terms (None: as it is)."""
    if spec.type in ("date", "money"):
        return lambda value: plain_value(spec, value)
    return None


def _prepared(c: CriterionResult, lang: str) -> tuple[dict[str, Any], str, tuple[tuple[str, Any], ...]]:
    """:func:`criterion_static`, with each fact's conversion to plain terms chosen once."""
    key = (id(c.criterion), lang)
    entry = _PLAIN.get(key)
    if entry is not None and entry[0] is c.criterion:
        return entry[1], entry[2], entry[3]
    item, hint, specs = criterion_static(c, lang)
    plains = tuple((path, _plain_of(spec)) for path, spec in specs)
    _PLAIN[key] = (c.criterion, item, hint, plains)
    return item, hint, plains


def decision_json(decision: Decision, ruleset: Ruleset, when: date, lang: str) -> dict[str, Any]:
    zh = is_zh(lang)
    criteria = []
    explanations: dict[int, str] = {}
    plain: dict[str, Any] = {}  # each converted fact in the application's own terms, once per claim
    explanation = sentences.explanation
    for c in decision.criteria:
        static, hint, plains = _prepared(c, lang)
        said = explanation(c, ruleset, when, lang)
        explanations[id(c)] = said
        fact = c.fact
        facts = {}
        for path, convert in plains:
            value = fact.get(path)
            if convert is not None and value is not None:
                value = plain.get(path)
                if value is None:
                    value = plain[path] = convert(fact[path])
            facts[path] = value
        item = {**static, "status": c.status, "explanation": said, "facts": facts, "missing": list(c.missing)}
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
        "maximums": maximums_json(decision.maximums),
        "criteria": criteria,
        "missing": list(decision.missing),
        "summary": sentences.decision_summary(decision, ruleset, when, lang, explanations),
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
            "title": assessment.title.zh if is_zh(lang) else assessment.title.en,
            "in_force": assessment.in_force,
        },
        "total": str(assessment.total),
        "engine": assessment.engine,
    }
