"""The names facts go under in durable_rules: each programme's facts registered as ``_0``,
``_1``, … (derived verdicts of an earlier stage too), checked to hash apart under the C core's
32-bit FNV-1 from each other and from the properties every message carries. Values are untouched.
Used by :mod:`engine.rulebook.compiler`."""

from __future__ import annotations

import itertools
from typing import Any

SESSION_FACTS = 100
"""Claims asserted together in one engine session, at most. Each claim of a session is its
own fact, told apart by its ``id`` (0, 1, …: the engine tells facts apart by a 32-bit hash
of the id alone, and these ids are checked to hash apart); the session is deleted once its
rules have fired. Measured: one session of 100 facts costs half what 100 sessions of one
do, and memory stays flat over a million claims (``tests/test_engine_envelope.py``)."""


def _fnv1(name: str) -> int:
    """The 32-bit hash by which durable_rules' C core tells a fact's properties apart
    (``fnv1Hash32`` of the property's name; names here are ASCII)."""
    value = 2166136261
    for byte in name.encode("utf-8"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


_OWN = ("kind_", "stage_", "sid", "id")  # properties of every message, under their own names


def _short_names(definition: dict[str, Any], facts: tuple[str, ...]) -> dict[str, str]:
    """A short property name for every fact the rules read (``_0``, ``_1``, …), each checked to
    hash apart from the others and from :data:`_OWN`: the engine parses every message, and copies
    it into every agenda entry of a rule it fires, so the names are a good part of its work."""
    names = dict.fromkeys(facts)
    for rule in definition.values():
        for pattern in rule.get("all", ()):
            for value in pattern.values():
                _names_in(value, names)
    taken = {_fnv1(name) for name in _OWN}
    out: dict[str, str] = {}
    counter = itertools.count()
    for name in names:
        if name in _OWN:
            continue
        short = f"_{next(counter):x}"
        while _fnv1(short) in taken:
            short = f"_{next(counter):x}"
        taken.add(_fnv1(short))
        out[name] = short
    return out


def _names_in(node: Any, names: dict[str, None]) -> None:
    """The fact names a pattern reads: every key that is not an operator, and ``$m``'s operand."""
    if isinstance(node, list):
        for item in node:
            _names_in(item, names)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "$m" and isinstance(value, str):
                names.setdefault(value)
            else:
                if not key.startswith("$"):
                    names.setdefault(key)
                _names_in(value, names)


def _renamed(node: Any, short: dict[str, str]) -> Any:
    """A pattern reading the facts under their short names (:func:`_short_names`); values stay."""
    if isinstance(node, list):
        return [_renamed(item, short) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$m" and isinstance(value, str):
            out[key] = short.get(value, value)
        else:
            out[short[key] if key in short else key] = _renamed(value, short)
    return out


def _registered(definition: dict[str, Any], short: dict[str, str]) -> dict[str, Any]:
    """The rules as registered: reading the facts under their short names, and each delivering
    every fact it matched in a session in one agenda entry (``cap``), so a session of
    :data:`SESSION_FACTS` claims costs one round trip per rule that fired rather than one per
    firing."""
    out: dict[str, Any] = {}
    for name, rule in definition.items():
        rule = dict(rule, cap=SESSION_FACTS)
        if "all" in rule:
            rule["all"] = [{alias: _renamed(p, short) for alias, p in pattern.items()} for pattern in rule["all"]]
        out[name] = rule
    return out
