"""What goes into the log for a decision, and which awards a record grants.

``decision_body`` writes the full content of a decision record: the canonical
input and its hash, the ruleset id and version, the engine version, the ledger
state the evaluation saw, and the whole decision with every criterion.
``awards_of`` reads back, from any record, the awards it grants —
the one rule both recording and ``verify`` use, so the awards index can
always be rebuilt from the log alone.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from .. import __version__
from ..evaluation.decision import ELIGIBLE, NEEDS_REVIEW, Assessment
from ..explain import assessment_json
from ..rulebook import Ruleset
from ..store import Award, Record, Store, record_json

__all__ = [
    "ENGINE",
    "awards_of",
    "released_by",
    "decision_body",
    "record_body",
    "decision_id",
    "input_hash",
]

ENGINE = {"package": "puyang-subsidy-engine", "version": __version__, "inference": "durable_rules 2.0.28"}


def decision_id(application: str, claim: int) -> str:
    """A claim's decision id: the application id and the claim number."""
    return f"{application}/{claim}"


def input_hash(canonical_input: dict[str, Any] | str) -> str:
    """SHA-256 of the canonical input as stored: the application as the model gives it back
    (fields in the model's order, absent ones left out), in compact JSON — the same bytes
    whatever the layout, key order or format (YAML, JSON) it was written in."""
    text = canonical_input if isinstance(canonical_input, str) else record_json(canonical_input)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def result_json(assessment: Assessment, ruleset: Ruleset, lang: str = "zh") -> dict[str, Any]:
    """The contract's decision object, with each claim's decision id."""
    result = assessment_json(assessment, ruleset, lang)
    for decision in result["decisions"]:
        decision["decision"] = decision_id(assessment.application_id, decision["claim"])
    return result


# Per criterion, the words that come from the rule file alone. The record keeps the
# criterion's id, clause, status, explanation, the facts it used and the missing fields;
# the label, quote, hint and interpretation are in the archived rules of the recorded
# version. A claim's fact values are kept once, beside its criteria, which name them.
STATIC_KEYS = ("label", "quote", "hint", "interpretation")


_KEPT = ("code", "kind", "discretionary", "review", "earlier_awards")


def stored_result(result: dict[str, Any]) -> dict[str, Any]:
    """The decision as recorded: the contract's object without the rule files' own words,
    each claim's facts given once."""
    out = dict(result)
    decisions = []
    for d in result["decisions"]:
        d = dict(d)
        facts: dict[str, Any] = {}
        criteria = []
        for c in d["criteria"]:
            used = c["facts"]
            facts.update(used)
            kept = {
                "id": c["id"],
                "clause": c["clause"],
                "status": c["status"],
                "explanation": c["explanation"],
                "facts": list(used),
                "missing": c["missing"],
            }
            for key in _KEPT:
                if key in c:
                    kept[key] = c[key]
            criteria.append(kept)
        d["criteria"] = criteria
        d["facts"] = facts
        decisions.append(d)
    out["decisions"] = decisions
    return out


def awards_of(content: dict[str, Any]) -> list[Award]:
    """The rows a record adds to the awards index: what it grants, and — for a claim
    awaiting review — the provisional amount it holds until it is settled."""
    if content.get("type") == "settlement":
        if content["outcome"] != ELIGIBLE or content.get("amount") is None:
            return []
        return [
            Award(
                content["decision"],
                content["application"],
                content["ruleset"]["id"],
                content["program"],
                content.get("patent"),
                content.get("credit_code"),
                content["applicant"],
                Decimal(content["amount"]),
                "settlement",
            )
        ]
    result = content["result"]
    applicant = result["applicant"]
    out = []
    for d in result["decisions"]:
        if d["amount"] is None or d["outcome"] not in (ELIGIBLE, NEEDS_REVIEW):
            continue
        out.append(
            Award(
                d["decision"],
                content["application"],
                content["ruleset"]["id"],
                d["program"],
                d.get("patent"),
                applicant.get("credit_code"),
                applicant["name"],
                Decimal(d["amount"]),
                "decision" if d["outcome"] == ELIGIBLE else "pending",
            )
        )
    return out


def released_by(content: dict[str, Any]) -> str | None:
    """The decision whose hold a record ends (a settlement ends its decision's)."""
    return content["decision"] if content.get("type") == "settlement" else None


def decision_body(
    application: str,
    recorded_at: str,
    source: str,
    input_json: str,
    digest: str,
    ruleset: dict[str, str],
    ledger_seen: list[dict[str, Any]],
    stored_json: str,
) -> str:
    """The full JSON body of a decision record, written from parts already in JSON: the
    canonical input and its hash, the ruleset id and version, the engine version, the ledger
    state the evaluation saw, and the whole decision with every criterion."""
    head = record_json({"type": "decision", "application": application, "recorded_at": recorded_at, "source": source})
    return (
        head[:-1]
        + ',"input":'
        + input_json
        + ',"input_sha256":'
        + record_json(digest)
        + ',"ruleset":'
        + record_json(ruleset)
        + ',"engine":'
        + record_json(ENGINE)
        + ',"ledger":'
        + record_json(ledger_seen)
        + ',"result":'
        + stored_json
        + "}"
    )


def record_body(
    store: Store, application: str, recorded_at: str, digest: str, body: str, awards: list[Award]
) -> Record:
    """Append a decision record given as its JSON body, with its index rows."""
    record = store.append_body("decision", application, application, recorded_at, body)
    store.add_application(application, digest, record.seq)
    for award in awards:
        store.add_award(record.seq, award)
    return record
