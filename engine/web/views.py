"""What a page shows of a decision: the engine's own words, arranged for a page.

Nothing here decides or phrases a criterion: statuses, explanations, hints,
summaries and arithmetic come from :mod:`engine.explain` (a self-check) or from
the record and its archived rules (a recorded decision). ID numbers are masked
wherever they appear.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..explain import arithmetic_line, closing_lines
from ..explain.words import SELF_CHECK_NOTE, VALUE_LABELS, field_label, maximums_line, reads_the_record
from ..model import identifiers
from ..money import format_yuan
from ..privacy import masked
from ..rulebook import Ruleset
from ..rulebook.facts import FACTS
from ..services import Checked, Shown
from ..services.guidance import guidance_notes

__all__ = ["checked_view", "input_rows", "masked", "recorded_view", "shown_value"]

ARITHMETIC_KEYS = ("base", "rate", "gross", "cap", "used", "room", "amount")


def shown_value(path: str, value: Any, lang: str, ruleset: Ruleset | None = None) -> str:
    """A fact as the application gave it, as a person reads it."""
    zh = lang != "en"
    if value is None:
        return "（未提供）" if zh else "(not given)"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, list):
        return "、".join(shown_value(path, v, lang, ruleset) for v in value)
    spec = FACTS.get(path)
    if spec is not None and spec.type == "money":
        try:
            return format_yuan(Decimal(str(value))) + (" 元" if zh else " yuan")
        except ArithmeticError:
            return str(value)
    if spec is not None and spec.type == "division" and ruleset is not None:
        place = ruleset.divisions.by_code(str(value))
        if place is not None:
            return f"{value} {place.name_zh if zh else place.name_en}"
    if isinstance(value, str) and value in VALUE_LABELS:
        return VALUE_LABELS[value][0 if zh else 1]
    return str(value)


def _facts(facts: dict[str, Any], lang: str, ruleset: Ruleset) -> list[tuple[str, str]]:
    return [(field_label(p, lang), shown_value(p, v, lang, ruleset)) for p, v in facts.items() if v is not None]


def _todo(criteria: list[dict[str, Any]], missing: list[str], lang: str) -> dict[str, Any]:
    """What the applicant can do: each open criterion's hint, and the facts still missing."""
    hints = [c["hint"] for c in criteria if c.get("hint") and c["status"] != "met"]
    return {"hints": list(dict.fromkeys(hints)), "missing": [(field_label(m, lang), m) for m in missing]}


def _guidance(lines: list[str]) -> dict[str, Any] | None:
    """The minimal-change lines of a claim as a heading and its points (None: no guidance)."""
    if not lines:
        return None
    head, *points = (masked(line.strip()) for line in lines)
    return {"head": head.rstrip(":："), "points": [p.removeprefix("· ") for p in points]}


def checked_view(checked: Checked, lang: str) -> dict[str, Any]:
    """A self-check's result: the contract's object in the user's language, plus the arithmetic in words."""
    data = masked(checked.json(lang))
    ruleset = checked.ruleset
    notes = guidance_notes(checked.assessment, ruleset, lang)  # the smallest change, as `check` prints it
    claims = []
    for decision, d in zip(checked.assessment.decisions, data["decisions"], strict=True):
        note = SELF_CHECK_NOTE[0 if lang != "en" else 1]
        criteria = [
            {
                **c,
                "shown_facts": _facts(c.get("facts") or {}, lang, ruleset),
                "record_note": note if reads_the_record(c.get("facts") or {}) else None,
            }
            for c in sorted(d["criteria"], key=lambda c: {"not_met": 0, "unknown": 1, "met": 2}[c["status"]])
        ]
        program = ruleset.programs.get(d["program"])
        claims.append(
            {
                **d,
                "label": (program.label.zh if lang != "en" else program.label.en) if program else d["program"],
                "quote": program.quote if program else None,
                "criteria": criteria,
                "arithmetic_text": arithmetic_line(decision, lang) if d["outcome"] != "ineligible" else None,
                "maximums_text": maximums_line(decision, lang),
                "todo": _todo(d["criteria"], d["missing"], lang),
                "guidance": _guidance(notes.get(decision.claim, [])),
            }
        )
    closing = closing_lines(Decimal(data["total"]), [d["outcome"] for d in data["decisions"]], lang, self_check=True)
    return {**data, "claims": claims, "closing": closing}


def recorded_view(shown: Shown, lang: str) -> dict[str, Any]:
    """A recorded decision with its settlements, labels and quotes from its archived rules."""
    ruleset = shown.ruleset
    result = masked(shown.result(lang))
    settled = {s["decision"]: s for s in shown.settlements}
    claims = []
    for d in result["decisions"]:
        program = ruleset.programs.get(d["program"])
        known = {c.id: c for c in program.criteria} if program is not None else {}
        facts = d.get("facts") or {}
        criteria = []
        for c in d["criteria"]:
            rule = known.get(c["id"])
            read = rule.facts if rule is not None else ()
            criteria.append(
                {
                    **c,
                    "label": (rule.label.zh if lang != "en" else rule.label.en) if rule else c["id"],
                    "quote": rule.quote if rule else None,
                    "hint": (rule.hint.zh if lang != "en" else rule.hint.en) if rule and c["status"] != "met" else None,
                    "shown_facts": _facts({p: facts.get(p) for p in read}, lang, ruleset),
                }
            )
        arithmetic = d.get("arithmetic") or {}
        claims.append(
            {
                **d,
                "label": (program.label.zh if lang != "en" else program.label.en) if program else d["program"],
                "quote": program.quote if program else None,
                "criteria": criteria,
                "arithmetic_rows": [(k, arithmetic[k]) for k in ARITHMETIC_KEYS if k in arithmetic],
                "earlier": [a for c in d["criteria"] for a in c.get("earlier_awards") or [] if a.get("decision")],
                "settlement": masked(settled.get(d["decision"])),
                "todo": _todo(criteria, d.get("missing") or [], lang),
            }
        )
    content = shown.content
    return {
        **result,
        "claims": claims,
        "record_id": shown.record.record_id,
        "hash": shown.record.hash,
        "seq": shown.record.seq,
        "recorded_at": content["recorded_at"],
        "version": content["ruleset"]["version"],
        "policy_title": ruleset.policy.title.zh if lang != "en" else ruleset.policy.title.en,
        "document": ruleset.policy.document,
        "wording": "recorded" if shown.today is None else "changed" if shown.wording_changed else "today",
        "input_rows": input_rows(content["input"], lang, ruleset),
    }


def input_rows(data: Any, lang: str, ruleset: Ruleset, prefix: str = "") -> list[tuple[str, str]]:
    """A recorded application as (field, value) rows, in its own order, ID numbers masked."""
    rows: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else key
            if key == "id_number" and value:
                rows.append((field_label(path, lang), identifiers.mask_id_number(value)))
            elif isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
                rows += input_rows(value, lang, ruleset, path)
            else:
                bare = path.split("].", 1)[-1] if path.startswith("claims[") else path
                rows.append(
                    (
                        f"{path}（{field_label(bare, lang)}）" if lang != "en" else path,
                        shown_value(bare, value, lang, ruleset),
                    )
                )
    elif isinstance(data, list):
        for i, item in enumerate(data, start=1):
            rows += input_rows(item, lang, ruleset, f"{prefix}[{i}]")
    return rows
