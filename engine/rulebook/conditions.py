"""The closed condition vocabulary of rule files, typed, and its three-valued meaning.

A condition is written in YAML as one of::

    {fact: PATH, OP: OPERAND}      OP: eq ne lt le gt ge in not_in contains
    {fact: PATH, present: BOOL}    whether the application gives the fact at all
    {all: [COND, ...]}             every one holds
    {any: [COND, ...]}             at least one holds
    {not: COND}
    {derived: NAME}                a named condition from the `derived:` section

An OPERAND is a literal of the fact's type, ``{param: NAME}``, ``{fact: PATH}``
or ``{fact: PATH, add_years: N | {param: NAME}}`` (dates only).

Meaning is Kleene's three-valued logic: a comparison whose fact is absent is
*unknown*; ``all`` fails if any part fails, holds if all hold, else unknown;
``any`` the dual. :func:`evaluate` is that meaning in plain Python — the oracle
the inference engine is tested against. Nothing here is ever executed as code:
a condition is data, parsed into the small frozen tree below.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Union

from ..errors import Problem
from ..model import identifiers
from ..money import MoneyError, parse_money, to_fen
from .facts import FACTS, FactSpec, encode_date

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
    "evaluate",
    "fact_paths",
    "parse_condition",
]

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"

ORDERED = {"date", "money"}
SCALAR = {"date", "bool", "money", "text", "enum", "division", "category"}
OPS: dict[str, set[str]] = {
    "eq": SCALAR,
    "ne": SCALAR,
    "lt": ORDERED,
    "le": ORDERED,
    "gt": ORDERED,
    "ge": ORDERED,
    "in": {"text", "enum", "division", "category"},
    "not_in": {"text", "enum", "division", "category"},
    "contains": {"text_list"},
}
CONDITION_KEYS = ("fact", "all", "any", "not", "derived")


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

Lines = Callable[[tuple[Any, ...]], "int | None"]


def _suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class _Parser:
    """Parses one condition tree, collecting every problem with its line."""

    def __init__(
        self,
        file: str,
        line_of: Lines,
        params: dict[str, str],
        derived: set[str],
        fmt: Callable[[tuple[Any, ...]], str],
    ) -> None:
        self.file, self.line_of, self.params, self.derived = file, line_of, params, derived
        self.fmt = fmt
        self.problems: list[Problem] = []
        self.report_dangling = True
        self.failed = False

    def problem(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.file, self.line_of(path), self.fmt(path), message, hint))

    def dangling(self, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        """A name that is not defined: not reported when its definition's file failed to load."""
        if self.report_dangling:
            self.problem(path, message, hint)
        else:
            self.failed = True

    def parse(self, raw: Any, path: tuple[Any, ...]) -> Condition | None:
        if not isinstance(raw, dict):
            self.problem(
                path,
                f"a condition is a mapping, got {type(raw).__name__}",
                "write e.g. {fact: patent.kind, eq: invention}",
            )
            return None
        heads = [k for k in CONDITION_KEYS if k in raw]
        if len(heads) != 1:
            unknown = [k for k in raw if k not in CONDITION_KEYS and k not in OPS and k not in ("present", "add_years")]
            if unknown:
                hint = _suggest(unknown[0], CONDITION_KEYS + tuple(OPS) + ("present",))
                self.problem(
                    path + (unknown[0],),
                    f"unknown condition keyword '{unknown[0]}'",
                    hint or f"a condition starts with one of: {', '.join(CONDITION_KEYS)}",
                )
            else:
                self.problem(path, "a condition needs exactly one of: " + ", ".join(CONDITION_KEYS))
            return None
        head = heads[0]
        if head in ("all", "any"):
            extra = [k for k in raw if k != head]
            if extra:
                self.problem(path + (extra[0],), f"'{extra[0]}' cannot stand beside '{head}'")
            items = raw[head]
            if not isinstance(items, list) or not items:
                self.problem(path + (head,), f"'{head}' takes a non-empty list of conditions")
                return None
            parsed = [self.parse(item, path + (head, i)) for i, item in enumerate(items)]
            if any(p is None for p in parsed):
                return None
            return (All if head == "all" else AnyOf)(tuple(parsed))  # type: ignore[arg-type]
        if head == "not":
            inner = self.parse(raw["not"], path + ("not",))
            return Not(inner) if inner is not None else None
        if head == "derived":
            name = raw["derived"]
            if name not in self.derived:
                self.dangling(
                    path + ("derived",),
                    f"no derived condition named '{name}'",
                    _suggest(str(name), sorted(self.derived)),
                )
                return None
            return DerivedRef(str(name))
        return self._leaf(raw, path)

    def _fact_spec(self, name: Any, path: tuple[Any, ...]) -> FactSpec | None:
        if not isinstance(name, str) or name not in FACTS:
            self.problem(
                path,
                f"unknown fact '{name}'",
                _suggest(str(name), list(FACTS)) or "the facts rules may read are listed in docs/rule-format.md",
            )
            return None
        return FACTS[name]

    def _leaf(self, raw: dict[str, Any], path: tuple[Any, ...]) -> Condition | None:
        spec = self._fact_spec(raw["fact"], path + ("fact",))
        ops = [k for k in raw if k != "fact"]
        if spec is None:
            return None
        if len(ops) != 1:
            if not ops:
                self.problem(
                    path,
                    f"fact '{spec.path}' needs an operator",
                    "one of: " + ", ".join(list(OPS) + ["present"]),
                )
            else:
                bad = [k for k in ops if k not in OPS and k != "present"]
                key = bad[0] if bad else ops[1]
                self.problem(
                    path + (key,),
                    f"unknown operator '{key}'" if bad else f"only one operator per condition, got {', '.join(ops)}",
                    _suggest(key, list(OPS) + ["present"]) if bad else "combine several comparisons with all: [...]",
                )
            return None
        op = ops[0]
        where = path + (op,)
        if op == "present":
            if not isinstance(raw[op], bool):
                self.problem(where, "present takes true or false")
                return None
            return Present(spec.path, raw[op])
        if op not in OPS:
            self.problem(
                where,
                f"unknown operator '{op}'",
                _suggest(op, list(OPS) + ["present"]) or "operators: " + ", ".join(list(OPS) + ["present"]),
            )
            return None
        if spec.type not in OPS[op]:
            self.problem(
                where,
                f"'{op}' cannot be used on {spec.path} ({spec.type})",
                "ordering (lt/le/gt/ge) works on dates and money; in/not_in on "
                "texts, enums and divisions; contains on lists",
            )
            return None
        operand = self._operand(spec, op, raw[op], where)
        if operand is None:
            return None
        if spec.type == "enum" and not isinstance(operand, (ParamRef, FactRef)):
            values = operand if isinstance(operand, tuple) else (operand,)
            for i, value in enumerate(values):
                if value not in spec.values:
                    at = where + (i,) if isinstance(operand, tuple) else where
                    self.problem(
                        at,
                        f"'{value}' is not a value of {spec.path}",
                        _suggest(value, spec.values) or "values: " + ", ".join(spec.values),
                    )
                    return None
        return Compare(spec.path, op, operand)

    def _operand(self, spec: FactSpec, op: str, raw: Any, where: tuple[Any, ...]) -> Operand | None:
        element_type = "text" if spec.type == "text_list" else spec.type
        if isinstance(raw, dict):
            if set(raw) == {"param"}:
                return self._param(raw["param"], spec, op, where + ("param",))
            if "fact" in raw and set(raw) <= {"fact", "add_years"}:
                other = self._fact_spec(raw["fact"], where + ("fact",))
                if other is None:
                    return None
                if other.type != element_type or op in ("in", "not_in"):
                    self.problem(
                        where + ("fact",),
                        f"cannot compare {spec.path} ({spec.type}) with {other.path} ({other.type})",
                    )
                    return None
                years: int | ParamRef = 0
                if "add_years" in raw:
                    if spec.type != "date":
                        self.problem(where + ("add_years",), "add_years works on dates only")
                        return None
                    value = raw["add_years"]
                    if isinstance(value, dict) and set(value) == {"param"}:
                        if value["param"] not in self.params:
                            self.dangling(
                                where + ("add_years", "param"),
                                f"unknown parameter '{value['param']}'",
                                _suggest(str(value["param"]), list(self.params)),
                            )
                            return None
                        if self.params.get(value["param"]) != "integer":
                            self.problem(
                                where + ("add_years", "param"),
                                f"add_years needs an integer parameter, "
                                f"'{value['param']}' is {self.params.get(value['param'])}",
                            )
                            return None
                        years = ParamRef(value["param"])
                    elif isinstance(value, int) and not isinstance(value, bool):
                        years = value
                    else:
                        self.problem(where + ("add_years",), "add_years takes a whole number of years")
                        return None
                return FactRef(other.path, years)
            keys = ", ".join(sorted(raw))
            self.problem(where, f"an operand mapping is {{param: NAME}} or {{fact: PATH}}, got {{{keys}}}")
            return None
        if op in ("in", "not_in"):
            if not isinstance(raw, list) or not raw:
                self.problem(where, f"'{op}' takes a non-empty list or {{param: NAME}}")
                return None
            values = [self._literal(spec.type, item, where + (i,)) for i, item in enumerate(raw)]
            if any(v is None for v in values):
                return None
            return tuple(values)
        return self._literal(element_type, raw, where)

    def _param(self, name: Any, spec: FactSpec, op: str, where: tuple[Any, ...]) -> Operand | None:
        if name not in self.params:
            self.dangling(where, f"unknown parameter '{name}'", _suggest(str(name), list(self.params)))
            return None
        ptype = self.params[name]
        wanted = {
            "date": "date",
            "money": "money",
            "bool": "boolean",
            "division": "division",
            "text": "text",
            "enum": "text",
            "category": "text",
        }.get(spec.type)
        if op in ("in", "not_in"):
            wanted = {"division": "divisions"}.get(spec.type, "text_list")
        if ptype != wanted:
            self.problem(where, f"parameter '{name}' is {ptype}, but {spec.path} {op} needs {wanted}")
            return None
        return ParamRef(str(name))

    def _literal(self, type_: str, raw: Any, where: tuple[Any, ...]) -> Any:
        value = literal(type_, raw)
        if isinstance(value, _Bad):
            self.problem(where, value.message, value.hint)
            return None
        return value


@dataclass
class _Bad:
    message: str
    hint: str | None = None


def literal(type_: str, raw: Any) -> Any:
    """A literal written in a rule or parameter file, encoded as the engine compares it."""
    if type_ == "bool":
        return raw if isinstance(raw, bool) else _Bad(f"expected true or false, got {raw!r}")
    if type_ == "date":
        if isinstance(raw, str):
            try:
                return encode_date(date.fromisoformat(raw))
            except ValueError:
                pass
        return _Bad(f"expected a date YYYY-MM-DD, got {raw!r}")
    if type_ == "money":
        try:
            return to_fen(parse_money(raw))
        except MoneyError as exc:
            return _Bad(str(exc))
    if type_ == "division":
        try:
            return identifiers.resolve_division(raw).code
        except identifiers.IdentifierError as exc:
            return _Bad(exc.message, exc.hint)
    if type_ in ("text", "enum", "category"):
        if not isinstance(raw, str):
            return _Bad(f"expected text, got {raw!r}")
        return raw
    return _Bad(f"no literal of type {type_}")


def parse_condition(
    raw: Any,
    *,
    file: str,
    path: tuple[Any, ...],
    line_of: Lines,
    params: dict[str, str],
    derived: set[str],
    fmt: Callable[[tuple[Any, ...]], str],
    report_dangling: bool = True,
) -> tuple[Condition | None, list[Problem]]:
    parser = _Parser(file, line_of, params, derived, fmt)
    parser.report_dangling = report_dangling
    cond = parser.parse(raw, path)
    return (cond if not parser.problems and not parser.failed else None), parser.problems


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


# ------------------------------------------------------- three-valued meaning


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
