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
    """Programmes with their status, ruleset by ruleset (oldest first), then the programmes only
    announced. A programme that ``requires`` parameters nobody has set yet is *announced*, with
    their ``unset`` reasons; once set from a later date, it is operative from that date."""
    out: list[ProgrammeEntry] = []
    for ruleset in sorted(rulebook.rulesets, key=lambda r: r.policy.in_force.from_):
        waiting: list[ProgrammeEntry] = []
        window = f"{ruleset.policy.in_force.from_}…{ruleset.policy.in_force.to}"
        for p in ruleset.programs.values():
            label = getattr(p.label, lang)
            required = [ruleset.parameters[name] for name in p.requires]
            unset = [r for r in required if not r.values]
            if unset:  # waits for the programme office: listed as announced, with the reason
                note = ("；" if lang == "zh" else "; ").join(getattr(r.unset, lang) for r in unset if r.unset) or None
                waiting.append(ProgrammeEntry(ruleset.id, p.id, p.code, label, p.clause, "announced", window, note))
                continue
            start = max((r.values[0][0] for r in required), default=ruleset.policy.in_force.from_)
            shown = window if start <= ruleset.policy.in_force.from_ else f"{start}…{ruleset.policy.in_force.to}"
            out.append(ProgrammeEntry(ruleset.id, p.id, p.code, label, p.clause, "operative", shown, None))
        out.extend(waiting)
        for a in ruleset.policy.announced:
            if a.id in ruleset.programs:
                continue
            label, note = getattr(a.label, lang), getattr(a.status, lang)
            out.append(ProgrammeEntry(ruleset.id, a.id, None, label, a.clause, "announced", window, note))
    return out
