"""The limits that span applications, as the evaluator sees them.

* :class:`StoreLedger` answers from the store's awards index, and writes down
  every answer it gave: that *ledger state* is recorded with the decision.
* :class:`RecordedLedger` answers from such a recorded state, so a replay sees
  exactly what the original evaluation saw, whatever the store holds today.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..evaluation.decision import AwardRef
from ..store import Store

__all__ = ["RecordedLedger", "StoreLedger", "refs_from_json"]


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
    """Earlier awards from the store, remembered as they are read."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: list[dict[str, Any]] = []

    def reset(self) -> None:
        self.seen = []

    def _note(self, limit: str, program: str, key: str, refs: tuple[AwardRef, ...]) -> tuple[AwardRef, ...]:
        self.seen.append({"limit": limit, "program": program, "key": key, "awards": [r.to_json() for r in refs]})
        return refs

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        return self._note("once_per", program, patent, self.store.patent_awards(ruleset_id, program, patent))

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        return self._note("cap", program, credit_code, self.store.enterprise_awards(ruleset_id, program, credit_code))


class RecordedLedger:
    """The ledger state recorded with a decision, answered back."""

    def __init__(self, seen: list[dict[str, Any]]) -> None:
        self.answers = {(s["limit"], s["program"], s["key"]): refs_from_json(s["awards"]) for s in seen}

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        return self.answers.get(("once_per", program, patent), ())

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        return self.answers.get(("cap", program, credit_code), ())
