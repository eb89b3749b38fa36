"""The engine's rules for one programme, as pure JSON: what the compiler registers.

Every criterion and derived condition becomes up to three single-fact rules —
*met*, *not met*, *unknown* — anchored on the claim (``kind_``), its stage and
the parameters' period. A condition that names a derived one is compiled with
the reference inlined when the pattern fits the engine's expression limit;
otherwise the derived verdict is decided in an earlier stage and read from the
fact. Nothing here imports the engine, so the loader checks every programme
against the engine's limits when the rules are read.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import ComplexityError
from .patterns import FALSE, MAX_EXPRESSIONS, TRUE, all_of, expression_count, patterns, split
from .ruleset import Period, Program, Ruleset

__all__ = ["SEEN", "Item", "ProgramPlan", "RuleKey", "compile_program"]

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
SEEN = "seen"
Item = tuple[str, str]  # ("criterion" | "derived", id)


@dataclass(frozen=True)
class RuleKey:
    kind: str
    item: str
    status: str


@dataclass(frozen=True)
class ProgramPlan:
    """What the engine decides for one programme, per period and stage."""

    definition: dict[str, Any]
    meaning: dict[str, RuleKey]
    stages: dict[int, tuple[tuple[Item, ...], ...]]  # period index -> items per stage


def _day(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def _anchor(period: Period, stage: int) -> list[Any]:
    anchor: list[Any] = [{"kind_": "claim"}, {"stage_": stage}]
    if period.start is not None:
        anchor.append({"$gte": {"submitted_on": _day(period.start)}})
    if period.end is not None:
        anchor.append({"$lt": {"submitted_on": _day(period.end)}})
    return anchor


def _fits(anchor: list[Any], pattern: Any) -> bool:
    return pattern is FALSE or expression_count(all_of([*anchor, pattern])) <= MAX_EXPRESSIONS


def _raise() -> bool:
    raise ValueError("does not fit")


def _staged(
    ruleset: Ruleset, program: Program, period: Period, kind: str, item: str
) -> tuple[int, tuple[list[Any], list[Any], list[Any]]]:
    """The earliest stage at which an item's rules fit the engine, and their patterns per
    verdict (one rule each; a verdict too large for one rule is spread over several).

    At stage *s* the derived conditions of level < *s* are already decided and
    may be read as facts; everything else is inlined."""
    if kind == "criterion":
        criterion = next(c for c in program.criteria if c.id == item)
        if criterion.discretionary:
            return 0, ([], [], [TRUE])  # the panel decides: always open
    levels = {d: ruleset.derived_level(d) for d in ruleset.derived}
    top = max(levels.values(), default=0) + 1
    # Prefer one rule per verdict, staging derived conditions as needed (fewer rules are faster
    # than fewer stages); only when that cannot fit, spread a verdict over several rules.
    for splitting in (False, True):
        for stage in range(top + 1):
            keep = frozenset(d for d, level in levels.items() if level < stage)
            cond = ruleset.bound(period, program.id, kind, item, keep)
            anchor = _anchor(period, stage)

            def fits(pattern: Any, anchor: list[Any] = anchor) -> bool:
                return _fits(anchor, pattern)

            try:
                if splitting:
                    parts = tuple(split(p, fits) for p in patterns(cond))
                else:
                    parts = tuple([] if p is FALSE else [p] for p in patterns(cond) if fits(p) or _raise())
            except ValueError:
                continue
            return stage, parts  # type: ignore[return-value]
    raise ComplexityError(
        f"too large for the inference engine (a rule may hold {MAX_EXPRESSIONS} expressions, each all/any "
        "taking two); move parts into derived conditions",
        kind,
        item,
    )


def compile_program(ruleset: Ruleset, program: Program) -> ProgramPlan:
    """The durable_rules definition (pure JSON) of one programme, and what each rule means."""
    definition: dict[str, Any] = {}
    meaning: dict[str, RuleKey] = {}
    stages: dict[int, tuple[tuple[Item, ...], ...]] = {}
    counter = itertools.count()
    for period in ruleset.periods:
        items: list[Item] = [("criterion", c.id) for c in program.criteria if ruleset.active(c, period)]
        items += [("derived", d) for d in program.derived]
        by_stage: dict[int, list[Item]] = {}
        staged = [(kind, item, *_staged(ruleset, program, period, kind, item)) for kind, item in items]
        for kind, item, stage, _ in staged:
            by_stage.setdefault(stage, []).append((kind, item))
        single = len(by_stage) <= 1  # one stage: no need to tell stages apart
        for kind, item, stage, triple in staged:
            anchor = _anchor(period, stage)
            if single:
                anchor = [a for a in anchor if "stage_" not in a]
            for status, parts in zip((MET, NOT_MET, UNKNOWN), triple, strict=True):
                for pattern in parts:
                    name = f"r{next(counter)}"
                    definition[name] = {"all": [{"m": all_of([*anchor, pattern])}]}
                    meaning[name] = RuleKey(kind, item, status)
        stages[period.index] = tuple(tuple(by_stage.get(i, ())) for i in range(max(by_stage, default=-1) + 1))
    definition[SEEN] = {"all": [{"m": {"kind_": "claim"}}]}
    return ProgramPlan(definition, meaning, stages)
