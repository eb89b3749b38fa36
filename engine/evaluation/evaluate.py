"""Evaluating an application: claims in order, verdicts from the rules, decisions.

For each claim, in the order the application lists them:

1. the ruleset in force on the submission date is chosen (:class:`Rulebook`);
2. the ledger says what the programme's limits already hold — awards recorded
   in the store and those granted to earlier claims of this application, and
   claims awaiting review, which hold their provisional amounts until settled;
3. the claim becomes one fact, and the inference engine (or, for testing, the
   oracle) gives every criterion and derived condition its verdict;
4. the outcome follows the contract: any *not met* → ineligible; else any
   *unknown* or discretionary point → needs review; else eligible;
5. the amount is computed in ``Decimal`` from the programme's award, the cap
   room shown step by step; an eligible award (or a pending one) is added to
   the ledger before the next claim is taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from ..model import Application, Claim
from ..money import to_fen
from ..rulebook import Program, Rulebook, Ruleset
from ..rulebook.ruleset import Period
from ..rulebook.sizes import computed_facts
from .award import used_by
from .deciding import decide, frozen
from .decision import (
    INELIGIBLE,
    NEEDS_REVIEW,
    Assessment,
    AwardRef,
    Decision,
)
from .facts import application_part, claim_fact

__all__ = ["EmptyLedger", "Evaluator", "Ledger", "evaluate"]

ZERO = Decimal("0.00")


class Ledger(Protocol):
    """What earlier decisions already awarded, for the limits that span applications."""

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]: ...

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]: ...


class EmptyLedger:
    """No earlier decisions: the self-check, which stores nothing."""

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        return ()

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        return ()


@dataclass
class _Overlay:
    """Awards granted to earlier claims of the application being evaluated."""

    ledger: Ledger
    ruleset_id: str
    by_patent: dict[tuple[str, str], list[AwardRef]] = field(default_factory=dict)
    by_enterprise: dict[tuple[str, str], list[AwardRef]] = field(default_factory=dict)

    def patent(self, program: str, patent: str) -> tuple[AwardRef, ...]:
        return self.ledger.patent_awards(self.ruleset_id, program, patent) + tuple(
            self.by_patent.get((program, patent), ())
        )

    def enterprise(self, program: str, code: str) -> tuple[AwardRef, ...]:
        return self.ledger.enterprise_awards(self.ruleset_id, program, code) + tuple(
            self.by_enterprise.get((program, code), ())
        )


class Verdicts(Protocol):
    def verdicts(self, fact: dict[str, Any], period: Period) -> dict[tuple[str, str], str]: ...

    def verdicts_many(self, claims: Sequence[tuple[dict[str, Any], Period]]) -> list[dict[tuple[str, str], str]]: ...


@dataclass
class _Pending:
    """One application on its way through :meth:`Evaluator.evaluate_many`."""

    app: Application
    ruleset: Ruleset
    engine: Verdicts
    period: Period
    part: dict[str, Any]
    overlay: _Overlay
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class _Asked:
    """One claim whose fact is built, waiting for its verdicts."""

    pending: _Pending
    number: int
    claim: Claim
    program: Program
    fact: dict[str, Any]
    patent: str | None
    patent_refs: tuple[AwardRef, ...]
    cap_key: str | None
    cap_refs: tuple[AwardRef, ...]


class Evaluator:
    """Evaluates applications against a rulebook through one backend.

    ``backend="durable_rules"`` (the default) runs the compiled rules in the
    inference engine; ``backend="oracle"`` runs the same rule files in plain
    Python, for differential testing.
    """

    def __init__(self, rulebook: Rulebook, *, backend: str = "durable_rules") -> None:
        if backend not in ("durable_rules", "oracle"):
            raise ValueError(f"unknown backend {backend!r}")
        self.rulebook = rulebook
        self.backend = backend
        self._engines: dict[str, Verdicts] = {}

    def engine_for(self, ruleset: Ruleset) -> Verdicts:
        engine = self._engines.get(ruleset.name)
        if engine is None:
            if self.backend == "oracle":
                from ..rulebook.oracle import OracleRuleset

                engine = OracleRuleset(ruleset)
            else:
                from ..rulebook.compiler import compile_ruleset

                engine = compile_ruleset(ruleset)
            self._engines[ruleset.name] = engine
        return engine

    def ruleset_for(self, app: Application) -> Ruleset:
        return self.rulebook.select(app.submitted_on, tuple(c.program for c in app.claims))

    def evaluate(self, app: Application, ledger: Ledger | None = None, ruleset: Ruleset | None = None) -> Assessment:
        """Decide every claim of ``app``, in order, against ``ledger`` (default: nothing
        awarded before) under ``ruleset`` (default: the one in force on its date)."""
        return self.evaluate_many([(app, ledger, ruleset)])[0]

    def evaluate_many(self, items: Sequence[tuple[Application, Ledger | None, Ruleset | None]]) -> list[Assessment]:
        """:meth:`evaluate` for many applications at once, each with its own ledger: the
        same assessments, in order, for a fraction of the engine's cost — the first claims of
        all of them are decided together, then the second claims, and so on (a claim's
        limits count the claims before it in its application)."""
        pending = []
        for app, ledger, ruleset in items:
            ruleset = ruleset or self.ruleset_for(app)
            pending.append(
                _Pending(
                    app,
                    ruleset,
                    self.engine_for(ruleset),
                    ruleset.period_of(app.submitted_on),
                    application_part(app),
                    _Overlay(ledger or EmptyLedger(), ruleset.id),
                )
            )
        number = 0
        while True:
            asked = [_ask(p, number + 1, p.app.claims[number]) for p in pending if number < len(p.app.claims)]
            if not asked:
                break
            by_engine: dict[int, list[_Asked]] = {}
            for a in asked:
                by_engine.setdefault(id(a.pending.engine), []).append(a)
            for group in by_engine.values():
                answers = group[0].pending.engine.verdicts_many([(a.fact, a.pending.period) for a in group])
                for a, verdicts in zip(group, answers, strict=True):
                    _conclude(a, verdicts)
            number += 1
        return [_assessment(p, self.backend) for p in pending]


def _ask(p: _Pending, number: int, claim: Claim) -> _Asked:
    """A claim's fact, with what its limits already hold (the ledger, and the claims before it)."""
    ruleset, app = p.ruleset, p.app
    program = ruleset.programs[claim.program]
    patent = claim.patent.number if claim.patent is not None else None
    patent_refs: tuple[AwardRef, ...] = ()
    if program.once_per and patent:
        patent_refs = p.overlay.patent(program.id, patent)
    cap_key = app.applicant.credit_code if program.award.cap_per else None
    cap_refs = p.overlay.enterprise(program.id, cap_key) if cap_key else ()
    fact = claim_fact(p.part, claim, bool(patent_refs), to_fen(used_by(cap_refs)) if cap_refs else 0)
    computed_facts(ruleset, fact, app.submitted_on)  # e.g. the size class, from its dated table
    return _Asked(p, number, claim, program, fact, patent, patent_refs, cap_key, cap_refs)


def _conclude(a: _Asked, verdicts: dict[tuple[str, str], str]) -> None:
    """A claim's decision from its verdicts; what it is granted (or holds, awaiting review)
    uses room under the limits for the claims after it."""
    p, program, number = a.pending, a.program, a.number
    decision = decide(p.ruleset, program, p.period, p.app.submitted_on, a, verdicts)
    p.decisions.append(decision)
    if decision.outcome != INELIGIBLE:
        ref = AwardRef(decision.amount or ZERO, claim=number, pending=decision.outcome == NEEDS_REVIEW)
        if program.once_per and decision.patent:
            p.overlay.by_patent.setdefault((program.id, decision.patent), []).append(ref)
        if decision.cap_key and decision.amount is not None:
            p.overlay.by_enterprise.setdefault((program.id, decision.cap_key), []).append(ref)


def _assessment(p: _Pending, backend: str) -> Assessment:
    app, ruleset, applicant = p.app, p.ruleset, p.app.applicant
    return frozen(
        Assessment,
        {
            "application_id": app.id,
            "submitted_on": app.submitted_on,
            "applicant_type": applicant.type,
            "applicant_name": applicant.name,
            "credit_code": applicant.credit_code,
            "id_number": applicant.id_number,
            "ruleset_id": ruleset.id,
            "ruleset_version": ruleset.version,
            "document": ruleset.policy.document,
            "title": ruleset.policy.title,
            "in_force": ruleset.in_force(app.submitted_on),
            "decisions": tuple(p.decisions),
            "engine": backend,
            "notes": (),
        },
    )


_DEFAULT: dict[tuple[int, str], Evaluator] = {}


def evaluate(
    app: Application, rulebook: Rulebook, ledger: Ledger | None = None, *, backend: str = "durable_rules"
) -> Assessment:
    """Evaluate one application (claims in order) and explain every decision."""
    key = (id(rulebook), backend)
    evaluator = _DEFAULT.get(key)
    if evaluator is None or evaluator.rulebook is not rulebook:
        evaluator = Evaluator(rulebook, backend=backend)
        _DEFAULT[key] = evaluator
    return evaluator.evaluate(app, ledger)
