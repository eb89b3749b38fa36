"""The closed condition vocabulary of rule files: its typed tree, and walks over it.

A condition is written in YAML as one of::

    {fact: PATH, OP: OPERAND}      OP: eq ne lt le gt ge in not_in contains
    {fact: PATH, present: BOOL}    whether the application gives the fact at all
    {all: [COND, ...]}             every one holds
    {any: [COND, ...]}             at least one holds
    {not: COND}
    {derived: NAME}                a named condition from the `derived:` section

An OPERAND is a literal of the fact's type, ``{param: NAME}``, ``{fact: PATH}``
or ``{fact: PATH, add_years: N | {param: NAME}}`` (dates only).

:mod:`engine.rulebook.condition_parser` reads the YAML into the small frozen tree
below; :mod:`engine.rulebook.logic` gives it its three-valued meaning. Nothing
here is ever executed as code: a condition is data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

__all__ = [
    "All",
    "AnyOf",
    "Compare",
    "Condition",
    "DerivedRef",
    "FactRef",
    "Not",
    "ParamRef",
    "Present",
    "UNSET",
    "bind",
    "collect_derived",
    "derived_refs",
    "derived_refs_deep",
    "fact_paths",
    "params_deep",
    "params_used",
]


class _Unset:
    """A parameter the programme office has not set: every comparison with it is unknown."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


@dataclass(frozen=True)
class ParamRef:
    name: str


@dataclass(frozen=True)
class FactRef:
    path: str
    add_years: int | ParamRef = 0


Operand = Union[Any, ParamRef, FactRef]


@dataclass(frozen=True)
class Compare:
    fact: str
    op: str
    operand: Operand


@dataclass(frozen=True)
class Present:
    fact: str
    present: bool


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


@dataclass(frozen=True)
class DerivedRef:
    name: str


Condition = Union[Compare, Present, All, AnyOf, Not, DerivedRef]


def _leaves(cond: Condition) -> list[Condition]:
    if isinstance(cond, (All, AnyOf)):
        return [leaf for item in cond.items for leaf in _leaves(item)]
    if isinstance(cond, Not):
        return _leaves(cond.item)
    return [cond]


def fact_paths(cond: Condition, derived: dict[str, Condition]) -> list[str]:
    """Every fact a condition reads, in order of first mention (derived ones expanded)."""
    out: list[str] = []

    def visit(c: Condition) -> None:
        if isinstance(c, (All, AnyOf)):
            for item in c.items:
                visit(item)
        elif isinstance(c, Not):
            visit(c.item)
        elif isinstance(c, DerivedRef):
            visit(derived[c.name])
        else:
            if c.fact not in out:
                out.append(c.fact)
            operand = getattr(c, "operand", None)
            if isinstance(operand, FactRef) and operand.path not in out:
                out.append(operand.path)

    visit(cond)
    return out


def params_used(cond: Condition) -> list[str]:
    out: list[str] = []
    for leaf in _leaves(cond):
        operand = getattr(leaf, "operand", None)
        for ref in (operand, getattr(operand, "add_years", None)):
            if isinstance(ref, ParamRef) and ref.name not in out:
                out.append(ref.name)
    return out


# ---------------------------------------------------------------- binding


def bind(
    cond: Condition, params: dict[str, Any], derived: dict[str, Condition], keep: frozenset[str] = frozenset()
) -> Condition:
    """Replace parameters by their values (or UNSET) and derived references by
    their bound conditions — except those named in ``keep``, which stay
    references: the inference engine derives them by rules in an earlier stage."""

    def go(c: Condition) -> Condition:
        if isinstance(c, All):
            return All(tuple(go(x) for x in c.items))
        if isinstance(c, AnyOf):
            return AnyOf(tuple(go(x) for x in c.items))
        if isinstance(c, Not):
            return Not(go(c.item))
        if isinstance(c, DerivedRef):
            return c if c.name in keep else go(derived[c.name])
        if isinstance(c, Compare):
            operand = c.operand
            if isinstance(operand, ParamRef):
                value = params[operand.name]
                operand = tuple(value) if isinstance(value, list) else value
            elif isinstance(operand, FactRef) and isinstance(operand.add_years, ParamRef):
                years = params[operand.add_years.name]
                operand = UNSET if years is UNSET else FactRef(operand.path, int(years))
            return Compare(c.fact, c.op, operand)
        return c

    return go(cond)


def derived_refs(cond: Condition) -> list[str]:
    """The derived conditions a condition names directly."""
    if isinstance(cond, DerivedRef):
        return [cond.name]
    if isinstance(cond, (All, AnyOf)):
        return [r for item in cond.items for r in derived_refs(item)]
    if isinstance(cond, Not):
        return derived_refs(cond.item)
    return []


def derived_refs_deep(cond: Condition, raw: dict[str, Condition]) -> list[str]:
    """Every derived name a condition reaches (stopping at names that are not defined)."""
    out: list[str] = []
    stack = derived_refs(cond)
    while stack:
        name = stack.pop()
        if name in out:
            continue
        out.append(name)
        if name in raw:
            stack.extend(derived_refs(raw[name]))
    return out


def params_deep(cond: Condition, raw: dict[str, Condition]) -> tuple[str, ...]:
    """Every parameter a condition reads, through the derived conditions it names."""
    out = list(params_used(cond))
    for name in derived_refs_deep(cond, raw):
        for param in params_used(raw[name]) if name in raw else ():
            if param not in out:
                out.append(param)
    return tuple(out)


def collect_derived(cond: Condition, raw: dict[str, Condition], out: list[str]) -> None:
    """Append to ``out`` the derived conditions ``cond`` reaches, those named by others first."""
    for name in derived_refs(cond):
        if name not in out:
            collect_derived(raw[name], raw, out)
            out.append(name)
