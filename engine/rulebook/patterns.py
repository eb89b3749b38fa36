"""Kleene's three-valued logic compiled to durable_rules patterns (pure JSON).

For a bound condition, :func:`patterns` gives three patterns — *met*, *not
met*, *unknown* — that partition every possible fact, built only from
single-fact operators (``$and $or $ex $nex $neq $lt $lte $gt $gte $iany
$iall``, equality, and ``$m``/``$add`` references to the same fact). A
derived reference reads the verdict an earlier stage recorded in the fact
(``derived_.<name>``). Nothing here imports the engine, so the loader can
check every pattern against the engine's limits before anything runs.
"""

from __future__ import annotations

from typing import Any

from .conditions import UNSET, All, AnyOf, Compare, Condition, DerivedRef, FactRef, Not, Present
from .facts import FACTS

__all__ = [
    "FALSE",
    "MAX_EXPRESSIONS",
    "TRUE",
    "all_of",
    "any_of",
    "derived_key",
    "split",
    "expression_count",
    "patterns",
]

TRUE: Any = "⊤"
FALSE: Any = "⊥"
# durable_rules keeps fewer than 32 expressions in one rule's sequence; every $and
# and $or takes two (its opening and its end).
MAX_EXPRESSIONS = 31


def all_of(parts: list[Any]) -> Any:
    """Conjunction, simplified and flattened (nested ``$and`` costs expressions); a field
    required both present and absent makes it unsatisfiable."""
    if any(p is FALSE for p in parts):
        return FALSE
    flat: list[Any] = []
    for p in parts:
        if p is TRUE:
            continue
        for q in p["$and"] if isinstance(p, dict) and set(p) == {"$and"} else [p]:
            if q not in flat:
                flat.append(q)
    absent = {next(iter(q["$nex"])) for q in flat if isinstance(q, dict) and set(q) == {"$nex"}}
    if absent and absent & {path for q in flat for path in _present_in(q)}:
        return FALSE
    if not flat:
        return TRUE
    return flat[0] if len(flat) == 1 else {"$and": flat}


def _present_in(q: Any) -> list[str]:
    """The fields a single test can only match when they are present."""
    if not isinstance(q, dict) or len(q) != 1:
        return []
    key, value = next(iter(q.items()))
    if key in ("$ex", "$lt", "$lte", "$gt", "$gte", "$neq", "$iany", "$iall") and isinstance(value, dict):
        return list(value)
    return [] if key.startswith("$") else [key]


def any_of(parts: list[Any]) -> Any:
    if any(p is TRUE for p in parts):
        return TRUE
    flat: list[Any] = []
    for p in parts:
        if p is FALSE:
            continue
        flat.extend(p["$or"] if isinstance(p, dict) and set(p) == {"$or"} else [p])
    if not flat:
        return FALSE
    return flat[0] if len(flat) == 1 else {"$or": flat}


_OP = {"eq": None, "ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}
_NEG = {"eq": "ne", "ne": "eq", "lt": "ge", "ge": "lt", "le": "gt", "gt": "le"}


def _cmp(op: str, path: str, rhs: Any) -> dict[str, Any]:
    key = _OP[op]
    return {path: rhs} if key is None else {key: {path: rhs}}


def _ex(path: str) -> Any:
    return TRUE if _always(path) else {"$ex": {path: 1}}


def _nex(path: str) -> Any:
    return FALSE if _always(path) else {"$nex": {path: 1}}


def _always(path: str) -> bool:
    spec = FACTS.get(path)
    return spec is not None and spec.always


def derived_key(name: str) -> str:
    """Where a derived verdict is recorded in the fact."""
    return "derived_." + name.replace("-", "_")


def patterns(cond: Condition) -> tuple[Any, Any, Any]:
    """(met, not met, unknown) patterns of a bound condition."""
    if isinstance(cond, DerivedRef):
        key = derived_key(cond.name)
        return {key: "met"}, {key: "not_met"}, {key: "unknown"}
    if isinstance(cond, Compare):
        f, op, operand = cond.fact, cond.op, cond.operand
        if operand is UNSET:
            return FALSE, FALSE, TRUE
        if isinstance(operand, FactRef):
            g = operand.path
            rhs: Any = {"$m": g}
            if operand.add_years:
                rhs = {"$add": {"$l": {"$m": g}, "$r": 10000 * int(operand.add_years)}}  # type: ignore[arg-type]
            # a reference to an absent field compares as if present: guard both sides
            guard = all_of([_ex(f), _ex(g)])
            unknown = any_of([_nex(f), _nex(g)])
            if op == "contains":
                yes = {"$iany": {f: {"$i": rhs}}}
                no = {"$iall": {f: {"$neq": {"$i": rhs}}}}
                return all_of([guard, yes]), all_of([guard, no]), unknown
            return (all_of([guard, _cmp(op, f, rhs)]), all_of([guard, _cmp(_NEG[op], f, rhs)]), unknown)
        if op in ("in", "not_in"):
            values: tuple[Any, ...] = operand  # type: ignore[assignment]  # bound: a tuple of literals
            inside = any_of([{f: v} for v in values])
            outside = all_of([{"$neq": {f: v}} for v in values])
            met, not_met = (inside, outside) if op == "in" else (outside, inside)
            return met, not_met, _nex(f)
        if op == "contains":
            return ({"$iany": {f: {"$i": operand}}}, {"$iall": {f: {"$neq": {"$i": operand}}}}, _nex(f))
        return _cmp(op, f, operand), _cmp(_NEG[op], f, operand), _nex(f)
    if isinstance(cond, Present):
        there, absent = _ex(cond.fact), _nex(cond.fact)
        return (there, absent, FALSE) if cond.present else (absent, there, FALSE)
    if isinstance(cond, (All, AnyOf)):
        parts = [patterns(c) for c in cond.items]
        met = [p[0] for p in parts]
        not_met = [p[1] for p in parts]
        unknown = [p[2] for p in parts]
        if isinstance(cond, All):
            # unknown: nothing fails and something is unknown
            open_ = all_of([any_of([m, u]) for m, _, u in parts] + [any_of(unknown)])
            return all_of(met), any_of(not_met), open_
        open_ = all_of([any_of([n, u]) for _, n, u in parts] + [any_of(unknown)])
        return any_of(met), all_of(not_met), open_
    if isinstance(cond, Not):
        met, not_met, unknown = patterns(cond.item)
        return not_met, met, unknown
    raise TypeError(f"not a bound condition: {cond!r}")


def expression_count(pattern: Any) -> int:
    """How many of the engine's per-rule expressions a pattern takes: two for each
    ``$and`` and ``$or`` (measured on 2.0.28; comparisons are alpha nodes and
    take none, field references and ``$iany``/``$iall`` included)."""
    if not isinstance(pattern, dict):
        return 0
    total = 0
    for key, value in pattern.items():
        if key in ("$and", "$or"):
            total += 2 + sum(expression_count(p) for p in value)
    return total


def split(pattern: Any, fits: Any, limit: int = 64) -> list[Any]:
    """A pattern as a list of patterns that each ``fits`` and together match exactly what it
    matches: an ``$or`` is split into its branches, and a conjunction holding one is
    distributed over it (largest first). Parts may overlap; overlapping parts give the same
    verdict, which the reader of the verdicts accepts."""
    if pattern is FALSE:
        return []
    if fits(pattern):
        return [pattern]
    if isinstance(pattern, dict) and set(pattern) == {"$or"}:
        branches = pattern["$or"]
    elif isinstance(pattern, dict) and set(pattern) == {"$and"}:
        ors = [p for p in pattern["$and"] if isinstance(p, dict) and set(p) == {"$or"}]
        if not ors:
            raise ValueError("no $or to split on")
        pivot = max(ors, key=expression_count)
        rest = [p for p in pattern["$and"] if p is not pivot]
        branches = [all_of([*rest, branch]) for branch in pivot["$or"]]
    else:
        raise ValueError("nothing to split")
    out: list[Any] = []
    for branch in branches:
        out.extend(split(branch, fits, limit))
        if len(out) > limit:
            raise ValueError("too many parts")
    return out
