"""The use cases every face calls: plain functions, plain values in, data out.

No argument parsing, no printing, no SQL here: the command line (``engine.cli``)
and the web pages render what these return; the store (``engine.store``) keeps it.

=================  =============================================================
``check``          one application, nothing stored (the self-check)
``screen``         a batch into the store: a stream of results and progress
``replay``         recorded decisions evaluated again, compared decision by decision
``verify``         the chain, the indexes and the rules archive checked, streaming
``settle``         a reviewer's settlement of a decision that needs review
``show``           one recorded decision, from any id that names it
``report``         awards by programme, enterprise, division and month
``review_queue``   decisions awaiting review, oldest first, filtered
``find_decisions`` recorded decisions by application, credit code, patent, programme…
``history``        decisions by filters, or by any id, credit code or patent number
``add_user``       users of the web pages and the API (``authenticate``, tokens, sessions)
``copy_store``     a whole store into another database, the chain intact
=================  =============================================================
"""

from typing import TYPE_CHECKING

from .._exports import lazy_exports

# each use case imported on first use (see engine/_exports.py)
_EXPORTS = {
    "accounts": (
        "ROLES",
        "account_name",
        "add_user",
        "authenticate",
        "end_sessions",
        "issue_token",
        "session_key",
        "user_for_session",
        "user_for_token",
    ),
    "archive": ("archived_ruleset",),
    "checking": (
        "Checked",
        "check",
        "check_file",
    ),
    "copying": (
        "Copied",
        "copy_store",
    ),
    "history": (
        "History",
        "history",
    ),
    "lookup": (
        "Shown",
        "show",
    ),
    "replaying": (
        "Difference",
        "Replayed",
        "replay",
    ),
    "reporting": (
        "AwardTotal",
        "PendingReview",
        "Report",
        "find_decisions",
        "report",
        "review_queue",
    ),
    "screening": (
        "Render",
        "ScreenEvent",
        "ScreenProgress",
        "ScreenResult",
        "ScreenSummary",
        "screen",
    ),
    "settlement": (
        "Settlement",
        "settle",
    ),
    "verification": (
        "VerifyReport",
        "verify",
    ),
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .accounts import (
        ROLES,
        account_name,
        add_user,
        authenticate,
        end_sessions,
        issue_token,
        session_key,
        user_for_session,
        user_for_token,
    )
    from .archive import archived_ruleset
    from .checking import Checked, check, check_file
    from .copying import Copied, copy_store
    from .history import History, history
    from .lookup import Shown, show
    from .replaying import Difference, Replayed, replay
    from .reporting import AwardTotal, PendingReview, Report, find_decisions, report, review_queue
    from .screening import Render, ScreenEvent, ScreenProgress, ScreenResult, ScreenSummary, screen
    from .settlement import Settlement, settle
    from .verification import VerifyReport, verify

__all__ = [
    "AwardTotal",
    "Checked",
    "Copied",
    "Difference",
    "History",
    "PendingReview",
    "ROLES",
    "Render",
    "Replayed",
    "Report",
    "ScreenEvent",
    "ScreenProgress",
    "ScreenResult",
    "ScreenSummary",
    "Settlement",
    "Shown",
    "VerifyReport",
    "account_name",
    "add_user",
    "archived_ruleset",
    "authenticate",
    "check",
    "check_file",
    "copy_store",
    "end_sessions",
    "find_decisions",
    "history",
    "issue_token",
    "replay",
    "report",
    "review_queue",
    "screen",
    "session_key",
    "settle",
    "show",
    "user_for_session",
    "user_for_token",
    "verify",
]
