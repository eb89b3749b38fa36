"""What durable_rules' numeric error codes mean, code by code.

The C core of durable_rules 2.0.28 reports failures as bare exceptions whose
text ends in ``error code: N`` (``src/rules/rules.h`` defines the codes), or, for
an asserted fact, as a return code. The compiler turns every one of them into an
:class:`~engine.errors.EngineInconsistencyError` whose message says what the code
means; this table is the one place that knows the codes. Nothing here imports
the engine.
"""

from __future__ import annotations

import re

__all__ = ["DURABLE_ERRORS", "RETURN_CODES", "describe", "error_code"]

# code -> (the C name, what it means for us)
DURABLE_ERRORS: dict[int, tuple[str, str]] = {
    1: ("ERR_EVENT_NOT_HANDLED", "no rule matched the claim, not even the catch-all"),
    2: ("ERR_EVENT_OBSERVED", "the engine took the claim for one it had already seen"),
    3: ("ERR_EVENT_DEFERRED", "the engine deferred the claim instead of deciding it"),
    101: ("ERR_OUT_OF_MEMORY", "the engine ran out of memory"),
    102: ("ERR_UNEXPECTED_TYPE", "a list or object where the engine expected a value"),
    103: ("ERR_IDENTIFIER_LENGTH", "a name longer than the engine accepts"),
    104: ("ERR_UNEXPECTED_VALUE", "a value the engine does not accept in a rule"),
    105: ("ERR_UNEXPECTED_NAME", "a keyword the engine does not know in a rule"),
    106: ("ERR_RULE_LIMIT_EXCEEDED", "more rules in one ruleset than the engine allows"),
    107: ("ERR_RULE_EXISTS_LIMIT_EXCEEDED", "too many presence tests in one rule"),
    108: ("ERR_RULE_BETA_LIMIT_EXCEEDED", "too many patterns in one rule"),
    109: ("ERR_RULE_WITHOUT_QUALIFIER", "a rule without all/any"),
    110: ("ERR_SETTING_NOT_FOUND", "an engine setting that does not exist"),
    111: ("ERR_INVALID_HANDLE", "a ruleset handle the engine does not know"),
    112: ("ERR_HANDLE_LIMIT_EXCEEDED", "more rulesets registered than the engine allows"),
    113: ("ERR_EXPRESSION_LIMIT_EXCEEDED", "a rule with more expressions than the engine allows"),
    201: ("ERR_PARSE_VALUE", "a value the engine cannot parse"),
    202: ("ERR_PARSE_STRING", "an operator or value the engine does not know"),
    203: ("ERR_PARSE_NUMBER", "a number the engine cannot parse"),
    204: ("ERR_PARSE_OBJECT", "an object the engine cannot parse"),
    205: ("ERR_PARSE_ARRAY", "a list the engine cannot parse"),
    302: ("ERR_EVENT_MAX_PROPERTIES", "too many properties in one fact"),
    303: ("ERR_MAX_STACK_SIZE", "a fact nested deeper than the engine allows"),
    304: ("ERR_MAX_MESSAGES_IN_FRAME", "too many facts in one rule match"),
    305: ("ERR_MESSAGE_NOT_FOUND", "a fact the engine no longer holds"),
    306: ("ERR_LOCATION_NOT_FOUND", "a rule match the engine no longer holds"),
    307: ("ERR_NODE_DELETED", "a session already deleted"),
    308: ("ERR_NODE_DISPATCHING", "a session still firing rules"),
    309: ("ERR_SID_NOT_FOUND", "no such session"),
    310: ("ERR_NO_ACTION_AVAILABLE", "no rule left to fire"),
    311: ("ERR_PROPERTY_NOT_FOUND", "a property the fact does not have"),
    312: ("ERR_OPERATION_NOT_SUPPORTED", "an operation the engine does not support"),
    313: ("ERR_EVENT_MAX_OBJECT_SIZE", "a fact larger than the engine allows"),
    314: ("ERR_EVENT_MAX_OBJECT_PROPERTY_SIZE", "an object property larger than the engine allows"),
    501: ("ERR_PARSE_REGEX", "a regular expression the engine cannot parse"),
    502: ("ERR_REGEX_MAX_TRANSITIONS", "a regular expression with too many transitions"),
    503: ("ERR_REGEX_MAX_STATES", "a regular expression with too many states"),
    504: ("ERR_REGEX_QUEUE_FULL", "a regular expression too complex to compile (queue full)"),
    505: ("ERR_REGEX_LIST_FULL", "a regular expression too complex to compile (list full)"),
    506: ("ERR_REGEX_SET_FULL", "a regular expression too complex to compile (set full)"),
    507: ("ERR_REGEX_CONFLICT", "a regular expression with conflicting states"),
    508: ("ERR_REGEX_INVALID", "a regular expression the engine cannot compile"),
}

# what ``assert_fact`` may return instead of raising
RETURN_CODES = (1, 2, 3)

_CODE = re.compile(r"error code: (\d+)")


def error_code(exc: BaseException | str) -> int | None:
    """The numeric code in a durable_rules error's text, if it carries one.

    >>> error_code("Could not assert fact, error code: 302")
    302
    """
    found = _CODE.search(str(exc))
    return int(found.group(1)) if found else None


def describe(exc: BaseException | str | int) -> str:
    """What a durable_rules error means, with its code and C name.

    >>> describe(309)
    'no such session (durable_rules error 309, ERR_SID_NOT_FOUND)'
    """
    code = exc if isinstance(exc, int) else error_code(exc)
    if code is None:
        return str(exc)
    known = DURABLE_ERRORS.get(code)
    if known is None:
        return f"durable_rules error {code}, which version 2.0.28 does not define ({exc})"
    name, meaning = known
    return f"{meaning} (durable_rules error {code}, {name})"
