"""Decisions in words: the contract's JSON, text in Chinese or English, recorded decisions, tables.

=================  ===========================================================
``words``          fact values, divisions, parameters, outcomes as people read them
``sentences``      a criterion's explanation, an amount's arithmetic, a summary
``prepared``       each criterion's words and contract parts prepared once, memoised
``contract``       the contract's decision object (``check --format json``)
``text``           a decision as text (``check``, ``screen``)
``recorded``       a recorded decision with its settlements (``show``)
``report``         the office's totals and review queue as text
``tables``         decisions and totals as CSV rows
=================  ===========================================================
"""

from typing import TYPE_CHECKING

from .._exports import lazy_exports

# imported on first use (see engine/_exports.py)
_EXPORTS = {
    "contract": ("applicant_json", "assessment_json", "decision_json"),
    "recorded": ("render_recorded", "settlement_terms"),
    "report": ("render_report",),
    "sentences": ("arithmetic_line", "closing_lines", "criterion_explanation", "decision_summary"),
    "tables": ("DECISION_COLUMNS", "REPORT_COLUMNS", "decision_rows", "report_rows"),
    "text": ("render_text",),
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .contract import applicant_json, assessment_json, decision_json
    from .recorded import render_recorded, settlement_terms
    from .report import render_report
    from .sentences import arithmetic_line, closing_lines, criterion_explanation, decision_summary
    from .tables import DECISION_COLUMNS, REPORT_COLUMNS, decision_rows, report_rows
    from .text import render_text

__all__ = [
    "DECISION_COLUMNS",
    "REPORT_COLUMNS",
    "applicant_json",
    "arithmetic_line",
    "assessment_json",
    "closing_lines",
    "criterion_explanation",
    "decision_json",
    "decision_rows",
    "decision_summary",
    "render_recorded",
    "render_report",
    "render_text",
    "report_rows",
    "settlement_terms",
]
