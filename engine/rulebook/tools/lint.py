"""``subsidy rules lint``: everything wrong or doubtful in a rules folder, as ``file:line path: message``.

Beyond what the loader refuses (schema, unknown names, quotes not verbatim in the
policy text, rules too large for the engine), lint reports what loads but should
not ship:

* a fact a rule reads that the application format has no field for;
* a parameter that no criterion, award or explanation uses;
* a criterion that no scenario in ``features/`` exercises;
* two rulesets whose in-force windows overlap (which one decides is then a guess);
* an interpretation switch (a boolean parameter named by ``applies_if``) with no
  documented reason (``interpretation:``).
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ...errors import Problem, RuleFileError
from ...model import Application, Claim
from ..facts import FACTS
from ..loader import load_ruleset
from ..rulebook import ruleset_folders
from ..ruleset import Ruleset
from .locate import Locations
from .scenarios import exercising, read_scenarios

__all__ = ["lint_rules"]


def lint_rules(root: Path, features: Path | None = None) -> list[Problem]:
    """Every problem of the rules under ``root`` (a ruleset folder or a folder of them).

    ``features`` is the folder of scenarios (default: ``features/`` beside ``root``'s
    parent folder). Returns an empty list when the rules are clean."""
    problems: list[Problem] = []
    try:
        folders = ruleset_folders(root)
    except RuleFileError as exc:
        return list(exc.problems)
    features = features if features is not None else root.resolve().parent / "features"
    if not features.is_dir() and (root / "policy.yaml").is_file():
        features = root.resolve().parent.parent / "features"
    scenarios = read_scenarios(features)
    loaded: list[tuple[Ruleset, Locations]] = []
    for folder in folders:
        try:
            ruleset = load_ruleset(folder)
        except RuleFileError as exc:
            problems.extend(exc.problems)
            continue
        where = Locations(folder, ruleset.files)
        loaded.append((ruleset, where))
        problems += _facts_without_field(ruleset, where)
        problems += _unused_parameters(ruleset, where)
        problems += _switches_without_reason(ruleset, where)
        if scenarios or features.is_dir():
            problems += _criteria_without_scenario(ruleset, where, scenarios, features)
    if loaded and not (scenarios or features.is_dir()):  # said once, for every folder
        problems.append(
            Problem(
                str(features),
                None,
                "",
                "no scenarios folder: criteria cannot be matched",
                "give the scenarios with --features DIR (the shipped ones: --features features)",
            )
        )
    problems += _overlapping_windows(loaded)
    return problems


def _model_field(model: Any, parts: list[str]) -> bool:
    """Whether a dotted path names a field of a pydantic model (through nested models and lists)."""
    if not parts:
        return True
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return False
    field = model.model_fields.get(parts[0])
    if field is None:
        return False
    return any(_model_field(t, parts[1:]) for t in _models_in(field.annotation)) or len(parts) == 1


def _models_in(annotation: Any) -> list[Any]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _facts_without_field(ruleset: Ruleset, where: Locations) -> list[Problem]:
    out = []
    seen: set[str] = set()
    items = [(c.id, c.facts) for p in ruleset.programs.values() for c in p.criteria]
    items += [(d.id, d.facts) for d in ruleset.derived.values()]
    for item, facts in items:
        for fact in facts:
            spec = FACTS[fact]
            if spec.scope == "ledger" or fact in seen:
                continue
            source = (spec.source or fact).split(".")
            model = Application if spec.scope == "application" else Claim
            if not _model_field(model, source):
                seen.add(fact)
                out.append(
                    where.problem(
                        "criterion",
                        item,
                        f"reads {fact}, but the application format has no field {'.'.join(source)}",
                        "add the field to the application format (CONTRACT.md) or read another fact",
                    )
                )
    return out


def _unused_parameters(ruleset: Ruleset, where: Locations) -> list[Problem]:
    used: set[str] = set()
    for program in ruleset.programs.values():
        award = program.award
        for operand in (award.fixed, award.rate, award.cap, *(award.maximums or {}).values()):
            if operand is not None:
                used.add(operand.param)
        used.update(program.requires)
        for c in program.criteria:
            used.update(c.params)
            used.update(p for p in (FACTS[f].param for f in c.facts) if p is not None)
            if c.applies_if:
                used.add(c.applies_if)
            for status in ("met", "not_met", "unknown"):
                text = getattr(c.explain, status)
                for lang_text in (text.zh, text.en) if text else ():
                    used.update(re.findall(r"\{param:([a-z0-9_]+)\}", lang_text))
    for d in ruleset.derived.values():
        used.update(d.params)
    return [
        where.problem(
            "parameter",
            name,
            f"parameter '{name}' is not used by any criterion, award or explanation",
            "remove it, or name it where the rule needs it",
        )
        for name in ruleset.parameters
        if name not in used
    ]


def _switches_without_reason(ruleset: Ruleset, where: Locations) -> list[Problem]:
    switches = {c.applies_if for p in ruleset.programs.values() for c in p.criteria if c.applies_if}
    return [
        where.problem(
            "parameter",
            name,
            f"interpretation switch '{name}' does not say why it is set as it is",
            "add interpretation: {zh: …, en: …} giving the reading of the plan it encodes",
        )
        for name in sorted(switches)
        if ruleset.parameters[name].interpretation is None
    ]


def _criteria_without_scenario(ruleset: Ruleset, where: Locations, scenarios: list[Any], features: Path) -> list:
    out = []
    seen: set[str] = set()
    for program in ruleset.programs.values():
        for c in program.criteria:
            if c.id in seen:
                continue
            seen.add(c.id)
            if not exercising(c.id, scenarios):
                out.append(
                    where.problem(
                        "criterion",
                        c.id,
                        f"no scenario in {features} exercises criterion '{c.id}'",
                        f"add a scenario that names {c.id} with the verdict it expects",
                    )
                )
    return out


def _overlapping_windows(loaded: list[tuple[Ruleset, Locations]]) -> list[Problem]:
    out = []
    for i, (a, _) in enumerate(loaded):
        for b, where in loaded[i + 1 :]:
            wa, wb = a.policy.in_force, b.policy.in_force
            if wa.from_ <= wb.to and wb.from_ <= wa.to:
                out.append(
                    where.problem(
                        "policy",
                        "",
                        f"in force {wb.from_}…{wb.to}, overlapping '{a.id}' ({wa.from_}…{wa.to}): "
                        "an application submitted in both windows could fall under either",
                        "make the windows meet without overlapping (the later one from the day after)",
                        sub=("in_force",),
                    )
                )
    return out
