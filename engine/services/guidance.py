"""Minimal-change guidance for the claims of a self-check that are not eligible.

Computed from the rules by :func:`engine.rulebook.guidance.minimal_change` on the fact
each claim was decided on; shown in ``check`` text (lines under the claim) and JSON (an
additive ``guidance`` object per decision that is not eligible).
"""

from __future__ import annotations

from typing import Any

from ..evaluation import Assessment
from ..evaluation.decision import ELIGIBLE, Decision
from ..rulebook import Ruleset
from ..rulebook.guidance import Guidance, minimal_change
from ..rulebook.tools.guidance_words import guidance_json, guidance_lines

__all__ = ["claim_guidance", "guidance_notes", "with_guidance"]


def claim_guidance(decision: Decision, ruleset: Ruleset, assessment: Assessment) -> Guidance | None:
    """The guidance for one decision (None for an eligible one)."""
    if decision.outcome == ELIGIBLE or not decision.criteria:
        return None
    period = ruleset.period_of(assessment.submitted_on)
    statuses = {c.id: c.status for c in decision.criteria}
    return minimal_change(ruleset, decision.program, period, decision.criteria[0].fact, statuses)


def with_guidance(result: dict[str, Any], assessment: Assessment, ruleset: Ruleset, lang: str) -> dict[str, Any]:
    """The contract's decision object with ``guidance`` added to each decision that is not eligible."""
    for item, decision in zip(result["decisions"], assessment.decisions, strict=True):
        g = claim_guidance(decision, ruleset, assessment)
        if g is not None:
            fact = decision.criteria[0].fact
            item["guidance"] = guidance_json(
                g, ruleset, decision.claim, fact, assessment.submitted_on, lang, decision.outcome
            )
    return result


def guidance_notes(assessment: Assessment, ruleset: Ruleset, lang: str) -> dict[int, list[str]]:
    """Lines of guidance to show under each claim that is not eligible."""
    out: dict[int, list[str]] = {}
    for decision in assessment.decisions:
        g = claim_guidance(decision, ruleset, assessment)
        if g is None:
            continue
        labels = {c.id: (c.label.zh if lang != "en" else c.label.en) for c in decision.criteria}
        fact = decision.criteria[0].fact
        out[decision.claim] = guidance_lines(
            g, ruleset, decision.claim, fact, assessment.submitted_on, labels, lang, decision.outcome
        )
    return out
