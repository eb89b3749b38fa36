"""Deciding claims: facts from the application, verdicts from the rules, awards in Decimal."""

from .decision import Assessment, AwardRef, CriterionResult, Decision
from .evaluate import EmptyLedger, Evaluator, Ledger, evaluate

__all__ = ["Assessment", "AwardRef", "CriterionResult", "Decision", "EmptyLedger", "Evaluator", "Ledger", "evaluate"]
