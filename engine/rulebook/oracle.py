"""The same rule files evaluated in plain Python: the test oracle.

It reads the same bound conditions as the compiler and gives each criterion
and derived condition its three-valued verdict by Kleene's logic
(:func:`engine.rulebook.conditions.evaluate`). The differential tests demand
that it and the inference engine agree on every generated application; it is
also the way out should durable_rules ever have to be replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .logic import evaluate
from .ruleset import Period, Ruleset

__all__ = ["OracleRuleset"]


class OracleRuleset:
    """Same interface as :class:`engine.rulebook.compiler.CompiledRuleset`."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset

    def verdicts(self, fact: dict[str, Any], period: Period) -> dict[tuple[str, str], str]:
        ruleset = self.ruleset
        program = ruleset.programs[fact["program"]]
        out: dict[tuple[str, str], str] = {}
        for criterion in program.criteria:
            if not ruleset.active(criterion, period):
                continue
            if criterion.discretionary:
                out[("criterion", criterion.id)] = "unknown"
            else:
                out[("criterion", criterion.id)] = evaluate(
                    ruleset.bound(period, program.id, "criterion", criterion.id), fact
                )
        for derived in program.derived:
            out[("derived", derived)] = evaluate(ruleset.bound(period, program.id, "derived", derived), fact)
        return out

    def verdicts_many(self, claims: Sequence[tuple[dict[str, Any], Period]]) -> list[dict[tuple[str, str], str]]:
        return [self.verdicts(fact, period) for fact, period in claims]
