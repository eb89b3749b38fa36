"""The one award calculation: what a claim may be granted, and the room left under a cap.

Used by evaluation (the amount of an eligible claim, or the provisional amount of
one awaiting review) and by settlement (the most a reviewer may grant now). All
in ``Decimal``, half-up at the fen (:mod:`engine.money`); the parameters are the
ones in force on the submission date.

* a **fixed** award pays the parameter's sum (P1: 500,000.00 per patent);
* a **rate** award pays ``base × rate`` (P2: 10 % of the transaction), cut to the
  room left under the per-enterprise cap: ``cap − Σ earlier awards and holds``;
* a **maximums** award pays no sum; it names the most that may be granted (P3:
  housing in m², a research fund per year), for the review panel to settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..money import percent_of, to_money
from ..rulebook import Program, Ruleset
from .decision import Arithmetic, AwardRef

__all__ = ["AwardTerms", "CapRoom", "award_terms", "cap_room"]

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CapRoom:
    """A per-enterprise cap, what earlier awards and holds used of it, what is left."""

    cap: Decimal
    used: Decimal
    room: Decimal
    earlier: tuple[AwardRef, ...]


@dataclass(frozen=True)
class AwardTerms:
    """What a claim may be granted: a cash ``amount`` (with its ``arithmetic``), or
    ``maximums`` for an up-to grant; None where nothing can be computed yet."""

    amount: Decimal | None
    maximums: dict[str, Decimal] | None
    arithmetic: Arithmetic | None


def used_by(earlier: tuple[AwardRef, ...]) -> Decimal:
    """The sum of earlier awards and holds, to the fen."""
    return to_money(sum((r.amount for r in earlier), ZERO))


def cap_room(ruleset: Ruleset, program: Program, when: date, earlier: tuple[AwardRef, ...]) -> CapRoom | None:
    """The room left under the programme's per-enterprise cap (None: no cap)."""
    if program.award.cap is None:
        return None
    cap = to_money(ruleset.param_value(program.award.cap.param, when))
    used = used_by(earlier)
    return CapRoom(cap, used, max(cap - used, ZERO), earlier)


def award_terms(
    ruleset: Ruleset, program: Program, when: date, base: Decimal | None, earlier: tuple[AwardRef, ...] = ()
) -> AwardTerms:
    """What the programme grants a claim with this ``base`` (the transaction amount of
    a rate award), given the ``earlier`` awards and holds under its cap."""
    award = program.award
    if award.maximums is not None:
        maximums = {key: ruleset.param_value(op.param, when) for key, op in award.maximums.items()}
        return AwardTerms(None, maximums, None)
    if award.fixed is not None:
        value = to_money(ruleset.param_value(award.fixed.param, when))
        return AwardTerms(value, None, Arithmetic("fixed", gross=value, amount=value))
    assert award.rate is not None, f"{program.id}: an award is fixed, a rate or maximums"
    rate = ruleset.param_value(award.rate.param, when)
    named = award.base or "transaction_amount"
    if base is None:
        return AwardTerms(None, None, Arithmetic("rate", rate=rate, base_fact=named))
    gross = percent_of(base, rate)
    room = cap_room(ruleset, program, when, earlier)
    if room is None:
        arithmetic = Arithmetic("rate", base=base, rate=rate, gross=gross, amount=gross, base_fact=named)
        return AwardTerms(gross, None, arithmetic)
    amount = min(gross, room.room)
    arithmetic = Arithmetic(
        "rate",
        base=base,
        rate=rate,
        gross=gross,
        cap=room.cap,
        used=room.used,
        earlier=earlier,
        room=room.room,
        amount=amount,
        base_fact=named,
    )
    return AwardTerms(amount, None, arithmetic)
