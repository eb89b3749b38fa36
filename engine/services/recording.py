"""A decision as it is recorded: the contract's object, the stored decision, the record.

``record_decision`` turns one evaluation into the decision object every face shows
(the contract's JSON, each claim with its decision id) and the record the store
appends (:mod:`engine.store.records` defines its body and index rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..evaluation import Assessment
from ..explain import assessment_json
from ..rulebook import Ruleset
from ..store import NewRecord, decision_id, record_json
from ..store.bodies import decision_body, new_decision_record, stored_result
from ..store.records import now

__all__ = ["RecordedDecision", "record_decision", "result_json"]


def result_json(assessment: Assessment, ruleset: Ruleset, lang: str = "zh") -> dict[str, Any]:
    """The contract's decision object, each claim with its decision id."""
    result = assessment_json(assessment, ruleset, lang)
    for decision in result["decisions"]:
        decision["decision"] = decision_id(assessment.application_id, decision["claim"])
    return result


@dataclass(frozen=True)
class RecordedDecision:
    """One evaluation made ready to record: what every face shows, what the store keeps."""

    result: dict[str, Any]  # the contract's object (zh), with decision ids
    stored: dict[str, Any]  # the decision as the record keeps it
    record: NewRecord


def record_decision(
    assessment: Assessment,
    ruleset: Ruleset,
    *,
    source: str,
    input_json: str,
    digest: str,
    ledger_seen: list[dict[str, Any]],
    division: str | None,
) -> RecordedDecision:
    """The record of one evaluation: its canonical input (``input_json``, hashed as
    ``digest``), where it came from, the ledger state the evaluation saw."""
    from .. import __version__

    result = result_json(assessment, ruleset)
    stored = stored_result(result)
    recorded_at = now()
    body = decision_body(
        assessment.application_id,
        recorded_at,
        source,
        input_json,
        digest,
        {"id": ruleset.id, "version": ruleset.version},
        ledger_seen,
        record_json(stored),
        __version__,
    )
    record = new_decision_record(assessment.application_id, recorded_at, body, digest, stored, ruleset.id, division)
    return RecordedDecision(result, stored, record)
