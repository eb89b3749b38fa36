"""Decisions and totals as table rows (CSV): one row per claim; one per total.

Rows are lists of plain strings in a fixed column order, for any table writer.
Money keeps its kind: ``unit`` says whether a total is yuan paid once or yuan a
year, and housing has its own column, in m².

:func:`csv_text` writes rows as CSV for every CSV the engine writes (screen, report,
impact, the web's downloads): a cell that a spreadsheet would run as a formula is
written as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..privacy import mask_id_number

__all__ = ["DECISION_COLUMNS", "REPORT_COLUMNS", "csv_cell", "csv_text", "decision_rows", "report_rows"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def csv_cell(value: object) -> str:
    r"""A cell as a spreadsheet must read it: text that would start a formula (``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return) gets a leading ``'``; a plain number (a
    negative change) stays a number.

    >>> csv_cell('=HYPERLINK("http://evil","x")'), csv_cell("-500.00"), csv_cell("@SUM(A1)")
    ('\'=HYPERLINK("http://evil","x")', '-500.00', "'@SUM(A1)")
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(rows: Iterable[Sequence[object]], line_end: str = "\n") -> str:
    """``rows`` as CSV text, every cell through :func:`csv_cell`."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerows([csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


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
        yearly = t.per_year or t.yearly  # a yearly grant of none is a row of 0.00 a year
        for unit, amount in (("yuan", t.one_off), ("yuan_per_year", t.per_year)):
            if (unit == "yuan" and (amount or not yearly)) or (unit == "yuan_per_year" and yearly):
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
