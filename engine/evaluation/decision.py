"""What the engine decides: per claim a Decision, per application an Assessment.

These are plain frozen records built while the rules fire (the trace is never
reconstructed afterwards); :mod:`engine.explain` turns them into text and
into the contract's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..rulebook.ruleset import Criterion
from ..rulebook.schema import ExplainSpec, Text

__all__ = [
    "Arithmetic",
    "Assessment",
    "AwardRef",
    "CriterionResult",
    "Decision",
    "DerivedResult",
    "ELIGIBLE",
    "INELIGIBLE",
    "NEEDS_REVIEW",
]

ELIGIBLE, INELIGIBLE, NEEDS_REVIEW = "eligible", "ineligible", "needs_review"
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


@dataclass(frozen=True)
class AwardRef:
    """An earlier award — or a claim awaiting review, which holds its provisional
    amount until settled — that uses room under a limit: a claim of this
    application (``claim`` set) or a recorded decision (``decision`` set)."""

    amount: Decimal
    claim: int | None = None
    decision: str | None = None
    application: str | None = None
    pending: bool = False  # a claim awaiting review: its provisional amount is held, not yet awarded

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"amount": str(self.amount)}
        if self.pending:
            out["pending"] = True
        if self.claim is not None:
            out["claim"] = self.claim
        if self.decision is not None:
            out["decision"] = self.decision
        if self.application is not None:
            out["application"] = self.application
        return out


@dataclass(slots=True)
class CriterionResult:
    """One criterion's verdict on one claim, with what it read.

    Cheap to build while the rules fire: it points at the criterion of the rule
    file and at the claim's fact rather than copying them."""

    criterion: Criterion
    status: str
    fact: dict[str, Any]  # the claim's flat fact, shared by all criteria of the claim
    missing: tuple[str, ...] = ()  # application fields that would settle it
    review: bool = False  # a failed test that calls for a reviewer rather than a refusal
    earlier: tuple[AwardRef, ...] = ()  # for limits: the awards that used the room

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def code(self) -> str | None:
        return self.criterion.code

    @property
    def kind(self) -> str:
        return self.criterion.kind

    @property
    def label(self) -> Text:
        return self.criterion.label

    @property
    def clause(self) -> str:
        return self.criterion.clause

    @property
    def quote(self) -> str:
        return self.criterion.quote

    @property
    def explain(self) -> ExplainSpec:
        return self.criterion.explain

    @property
    def hint(self) -> Text:
        return self.criterion.hint

    @property
    def discretionary(self) -> bool:
        return self.criterion.discretionary

    @property
    def interpretation(self) -> Text | None:
        return self.criterion.interpretation

    @property
    def facts(self) -> dict[str, Any]:
        """The facts the criterion read or shows (encoded; None when absent)."""
        fact = self.fact
        return {path: fact.get(path) for path in self.criterion.facts}


@dataclass(frozen=True)
class DerivedResult:
    id: str
    label: Text
    source: Text
    status: str


@dataclass(frozen=True)
class Arithmetic:
    """How a cash amount was reached, shown to reviewers line by line."""

    kind: str  # fixed | rate
    base: Decimal | None = None
    rate: Decimal | None = None
    gross: Decimal | None = None  # base × rate (or the fixed sum)
    cap: Decimal | None = None
    used: Decimal | None = None  # the part of the cap already awarded
    earlier: tuple[AwardRef, ...] = ()
    room: Decimal | None = None
    amount: Decimal | None = None
    base_fact: str = "transaction_amount"  # the claim field the rate applies to (named in words, not in JSON)

    @property
    def capped(self) -> bool:
        return self.gross is not None and self.amount is not None and self.amount < self.gross

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for key in ("base", "rate", "gross", "cap", "used", "room", "amount"):
            value = getattr(self, key)
            if value is not None:
                out[key] = str(value)
        if self.earlier:
            out["earlier"] = [ref.to_json() for ref in self.earlier]
        return out


@dataclass(frozen=True)
class Decision:
    claim: int
    program: str
    program_code: str
    program_label: Text
    clause: str
    quote: str
    outcome: str
    amount: Decimal | None
    maximums: dict[str, Decimal] | None
    criteria: tuple[CriterionResult, ...]
    derived: tuple[DerivedResult, ...]
    missing: tuple[str, ...]
    arithmetic: Arithmetic | None
    patent: str | None
    cap_key: str | None = None


@dataclass(frozen=True)
class Assessment:
    """Every decision on one application, under one ruleset version."""

    application_id: str
    submitted_on: date
    applicant_type: str
    applicant_name: str
    credit_code: str | None
    id_number: str | None
    ruleset_id: str
    ruleset_version: str
    document: str
    title: Text
    in_force: bool
    decisions: tuple[Decision, ...]
    engine: str = "durable_rules"
    notes: tuple[Text, ...] = field(default=())

    @property
    def total(self) -> Decimal:
        return sum((d.amount for d in self.decisions if d.outcome == ELIGIBLE and d.amount), Decimal("0.00"))
