"""What-if: parameters set to other values than the rule files give, typed and checked.

``parse_settings(["purchase_reward_cap=300000.00", ...])`` reads ``NAME=VALUE`` texts;
``Rulebook.with_overrides`` (through :func:`override_ruleset`) gives rulesets in which
each named parameter has that one value on every date — the dated values of the file
are set aside, an unset parameter becomes set. The value is read as the parameter's
declaration says (:func:`engine.rulebook.parameters.param_value`):

=============  ==================================================================
``money``      yuan, ``300000.00`` (the contract's form)
``rate``       a fraction, ``0.15``, or a percentage, ``15%``
``integer``    a whole number, ``20``
``boolean``    ``true``/``false`` (also ``yes``/``no``, ``是``/``否``)
``date``       ``YYYY-MM-DD``
``area_m2``    a decimal, ``160``
``divisions``  codes or names separated by commas, ``410902,濮阳县``
``text_list``  texts separated by commas, ``91,92``
``text``       the text
=============  ==================================================================

A ruleset with overrides keeps its id and version (its files are unchanged) but has its
own ``name``, so the inference engine compiles it apart. Nothing decided under it is
ever recorded: what-if is for self-checks, dry runs, replays and impact reports.
Raises :class:`~engine.errors.UsageError` for an unknown name (with a did-you-mean), a
malformed setting or a value of the wrong type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from ..errors import Problem, UsageError
from ..model.divisions import Gazetteer
from .parameters import param_value
from .ruleset import Ruleset
from .suggest import did_you_mean

__all__ = [
    "Settings",
    "override_ruleset",
    "parse_settings",
    "setting_value",
    "settings_json",
    "settings_line",
    "values_json",
]

Settings = dict[str, Any]  # parameter name -> value in its plain Python form

_TRUE = {"true", "yes", "1", "是", "on"}
_FALSE = {"false", "no", "0", "否", "off"}
_NOT_SETTABLE = {"size_classes": "a table: change it in the rule file, as a new dated value"}


def _problem(message: str, hint: str | None = None) -> UsageError:
    return UsageError([Problem("", None, "", message, hint)])


def _raw(type_: str, text: str) -> Any:
    """A value typed on the command line, in the form a rule file would write it."""
    text = text.strip()
    if type_ == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if type_ == "boolean":
        lowered = text.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    if type_ == "rate" and text.endswith("%"):
        try:
            from decimal import Decimal

            return str(Decimal(text[:-1].strip()) / 100)
        except ArithmeticError:
            return text
    if type_ in ("divisions", "text_list"):
        return [part.strip() for part in text.replace("、", ",").replace("，", ",").split(",") if part.strip()]
    return text


def setting_value(name: str, type_: str, text: str, divisions: Gazetteer | None = None) -> Any:
    """``text`` read as a value of a parameter of type ``type_`` (division names against
    ``divisions``); UsageError if it is not one."""
    if type_ in _NOT_SETTABLE:
        raise _problem(f"what-if {name}: cannot be set here; {type_} is {_NOT_SETTABLE[type_]}")
    value = param_value(type_, _raw(type_, text), divisions)
    if isinstance(value, str) and value.startswith("!"):
        raise _problem(f"what-if {name}={text}: {value[1:]}", f"{name} is a {type_} parameter")
    return value


def parse_settings(texts: Iterable[str], known: Mapping[str, str], divisions: Gazetteer | None = None) -> Settings:
    """``NAME=VALUE`` texts read against ``known`` (parameter name -> type), division names
    against ``divisions``. A name given twice keeps its last value. Raises UsageError
    naming every text that is wrong."""
    out: Settings = {}
    problems: list[Problem] = []
    for text in texts:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name:
            hint = "e.g. purchase_reward_cap=300000.00"
            problems.append(Problem("", None, "", f"what-if {text!r}: write NAME=VALUE", hint))
            continue
        if name not in known:
            hint = did_you_mean(name, sorted(known)) or "the parameters are listed by `subsidy rules show`"
            problems.append(Problem("", None, "", f"what-if {name}: no parameter of that name", hint))
            continue
        try:
            out[name] = setting_value(name, known[name], value, divisions)
        except UsageError as exc:
            problems.extend(exc.problems)
    if problems:
        raise UsageError(problems)
    return out


def override_ruleset(ruleset: Ruleset, settings: Settings) -> Ruleset:
    """The ruleset with those of ``settings`` it defines set to one value on every date
    (the others are ignored); the ruleset itself when it defines none of them."""
    mine = {k: v for k, v in settings.items() if k in ruleset.parameters}
    if not mine:
        return ruleset
    parameters = dict(ruleset.parameters)
    for name, value in mine.items():
        parameters[name] = replace(parameters[name], values=((date.min, value),))
    merged = {**ruleset.overrides, **mine}
    return replace(ruleset, parameters=parameters, overrides=merged, _active={}, _bound={})


def settings_json(ruleset: Ruleset) -> dict[str, Any]:
    """A ruleset's what-if settings as JSON values (money and rates as decimal strings)."""
    return values_json(ruleset.overrides)


def values_json(settings: Settings) -> dict[str, Any]:
    """What-if settings as JSON values (money and rates as decimal strings), by name."""
    out: dict[str, Any] = {}
    for name, value in sorted(settings.items()):
        if isinstance(value, (list, tuple)):
            out[name] = [str(v) for v in value]
        elif isinstance(value, (bool, int)):
            out[name] = value
        else:
            out[name] = str(value)
    return out


def settings_line(ruleset: Ruleset, lang: str = "zh") -> str | None:
    """One line saying which parameters a what-if set, and that nothing is recorded."""
    if not ruleset.overrides:
        return None
    parts = [f"{name} = {value}" for name, value in settings_json(ruleset).items()]
    if lang == "zh":
        return "假设（what-if）：" + "；".join(parts) + "。以下结果按假设参数计算，不作记录。"
    return "What-if: " + "; ".join(parts) + ". Decided with these parameters; nothing is recorded."
