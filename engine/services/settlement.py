"""Reviewers settle what the engine could not.

A settlement is a new record in the chain that references the decision it settles;
the decision itself is never modified. Only a decision that *needs review* is
settled, and only once. An eligible settlement is held to the same limits as the
engine's own awards — the one award calculation (:mod:`engine.evaluation.award`) —,
against everything the store holds at that moment, inside the writing transaction:
a patent is awarded once; the per-enterprise cap is never passed; the amount never
exceeds what the programme allows. An inventor grant keeps its kinds apart: a
research fund *per year* and housing in m².
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import InvalidValueError, Problem, StoreError, UsageError, quoted
from ..evaluation.award import award_terms, cap_room
from ..evaluation.decision import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW
from ..money import format_yuan, parse_money
from ..privacy import CONTROLS, FORMATS
from ..rulebook import Program, Ruleset
from ..store import Store, StoredRecord, Transaction, parse_reference, settlement_id
from ..store.bodies import new_settlement_record
from ..store.records import now
from .archive import archived_ruleset
from .ledger import refs_of
from .lookup import intact
from .retry import redone

__all__ = ["Settlement", "settle"]


@dataclass(frozen=True)
class Settlement:
    """A settlement as recorded: its record (id, hash) and its content."""

    record: StoredRecord
    content: dict[str, Any]


def _refused(store: Store, message: str, hint: str | None = None, code: str | None = None, **params: str) -> StoreError:
    """A settlement refused; ``code`` and ``params`` let a face say why in its own words."""
    return StoreError([Problem(store.location, None, "", message, hint, code, tuple(params.items()))])


def _one_line(field: str, text: str) -> None:
    """A reason or a reviewer is one line of text: a control character (a line break among
    them) would forge what a record shows, an invisible character (U+200B, U+202E, U+FE0F…)
    hide or reorder it, and the half of a surrogate pair (a byte of a command line that is not
    UTF-8) cannot be recorded. Raise UsageError."""
    bad = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:
        raise UsageError(
            [
                Problem(
                    "",
                    None,
                    "",
                    f"a settlement's {field} is one line of text; it holds the control character U+{ord(bad):04X}",
                    "write it on one line, without line breaks, tabs or other control characters",
                )
            ]
        )
    half = CONTROLS.search(text)  # what is left of them: a surrogate
    if half is not None:
        raise UsageError(
            [
                Problem(
                    "",
                    None,
                    "",
                    f"a settlement's {field} holds the half of a surrogate pair U+{ord(half.group()):04X}, "
                    "no character of any text",
                    "write it again as UTF-8 text (a byte that is not UTF-8 was given)",
                )
            ]
        )
    hidden = FORMATS.search(text)
    if hidden is not None:
        char = hidden.group()
        raise UsageError(
            [
                Problem(
                    "",
                    None,
                    "",
                    f"a settlement's {field} may hold no invisible format character; it holds "
                    f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})",
                    "remove it: unseen, it splits or reorders what the record shows (copied text often carries one)",
                )
            ]
        )


def settle(
    store: Store,
    decision: str,
    outcome: str,
    reason: str,
    reviewer: str,
    amount: str | Decimal | None = None,
    housing_m2: str | Decimal | None = None,
) -> Settlement:
    """Record a reviewer's settlement of the decision ``decision`` (``<application>/<claim>``).

    ``outcome`` is eligible or ineligible; ``amount`` the yuan granted (for an inventor
    grant, the research fund per year; default: what the decision allows now);
    ``housing_m2`` the housing granted, for an inventor grant. Raises UsageError for
    terms that cannot be granted, StoreError for a decision that cannot be settled."""
    decision = unicodedata.normalize("NFKC", decision).strip()  # as ids are read everywhere (ＰＹ…/１)
    if outcome not in (ELIGIBLE, INELIGIBLE):
        raise UsageError(
            f"a settlement's outcome is eligible or ineligible, got {outcome!r}", code="settle_outcome", got=outcome
        )
    if not reason.strip() or not reviewer.strip():
        raise UsageError("a settlement needs a reason and a reviewer", code="settle_reason")
    for field, text in (("reason", reason), ("reviewer", reviewer)):
        _one_line(field, text)
    if outcome == INELIGIBLE and (amount is not None or housing_m2 is not None):
        raise UsageError(
            "an ineligible settlement grants nothing: give no amount and no housing", code="settle_ineligible_amount"
        )
    return redone(lambda: _settle(store, decision, outcome, reason, reviewer, amount, housing_m2))


def _settle(
    store: Store,
    decision: str,
    outcome: str,
    reason: str,
    reviewer: str,
    amount: str | Decimal | None,
    housing_m2: str | Decimal | None,
) -> Settlement:
    with store.writing() as transaction:
        record, claim = _find(store, transaction, decision)
        if claim["outcome"] != NEEDS_REVIEW:
            raise _refused(
                store,
                f"decision {decision} is {claim['outcome']}: only decisions that need review are settled",
                code="settle_not_open",
                decision=decision,
                outcome=claim["outcome"],
            )
        earlier = transaction.record(settlement_id(decision))
        if earlier is not None:
            done = earlier.content
            raise _refused(
                store,
                f"decision {decision} was already settled ({done['outcome']}, "
                f"by {done['reviewer']} at {earlier.recorded_at})",
                code="settle_already",
                decision=decision,
                reviewer=done["reviewer"],
            )
        content = record.content
        result = content["result"]
        ruleset = archived_ruleset(store, content["ruleset"]["version"])
        program = ruleset.programs[claim["program"]]
        body: dict[str, Any] = {
            "type": "settlement",
            "settlement": settlement_id(decision),
            "decision": decision,
            "application": record.application,
            "program": program.id,
            "ruleset": content["ruleset"],
            "outcome": outcome,
            "amount": None,
            "reason": reason.strip(),
            "reviewer": reviewer.strip(),
            "recorded_at": now(),
            "patent": claim.get("patent"),
            "credit_code": result["applicant"].get("credit_code"),
            "applicant": result["applicant"]["name"],
        }
        if outcome == ELIGIBLE:
            body.update(_terms(store, transaction, ruleset, program, claim, content, amount, housing_m2))
        appended = transaction.append(new_settlement_record(body))
    return Settlement(appended, body)


def _find(store: Store, transaction: Transaction, decision: str) -> tuple[StoredRecord, dict[str, Any]]:
    ref = parse_reference(decision)
    record = transaction.record(ref.application) if ref.kind == "decision" else None
    if record is None or record.kind != "decision":
        raise _refused(
            store,
            f"no decision '{decision}' in the store",
            "decision ids are the application id and the claim number, e.g. PY-2024-0001/1",
            code="settle_no_decision",
            decision=decision,
        )
    intact(store, record)  # a reviewer concludes only on the record as it was written
    for claim in record.content["result"]["decisions"]:
        if claim["decision"] == decision:
            return record, claim
    raise _refused(
        store, f"application {ref.application} has no claim {ref.claim}", code="settle_no_decision", decision=decision
    )


def _money(value: str | Decimal, what: str) -> Decimal:
    try:
        return parse_money(value, positive=True)
    except InvalidValueError as exc:
        hint = exc.hint or "an amount in yuan, e.g. 75000.00: at most two decimals, more than zero"
        said = Problem("", None, "", f"{what}: {exc.message}", hint, code="settle_money")
        raise UsageError([said]) from None  # the money's own hint kept, for every face


def _terms(
    store: Store,
    transaction: Transaction,
    ruleset: Ruleset,
    program: Program,
    claim: dict[str, Any],
    content: dict[str, Any],
    amount: str | Decimal | None,
    housing_m2: str | Decimal | None,
) -> dict[str, Any]:
    """What an eligible settlement may grant now, checked against every limit."""
    when = date.fromisoformat(content["input"]["submitted_on"])
    limits: dict[str, Any] = {}
    if program.once_per and claim.get("patent"):
        others = [
            a
            for a in transaction.patent_awards(ruleset.id, program.id, claim["patent"])
            if a.decision_id != claim["decision"]
        ]
        limits["patent_awards"] = [r.to_json() for r in refs_of(tuple(others))]
        if others:
            verb = "is held by" if others[0].source == "pending" else "was already awarded by"
            raise _refused(
                store,
                f"patent {claim['patent']} {verb} decision {others[0].decision_id} under {program.id}: "
                "a patent is awarded once",
                code="settle_patent_taken",
                patent=claim["patent"],
                other=others[0].decision_id,
            )
    terms = award_terms(ruleset, program, when, None)
    if terms.maximums is not None:
        return _up_to(terms.maximums, amount, housing_m2) | {"limits": limits}
    if housing_m2 is not None:
        raise UsageError(f"{program.id} grants no housing: give no housing")
    others_cap = (
        tuple(
            a
            for a in transaction.enterprise_awards(
                ruleset.id, program.id, content["result"]["applicant"].get("credit_code") or ""
            )
            if a.decision_id != claim["decision"]
        )
        if program.award.cap is not None
        else ()
    )
    earlier = refs_of(others_cap)
    base_text = content["input"]["claims"][claim["claim"] - 1].get(program.award.base or "")
    base = Decimal(base_text) if base_text is not None else None
    ceiling = award_terms(ruleset, program, when, base, earlier).amount
    room = cap_room(ruleset, program, when, earlier)
    if room is not None:
        limits.update(
            {
                "enterprise_awards": [r.to_json() for r in earlier],
                "cap": str(room.cap),
                "used": str(room.used),
                "room": str(room.room),
            }
        )
        if room.room == 0:
            raise _refused(
                store,
                f"the per-enterprise cap of {format_yuan(room.cap)} yuan is already reached",
                code="settle_cap_reached",
                cap=format_yuan(room.cap),
            )
        ceiling = room.room if ceiling is None else ceiling
    if ceiling is None and amount is None:
        raise UsageError(
            "the application gives no transaction amount: give the amount to grant", code="settle_amount_needed"
        )
    granted = _money(amount, "the amount") if amount is not None else ceiling
    assert granted is not None
    if ceiling is not None and granted > ceiling:
        raise UsageError(
            f"the amount {format_yuan(granted)} exceeds what this decision may grant now: {format_yuan(ceiling)} yuan",
            code="settle_over_room",
            amount=format_yuan(granted),
            room=format_yuan(ceiling),
        )
    return {"amount": str(granted), "limits": limits}


_AREA = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # no sign, exponent, NaN or separator: as money is written


def _up_to(
    maximums: dict[str, Decimal], amount: str | Decimal | None, housing_m2: str | Decimal | None
) -> dict[str, Any]:
    """An up-to grant (the inventor grant): a research fund per year and housing, each
    within its maximum, at least one of them given (none has a default)."""
    terms: dict[str, Any] = {}
    fund_max = maximums.get("research_fund_per_year")
    house_max = maximums.get("housing_m2")
    if amount is None and housing_m2 is None:  # blank is not "the most": an eligible grant of nothing is a slip
        raise UsageError(
            [
                Problem(
                    "",
                    None,
                    "",
                    "an eligible inventor grant names what it grants: "
                    "the research fund per year, the housing area, or both",
                    "give the research fund in yuan a year, the housing in m², or both: "
                    "one left blank grants none of it",
                    "settle_nothing_granted",
                )
            ]
        )
    if amount is not None:
        value = _money(amount, "the research fund")
        if fund_max is not None and value > fund_max:
            raise UsageError(
                f"the research fund {format_yuan(value)} exceeds the most of {format_yuan(fund_max)} yuan a year",
                code="settle_over_fund",
                amount=format_yuan(value),
                most=format_yuan(fund_max),
            )
        terms["amount"] = str(value)
        terms["amount_is"] = "research_fund_per_year"
    if housing_m2 is not None:
        written = unicodedata.normalize("NFKC", str(housing_m2)).strip()
        if not _AREA.fullmatch(written):
            raise UsageError(
                f"housing is a number of square metres written in full (120 or 120.5), got {quoted(housing_m2)}",
                code="settle_housing",
                got=str(housing_m2),
            )
        area = Decimal(written)
        if not area.is_finite() or not (0 < area <= (house_max if house_max is not None else area)):
            raise UsageError(
                f"housing {housing_m2} m² is outside 0 < area ≤ {house_max} m²",
                code="settle_housing_range",
                got=housing_m2,
                most=house_max,
            )
        if area != area.quantize(Decimal("0.01")):
            raise UsageError(f"housing is given to at most two decimal places of a square metre, got {housing_m2}")
        terms["housing_m2"] = f"{area.normalize():f}"
    return terms
