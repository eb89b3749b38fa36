"""Decision history: what was decided, found by filters or by any identifier a person has.

An auditor types an application id, a decision id, a credit code or a patent
number into one search box; a reviewer filters by programme, division, outcome.
An enterprise's history is the same list held to its own credit code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import UsageError
from ..model import identifiers
from ..store import DecisionQuery, IndexedDecision, Reader, parse_reference

__all__ = ["MAX_PAGE", "History", "history"]

MAX_PAGE = 200  # decisions listed at once
OUTCOMES = ("eligible", "ineligible", "needs_review")


@dataclass(frozen=True)
class History:
    """One page of decisions, oldest first, and whether more follow."""

    decisions: list[IndexedDecision]
    offset: int
    limit: int
    more: bool


def _searched(text: str) -> list[DecisionQuery]:
    """The queries a search text may mean: an application or decision id, a credit code, a
    patent, part of an applicant's name."""
    wanted = text.strip()
    queries = [DecisionQuery(application=parse_reference(wanted).application), DecisionQuery(applicant_contains=wanted)]
    try:
        queries.append(DecisionQuery(credit_code=identifiers.normalize_credit_code(wanted)))
    except identifiers.IdentifierError:
        pass
    try:
        queries.append(DecisionQuery(patent=identifiers.parse_patent_number(wanted).number))
    except identifiers.IdentifierError:
        pass
    return queries


def history(
    store: Reader,
    *,
    search: str | None = None,
    program: str | None = None,
    division: str | None = None,
    outcome: str | None = None,
    credit_code: str | None = None,
    awaiting_review: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> History:
    """Decisions matching every filter given, oldest first, ``limit`` from ``offset``.

    ``search``: an application id, decision id, credit code, patent number or part of an
    applicant's name (any that matches); ``credit_code`` holds the list to one enterprise whatever else is asked.
    Raises UsageError for an unknown outcome or a page outside 1..MAX_PAGE."""
    if outcome is not None and outcome not in OUTCOMES:
        raise UsageError(f"an outcome is one of {', '.join(OUTCOMES)}; got {outcome!r}")
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise UsageError(f"a page holds 1 to {MAX_PAGE} decisions from an offset of 0 or more")
    base = DecisionQuery(
        program=program or None, division=division or None, outcome=outcome, awaiting_review=awaiting_review
    )
    if search and search.strip():
        found: dict[str, IndexedDecision] = {}
        for query in _searched(search):
            if credit_code is not None and query.credit_code not in (None, credit_code):
                continue
            scoped = replace(
                base,
                application=query.application,
                patent=query.patent,
                credit_code=credit_code or query.credit_code,
                applicant_contains=query.applicant_contains,
            )
            for item in store.decisions(scoped):
                found.setdefault(item.row.decision_id, item)
        ordered = sorted(found.values(), key=lambda d: (d.record_seq, d.row.claim))
        page = ordered[offset : offset + limit + 1]
    else:
        page = store.decisions(replace(base, credit_code=credit_code, limit=limit + 1, offset=offset))
    return History(page[:limit], offset, limit, len(page) > limit)
