"""What the office reports: awards by programme, enterprise, division and month; the review queue.

Money of different kinds is never added together: one-off cash (yuan), a research
fund granted per year (yuan a year) and housing (m²) are totalled apart. Awards are
what decisions and settlements granted; a claim awaiting review only *holds* its
provisional amount, reported apart. The review queue lists the decisions that need
review and have no settlement yet, oldest first.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model.divisions import Gazetteer
from ..rulebook.schema import Text
from ..store import DecisionQuery, IndexedDecision, Reader
from .archive import Archive

__all__ = [
    "ArchivedWords",
    "AwardTotal",
    "PendingReview",
    "Report",
    "archived_words",
    "find_decisions",
    "report",
    "review_queue",
]

ZERO = Decimal("0.00")


@dataclass
class AwardTotal:
    """Awards granted in one group (a programme, an enterprise, a division, a month)."""

    key: tuple[str | None, ...]
    awards: int = 0
    one_off: Decimal = ZERO  # yuan, paid once
    per_year: Decimal = ZERO  # yuan a year (the inventor grant's research fund)
    housing_m2: Decimal = Decimal(0)
    yearly: bool = False  # it holds a yearly grant, even one of none (an inventor granted nothing is counted)


@dataclass(frozen=True)
class PendingReview:
    """A decision awaiting a reviewer: what is open, and the summary the applicant was given."""

    decision: str
    application: str
    claim: int
    program: str
    applicant: str
    credit_code: str | None
    division: str | None
    submitted_on: str
    amount: Decimal | None  # the provisional amount it holds, if any
    open_criteria: tuple[str, ...]
    summary: str
    missing: tuple[str, ...]


@dataclass
class Report:
    applications: int
    settlements: int
    outcomes: dict[str, int]
    by_program: list[AwardTotal]
    by_enterprise: list[AwardTotal]  # key: (program, credit code, applicant)
    by_division: list[AwardTotal]  # key: (program, division)
    by_month: list[AwardTotal]  # key: (program, YYYY-MM of submission)
    held_for_review: Decimal
    awaiting_review: list[PendingReview]
    labels: dict[str, Text] = field(default_factory=dict)  # programme id -> its name
    places: Gazetteer | None = None  # division names, from the latest archived ruleset that lists them

    @property
    def one_off_total(self) -> Decimal:
        return sum((t.one_off for t in self.by_program), ZERO)

    @property
    def per_year_total(self) -> Decimal:
        return sum((t.per_year for t in self.by_program), ZERO)

    @property
    def housing_total(self) -> Decimal:
        return sum((t.housing_m2 for t in self.by_program), Decimal(0))


def review_queue(
    store: Reader,
    *,
    program: str | None = None,
    division: str | None = None,
    reason: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[PendingReview]:
    """Decisions awaiting review, oldest first. ``reason``: a criterion id that must be
    among the ones still open (e.g. ``contract-registered``, ``significant-benefit``)."""
    query = DecisionQuery(
        awaiting_review=True, program=program, division=division, open_criterion=reason, limit=limit, offset=offset
    )
    bodies: dict[str, dict[str, Any]] = {}
    out = []
    for found in store.decisions(query):
        row = found.row
        if row.application not in bodies:
            record = store.record(row.application)
            bodies[row.application] = json.loads(record.body)["result"] if record else {"decisions": []}
        claim: dict[str, Any] = next(
            (d for d in bodies[row.application]["decisions"] if d["decision"] == row.decision_id), {}
        )
        out.append(
            PendingReview(
                row.decision_id,
                row.application,
                row.claim,
                row.program,
                row.applicant,
                row.credit_code,
                row.division,
                row.submitted_on,
                row.amount,
                row.open_criteria,
                claim.get("summary", ""),
                tuple(claim.get("missing") or ()),
            )
        )
    return out


def find_decisions(
    store: Reader,
    *,
    application: str | None = None,
    credit_code: str | None = None,
    patent: str | None = None,
    program: str | None = None,
    outcome: str | None = None,
    division: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[IndexedDecision]:
    """Recorded decisions, oldest first, found by any of their keys (an auditor's search):
    each the decision index row (``.row``), where it sits in the chain, whether it was settled."""
    query = DecisionQuery(
        outcome=outcome,
        program=program,
        division=division,
        application=application,
        credit_code=credit_code,
        patent=patent,
        limit=limit,
        offset=offset,
    )
    return store.decisions(query)


def report(store: Reader) -> Report:
    """Every total an office reports, from the store's indexes."""
    groups: dict[str, dict[tuple[str | None, ...], AwardTotal]] = defaultdict(dict)
    held = ZERO
    for row in store.totals():
        if row.pending:
            held += row.amount
            continue
        for view, key in (
            ("program", (row.program,)),
            ("enterprise", (row.program, row.credit_code, row.applicant)),
            ("division", (row.program, row.division)),
            ("month", (row.program, row.month)),
        ):
            total = groups[view].setdefault(key, AwardTotal(key))
            total.awards += row.awards
            if row.amount_kind == "per_year":
                total.per_year += row.amount
                total.yearly = True
            else:
                total.one_off += row.amount
            total.housing_m2 += row.housing_m2

    def ordered(view: str, by_size: bool = False) -> list[AwardTotal]:
        items = list(groups[view].values())
        if by_size:
            return sorted(items, key=lambda t: (-(t.one_off + t.per_year), str(t.key[2]), str(t.key[1])))
        return sorted(items, key=lambda t: tuple(str(k or "") for k in t.key))

    words = archived_words(store)
    return Report(
        applications=store.count("decision"),
        settlements=store.count("settlement"),
        outcomes=store.outcome_counts(),
        by_program=ordered("program"),
        by_enterprise=ordered("enterprise", by_size=True),
        by_division=ordered("division"),
        by_month=ordered("month"),
        held_for_review=held,
        awaiting_review=review_queue(store),
        labels=words.programs,
        places=words.places,
    )


@dataclass
class ArchivedWords:
    """The names the store's archived rulesets give: programme id -> name, criterion id -> label
    (the first version archived that has it), and the divisions of the latest that lists any."""

    programs: dict[str, Text] = field(default_factory=dict)
    criteria: dict[str, Text] = field(default_factory=dict)
    places: Gazetteer | None = None


def archived_words(store: Reader) -> ArchivedWords:
    """Names from the rule files archived in the store, never from the rules on disk (a record is
    read in the words of the rules it was decided under). Raises IntegrityError for an altered archive."""
    out = ArchivedWords()
    archive = Archive(store)
    for version, _ in store.archived_versions():
        ruleset = archive.ruleset(version)
        for program in ruleset.programs.values():
            out.programs.setdefault(program.id, program.label)
            for criterion in program.criteria:
                out.criteria.setdefault(criterion.id, criterion.label)
        out.places = ruleset.divisions if ruleset.divisions.jurisdiction else out.places
    return out
