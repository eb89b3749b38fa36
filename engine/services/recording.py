"""A decision as it is recorded: the contract's object, the stored decision, the record.

``record_decision`` turns one evaluation into the decision every face shows (the contract's
JSON, each claim with its decision id) and the record the store appends
(:mod:`engine.store.records` defines its body and index rows). The decision is serialised
once (:func:`~engine.explain.contract_text.decision_texts`): the record's body and the
``--format jsonl`` line are laid out from the same encoded explanations, facts and
arithmetic; the index rows are read from the evaluation by the one rule of
:mod:`engine.store.bodies`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..evaluation import Assessment
from ..evaluation.decision import INELIGIBLE
from ..explain import assessment_json
from ..explain.contract import maximums_json
from ..explain.contract_text import decision_texts
from ..rulebook import Ruleset
from ..store import NewRecord, decision_id
from ..store.bodies import decision_body, new_decision_record
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

    assessment: Assessment
    ruleset: Ruleset
    line: str  # the contract's object (zh, with decision ids) as compact JSON: what --format jsonl prints
    record: NewRecord

    @cached_property
    def result(self) -> dict[str, Any]:
        """The contract's object itself (zh, with decision ids)."""
        return result_json(self.assessment, self.ruleset)


def _indexed(assessment: Assessment, ids: list[str]) -> dict[str, Any]:
    """What the index rows read of a stored decision (:func:`~engine.store.bodies.stored_result`),
    taken from the evaluation: the same values, without the words."""
    applicant: dict[str, Any] = {"name": assessment.applicant_name}
    if assessment.credit_code:
        applicant["credit_code"] = assessment.credit_code
    decisions = []
    for d, ident in zip(assessment.decisions, ids, strict=True):
        amount = str(d.amount) if d.amount is not None and d.outcome != INELIGIBLE else None
        one: dict[str, Any] = {
            "claim": d.claim,
            "program": d.program,
            "outcome": d.outcome,
            "amount": amount,
            "maximums": maximums_json(d.maximums),
            "decision": ident,
            "criteria": [{"id": c.id, "status": c.status} for c in d.criteria],
        }
        if d.patent:
            one["patent"] = d.patent
        decisions.append(one)
    return {"applicant": applicant, "submitted_on": assessment.submitted_on.isoformat(), "decisions": decisions}


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

    ids = [decision_id(assessment.application_id, d.claim) for d in assessment.decisions]
    line, stored_json = decision_texts(assessment, ruleset, ids)
    recorded_at = now()
    body = decision_body(
        assessment.application_id,
        recorded_at,
        source,
        input_json,
        digest,
        {"id": ruleset.id, "version": ruleset.version},
        ledger_seen,
        stored_json,
        __version__,
    )
    indexed = _indexed(assessment, ids)
    record = new_decision_record(assessment.application_id, recorded_at, body, digest, indexed, ruleset.id, division)
    return RecordedDecision(assessment, ruleset, line, record)
