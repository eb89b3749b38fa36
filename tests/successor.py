"""A successor ruleset for tests: a later policy added beside the current one, never in ``rules/``.

``add_successor(rules)`` copies ``puyang-2022-19`` in a copy of ``rules/`` as the folder
``puyang-2025-successor`` and makes it another policy: its own id, document and window
(2025-07-01 … 2028-06-30, from the day after the pilot ended), its own parameters (P1
300,000.00 per patent, the P2 cap 300,000.00) and one changed criterion (P1 production
must have started within three years before the submission). The old folder is not
touched. The quotes still come from the 2022 plan, whose text the copy keeps.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CURRENT = "puyang-2022-19"
SUCCESSOR = "puyang-2025-successor"

_EDITS: dict[str, list[tuple[str, str]]] = {
    "policy.yaml": [
        ("  id: puyang-2022-19\n", f"  id: {SUCCESSOR}\n"),
        ("  document: 濮政〔2022〕19号\n", "  document: 濮政〔2025〕示例号\n"),
        (
            "    zh: 濮阳市国家知识产权强市建设试点城市工作方案\n",
            "    zh: 濮阳市知识产权强市建设后续工作方案（测试用示例）\n",
        ),
        ("  issued_on: 2022-10-04\n", "  issued_on: 2025-07-01\n"),
        ("  in_force: {from: 2022-10-04, to: 2025-06-30}", "  in_force: {from: 2025-07-01, to: 2028-06-30}"),
    ],
    "parameters.yaml": [
        ('      - {from: 2022-10-04, value: "500000.00"}', '      - {from: 2025-07-01, value: "300000.00"}'),
        ('      - {from: 2022-10-04, value: "200000.00"}', '      - {from: 2025-07-01, value: "300000.00"}'),
    ],
    "p1-local-industrialization-award.yaml": [
        (
            "      label: {zh: 提交日已实施产业化, en: Production had started by the submission date}\n",
            "      label: {zh: 提交日前三年内实施产业化, en: Production started within three years}\n",
        ),
        (
            "      condition: {fact: industrialization.started_on, le: {fact: submitted_on}}\n",
            "      condition:\n"
            "        all:\n"
            "          - {fact: industrialization.started_on, le: {fact: submitted_on}}\n"
            "          - {fact: submitted_on, lt: {fact: industrialization.started_on, add_years: 3}}\n",
        ),
    ],
}


def add_successor(rules: Path) -> Path:
    """Add the successor folder beside ``rules/puyang-2022-19`` (a copy of the shipped rules);
    returns the new folder."""
    folder = rules / SUCCESSOR
    shutil.copytree(rules / CURRENT, folder)
    for name, edits in _EDITS.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, (name, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return folder
