"""Decisions and totals as table rows (CSV): one row per claim; one per total.

Rows are lists of plain strings in a fixed column order, for any table writer.
Money keeps its kind: ``unit`` says whether a total is yuan paid once or yuan a
year, and housing has its own column, in m².
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..privacy import mask_id_number

__all__ = ["DECISION_COLUMNS", "REPORT_COLUMNS", "decision_rows", "report_rows"]

DECISION_COLUMNS = [
    "application",
    "claim",
    "decision",
    "program",
    "outcome",
    "amount",
    "submitted_on",
    "applicant",
    "credit_code",
    "ruleset_version",
    "summary",
    "id_number",
]

REPORT_COLUMNS = [
    "section",
    "program",
    "applicant",
    "credit_code",
    "awards",
    "total",
    "decision",
    "summary",
    "unit",
    "housing_m2",
    "division",
    "month",
]


def decision_rows(result: dict[str, Any]) -> list[list[str]]:
    """The contract's decision object (with decision ids) as one row per claim; an individual's
    ID number masked (the last column)."""
    applicant = result["applicant"]
    id_number = mask_id_number(applicant["id_number"]) if applicant.get("id_number") else ""
    return [
        [
            result["application"],
            str(d["claim"]),
            d["decision"],
            d["program"],
            d["outcome"],
            d["amount"] or "",
            result["submitted_on"],
            applicant["name"],
            applicant.get("credit_code", ""),
            result["ruleset"]["version"],
            d["summary"],
            id_number,
        ]
        for d in result["decisions"]
    ]


def _m2(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else ""


def _money_rows(section: str, totals: list[Any], key: Any) -> list[list[str]]:
    rows = []
    for t in totals:
        program, applicant, code, division, month = key(t.key)
        for unit, amount in (("yuan", t.one_off), ("yuan_per_year", t.per_year)):
            if amount or (unit == "yuan" and not t.per_year):
                rows.append(
                    [section, program, applicant, code, str(t.awards), str(amount), "", "", unit, _m2(t.housing_m2)]
                    + [division, month]
                )
    return rows


def report_rows(report: Any) -> list[list[str]]:
    """A :class:`~engine.services.Report` as rows: totals by programme, enterprise,
    division and month, then every decision awaiting review."""
    rows = _money_rows("program", report.by_program, lambda k: (k[0], "", "", "", ""))
    rows += _money_rows("enterprise", report.by_enterprise, lambda k: (k[0], k[2], k[1] or "", "", ""))
    rows += _money_rows("division", report.by_division, lambda k: (k[0], "", "", k[1] or "", ""))
    rows += _money_rows("month", report.by_month, lambda k: (k[0], "", "", "", k[1] or ""))
    for p in report.awaiting_review:
        rows.append(
            ["needs_review", p.program, p.applicant, p.credit_code or "", "", "", p.decision, p.summary]
            + ["", "", p.division or "", p.submitted_on[:7]]
        )
    return rows
