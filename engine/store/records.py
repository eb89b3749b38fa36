"""What a record is: its columns, its id, its hash, and the index rows a store derives from it.

A store is a chain of records. Each record is a canonical JSON *body* hashed as
written (``sha256(prev + "\\n" + body)``); everything else a store keeps — which
applications are recorded, the awards the limits read, the decision index that
search, the review queue and the report read — is derived from the bodies (see
:mod:`engine.store.bodies`), so that ``verify`` can rebuild it from the log and compare.

Two kinds of record, and their ids:

* a **decision** on one application: record id = the application id; each claim's
  decision is ``<application>/<claim>``;
* a **settlement** of one decision by a reviewer: ``<application>/<claim>/settlement``.
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
    "chain_hash",
    "decision_id",
    "input_hash",
    "now",
    "parse_reference",
    "record_json",
    "settlement_id",
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


class _Plain:
    """Pickled as its class and its field values (several times cheaper than the default for a
    slotted dataclass): records and rows cross from worker processes by the thousand."""

    __slots__: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(getattr(self, name) for name in self.__slots__))


@dataclass(frozen=True, slots=True)
class StoredRecord(_Plain):
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

    @property
    def intact(self) -> bool:
        """Whether the body still gives the record's hash (``verify`` checks the whole chain)."""
        return chain_hash(self.prev, self.body) == self.hash


@dataclass(frozen=True, slots=True)
class AwardRow(_Plain):
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
class DecisionRow(_Plain):
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
