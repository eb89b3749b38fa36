"""Deciding one claim from its verdicts, by a plan prepared per ruleset, programme and period.

The inference engine (or the oracle) gives every criterion and derived condition of the
claim's programme a verdict; :func:`decide` turns them into the claim's :class:`Decision`:
each criterion's result with what it read, the outcome, and the amount. What a claim of a
programme walks in a period — its criteria in force, their verdict keys, whether a failure
calls for review, which earlier awards a limit counts — is worked out once (:func:`_plan`).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from ..model import Claim
from ..rulebook import Program, Ruleset
from ..rulebook.facts import FACTS, application_field
from ..rulebook.ruleset import Period
from .award import award_terms
from .decision import (
    ELIGIBLE,
    INELIGIBLE,
    MET,
    NEEDS_REVIEW,
    NOT_MET,
    UNKNOWN,
    AwardRef,
    CriterionResult,
    Decision,
    DerivedResult,
)

__all__ = ["AskedClaim", "decide", "frozen"]

_T = TypeVar("_T")
_new = object.__new__


class AskedClaim(Protocol):
    """A claim whose fact was built and its limits looked up, as :func:`decide` reads it."""

    number: int
    claim: Claim
    fact: dict[str, Any]
    patent: str | None
    patent_refs: tuple[AwardRef, ...]
    cap_key: str | None
    cap_refs: tuple[AwardRef, ...]


def decide(
    ruleset: Ruleset, program: Program, period: Period, when: date, a: AskedClaim, verdicts: dict[tuple[str, str], str]
) -> Decision:
    """A claim's decision from its verdicts: every criterion in force reported (a failure that
    calls for review as unknown, an unknown one with the application fields that would settle
    it), the outcome by the contract — any not met: ineligible; else any unknown: needs review;
    else eligible — and the amount from the programme's award, the cap room shown step by step.
    ``when``: the submission date, for the parameters in force."""
    fact, number = a.fact, a.number
    steps, derived_steps = _plan(ruleset, program, period)
    limits = ((), a.patent_refs, a.cap_refs)
    criteria: list[CriterionResult] = []
    append = criteria.append
    failed = unsettled = False
    all_missing: list[str] = []
    for criterion, key, reviewable, limit in steps:
        status = verdicts[key]
        missing: tuple[str, ...] = ()
        review = False
        if status == NOT_MET:
            if reviewable:  # a failed test that calls for a reviewer rather than a refusal
                unsettled = review = True
                status = UNKNOWN
            else:
                failed = True
        elif status == UNKNOWN:
            unsettled = True
            missing = _missing(fact, criterion.facts, number)
            for m in missing:
                if m not in all_missing:
                    all_missing.append(m)
        # every field set in place of the dataclass's __init__: a class's __init__ written in Python
        # is called from C, a frame of its own (measured: 2,290 -> 1,450 instructions a result, about
        # 17 results a claim); the result is the same instance, each of its six slots set
        result = _new(CriterionResult)
        result.criterion = criterion
        result.status = status
        result.fact = fact
        result.missing = missing
        result.review = review
        result.earlier = limits[limit]
        append(result)
    # a derived condition's result holds nothing of the claim: one frozen record per verdict, shared
    # (a loop, not a generator: none made and resumed for each claim)
    results: list[DerivedResult] = []
    for d, label, source, key, made in derived_steps:
        results.append(made.get(verdicts[key]) or DerivedResult(d, label, source, verdicts[key]))
    derived = tuple(results)
    outcome = INELIGIBLE if failed else NEEDS_REVIEW if unsettled else ELIGIBLE
    if outcome == INELIGIBLE:
        amount, maximums, arithmetic = None, None, None
    else:
        base = getattr(a.claim, program.award.base or "", None) if program.award.base else None
        terms = award_terms(ruleset, program, when, base, a.cap_refs)
        amount, maximums, arithmetic = terms.amount, terms.maximums, terms.arithmetic
    return frozen(
        Decision,
        {
            "claim": number,
            "program": program.id,
            "program_code": program.code,
            "program_label": program.label,
            "clause": program.clause,
            "quote": program.quote,
            "outcome": outcome,
            "amount": amount,
            "maximums": maximums,
            "criteria": tuple(criteria),
            "derived": derived,
            "missing": tuple(all_missing),
            "arithmetic": arithmetic,
            "patent": a.patent,
            "cap_key": a.cap_key,
        },
    )


def frozen(cls: type[_T], fields: dict[str, Any]) -> _T:
    """An instance of a frozen dataclass given every field, without its ``__init__``: a frozen
    dataclass sets each field through ``object.__setattr__``, which costs ten times a plain
    assignment (a :class:`Decision` took 3 µs). The result is the same frozen instance."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


_Step = tuple[Any, tuple[str, str], bool, int]
_DerivedStep = tuple[str, Any, Any, tuple[str, str], dict[str, DerivedResult]]
_PLANS: dict[tuple[int, str, int], tuple[Ruleset, tuple[_Step, ...], tuple[_DerivedStep, ...]]] = {}
_LIMITS = {"once_per": 1, "cap": 2}  # which awards a limit counts: none, the patent's, the enterprise's


def _plan(ruleset: Ruleset, program: Program, period: Period) -> tuple[tuple[_Step, ...], tuple[_DerivedStep, ...]]:
    """What deciding a claim of ``program`` in ``period`` walks, worked out once per ruleset,
    programme and period: per criterion in force, the criterion, its verdict key, whether a
    failure calls for review and the awards its limit counts (:data:`_LIMITS`); per derived
    condition, its id, label, source, verdict key and its result for each verdict."""
    key = (id(ruleset), program.id, period.index)
    found = _PLANS.get(key)
    if found is None or found[0] is not ruleset:
        steps = tuple(
            (c, ("criterion", c.id), c.on_fail == "needs_review", _LIMITS.get(c.limit or "", 0))
            for c in ruleset.active_criteria(program.id, period)
        )
        derived = []
        for d in program.derived:
            label, source = ruleset.derived[d].label, ruleset.derived[d].source
            made = {status: DerivedResult(d, label, source, status) for status in (MET, NOT_MET, UNKNOWN)}
            derived.append((d, label, source, ("derived", d), made))
        found = (ruleset, steps, tuple(derived))
        _PLANS[key] = found
    return found[1], found[2]


def _missing(fact: dict[str, Any], paths: tuple[str, ...], claim_no: int) -> tuple[str, ...]:
    """The application fields whose absence left a criterion open, named at the
    highest level that is absent (``claims[1].industrialization`` rather than
    each of its fields)."""
    out: list[str] = []
    for path in paths:
        if path in fact:
            continue
        within = _WITHIN.get(path)
        if within is None:
            within = _WITHIN[path] = _within(path)
        if not within:  # a ledger fact, or one computed from others
            continue
        drop = 0
        for depth, parent in enumerate(within[1:], 1):
            if parent not in fact:
                drop = len(within) - depth
                break
        field_path = _field_path(path, claim_no, drop)
        if field_path not in out:
            out.append(field_path)
    return tuple(out)


_WITHIN: dict[str, tuple[str, ...]] = {}


def _within(path: str) -> tuple[str, ...]:
    """``()`` for a fact no application field gives; else the path itself, then (for a fact of
    the application's own shape) the objects it lies within, outermost first."""
    spec = FACTS[path]
    if spec.scope == "ledger" or application_field(path, 1) is None:
        return ()
    if spec.source is not None:
        return (path,)
    parts = path.split(".")
    return (path, *(".".join(parts[:i]) for i in range(1, len(parts))))


@lru_cache(maxsize=4096)
def _field_path(path: str, claim_no: int, drop: int) -> str:
    """Where ``path`` of claim ``claim_no`` is in the application file, ``drop`` levels up."""
    field_path = application_field(path, claim_no)
    assert field_path is not None
    return ".".join(field_path.split(".")[:-drop]) if drop else field_path
