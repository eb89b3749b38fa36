"""Cross-checks of a ruleset once its files are read: references between its parts.

Explanation placeholders name known facts and parameters; an award names
parameters of the right type; a limit criterion has its limit; a programme's
criteria read only its own claim fields; derived conditions do not refer to
each other in a circle. Each problem is reported at its file and line.
"""

from __future__ import annotations

import re
from typing import Any

from ..yamlio import Located
from .conditions import derived_refs
from .facts import FACTS
from .files import RuleFiles
from .ruleset import Derived, Parameter, Program
from .suggest import did_you_mean

__all__ = [
    "check_award",
    "check_claim_facts",
    "check_computed_facts",
    "check_cycles",
    "check_ledger_facts",
    "check_requires",
    "check_templates",
]


def check_templates(
    build: RuleFiles, doc: Located, path: tuple[Any, ...], explain: Any, params: dict[str, str]
) -> list[str]:
    """Check the holes of explanation templates; return the facts they show."""
    shown: list[str] = []
    for status in ("met", "not_met", "unknown"):
        text = getattr(explain, status)
        if text is None:
            continue
        for lang in ("zh", "en"):
            for name in re.findall(r"\{([^{}]*)\}", getattr(text, lang)):
                if name.startswith("param:"):
                    ok = name[6:] in params
                else:
                    ok = name in FACTS
                if not ok:
                    build.problem(
                        doc,
                        path + (status, lang),
                        f"unknown placeholder {{{name}}}",
                        did_you_mean(name, list(FACTS)),
                    )
                elif name in FACTS and name not in shown:
                    shown.append(name)
    return shown


def check_award(build: RuleFiles, doc: Located, path: tuple[Any, ...], spec: Any, params: dict[str, Parameter]) -> None:
    award = spec.award
    shapes = [award.fixed is not None, award.rate is not None, award.maximums is not None]
    if sum(shapes) != 1:
        build.problem(doc, path, "an award is exactly one of: fixed, rate (with base), maximums")
        return
    refs: list[tuple[str, str, tuple[str, ...]]] = []
    if award.fixed:
        refs.append(("fixed", award.fixed.param, ("money",)))
    if award.rate:
        refs.append(("rate", award.rate.param, ("rate",)))
        base = FACTS.get(award.base or "")
        if base is None or base.type != "money" or base.scope != "claim" or "." in base.path:
            bases = ", ".join(f for f, x in FACTS.items() if x.type == "money" and x.scope == "claim" and "." not in f)
            build.problem(doc, path + ("base",), f"a rate applies to a money field of the claim, one of: {bases}")
        if award.cap:
            refs.append(("cap", award.cap.param, ("money",)))
            if award.cap_per is None:
                build.problem(doc, path + ("cap_per",), "a cap needs cap_per")
    for key, operand in (award.maximums or {}).items():
        refs.append((key, operand.param, ("money", "area_m2")))
    for key, name, types in refs:
        p = params.get(name)
        if p is None:
            build.follow_on(
                doc,
                path + (key, "param"),
                f"unknown parameter '{name}'",
                did_you_mean(name, list(params)),
            )
        elif p.type not in types:
            build.problem(
                doc,
                path + (key, "param"),
                f"parameter '{name}' is {p.type}, an award's {key} needs {' or '.join(types)}",
            )


def check_ledger_facts(build: RuleFiles, doc: Located, path: tuple[Any, ...], program: Program) -> None:
    for c in program.criteria:
        if "ledger.already_awarded" in c.facts and program.once_per is None:
            build.problem(
                doc,
                path + ("limits",),
                f"criterion '{c.id}' reads ledger.already_awarded, which needs limits: {{once_per: patent.number}}",
            )
        if "ledger.awarded_total" in c.facts and program.award.cap is None:
            build.problem(
                doc,
                path + ("award",),
                f"criterion '{c.id}' reads ledger.awarded_total, which needs an award cap",
            )


def check_claim_facts(build: RuleFiles, doc: Located, path: tuple[Any, ...], program: Program) -> None:
    """A programme's criteria read only the claim fields its claims may carry."""
    for criterion in program.criteria:
        for fact in criterion.facts:
            if FACTS[fact].scope not in ("claim", "computed"):
                continue
            section = fact.split(".")[0]
            if section not in program.claim_fields:
                build.problem(
                    doc,
                    path + ("claim_fields",),
                    f"criterion '{criterion.id}' reads {fact}, but '{section}' is not among "
                    "this programme's claim_fields",
                    f"add {section} to claim_fields",
                )


def check_requires(
    build: RuleFiles, doc: Located, path: tuple[Any, ...], names: list[str], params: dict[str, Parameter]
) -> None:
    """Each parameter a programme ``requires`` is declared."""
    for i, name in enumerate(names):
        if name not in params:
            build.follow_on(doc, path + (i,), f"unknown parameter '{name}'", did_you_mean(name, list(params)))


def check_computed_facts(
    build: RuleFiles, doc: Located, path: tuple[Any, ...], program: Program, params: dict[str, Parameter]
) -> None:
    """A criterion reading a computed fact has the table it is computed with."""
    for criterion in program.criteria:
        for fact in criterion.facts:
            needed = FACTS[fact].param
            if needed is None:
                continue
            have = params.get(needed)
            if have is None or have.type != "size_classes":
                report = build.follow_on if have is None else build.problem
                report(
                    doc,
                    path + ("criteria",),
                    f"criterion '{criterion.id}' reads {fact}, which is computed with a size_classes "
                    f"parameter named '{needed}'; "
                    + ("there is none" if have is None else f"'{needed}' is {have.type}"),
                )


def check_cycles(build: RuleFiles, derived: dict[str, Derived], specs: dict[str, Any]) -> None:
    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            doc, path, _ = specs[name]
            build.problem(
                doc,
                path,
                "derived conditions refer to each other in a circle: "
                + " -> ".join(stack[stack.index(name) :] + [name]),
            )
            raise _Cycle
        if name not in derived:
            return
        for ref in derived_refs(derived[name].condition):
            visit(ref, stack + [name])

    for name in derived:
        try:
            visit(name, [])
        except _Cycle:
            derived.clear()
            return


class _Cycle(Exception):
    pass
