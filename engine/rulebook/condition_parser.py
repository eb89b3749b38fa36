"""Reading a condition written in a rule file into the typed tree, every problem with its line.

The vocabulary is closed: an unknown keyword, operator, fact, parameter or enum
value is a :class:`~engine.errors.Problem` at its file, line and path, with a
did-you-mean. Operands are typed against the fact they are compared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from ..errors import Problem
from ..model import identifiers
from ..money import MoneyError, parse_money, to_fen
from .conditions import All, AnyOf, Compare, Condition, DerivedRef, FactRef, Not, Operand, ParamRef, Present
from .facts import FACTS, FactSpec, encode_date
from .suggest import did_you_mean

__all__ = ["CONDITION_KEYS", "OPS", "literal", "parse_condition"]

ORDERED = {"date", "money", "count"}
SCALAR = {"date", "bool", "money", "count", "text", "enum", "division", "category"}
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

Lines = Callable[[tuple[Any, ...]], "int | None"]


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
                hint = did_you_mean(unknown[0], CONDITION_KEYS + tuple(OPS) + ("present",))
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
                    did_you_mean(str(name), sorted(self.derived)),
                )
                return None
            return DerivedRef(str(name))
        return self._leaf(raw, path)

    def _fact_spec(self, name: Any, path: tuple[Any, ...]) -> FactSpec | None:
        if not isinstance(name, str) or name not in FACTS:
            self.problem(
                path,
                f"unknown fact '{name}'",
                did_you_mean(str(name), list(FACTS)) or "the facts rules may read are listed in docs/rule-format.md",
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
                    did_you_mean(key, [*OPS, "present"]) if bad else "combine several comparisons with all: [...]",
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
                did_you_mean(op, list(OPS) + ["present"]) or "operators: " + ", ".join(list(OPS) + ["present"]),
            )
            return None
        if spec.type not in OPS[op]:
            self.problem(
                where,
                f"'{op}' cannot be used on {spec.path} ({spec.type})",
                "ordering (lt/le/gt/ge) works on dates, money and counts; in/not_in on "
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
                        did_you_mean(value, spec.values) or "values: " + ", ".join(spec.values),
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
                                did_you_mean(str(value["param"]), list(self.params)),
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
            self.dangling(where, f"unknown parameter '{name}'", did_you_mean(str(name), list(self.params)))
            return None
        ptype = self.params[name]
        wanted = {
            "date": "date",
            "money": "money",
            "count": "integer",
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
    if type_ == "count":
        ok = isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0
        return raw if ok else _Bad(f"expected a whole number, got {raw!r}")
    if type_ == "money":
        try:
            return to_fen(parse_money(raw))
        except MoneyError as exc:
            return _Bad(str(exc))
    if type_ == "division":
        try:
            return identifiers.division_code(raw)
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
