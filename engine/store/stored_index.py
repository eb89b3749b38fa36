"""The decision index rows a decision record implies, laid out as the store holds them, for ``verify``.

``verify`` compares every record's decision index rows with the ones its body implies. The one
rule is :func:`~engine.store.bodies.decision_rows_of`; building a :class:`DecisionRow` per claim
and turning each into its stored form (money in fen, the open criteria as ``,a,b,``) was a
sixth of ``verify``'s time. :func:`stored_decisions_of` lays the same rows out as stored
straight from the body, for the bodies our code writes: an amount is a text of whole fen
(``"1234.50"``), a claim number is an integer, an open criterion is a text without a comma.
Any other body — a value of another kind, an amount in any other form, a value that raises —
gives ``None``, and the rows are derived and compared the careful way, which then decides.
``tests/test_verify_stored_index.py`` holds the two ways to the same rows.
"""

from __future__ import annotations

import re
from typing import Any

from .records import DECISION, ONE_OFF

__all__ = ["stored_decisions_of"]

# An amount as our records write it, read as whole fen: at most 17 digits before the point, so
# that it is far inside the amounts the decision index holds exactly (20 digits).
_FEN = re.compile(r"-?[0-9]{1,17}\.[0-9]{2}")


def stored_decisions_of(content: dict[str, Any]) -> list[tuple[Any, ...]] | None:
    """``[stored_decision(row) for row in decision_rows_of(content)]``, sorted by claim, as
    ``verify`` compares it; ``None`` when the body is not one this reads exactly (see the
    module's notes): the rows are then derived by :func:`~engine.store.bodies.decision_rows_of`."""
    try:
        return _stored_decisions(content)
    except Exception:  # a value of another kind: the careful way says what it is
        return None


def _stored_decisions(content: dict[str, Any]) -> list[tuple[Any, ...]] | None:
    if content.get("type") != DECISION:
        return []
    result = content["result"]
    applicant = result["applicant"]
    given = content.get("input", {})
    division = given.get("applicant", {}).get("division")
    submitted_on = str(given.get("submitted_on", result.get("submitted_on", "")))
    application = content["application"]
    ruleset = content["ruleset"]["id"]
    credit_code = applicant.get("credit_code")
    name = applicant["name"]
    rows = []
    for d in result["decisions"]:
        amount = d["amount"]
        if amount is None:
            fen = None
            kind = "maximums" if d.get("maximums") else None
        elif type(amount) is str and _FEN.fullmatch(amount):
            fen = int(amount.replace(".", "", 1))
            kind = ONE_OFF
        else:
            return None
        claim = d["claim"]
        if type(claim) is not int:
            return None
        outcome = d["outcome"]
        points = [c["id"] for c in d["criteria"] if c["status"] == "unknown"]
        if outcome != "needs_review" or not points:
            open_criteria = ""
        elif all(type(point) is str and point and "," not in point for point in points):
            open_criteria = f",{','.join(points)},"
        else:
            return None
        rows.append(
            (
                d["decision"],
                application,
                claim,
                ruleset,
                d["program"],
                outcome,
                fen,
                kind,
                d.get("patent"),
                credit_code,
                name,
                division,
                submitted_on,
                open_criteria,
            )
        )
    if len(rows) > 1:
        rows.sort(key=_claim)
    return rows


def _claim(row: tuple[Any, ...]) -> int:
    return row[2]  # type: ignore[no-any-return]
