"""Reviewers settle what the engine could not; the office reports what was awarded.

A settlement is a new record in the chain that references the decision it
settles; the decision itself is never modified. Only a decision that *needs
review* can be settled, once. An eligible settlement is held to the same
limits as the engine's own awards, against everything the store holds at
that moment: a patent is awarded once; the per-enterprise cap is never passed;
the amount never exceeds what the programme allows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import Problem, StoreError, UsageError
from ..evaluation.decision import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW
from ..money import MoneyError, format_yuan, from_fen, parse_money, percent_of, to_money
from ..store import Record, Store, now
from .audit import archived_ruleset
from .recording import awards_of

__all__ = ["Pending", "Settlement", "find_decision", "pending_reviews", "settle", "totals"]


@dataclass(frozen=True)
class Settlement:
    record: Record
    content: dict[str, Any]


def _error(store: Store, message: str, hint: str | None = None) -> StoreError:
    return StoreError([Problem(str(store.path), None, "", message, hint)])


def find_decision(store: Store, decision_id: str) -> tuple[Record, dict[str, Any]]:
    """The decision record and the claim's decision within it."""
    application, _, claim = decision_id.rpartition("/")
    record = store.record(application) if application else None
    if record is None or record.kind != "decision":
        raise _error(
            store,
            f"no decision '{decision_id}' in the store",
            "decision ids are the application id and the claim number, e.g. PY-2024-0001/1",
        )
    for decision in record.content["result"]["decisions"]:
        if decision["decision"] == decision_id:
            return record, decision
    raise _error(store, f"application {application} has no claim {claim}")


def settlement_of(store: Store, decision_id: str) -> Record | None:
    return store.record(f"{decision_id}/settlement")


def settle(
    store: Store,
    decision_id: str,
    outcome: str,
    reason: str,
    reviewer: str,
    amount: str | None = None,
    housing_m2: str | None = None,
) -> Settlement:
    """Record a reviewer's settlement of a decision that needs review."""
    if outcome not in (ELIGIBLE, INELIGIBLE):
        raise UsageError(f"--outcome is eligible or ineligible, got {outcome!r}")
    if not reason.strip() or not reviewer.strip():
        raise UsageError("a settlement needs a --reason and a --reviewer")
    store.begin()
    try:
        record, decision = find_decision(store, decision_id)
        if decision["outcome"] != NEEDS_REVIEW:
            raise _error(
                store,
                f"decision {decision_id} is {decision['outcome']}: only decisions that need review are settled",
            )
        earlier = settlement_of(store, decision_id)
        if earlier is not None:
            raise _error(
                store,
                f"decision {decision_id} was already settled ({earlier.content['outcome']}, "
                f"by {earlier.content['reviewer']} at {earlier.recorded_at})",
            )
        content = record.content
        result = content["result"]
        ruleset = archived_ruleset(store, content["ruleset"]["version"])
        program = ruleset.programs[decision["program"]]
        body: dict[str, Any] = {
            "type": "settlement",
            "settlement": f"{decision_id}/settlement",
            "decision": decision_id,
            "application": record.application,
            "program": program.id,
            "ruleset": content["ruleset"],
            "outcome": outcome,
            "amount": None,
            "reason": reason.strip(),
            "reviewer": reviewer.strip(),
            "recorded_at": now(),
            "patent": decision.get("patent"),
            "credit_code": result["applicant"].get("credit_code"),
            "applicant": result["applicant"]["name"],
        }
        if outcome == INELIGIBLE:
            if amount is not None or housing_m2 is not None:
                raise UsageError("an ineligible settlement grants nothing: drop --amount / --housing-m2")
        else:
            body.update(_eligible_terms(store, ruleset, program, decision, content, amount, housing_m2))
        appended = store.append("settlement", body["settlement"], record.application, body)
        store.release(decision_id)
        for award in awards_of(body):
            store.add_award(appended.seq, award)
        store.commit()
        return Settlement(appended, body)
    except BaseException:
        store.rollback()
        raise


def _money_arg(value: str, name: str) -> Decimal:
    try:
        return parse_money(value, positive=True)
    except MoneyError as exc:
        raise UsageError(f"{name}: {exc}") from None


def _eligible_terms(
    store: Store,
    ruleset: Any,
    program: Any,
    decision: dict[str, Any],
    content: dict[str, Any],
    amount: str | None,
    housing_m2: str | None,
) -> dict[str, Any]:
    """The amount an eligible settlement may grant, checked against every limit."""
    terms: dict[str, Any] = {}
    when = date.fromisoformat(content["input"]["submitted_on"])
    award = program.award
    limits: dict[str, Any] = {}
    if program.once_per and decision.get("patent"):
        earlier = tuple(
            r
            for r in store.patent_awards(ruleset.id, program.id, decision["patent"])
            if r.decision != decision["decision"]
        )
        limits["patent_awards"] = [r.to_json() for r in earlier]
        if earlier:
            raise _error(
                store,
                f"patent {decision['patent']} "
                f"{'is held by' if earlier[0].pending else 'was already awarded by'} decision "
                f"{earlier[0].decision} under {program.id}: a patent is awarded once",
            )
    if award.maximums is not None:
        fund_max = (
            ruleset.param_value(award.maximums["research_fund_per_year"].param, when)
            if "research_fund_per_year" in award.maximums
            else None
        )
        house_max = (
            ruleset.param_value(award.maximums["housing_m2"].param, when) if "housing_m2" in award.maximums else None
        )
        if amount is not None:
            value = _money_arg(amount, "--amount")
            if fund_max is not None and value > fund_max:
                raise UsageError(
                    f"--amount {format_yuan(value)} exceeds the research fund of at most "
                    f"{format_yuan(fund_max)} yuan a year"
                )
            terms["amount"] = str(value)
            terms["amount_is"] = "research_fund_per_year"
        if housing_m2 is not None:
            try:
                area = Decimal(housing_m2)
            except ArithmeticError:
                raise UsageError(f"--housing-m2 is a number of square metres, got {housing_m2!r}") from None
            if house_max is not None and not (0 < area <= house_max):
                raise UsageError(f"--housing-m2 {housing_m2} is outside 0 < area ≤ {house_max} m²")
            terms["housing_m2"] = f"{area.normalize():f}"
        terms["limits"] = limits
        return terms
    if housing_m2 is not None:
        raise UsageError(f"{program.id} grants no housing: drop --housing-m2")
    if award.fixed is not None:
        ceiling: Decimal | None = to_money(ruleset.param_value(award.fixed.param, when))
    else:
        base = content["input"]["claims"][decision["claim"] - 1].get("transaction_amount")
        if base is None and amount is None:
            raise UsageError("the application gives no transaction amount: settle with --amount")
        ceiling = percent_of(Decimal(base), ruleset.param_value(award.rate.param, when)) if base else None
        if award.cap is not None:
            cap = to_money(ruleset.param_value(award.cap.param, when))
            code = content["result"]["applicant"]["credit_code"]
            earlier = tuple(  # every award and hold but this decision's own
                r for r in store.enterprise_awards(ruleset.id, program.id, code) if r.decision != decision["decision"]
            )
            used = to_money(sum((r.amount for r in earlier), Decimal("0")))
            room = max(cap - used, Decimal("0.00"))
            limits.update(
                {
                    "enterprise_awards": [r.to_json() for r in earlier],
                    "cap": str(cap),
                    "used": str(used),
                    "room": str(room),
                }
            )
            if room == 0:
                raise _error(store, f"the per-enterprise cap of {format_yuan(cap)} yuan is already reached")
            ceiling = room if ceiling is None else min(ceiling, room)
    granted = _money_arg(amount, "--amount") if amount is not None else ceiling
    if granted is None:  # pragma: no cover - ceiling is set whenever no amount is given
        raise UsageError("settle with --amount")
    if ceiling is not None and granted > ceiling:
        raise UsageError(
            f"--amount {format_yuan(granted)} exceeds what this decision may grant now: {format_yuan(ceiling)} yuan"
        )
    terms["amount"] = str(granted)
    terms["limits"] = limits
    return terms


# ------------------------------------------------------------------ report


@dataclass(frozen=True)
class Pending:
    decision: str
    application: str
    program: str
    applicant: str
    summary: str
    missing: list[str]


def pending_reviews(store: Store) -> list[Pending]:
    """Decisions that need review and have no settlement yet."""
    rows = store.db.execute(
        """
        SELECT json_extract(d.value, '$.decision'), r.application, json_extract(d.value, '$.program'),
               json_extract(r.body, '$.result.applicant.name'), json_extract(d.value, '$.summary'),
               json_extract(d.value, '$.missing')
        FROM records r, json_each(r.body, '$.result.decisions') d
        WHERE r.kind = 'decision' AND json_extract(d.value, '$.outcome') = 'needs_review'
          AND NOT EXISTS (SELECT 1 FROM records s
                          WHERE s.record_id = json_extract(d.value, '$.decision') || '/settlement')
        ORDER BY r.seq, json_extract(d.value, '$.claim')
        """
    )
    return [Pending(d, a, p, n, s, json.loads(m or "[]")) for d, a, p, n, s, m in rows]


def program_labels(store: Store) -> dict[str, Any]:
    """Each programme's label, from the rule files archived in the store."""
    labels: dict[str, Any] = {}
    for version, _ in store.archived_versions():
        ruleset = archived_ruleset(store, version)
        for program in ruleset.programs.values():
            labels.setdefault(program.id, program.label)
    return labels


def totals(store: Store) -> dict[str, Any]:
    """Awards by programme and by enterprise (decisions and settlements together)."""
    by_program = [
        {"program": p, "awards": n, "total": str(to_money(Decimal(f) / 100))}
        for p, n, f in store.db.execute(
            "SELECT program, count(*), sum(amount_fen) FROM awards WHERE source != 'pending' "
            "GROUP BY program ORDER BY program"
        )
    ]
    by_enterprise = [
        {
            "applicant": a,
            "credit_code": c,
            "program": p,
            "awards": n,
            "total": str(to_money(Decimal(f) / 100)),
        }
        for a, c, p, n, f in store.db.execute(
            "SELECT applicant, credit_code, program, count(*), sum(amount_fen) FROM awards WHERE source != 'pending' "
            "GROUP BY credit_code, applicant, program ORDER BY sum(amount_fen) DESC, applicant"
        )
    ]
    outcomes = {
        o: n
        for o, n in store.db.execute(
            "SELECT json_extract(d.value, '$.outcome'), count(*) FROM records r, "
            "json_each(r.body, '$.result.decisions') d WHERE r.kind = 'decision' GROUP BY 1"
        )
    }
    return {
        "records": store.count(),
        "applications": store.count("decision"),
        "settlements": store.count("settlement"),
        "outcomes": outcomes,
        "by_program": by_program,
        "by_enterprise": by_enterprise,
        "held_for_review": str(
            from_fen(
                store.db.execute("SELECT coalesce(sum(amount_fen), 0) FROM awards WHERE source = 'pending'").fetchone()[
                    0
                ]
            )
        ),
        "grand_total": str(sum((Decimal(x["total"]) for x in by_program), Decimal("0.00"))),
    }
