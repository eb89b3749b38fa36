"""The three-valued meaning of a bound condition, in plain Python (Kleene's logic).

A comparison whose fact is absent, or whose parameter is unset, is *unknown*;
``all`` fails if any part fails, holds if all hold, else is unknown; ``any`` is
the dual; ``not`` swaps met and not met. This is the oracle the inference engine
is tested against (:mod:`engine.rulebook.oracle`).
"""

from __future__ import annotations

from typing import Any

from .conditions import UNSET, All, AnyOf, Compare, Condition, FactRef, Not, Present

__all__ = ["MET", "NOT_MET", "UNKNOWN", "evaluate"]

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "eq":
        return bool(left == right)
    if op == "ne":
        return bool(left != right)
    if op == "lt":
        return bool(left < right)
    if op == "le":
        return bool(left <= right)
    if op == "gt":
        return bool(left > right)
    if op == "ge":
        return bool(left >= right)
    if op == "in":
        return left in right
    if op == "not_in":
        return left not in right
    if op == "contains":
        return right in left
    raise AssertionError(op)  # pragma: no cover - the parser admits no other operator


def evaluate(cond: Condition, fact: dict[str, Any]) -> str:
    """Kleene's three-valued truth of a *bound* condition on an encoded fact."""
    if isinstance(cond, Compare):
        left = fact.get(cond.fact)
        operand = cond.operand
        if left is None or operand is UNSET:
            return UNKNOWN
        if isinstance(operand, FactRef):
            right = fact.get(operand.path)
            if right is None:
                return UNKNOWN
            if operand.add_years:
                right = right + 10000 * int(operand.add_years)  # type: ignore[arg-type]
        else:
            right = operand
        return MET if _compare(cond.op, left, right) else NOT_MET
    if isinstance(cond, Present):
        return MET if (fact.get(cond.fact) is not None) == cond.present else NOT_MET
    if isinstance(cond, All):
        results = [evaluate(c, fact) for c in cond.items]
        if NOT_MET in results:
            return NOT_MET
        return UNKNOWN if UNKNOWN in results else MET
    if isinstance(cond, AnyOf):
        results = [evaluate(c, fact) for c in cond.items]
        if MET in results:
            return MET
        return UNKNOWN if UNKNOWN in results else NOT_MET
    if isinstance(cond, Not):
        inner = evaluate(cond.item, fact)
        return {MET: NOT_MET, NOT_MET: MET, UNKNOWN: UNKNOWN}[inner]
    raise AssertionError(f"unbound condition {cond!r}")  # pragma: no cover
