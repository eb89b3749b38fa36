"""Facts that give a condition the verdict wanted: examples for rule pages, and the smallest change
that would make a criterion met (minimal-change guidance).

:func:`witness` works on a *bound* condition (parameters replaced by their values,
derived conditions inlined) and on a fact in the engine's encoding (money in fen,
dates as ``YYYYMMDD``). Starting from ``base``, it returns the facts to set — a
value, or ``None`` to leave the fact out — so that the condition's three-valued
verdict (:func:`engine.rulebook.logic.evaluate`) becomes the one wanted, changing
as few facts as it can; ``None`` when no change of facts can do it (a comparison
with a parameter nobody has set, or a fact the application cannot change). Every
answer is checked by evaluating the condition on the changed fact.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .conditions import UNSET, All, AnyOf, Compare, Condition, FactRef, Not, Present
from .facts import FACTS, decode_date, encode_date
from .logic import MET, NOT_MET, evaluate

__all__ = ["Changes", "FROZEN", "witness"]

Changes = dict[str, Any]  # fact path -> new encoded value (None: leave the fact out)

# facts an applicant cannot change by correcting or completing the application
FROZEN = frozenset({"submitted_on", "ledger.already_awarded", "ledger.awarded_total", "patent.number"})
OUTSIDE_DIVISION = "410102"  # 郑州市中原区: a division outside Puyang, for examples that fail
EXAMPLE_DAY = encode_date(date(2024, 3, 15))


def witness(cond: Condition, want: str, base: dict[str, Any], frozen: frozenset[str] = frozenset()) -> Changes | None:
    """The fewest facts to change in ``base`` so that ``cond`` is ``want`` (``met`` or ``not_met``).

    >>> from engine.rulebook.conditions import Compare
    >>> witness(Compare("patent.kind", "eq", "invention"), "met", {"patent.kind": "design"})
    {'patent.kind': 'invention'}
    >>> witness(Compare("patent.kind", "eq", "invention"), "not_met", {})
    {'patent.kind': 'utility_model'}
    """
    found = _search(cond, want, base, frozen)
    if found is None:
        return None
    merged = _apply(base, found)
    return found if evaluate(cond, merged) == want else None


def _apply(base: dict[str, Any], changes: Changes) -> dict[str, Any]:
    out = dict(base)
    for path, value in changes.items():
        if value is None:
            out.pop(path, None)
        else:
            out[path] = value
    return out


def _search(cond: Condition, want: str, base: dict[str, Any], frozen: frozenset[str]) -> Changes | None:
    if evaluate(cond, base) == want:
        return {}
    if isinstance(cond, Not):
        return _search(cond.item, NOT_MET if want == MET else MET, base, frozen)
    if isinstance(cond, (All, AnyOf)):
        every = (isinstance(cond, All) and want == MET) or (isinstance(cond, AnyOf) and want == NOT_MET)
        if every:  # each part must get the verdict: change them one after another
            changes: Changes = {}
            current = dict(base)
            for item in cond.items:
                step = _search(item, want, current, frozen)
                if step is None or any(k in changes and changes[k] != v for k, v in step.items()):
                    return None
                changes.update(step)
                current = _apply(current, step)
            return changes
        options = [_search(item, want, base, frozen) for item in cond.items]
        found = [o for o in options if o is not None]
        return min(found, key=len) if found else None
    if isinstance(cond, Present):
        if cond.fact in frozen:
            return None
        if (want == MET) == cond.present:
            return {cond.fact: base.get(cond.fact, _default(cond.fact, base))}
        return {cond.fact: None}
    if isinstance(cond, Compare):
        return _compare(cond, want, base, frozen)
    return None


def _compare(cond: Compare, want: str, base: dict[str, Any], frozen: frozenset[str]) -> Changes | None:
    operand = cond.operand
    if operand is UNSET:
        return None
    changes: Changes = {}
    if isinstance(operand, FactRef):
        years = 10000 * int(operand.add_years)  # type: ignore[arg-type]
        left, right = base.get(cond.fact), base.get(operand.path)
        if (cond.fact in frozen or (left is not None and right is None)) and operand.path not in frozen:
            if left is None:
                return None
            # keep the fact, move what it is compared with: left op R  <=>  R flip(op) left
            value = _pick(operand.path, _FLIP.get(cond.op, cond.op), left, want == MET, right)
            if value is None:
                return None
            return {operand.path: _shift(operand.path, value, -years)}
        if right is None:
            if operand.path in frozen:
                return None
            right = left if left is not None else _default(operand.path, base)
            changes[operand.path] = right
        right = _shift(operand.path, right, years)
    else:
        right = operand
    if cond.fact in frozen:
        return None
    value = _pick(cond.fact, cond.op, right, want == MET, base.get(cond.fact))
    if value is None:
        return None
    changes[cond.fact] = value
    return changes


_FLIP = {"lt": "gt", "gt": "lt", "le": "ge", "ge": "le"}


def _shift(path: str, value: Any, years: int) -> Any:
    """A date N years later (``years`` is N × 10000 in the ``YYYYMMDD`` encoding); anything else as is."""
    return value + years if years and FACTS[path].type == "date" else value


def _pick(path: str, op: str, right: Any, holds: bool, current: Any) -> Any:
    """A value of the fact for which ``fact op right`` is ``holds``."""
    spec = FACTS[path]
    if op in ("eq", "ne"):
        return right if (op == "eq") == holds else _other(path, (right,))
    if op in ("in", "not_in"):
        if (op == "in") != holds:
            return _other(path, tuple(right))
        # a division: a county rather than the city as a whole, as a site is named
        return next((v for v in right if spec.type != "division" or not str(v).endswith("00")), right[0])
    if op == "contains":
        items = list(current or [])
        return [right] if holds else [x for x in items if x != right] or [f"{right}之外"]
    step = {"lt": -1, "le": 0, "gt": 1, "ge": 0}[op]
    if not holds:
        step = {"lt": 0, "le": 1, "gt": 0, "ge": -1}[op]
    if spec.type == "date":
        day = date.fromisoformat(decode_date(right)) + timedelta(days=step)
        return encode_date(day)
    return right + step


def _other(path: str, avoid: tuple[Any, ...]) -> Any:
    """A value of the fact that is none of ``avoid``."""
    spec = FACTS[path]
    if spec.type == "bool":
        return not avoid[0] if len(avoid) == 1 else None
    if spec.type == "enum":
        return next((v for v in spec.values if v not in avoid), None)
    if spec.type == "division":
        return OUTSIDE_DIVISION if OUTSIDE_DIVISION not in avoid else "110101"
    if spec.type == "category":
        return next(c for c in ("92", "93", "91", "11") if c not in avoid)
    if spec.type == "money":
        return max(avoid) + 100 if avoid else 100
    if spec.type == "count":
        return max(avoid) + 1 if avoid else 1
    if spec.type == "date":
        return encode_date(date.fromisoformat(decode_date(max(avoid))) + timedelta(days=1))
    return next(f"{avoid[0]}（其他{i}）" for i in range(1, 10) if f"{avoid[0]}（其他{i}）" not in avoid)


def _default(path: str, base: dict[str, Any]) -> Any:
    """Some value of a fact the application leaves out."""
    spec = FACTS[path]
    return {
        "date": base.get("submitted_on", EXAMPLE_DAY),
        "money": 100_000_00,
        "count": 10,
        "bool": True,
        "enum": spec.values[0] if spec.values else "",
        "division": "410902",
        "category": "91",
        "text_list": [],
    }.get(spec.type, "…")
