"""What a record's body holds, and the index rows each body implies.

A decision record's body (``format: 2``) keeps the canonical input and its hash,
the ruleset id and version, the engine version, the ledger state the evaluation
saw, and the decision on every claim: outcome, amount, arithmetic, every
criterion's status, the facts read (once per claim), what is missing, the earlier
awards counted, and the explanation text as issued — once. The rule files' own
words (labels, quotes, hints, the list of facts a criterion reads) stay in the
archived rules of the recorded version. The first format (no ``format`` key) kept
them in every record; everything here reads both.

:func:`index_rows_of` is the one rule that turns a body into index rows: recording
uses it, ``verify`` checks the indexes with it, a migration builds them with it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .records import (
    BODY_FORMAT,
    DECISION,
    ONE_OFF,
    PER_YEAR,
    SETTLEMENT,
    AwardRow,
    DecisionRow,
    IndexRows,
    NewRecord,
    record_json,
)

__all__ = [
    "awards_of",
    "decision_body",
    "decision_rows_of",
    "index_rows_of",
    "new_settlement_record",
    "released_by",
    "stored_result",
]

# Per criterion, what the record keeps; the rest (label, quote, hint, code, kind, the
# list of facts it reads) is in the archived rule files of the recorded version.
_CRITERION_KEPT = ("id", "clause", "status", "explanation")
_CRITERION_IF_SET = ("missing", "review", "earlier_awards")


def stored_result(result: dict[str, Any]) -> dict[str, Any]:
    """The decision object as recorded: each criterion's status, explanation as issued,
    missing fields and earlier awards; each claim's facts once (absent ones left out);
    derived verdicts by id. Takes the contract's object (with decision ids)."""
    out = {key: value for key, value in result.items() if key not in ("decisions", "policy")}
    out["policy"] = {"in_force": result["policy"]["in_force"]}
    decisions = []
    for d in result["decisions"]:
        kept = {key: value for key, value in d.items() if key not in ("criteria", "derived")}
        facts: dict[str, Any] = {}
        criteria = []
        for c in d["criteria"]:
            for path, value in c["facts"].items():
                if value is not None:
                    facts[path] = value
            item = {key: c[key] for key in _CRITERION_KEPT}
            for key in _CRITERION_IF_SET:
                if c.get(key):
                    item[key] = c[key]
            criteria.append(item)
        kept["criteria"] = criteria
        kept["facts"] = facts
        if d.get("derived"):
            kept["derived"] = {x["id"]: x["status"] for x in d["derived"]}
        decisions.append(kept)
    out["decisions"] = decisions
    return out


ENGINE_NAME = "puyang-subsidy-engine"
INFERENCE = "durable_rules 2.0.28"


def decision_body(
    application: str,
    recorded_at: str,
    source: str,
    input_json: str,
    digest: str,
    ruleset: dict[str, str],
    ledger_seen: list[dict[str, Any]],
    stored_json: str,
    engine_version: str,
) -> str:
    """The JSON body of a decision record, assembled from parts already serialised: the
    canonical input and its hash, the ruleset id and version, the engine version, the
    ledger state the evaluation saw, and the stored decision (:func:`stored_result`)."""
    head = record_json(
        {
            "type": DECISION,
            "format": BODY_FORMAT,
            "application": application,
            "recorded_at": recorded_at,
            "source": source,
        }
    )
    engine = record_json({"package": ENGINE_NAME, "version": engine_version, "inference": INFERENCE})
    return (
        f'{head[:-1]},"input":{input_json},"input_sha256":{record_json(digest)},'
        f'"ruleset":{record_json(ruleset)},"engine":{engine},"ledger":{record_json(ledger_seen)},'
        f'"result":{stored_json}}}'
    )


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def awards_of(content: dict[str, Any]) -> list[AwardRow]:
    """The awards index rows a record adds: what it grants and, for a claim awaiting
    review, the provisional amount it holds until it is settled."""
    if content.get("type") == SETTLEMENT:
        if content["outcome"] != "eligible":
            return []
        amount, housing = _money(content.get("amount")), content.get("housing_m2")
        # an eligible settlement is an award, even one granting nothing (only an up-to grant
        # can be, and only one recorded before such a settlement was refused): a yearly fund of none
        yearly = content.get("amount_is") == "research_fund_per_year" or (amount is None and housing is None)
        return [
            AwardRow(
                content["decision"],
                content["application"],
                content["ruleset"]["id"],
                content["program"],
                content.get("patent"),
                content.get("credit_code"),
                content["applicant"],
                amount,
                "settlement",
                PER_YEAR if yearly else ONE_OFF,
                None if housing is None else Decimal(housing),
            )
        ]
    result = content["result"]
    applicant = result["applicant"]
    out = []
    for d in result["decisions"]:
        if d["amount"] is None or d["outcome"] not in ("eligible", "needs_review"):
            continue
        out.append(
            AwardRow(
                d["decision"],
                content["application"],
                content["ruleset"]["id"],
                d["program"],
                d.get("patent"),
                applicant.get("credit_code"),
                applicant["name"],
                Decimal(d["amount"]),
                "decision" if d["outcome"] == "eligible" else "pending",
            )
        )
    return out


def decision_rows_of(content: dict[str, Any]) -> list[DecisionRow]:
    """The decision index rows of a decision record: one per claim."""
    if content.get("type") != DECISION:
        return []
    result = content["result"]
    applicant = result["applicant"]
    given = content.get("input", {})
    division = given.get("applicant", {}).get("division")
    rows = []
    for d in result["decisions"]:
        kind = ONE_OFF if d["amount"] is not None else "maximums" if d.get("maximums") else None
        open_points = tuple(c["id"] for c in d["criteria"] if c["status"] == "unknown")
        rows.append(
            DecisionRow(
                d["decision"],
                content["application"],
                int(d["claim"]),
                content["ruleset"]["id"],
                d["program"],
                d["outcome"],
                _money(d["amount"]),
                kind,
                d.get("patent"),
                applicant.get("credit_code"),
                applicant["name"],
                division,
                str(given.get("submitted_on", result.get("submitted_on", ""))),
                open_points if d["outcome"] == "needs_review" else (),
            )
        )
    return rows


def released_by(content: dict[str, Any]) -> str | None:
    """The decision whose pending hold a record ends (a settlement ends its decision's)."""
    return content["decision"] if content.get("type") == SETTLEMENT else None  # type: ignore[no-any-return]


def index_rows_of(content: dict[str, Any]) -> IndexRows:
    """Every index row a record's content implies: the one rule recording and ``verify``
    (and the migration that builds the indexes of an older store) share."""
    released = released_by(content)
    return IndexRows(
        input_hash=content.get("input_sha256") if content.get("type") == DECISION else None,
        awards=tuple(awards_of(content)),
        decisions=tuple(decision_rows_of(content)),
        releases=(released,) if released else (),
    )


def new_settlement_record(content: dict[str, Any]) -> NewRecord:
    """A settlement record ready to append, from its content."""
    return NewRecord(
        SETTLEMENT,
        content["settlement"],
        content["application"],
        content["recorded_at"],
        record_json(content),
        index_rows_of(content),
    )
