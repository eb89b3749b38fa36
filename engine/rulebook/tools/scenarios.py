"""The scenarios of ``features/*.feature`` (Gherkin in Chinese): which criteria each exercises.

A scenario (``场景:`` or ``场景大纲:``, with its steps and examples) exercises a criterion
when its text names the criterion's id — the scenarios state each verdict as
``条件 invention-patent（专利为发明专利）不满足`` or in a table of criteria.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Scenario", "exercising", "read_scenarios"]

_HEAD = re.compile(r"^\s*(场景|场景大纲|Scenario|Scenario Outline|Example)\s*[:：]\s*(.*)$")
_END = re.compile(r"^\s*(功能|背景|Feature|Background|Rule|规则)\s*[:：]")


@dataclass(frozen=True)
class Scenario:
    file: str
    line: int
    name: str
    text: str


def read_scenarios(folder: Path) -> list[Scenario]:
    """Every scenario of every ``.feature`` file under ``folder`` (none if it does not exist)."""
    out: list[Scenario] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*.feature")):
        current: tuple[int, str, list[str]] | None = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            head = _HEAD.match(line)
            if head or _END.match(line):
                if current:
                    out.append(Scenario(str(path), current[0], current[1], "\n".join(current[2])))
                current = (number, head.group(2).strip(), [line]) if head else None
            elif current:
                current[2].append(line)
        if current:
            out.append(Scenario(str(path), current[0], current[1], "\n".join(current[2])))
    return out


def exercising(criterion_id: str, scenarios: list[Scenario]) -> list[Scenario]:
    """The scenarios whose text names ``criterion_id`` as a whole word."""
    pattern = re.compile(rf"(?<![a-z0-9-]){re.escape(criterion_id)}(?![a-z0-9-])")
    return [s for s in scenarios if pattern.search(s.text)]
