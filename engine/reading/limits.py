"""The limits on what one application file may hold.

Every limit is a named constant, so that a person whose file is refused is told which one
and by how much, and so that no input — however hostile — makes the engine read for long
or hold much memory. Each is tested at the limit and one past it.

A limit is about *one record* (a file, or one line of a JSON Lines file): a batch of any
size is read one record at a time.
"""

from __future__ import annotations

from ..errors import SHOWN_CHARS

__all__ = [
    "MAX_CLAIMS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_DIGITS",
    "MAX_PROBLEMS",
    "MAX_RECORD_BYTES",
    "MAX_SHOWN_CHARS",
    "MAX_SHOWN_FIELD_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_VALUES",
]

MAX_FILE_BYTES = 1_048_576
"""A YAML or JSON application file: at most 1 MiB (a real one is a few KiB)."""

MAX_RECORD_BYTES = 1_048_576
"""One line of a JSON Lines file: at most 1 MiB. The file itself may be of any size."""

MAX_CLAIMS = 100
"""Claims in one application."""

MAX_DEPTH = 10
"""Nesting of mappings and lists. An application nests 5 deep at most
(``claims[1].patent.high_value.pledge_financing``)."""

MAX_VALUES = 10_000
"""Values (mappings, lists, texts, numbers) in one application."""

MAX_TEXT_CHARS = 20_000
"""Characters in one text, free-text statements included."""

MAX_NUMBER_DIGITS = 30
"""Digits in one number as written (the largest amount of money has 14)."""

MAX_PROBLEMS = 20
"""Problems reported for one record; the rest are counted in one line."""

MAX_SHOWN_CHARS = SHOWN_CHARS
"""Characters of a wrong value quoted back in a message (60); the rest is cut."""

MAX_SHOWN_FIELD_CHARS = 200
"""Characters of a field path named in a message (the longest real one has about 50): a
longer one is cut there and ends with "…" (a key of 19,000 invisible characters, each written
out as ``\\u202e``, once made a message line of 114 KB)."""
