"""``subsidy programmes``: every programme of every ruleset, operative or announced, with its clause."""

from __future__ import annotations

from dataclasses import dataclass

from ..rulebook import Rulebook

__all__ = ["ProgrammeEntry", "list_programmes"]


@dataclass(frozen=True)
class ProgrammeEntry:
    ruleset: str
    id: str
    code: str | None
    label: str
    clause: str
    status: str  # "operative" | "announced"
    in_force: str  # the submission dates the ruleset governs
    note: str | None  # for an announced programme: why it cannot be evaluated yet


def list_programmes(rulebook: Rulebook, lang: str = "zh") -> list[ProgrammeEntry]:
    """Operative programmes first, then announced ones, ruleset by ruleset (oldest first)."""
    out: list[ProgrammeEntry] = []
    for ruleset in sorted(rulebook.rulesets, key=lambda r: r.policy.in_force.from_):
        window = f"{ruleset.policy.in_force.from_}…{ruleset.policy.in_force.to}"
        for p in ruleset.programs.values():
            out.append(
                ProgrammeEntry(ruleset.id, p.id, p.code, getattr(p.label, lang), p.clause, "operative", window, None)
            )
        for a in ruleset.policy.announced:
            if a.id in ruleset.programs:
                continue
            label, note = getattr(a.label, lang), getattr(a.status, lang)
            out.append(ProgrammeEntry(ruleset.id, a.id, None, label, a.clause, "announced", window, note))
    return out
