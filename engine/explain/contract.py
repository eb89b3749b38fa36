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

from ..evaluation.decision import INELIGIBLE, MET, NOT_MET, Assessment, Decision
from ..model import identifiers
from ..rulebook import Ruleset
from ..rulebook.facts import FactSpec, plain_value
from . import sentences
from .prepared import Wording, criterion_static, plain_of, wording
from .words import is_zh

__all__ = ["applicant_json", "assessment_json", "criterion_static", "decision_json", "maximums_json"]


def maximums_json(maximums: dict[str, Decimal] | None) -> dict[str, str] | None:
    if maximums is None:
        return None
    return {k: (f"{v.normalize():f}" if k == "housing_m2" else str(v)) for k, v in maximums.items()}


def _plain_of(spec: FactSpec) -> Callable[[Any], Any] | None:
    """How an encoded value of this fact reads in the application's own terms (None: as it is)."""
    if spec.type in ("date", "money"):
        return lambda value: plain_value(spec, value)
    return None


def _criteria_as_worded(decision: Decision, ruleset: Ruleset, when: date, lang: str) -> tuple[list[Any], str]:
    """A decision's criteria in the contract, and its summary, each worded afresh by
    :func:`sentences.explanation`: the way :func:`_criteria` is held to (tests only)."""
    criteria = []
    for c in decision.criteria:
        static, hint, specs = criterion_static(c, lang)
        facts = {}
        for path, spec in specs:
            convert = _plain_of(spec)
            value = c.fact.get(path)
            facts[path] = convert(value) if convert is not None and value is not None else value
        item = {
            **static,
            "status": c.status,
            "explanation": sentences.explanation(c, ruleset, when, lang),
            "facts": facts,
            "missing": list(c.missing),
        }
        if c.review:
            item["review"] = True
        if c.earlier:
            item["earlier_awards"] = [r.to_json() for r in c.earlier]
        if c.status != MET:
            item["hint"] = hint
        criteria.append(item)
    return criteria, sentences.decision_summary(decision, ruleset, when, lang)


def _criteria(decision: Decision, wording: Wording) -> tuple[list[Any], str]:
    """A decision's criteria in the contract, and its summary, from each criterion prepared
    (:mod:`engine.explain.prepared`): its words memoised, its object laid out in one pass."""
    criteria = []
    failed: dict[int, str] = {}  # the words of each criterion not met, for the summary
    gap = wording.missing
    for c, place in zip(decision.criteria, wording.places_of(decision), strict=True):
        criterion, status, fact, missing = c.criterion, c.status, c.fact, c.missing
        p = place.get(status)
        if p is None or p.criterion is not criterion or c.review:
            p = wording.of(c)
            if not c.review:
                place[status] = p
        earlier = c.earlier
        if earlier and status != MET:
            said = wording.said(c, p)
        else:
            constant = p.constant  # words that show no fact: said as they are
            said = constant if constant is not None else p.words(fact)
            if missing:
                said += gap(missing)
            elif p.unset:
                said += p.unset
        if status == NOT_MET:
            failed[id(c)] = said
        paths = p.paths
        if len(paths) == 1:  # one or two facts (most criteria) read without a comprehension's call
            facts = {paths[0]: fact.get(paths[0])}
        elif len(paths) == 2:
            first, second = paths
            facts = {first: fact.get(first), second: fact.get(second)}
        else:  # a loop, not a comprehension: no function made and called each time
            facts = {}
            for path in paths:
                facts[path] = fact.get(path)
        converts = p.converts
        if converts:  # dates and money (a third of the criteria)
            for path, table, spec in converts:
                value = facts[path]
                if value is not None:
                    shown = table.get(value)
                    facts[path] = shown if shown is not None else plain_of(table, spec, value)
        if earlier:
            item = p.head.copy()
            item["explanation"] = said
            item["facts"] = facts
            item["missing"] = list(missing)
            item.update(p.review)
            item["earlier_awards"] = [r.to_json() for r in earlier]
            item.update(p.hint)
        else:
            item = p.item.copy()  # every key in place: set in order, no dict grown
            item["explanation"] = said
            item["facts"] = facts
            item["missing"] = list(missing) if missing else []
        criteria.append(item)
    return criteria, sentences.summary(decision, wording.lang, lambda c: failed[id(c)], wording.base)


def decision_json(decision: Decision, ruleset: Ruleset, when: date, lang: str, *, cache: bool = True) -> dict[str, Any]:
    """One claim's decision in the contract. ``cache=False`` words every criterion afresh,
    the way the memoised words are held to (tests)."""
    return _decision_json(decision, ruleset, when, lang, wording(ruleset, lang, when) if cache else None)


def _decision_json(
    decision: Decision, ruleset: Ruleset, when: date, lang: str, words: Wording | None
) -> dict[str, Any]:
    zh = is_zh(lang)
    if words is not None:
        criteria, summary = _criteria(decision, words)
    else:
        criteria, summary = _criteria_as_worded(decision, ruleset, when, lang)
    out: dict[str, Any] = {
        "claim": decision.claim,
        "program": decision.program,
        "outcome": decision.outcome,
        "amount": str(decision.amount) if decision.amount is not None and decision.outcome != INELIGIBLE else None,
        "maximums": maximums_json(decision.maximums),
        "criteria": criteria,
        "missing": list(decision.missing),
        "summary": summary,
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


def assessment_json(
    assessment: Assessment, ruleset: Ruleset, lang: str = "zh", *, cache: bool = True
) -> dict[str, Any]:
    """The contract's decision object for one application (plus additive fields).
    ``cache=False``: every explanation worded afresh (the reference the tests hold it to)."""
    when = assessment.submitted_on
    words = wording(ruleset, lang, when) if cache else None
    return {
        "application": assessment.application_id,
        "ruleset": {"id": assessment.ruleset_id, "version": assessment.ruleset_version},
        "decisions": [_decision_json(d, ruleset, when, lang, words) for d in assessment.decisions],
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
