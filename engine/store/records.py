"""The record formats, defined once: what a record's body holds, its id, its index rows.

A store is a chain of records. Each record is a canonical JSON *body* hashed as
written (``sha256(prev + "\\n" + body)``); everything else a store keeps — which
applications are recorded, the awards the limits read, the decision index that
search, the review queue and the report read — is derived from the bodies by the
functions here, so that ``verify`` can rebuild it from the log and compare.

Two kinds of record:

* a **decision** on one application (record id = the application id): the
  canonical input and its hash, the ruleset id and version, the engine version,
  the ledger state the evaluation saw, and the decision on every claim —
  outcome, amount, arithmetic, every criterion's status, the facts read, what is
  missing, and the explanation text as issued (once);
* a **settlement** of one decision by a reviewer (record id
  ``<application>/<claim>/settlement``).

Body formats: ``format`` absent is the first format (every criterion also carried
the rule file's own words and the list of facts it read); ``format: 2`` leaves
out what the archived rule files say anyway. Both are read by everything here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from pydantic_core import to_json as _to_json

__all__ = [
    "BODY_FORMAT",
    "GENESIS",
    "AwardRow",
    "DecisionRow",
    "IndexRows",
    "NewRecord",
    "Reference",
    "StoredRecord",
    "awards_of",
    "chain_hash",
    "decision_body",
    "decision_id",
    "decision_rows_of",
    "index_rows_of",
    "input_hash",
    "new_decision_record",
    "new_settlement_record",
    "now",
    "parse_reference",
    "record_json",
    "released_by",
    "settlement_id",
    "stored_result",
]

GENESIS = "0" * 64
BODY_FORMAT = 2
DECISION, SETTLEMENT = "decision", "settlement"
ONE_OFF, PER_YEAR = "one_off", "per_year"  # the two kinds of money an award grants


# ------------------------------------------------------------------ bytes and hashes


def record_json(value: Any) -> str:
    """A value as stored: compact JSON, UTF-8 text, written once and hashed as written
    (``verify`` hashes the stored text, never a re-serialisation)."""
    return _to_json(value).decode("utf-8")


def chain_hash(prev: str, body: str) -> str:
    """The hash of a record: ``sha256(prev + "\\n" + body)``, hex, over UTF-8."""
    return hashlib.sha256(prev.encode("ascii") + b"\n" + body.encode("utf-8")).hexdigest()


def input_hash(canonical_input: dict[str, Any] | str) -> str:
    """``sha256:<hex>`` of the canonical input as stored (compact JSON of the validated
    application): the same whatever layout, key order or format it was written in."""
    text = canonical_input if isinstance(canonical_input, str) else record_json(canonical_input)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    """The time of recording: ISO 8601, UTC, microseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


# ------------------------------------------------------------------ ids


def decision_id(application: str, claim: int) -> str:
    """A claim's decision id: ``<application>/<claim>`` (claims numbered from 1)."""
    return f"{application}/{claim}"


def settlement_id(decision: str) -> str:
    """The record id of a decision's settlement: ``<application>/<claim>/settlement``."""
    return f"{decision}/settlement"


@dataclass(frozen=True)
class Reference:
    """What an id a person typed refers to: an application (its decision record), one
    claim's decision, or the settlement of one."""

    kind: str  # application | decision | settlement
    application: str
    claim: int | None = None

    @property
    def decision(self) -> str | None:
        return decision_id(self.application, self.claim) if self.claim is not None else None


def parse_reference(text: str) -> Reference:
    """Read an id: ``PY-1`` (application), ``PY-1/2`` (decision on claim 2),
    ``PY-1/2/settlement`` (its settlement). Application ids hold no ``/``.

    >>> parse_reference("PY-2024-0001/2")
    Reference(kind='decision', application='PY-2024-0001', claim=2)
    >>> parse_reference("PY-2024-0001/2/settlement").kind
    'settlement'
    """
    head, _, last = text.rpartition("/")
    if last == "settlement" and head:
        inner = parse_reference(head)
        if inner.kind == "decision":
            return Reference("settlement", inner.application, inner.claim)
    elif head and last.isdigit() and last[0] != "0":
        return Reference("decision", head, int(last))
    return Reference("application", text)


# ------------------------------------------------------------------ stored records


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One record as the store holds it."""

    seq: int
    kind: str
    record_id: str
    application: str
    recorded_at: str
    body: str
    prev: str
    hash: str

    @property
    def content(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class AwardRow:
    """One row of the awards index: what a decision or settlement granted, or — for a
    claim awaiting review — the provisional amount it holds. ``amount`` is one-off cash
    or a yearly fund (``amount_kind``); housing is kept apart in m²."""

    decision_id: str
    application: str
    ruleset_id: str
    program: str
    patent: str | None
    credit_code: str | None
    applicant: str
    amount: Decimal | None
    source: str  # decision | pending | settlement
    amount_kind: str = ONE_OFF
    housing_m2: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One row of the decision index: one claim's decision, for search, the review
    queue and the report. ``open_criteria`` are the criteria a reviewer must settle."""

    decision_id: str
    application: str
    claim: int
    ruleset_id: str
    program: str
    outcome: str
    amount: Decimal | None
    award_kind: str | None  # one_off | maximums | None (nothing to pay)
    patent: str | None
    credit_code: str | None
    applicant: str
    division: str | None
    submitted_on: str
    open_criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexRows:
    """Every index row one record adds, and the pending holds it ends."""

    input_hash: str | None = None  # a decision: the applications index row
    awards: tuple[AwardRow, ...] = ()
    decisions: tuple[DecisionRow, ...] = ()
    releases: tuple[str, ...] = ()  # decision ids whose pending hold this record ends


@dataclass(frozen=True)
class NewRecord:
    """A record to append: its columns, its body as JSON text, its index rows."""

    kind: str
    record_id: str
    application: str
    recorded_at: str
    body: str
    index: IndexRows = field(default_factory=IndexRows)


# ------------------------------------------------------------------ decision bodies

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
        amount, housing = _money(content.get("amount")), content.get("housing_m2")
        if content["outcome"] != "eligible" or (amount is None and housing is None):
            return []
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
                PER_YEAR if content.get("amount_is") == "research_fund_per_year" else ONE_OFF,
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


def new_decision_record(
    application: str,
    recorded_at: str,
    body: str,
    digest: str,
    stored: dict[str, Any],
    ruleset_id: str,
    division: str | None,
) -> NewRecord:
    """A decision record ready to append, its index rows taken from the stored decision
    and the applicant's division (no second parse of the body)."""
    head = {
        "type": DECISION,
        "application": application,
        "ruleset": {"id": ruleset_id},
        "input": {"applicant": {"division": division}, "submitted_on": stored["submitted_on"]},
        "result": stored,
    }
    index = IndexRows(digest, tuple(awards_of(head)), tuple(decision_rows_of(head)))
    return NewRecord(DECISION, application, application, recorded_at, body, index)


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
