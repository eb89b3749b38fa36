"""Parameters: named, typed, dated values with their citations.

A value is read in its plain Python form (``Decimal`` money and rates, ``date``,
canonical division codes); a value of the wrong type is a problem at its line.
The policy's window gives two more date parameters every condition may read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ..errors import quoted
from ..model import identifiers
from ..model.divisions import Gazetteer
from ..money import MoneyError, parse_money
from ..yamlio import Located
from .ruleset import Parameter
from .sizes import read_size_classes

if TYPE_CHECKING:
    from .files import RuleFiles  # the loader's; parameters are also read for what-if

__all__ = ["POLICY_PARAMS", "build_parameters", "param_value"]

POLICY_PARAMS = {"policy_in_force_from": "date", "policy_in_force_to": "date"}


def build_parameters(
    build: RuleFiles, files: list[tuple[str, Located, Any]], quoted: Callable[[str], bool], divisions: Gazetteer
) -> tuple[dict[str, Parameter], dict[str, str]]:
    """The parameters of every ``parameters:`` file, and every parameter's type (the policy's
    two date parameters included); a bad value is a problem at its line."""
    params: dict[str, Parameter] = {}
    for _, doc, pfile in files:
        for name, spec in pfile.parameters.items():
            where = ("parameters", name)
            if spec.quote and not quoted(spec.quote):
                build.problem(doc, where + ("quote",), f"quote not found verbatim in the policy text: {spec.quote}")
            values = []
            for i, dv in enumerate(spec.values):
                value = param_value(spec.type, dv.value, divisions)
                if isinstance(value, str) and value.startswith("!"):
                    build.problem(doc, where + ("values", i, "value"), value[1:])
                    continue
                values.append((dv.from_, value))
            if not spec.values and spec.unset is None:
                build.problem(doc, where + ("values",), "a parameter without values must say why in 'unset'")
            params[name] = Parameter(
                name,
                spec.label,
                spec.type,
                spec.clause,
                spec.quote,
                spec.source,
                spec.interpretation,
                spec.unit,
                tuple(values),
                spec.unset,
            )
    types = {name: p.type for name, p in params.items()}
    types.update(POLICY_PARAMS)
    return params, types


_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # a sign only to be told the range


def param_value(type_: str, raw: Any, divisions: Gazetteer | None = None) -> Any:
    """A parameter value in its plain Python form; a string starting with "!" is a problem.
    Division names are read against ``divisions`` (the ruleset's places); codes need none."""
    try:
        if type_ == "money":
            return parse_money(raw)
        if type_ in ("rate", "area_m2"):
            if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
                return f"!expected a decimal written as text, got {raw!r}"
            if not _DECIMAL.fullmatch(str(raw).strip()):  # not NaN, an exponent or a word
                example = '"0.10" or "10%"' if type_ == "rate" else '"120"'
                return f"!expected a number written in full, such as {example}, got {quoted(str(raw))}"
            value = Decimal(str(raw).strip())
            if type_ == "rate" and not (0 < value <= 1):
                return f'!a rate is a fraction between 0 and 1 (10% is "0.10"), got {raw}'
            return value
        if type_ == "integer":
            return (
                raw if isinstance(raw, int) and not isinstance(raw, bool) else f"!expected a whole number, got {raw!r}"
            )
        if type_ == "boolean":
            return raw if isinstance(raw, bool) else f"!expected true or false, got {raw!r}"
        if type_ == "date":
            return date.fromisoformat(str(raw))
        if type_ == "divisions":
            if not isinstance(raw, list) or not raw:
                return "!expected a list of division codes or names"
            return [(divisions or Gazetteer()).resolve(x).code for x in raw]
        if type_ == "text_list":
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                return "!expected a list of texts"
            return list(raw)
        if type_ == "text":
            return raw if isinstance(raw, str) else f"!expected text, got {raw!r}"
        if type_ == "size_classes":
            return read_size_classes(raw)
    except (MoneyError, InvalidOperation, ValueError) as exc:
        return f"!{exc}"
    except identifiers.IdentifierError as exc:
        return f"!{exc.message}"
    return f"!unknown parameter type {type_}"
