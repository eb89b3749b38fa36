"""The scenarios of ``features/*.feature`` (Gherkin in Chinese): which criteria each exercises.

A scenario (``场景:`` or ``场景大纲:``, with its steps and examples) exercises a criterion
when its text names the criterion's id — the scenarios state each verdict as
``条件 invention-patent（专利为发明专利）不满足`` or in a table of criteria.

A scenario's name begins with the clause it illustrates (``三(二)2 …``, ``序言（试点时限） …``:
:attr:`Scenario.head`); its feature's title and background (:attr:`Scenario.context`) name the
programme it is about. :func:`exercising` narrows to both when asked, so that a criterion
shared by several programmes or clauses (``policy-in-force``, ``applicant-is-enterprise``) is
verified only by the scenarios of the clause and programme in question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Scenario", "exercising", "read_scenarios"]

_HEAD = re.compile(r"^\s*(场景|场景大纲|Scenario|Scenario Outline|Example)\s*[:：]\s*(.*)$")
_END = re.compile(r"^\s*(功能|背景|Feature|Background|Rule|规则)\s*[:：]")
_LEADING = re.compile(r"^([^\s（]+)")  # the name's first word, without a note in brackets: 序言（试点时限） -> 序言


@dataclass(frozen=True)
class Scenario:
    file: str
    line: int
    name: str
    text: str
    context: str = ""  # the feature's text before its first scenario: its title and background

    @property
    def head(self) -> str:
        """The first word of the name: the clause it illustrates, when it names one."""
        found = _LEADING.match(self.name)
        return found.group(1) if found else ""


def read_scenarios(folder: Path) -> list[Scenario]:
    """Every scenario of every ``.feature`` file under ``folder`` (none if it does not exist)."""
    out: list[Scenario] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*.feature")):
        current: tuple[int, str, list[str]] | None = None
        preamble: list[str] = []
        started = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            head = _HEAD.match(line)
            started = started or head is not None
            if not started:
                preamble.append(line)
            if head or _END.match(line):
                if current:
                    out.append(Scenario(str(path), current[0], current[1], "\n".join(current[2]), "\n".join(preamble)))
                current = (number, head.group(2).strip(), [line]) if head else None
            elif current:
                current[2].append(line)
        if current:
            out.append(Scenario(str(path), current[0], current[1], "\n".join(current[2]), "\n".join(preamble)))
    return out


def exercising(
    criterion_id: str,
    scenarios: list[Scenario],
    clause: str | None = None,
    clauses: frozenset[str] = frozenset(),
    programs: tuple[str, ...] = (),
    names: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Scenario]:
    """The scenarios whose text names ``criterion_id`` as a whole word. With ``clause``: only
    those about it — a scenario whose name begins with another of ``clauses`` is not. With
    ``programs`` and ``names`` (every programme id -> the words it goes by: id, labels): a
    scenario that names programmes (in its text, else in its feature's title and background)
    must name one of ``programs``."""
    pattern = re.compile(rf"(?<![a-z0-9-]){re.escape(criterion_id)}(?![a-z0-9-])")
    found = [s for s in scenarios if pattern.search(s.text)]
    if clause is not None:
        found = [s for s in found if s.head == clause or s.head not in clauses]
    if programs and names:
        found = [s for s in found if _about(s, set(programs), names)]
    return found


def _about(scenario: Scenario, programs: set[str], names: Mapping[str, tuple[str, ...]]) -> bool:
    for text in (scenario.text, scenario.context):
        named = {pid for pid, words in names.items() if any(w in text for w in words)}
        if named:
            return bool(named & programs)
    return True
