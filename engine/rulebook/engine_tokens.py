"""Texts the rules compare only with one another, sent to durable_rules as short tokens.

Some facts are read by the rules only to be compared with other such facts: "the applicant is
among the patent's holders" is ``patent.holders`` holding ``applicant.name``. For such a fact the
engine needs no text, only which values are equal: within one message, each distinct text is
sent as a token (``t0``, ``t1``, … in order of appearance), equal texts as the same token. Every
rule is a single-fact pattern, so equality within a message is all that any rule can see; the
engine still decides every verdict. A fact qualifies only when every rule that reads it tests
whether it exists or compares it, item by item or whole, for (in)equality with another fact that
qualifies too; a fact compared with a literal, a pattern or an order never does.

Why: the engine parses every message and copies it into every agenda entry of a rule it fires, and
the names (Chinese text, several to a list of holders or inventors) were a good part of those bytes
and the only text that was not ASCII (measured: the engine's part 31.2 → 26.3 µs an application).
Used by :mod:`engine.rulebook.compiler`.
"""

from __future__ import annotations

from typing import Any

from .engine_names import _names_in

__all__ = ["compared_only", "tokenise"]

_ITEMS = ("$iany", "$iall")  # a list's items compared: any, or all


def compared_only(definition: dict[str, Any]) -> frozenset[str]:
    """The facts (as the rules name them) that every rule of ``definition`` only tests for
    existence or compares for (in)equality with another such fact."""
    links: dict[str, set[str]] = {}
    unfit: set[str] = set()
    for rule in definition.values():
        for pattern in rule.get("all", ()):
            for node in pattern.values():
                _classify(node, links, unfit)
    fit = {name for name, others in links.items() if others and name not in unfit}
    changed = True
    while changed:  # a fact compared with one that does not qualify does not qualify either
        changed = False
        for name in list(fit):
            if not links[name] <= fit:
                fit.discard(name)
                changed = True
    return frozenset(fit)


def _other(value: Any) -> str | None:
    """The fact ``value`` names when it is ``{"$m": fact}``, else None."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$m"), str):
        return str(value["$m"])
    return None


def _item_other(value: Any) -> str | None:
    """The fact an item is compared with, for ``{"$i": {"$m": f}}`` or ``{"$neq": {"$i": {"$m": f}}}``."""
    if isinstance(value, dict) and len(value) == 1:
        if "$i" in value:
            return _other(value["$i"])
        if "$neq" in value and isinstance(value["$neq"], dict) and len(value["$neq"]) == 1 and "$i" in value["$neq"]:
            return _other(value["$neq"]["$i"])
    return None


def _classify(node: Any, links: dict[str, set[str]], unfit: set[str]) -> None:
    """Walk one pattern: link the facts compared with each other, mark every other reading."""
    if isinstance(node, dict) and len(node) == 1:
        ((key, value),) = node.items()
        if key in ("$and", "$or") and isinstance(value, list):
            for item in value:
                _classify(item, links, unfit)
            return
        if isinstance(value, dict) and len(value) == 1:
            ((name, operand),) = value.items()
            if not name.startswith("$"):
                if key in ("$ex", "$nex"):
                    links.setdefault(name, set())
                    return
                # {"$iany": {f: {"$i": {"$m": g}}}}, {"$neq": {f: {"$m": g}}} (equality: {f: {"$m": g}}, below)
                other = _item_other(operand) if key in _ITEMS else _other(operand) if key == "$neq" else None
                if other is not None:
                    links.setdefault(name, set()).add(other)
                    links.setdefault(other, set()).add(name)
                    return
        if not key.startswith("$"):  # equality: {fact: value}
            other = _other(value)
            if other is not None:
                links.setdefault(key, set()).add(other)
                links.setdefault(other, set()).add(key)
                return
    names: dict[str, None] = {}
    _names_in(node, names)
    unfit.update(names)


def tokenise(message: dict[str, Any], names: tuple[str, ...]) -> None:
    """Replace, in ``message``, the texts of the facts ``names`` by tokens: within the message,
    equal texts by the same token and different texts by different ones. A value that is neither
    a text nor a list of texts leaves the message as it is (the engine compares mixed types as
    texts, which tokens would not reproduce)."""
    seen: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in names:
        value = message.get(name)
        if value is None:
            continue
        if type(value) is str:
            token = seen.get(value)
            if token is None:
                token = seen[value] = f"t{len(seen)}"
            out[name] = token
        elif type(value) is list:
            items = []
            for item in value:
                if type(item) is not str:
                    return
                token = seen.get(item)
                if token is None:
                    token = seen[item] = f"t{len(seen)}"
                items.append(token)
            out[name] = items
        else:
            return
    message.update(out)
