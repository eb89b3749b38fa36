"""Did-you-mean for names a rule author misspelt (facts, parameters, keys, values)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean"]


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """``"did you mean 'x'?"`` for the closest of ``choices``, or None when none is close.

    >>> did_you_mean("patent.kinds", ["patent.kind", "patent.number"])
    "did you mean 'patent.kind'?"
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
