"""A decision as it is recorded: the contract's object, the stored decision, the record.

``record_decision`` turns one evaluation into the decision every face shows (the contract's
JSON, each claim with its decision id) and the record the store appends
(:mod:`engine.store.records` defines its body and index rows). The decision is serialised
once (:func:`~engine.explain.contract_text.decision_texts`): the record's body and the
``--format jsonl`` line are laid out from the same encoded explanations, facts and
arithmetic; the index rows are read from the evaluation, as the one rule of
:mod:`engine.store.bodies` reads them from the body (the tests hold the two equal).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..evaluation import Assessment
from ..evaluation.decision import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW, UNKNOWN
from ..explain import assessment_json
from ..explain.contract_text import decision_texts
from ..rulebook import Ruleset
from ..store import NewRecord, decision_id
from ..store.bodies import decision_body
from ..store.records import DECISION, ONE_OFF, AwardRow, DecisionRow, IndexRows, now

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
        """The contract's object itself (zh, with decision ids): the line read back, a third of
        the CPU of wording it again."""
        return json.loads(self.line)  # type: ignore[no-any-return]


def _index(assessment: Assessment, ids: list[str], ruleset_id: str, division: str | None, digest: str) -> IndexRows:
    """The index rows of the record, read from the evaluation: what
    :func:`~engine.store.bodies.index_rows_of` reads of its body (the tests hold them equal)."""
    application, name, code = assessment.application_id, assessment.applicant_name, assessment.credit_code or None
    submitted = assessment.submitted_on.isoformat()
    awards, rows = [], []
    for d, ident in zip(assessment.decisions, ids, strict=True):
        outcome, patent = d.outcome, d.patent or None
        amount = d.amount if outcome != INELIGIBLE else None
        if amount is not None and outcome in (ELIGIBLE, NEEDS_REVIEW):
            source = "decision" if outcome == ELIGIBLE else "pending"
            awards.append(AwardRow(ident, application, ruleset_id, d.program, patent, code, name, amount, source))
        kind = ONE_OFF if amount is not None else "maximums" if d.maximums else None
        open_points = tuple(c.id for c in d.criteria if c.status == UNKNOWN) if outcome == NEEDS_REVIEW else ()
        rows.append(
            DecisionRow(
                ident,
                application,
                d.claim,
                ruleset_id,
                d.program,
                outcome,
                amount,
                kind,
                patent,
                code,
                name,
                division,
                submitted,
                open_points,
            )
        )
    return IndexRows(digest, tuple(awards), tuple(rows))


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
    index = _index(assessment, ids, ruleset.id, division, digest)
    record = NewRecord(DECISION, assessment.application_id, assessment.application_id, recorded_at, body, index)
    return RecordedDecision(assessment, ruleset, line, record)
