"""Minimal-change guidance: the fewest facts a claim must change to meet every criterion, from the rules.

For a claim that is ineligible or awaiting review, :func:`minimal_change` searches the
conditions of the programme's criteria in force — all of them at once, so that a
change never breaks a criterion already met — for the smallest set of facts to
change (:func:`engine.rulebook.witness.witness`). Nothing here is written per
criterion: the conditions in the rule files are the only source.

An applicant can complete what the application leaves out and can act on some facts
(:data:`~engine.rulebook.facts.CHANGEABLE`: record the patent transfer, start
production in Puyang, register the contract…); every other fact the application
gives is *of record* and is never changed: the submission date, the kind of patent,
the seller, an earlier award, the figures of a deal. When no change within those
bounds meets every criterion, the guidance says so and names, per criterion that
cannot be met, the facts of record and the unset parameters that stand in the way —
a utility model, a patent already awarded, a submission outside the policy window.

A discretionary criterion is for the review panel whatever the facts: for a programme
that has one, the best reachable outcome is *needs review* with only it open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import UNSET, All, AnyOf, Compare, Condition, FactRef, Not, Present
from .facts import CHANGEABLE, FACTS
from .logic import MET
from .ruleset import Period, Ruleset
from .witness import witness

__all__ = ["Blocked", "Change", "Guidance", "minimal_change"]


@dataclass(frozen=True)
class Change:
    """One fact to change: from ``now`` to ``to`` (encoded as the engine compares them; None:
    not given / leave out), to meet ``criteria``; ``requirement`` is what those criteria
    ask of the fact (the leaves of their bound conditions that read it)."""

    fact: str
    now: Any
    to: Any
    criteria: tuple[str, ...]
    requirement: tuple[Condition, ...]


@dataclass(frozen=True)
class Blocked:
    """A criterion no change the applicant can make would meet: the facts of record it reads
    (as given) and the parameters it needs that nobody has set."""

    criterion: str
    facts: tuple[str, ...]
    unset: tuple[str, ...]


@dataclass(frozen=True)
class Guidance:
    """For one claim: whether the best outcome is within reach (``eligible``, or ``needs_review``
    with only discretionary points open), by which changes, or what blocks it."""

    program: str
    reachable: bool
    outcome: str
    changes: tuple[Change, ...]
    blocked: tuple[Blocked, ...]
    discretionary: tuple[str, ...]  # criteria left to the review panel whatever the facts


def frozen_facts(fact: Mapping[str, Any]) -> frozenset[str]:
    """The facts of a claim that are of record: given, and not ones the applicant can act on."""
    return frozenset(path for path in FACTS if path not in CHANGEABLE and fact.get(path) is not None) | frozenset(
        path for path, spec in FACTS.items() if spec.scope in ("ledger", "computed")
    )


def minimal_change(
    ruleset: Ruleset, program: str, period: Period, fact: dict[str, Any], statuses: Mapping[str, str]
) -> Guidance:
    """The guidance for a claim of ``program`` with this encoded ``fact``, its criteria
    having ``statuses`` (criterion id -> met / not_met / unknown, as decided)."""
    active = ruleset.active_criteria(program, period)
    tested = [c for c in active if not c.discretionary]
    discretionary = tuple(c.id for c in active if c.discretionary)
    outcome = "needs_review" if discretionary else "eligible"
    conds = {c.id: ruleset.bound(period, program, "criterion", c.id) for c in tested}
    frozen = frozen_facts(fact)
    open_ = [c.id for c in tested if statuses.get(c.id) != MET]
    found = witness(All(tuple(conds.values())), MET, fact, frozen) if conds else {}
    if found is not None:
        changes = tuple(_change(path, fact.get(path), value, conds, open_) for path, value in found.items())
        return Guidance(program, True, outcome, changes, (), discretionary)
    blocked = []
    params = {c.id: c.params for c in tested}
    for cid in open_:
        if witness(conds[cid], MET, fact, frozen) is None:
            blocked.append(_blocked(cid, conds[cid], fact, frozen, unset_params(ruleset, period, params[cid])))
    if not blocked:  # each could be met alone, but not all together
        blocked = [_blocked(cid, conds[cid], fact, frozen, ()) for cid in open_]
    return Guidance(program, False, outcome, (), tuple(blocked), discretionary)


def _leaves(cond: Condition) -> list[Condition]:
    if isinstance(cond, (All, AnyOf)):
        return [leaf for item in cond.items for leaf in _leaves(item)]
    if isinstance(cond, Not):
        return _leaves(cond.item)
    return [cond]


def _reads(leaf: Condition, path: str) -> bool:
    if isinstance(leaf, Present):
        return leaf.fact == path
    if isinstance(leaf, Compare):
        operand = leaf.operand
        return leaf.fact == path or (isinstance(operand, FactRef) and operand.path == path)
    return False


def _change(path: str, now: Any, to: Any, conds: dict[str, Condition], open_: list[str]) -> Change:
    criteria = tuple(cid for cid in open_ if any(_reads(x, path) for x in _leaves(conds[cid])))
    requirement = tuple(x for cid in criteria for x in _leaves(conds[cid]) if _reads(x, path))
    return Change(path, now, to, criteria, requirement)


def _blocked(
    cid: str, cond: Condition, fact: Mapping[str, Any], frozen: frozenset[str], unset: tuple[str, ...]
) -> Blocked:
    facts: list[str] = []
    for leaf in _leaves(cond):
        for path in _paths(leaf):
            if path in frozen and path not in facts and (fact.get(path) is not None or FACTS[path].scope != "claim"):
                facts.append(path)
    return Blocked(cid, tuple(facts), unset)


def _paths(leaf: Condition) -> list[str]:
    if isinstance(leaf, Present):
        return [leaf.fact]
    if isinstance(leaf, Compare):
        operand = leaf.operand
        return [leaf.fact] + ([operand.path] if isinstance(operand, FactRef) else [])
    return []


def unset_params(ruleset: Ruleset, period: Period, names: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``names`` with no value in ``period``."""
    return tuple(n for n in names if ruleset.encoded_params(period).get(n) is UNSET)
