"""Puyang IP-incentive eligibility engine: the plan's incentive clauses as rules.

The public API::

    from engine import load_rulebook, open_store, check_file, screen, verify

    rulebook = load_rulebook()                         # rules/ beside the package
    checked = check_file("applications/p1-eligible-hualong-district.yaml", rulebook)
    print(checked.text())                              # nothing stored: the self-check

    store = open_store("decisions.db", create=True)    # an SQLite file
    for event in screen(["applications"], store, rulebook):
        ...                                            # results, progress, a summary
    assert verify(store).intact

Every use case is a function of :mod:`engine.services`; every face (the command
line, the web pages) calls them and renders what they return.
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING  # noqa: E402 - the version first: the record format reads it

from ._exports import lazy_exports  # noqa: E402

# Each public name and the module it comes from, imported on first use: a command pays only
# for what it needs (a cold `subsidy check` does not load the web, the store or the services).
_EXPORTS = {
    "errors": (
        "ApplicationError",
        "ConflictError",
        "EngineError",
        "EngineInconsistencyError",
        "InputError",
        "IntegrityError",
        "InternalError",
        "Problem",
        "RuleFileError",
        "StoreError",
        "UsageError",
    ),
    "evaluation": (
        "Assessment",
        "AwardRef",
        "CriterionResult",
        "Decision",
        "EmptyLedger",
        "Evaluator",
        "Ledger",
        "evaluate",
    ),
    "explain": (
        "assessment_json",
        "render_recorded",
        "render_report",
        "render_text",
    ),
    "model": (
        "Application",
        "Claim",
    ),
    "reading": (
        "iter_applications",
        "iter_sources",
        "iter_upload",
        "read_application",
        "read_record",
        "read_upload",
    ),
    "rulebook": (
        "Rulebook",
        "Ruleset",
        "load_rulebook",
        "load_ruleset",
        "load_ruleset_files",
    ),
    "services": (
        "AwardTotal",
        "Checked",
        "Copied",
        "Difference",
        "History",
        "PendingReview",
        "Replayed",
        "Report",
        "ScreenProgress",
        "ScreenResult",
        "ScreenSummary",
        "Settlement",
        "Shown",
        "VerifyReport",
        "add_user",
        "authenticate",
        "check",
        "check_file",
        "copy_store",
        "find_decisions",
        "history",
        "issue_token",
        "replay",
        "report",
        "review_queue",
        "screen",
        "settle",
        "show",
        "user_for_token",
        "verify",
    ),
    "store": (
        "DecisionQuery",
        "Store",
        "User",
        "migrate_store",
        "open_store",
    ),
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .errors import (
        ApplicationError,
        ConflictError,
        EngineError,
        EngineInconsistencyError,
        InputError,
        IntegrityError,
        InternalError,
        Problem,
        RuleFileError,
        StoreError,
        UsageError,
    )
    from .evaluation import (
        Assessment,
        AwardRef,
        CriterionResult,
        Decision,
        EmptyLedger,
        Evaluator,
        Ledger,
        evaluate,
    )
    from .explain import (
        assessment_json,
        render_recorded,
        render_report,
        render_text,
    )
    from .model import (
        Application,
        Claim,
    )
    from .reading import (
        iter_applications,
        iter_sources,
        iter_upload,
        read_application,
        read_record,
        read_upload,
    )
    from .rulebook import (
        Rulebook,
        Ruleset,
        load_rulebook,
        load_ruleset,
        load_ruleset_files,
    )
    from .services import (
        AwardTotal,
        Checked,
        Copied,
        Difference,
        History,
        PendingReview,
        Replayed,
        Report,
        ScreenProgress,
        ScreenResult,
        ScreenSummary,
        Settlement,
        Shown,
        VerifyReport,
        add_user,
        authenticate,
        check,
        check_file,
        copy_store,
        find_decisions,
        history,
        issue_token,
        replay,
        report,
        review_queue,
        screen,
        settle,
        show,
        user_for_token,
        verify,
    )
    from .store import (
        DecisionQuery,
        Store,
        User,
        migrate_store,
        open_store,
    )

__all__ = [
    "Application",
    "ApplicationError",
    "Assessment",
    "AwardRef",
    "AwardTotal",
    "Checked",
    "Claim",
    "ConflictError",
    "Copied",
    "CriterionResult",
    "Decision",
    "DecisionQuery",
    "Difference",
    "EmptyLedger",
    "EngineError",
    "EngineInconsistencyError",
    "Evaluator",
    "History",
    "InputError",
    "IntegrityError",
    "InternalError",
    "Ledger",
    "PendingReview",
    "Problem",
    "Replayed",
    "Report",
    "RuleFileError",
    "Rulebook",
    "Ruleset",
    "ScreenProgress",
    "ScreenResult",
    "ScreenSummary",
    "Settlement",
    "Shown",
    "Store",
    "StoreError",
    "UsageError",
    "User",
    "VerifyReport",
    "__version__",
    "add_user",
    "assessment_json",
    "authenticate",
    "check",
    "check_file",
    "copy_store",
    "evaluate",
    "find_decisions",
    "history",
    "issue_token",
    "iter_applications",
    "iter_sources",
    "iter_upload",
    "load_rulebook",
    "load_ruleset",
    "load_ruleset_files",
    "migrate_store",
    "open_store",
    "read_application",
    "read_record",
    "read_upload",
    "render_recorded",
    "render_report",
    "render_text",
    "replay",
    "report",
    "review_queue",
    "screen",
    "settle",
    "show",
    "user_for_token",
    "verify",
]
