"""Puyang IP-incentive eligibility engine: the plan's incentive clauses as rules.

The public API::

    from engine import load_rulebook, read_application, evaluate, render_text

    rulebook = load_rulebook()                      # rules/ beside the package
    app = read_application("applications/p1-eligible.yaml", rulebook)
    assessment = evaluate(app, rulebook)            # rules fire in durable_rules
    print(render_text(assessment, rulebook.by_id(assessment.ruleset_id)))
"""

from .errors import (
    ApplicationError,
    EngineError,
    EngineInconsistencyError,
    InputError,
    InternalError,
    Problem,
    RuleFileError,
    StoreError,
    UsageError,
)
from .evaluation import Assessment, AwardRef, CriterionResult, Decision, EmptyLedger, Evaluator, Ledger, evaluate
from .explain import assessment_json, render_text
from .model import Application, Claim
from .reading import iter_applications, iter_sources, iter_upload, read_application, read_record, read_upload
from .rulebook import Rulebook, Ruleset, load_rulebook, load_ruleset, load_ruleset_files

__version__ = "0.1.0"

__all__ = [
    "Application",
    "ApplicationError",
    "Assessment",
    "AwardRef",
    "Claim",
    "CriterionResult",
    "Decision",
    "EmptyLedger",
    "EngineError",
    "EngineInconsistencyError",
    "Evaluator",
    "InputError",
    "InternalError",
    "Ledger",
    "Problem",
    "RuleFileError",
    "Rulebook",
    "Ruleset",
    "StoreError",
    "UsageError",
    "__version__",
    "assessment_json",
    "evaluate",
    "iter_applications",
    "iter_sources",
    "iter_upload",
    "load_rulebook",
    "load_ruleset",
    "load_ruleset_files",
    "read_application",
    "read_record",
    "read_upload",
    "render_text",
]
