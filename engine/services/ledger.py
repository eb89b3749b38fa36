"""The limits that span applications, as the evaluator sees them.

* :class:`StoreLedger` answers from a writing transaction of the store and notes
  every answer it gave: that *ledger state* is recorded with the decision.
* :class:`RecordedLedger` answers from such a recorded state, so that a replay sees
  exactly what the original evaluation saw, whatever the store holds today.
* :class:`SpeculativeLedger` answers that nothing was awarded before and notes
  what it was asked, for the writer to check against the store (screen workers).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..evaluation.decision import AwardRef
from ..store import AwardRow, Transaction

__all__ = ["RecordedLedger", "SpeculativeLedger", "StoreLedger", "refs_of", "refs_from_json"]


def refs_of(rows: tuple[AwardRow, ...]) -> tuple[AwardRef, ...]:
    """Award rows of the store as the evaluator's references to earlier awards."""
    return tuple(
        AwardRef(
            row.amount if row.amount is not None else Decimal("0.00"),
            decision=row.decision_id,
            application=row.application,
            pending=row.source == "pending",
        )
        for row in rows
    )


def refs_from_json(items: list[dict[str, Any]]) -> tuple[AwardRef, ...]:
    return tuple(
        AwardRef(
            Decimal(i["amount"]),
            claim=i.get("claim"),
            decision=i.get("decision"),
            application=i.get("application"),
            pending=bool(i.get("pending", False)),
        )
        for i in items
    )


class StoreLedger:
    """Earlier awards from the store (inside the writing transaction), noted as read."""

    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction
        self.seen: list[dict[str, Any]] = []

    def _note(self, limit: str, program: str, key: str, refs: tuple[AwardRef, ...]) -> tuple[AwardRef, ...]:
        self.seen.append({"limit": limit, "program": program, "key": key, "awards": [r.to_json() for r in refs]})
        return refs

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        refs = refs_of(self.transaction.patent_awards(ruleset_id, program, patent))
        return self._note("once_per", program, patent, refs)

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        refs = refs_of(self.transaction.enterprise_awards(ruleset_id, program, credit_code))
        return self._note("cap", program, credit_code, refs)


class RecordedLedger:
    """The ledger state recorded with a decision, answered back."""

    def __init__(self, seen: list[dict[str, Any]]) -> None:
        self.answers = {(s["limit"], s["program"], s["key"]): refs_from_json(s["awards"]) for s in seen}

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        return self.answers.get(("once_per", program, patent), ())

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        return self.answers.get(("cap", program, credit_code), ())


class SpeculativeLedger:
    """Nothing awarded before; every question noted, for the writer to check."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []

    @property
    def seen(self) -> list[dict[str, Any]]:
        return [{"limit": limit, "program": program, "key": key, "awards": []} for limit, program, key in self.asked]

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        self.asked.append(("once_per", program, patent))
        return ()

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        self.asked.append(("cap", program, credit_code))
        return ()
