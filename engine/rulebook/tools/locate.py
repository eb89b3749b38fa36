"""Where an item of a loaded ruleset is written: file and line of criteria, parameters, the policy.

A :class:`~engine.rulebook.ruleset.Ruleset` keeps meanings, not lines; the rule tools
that report ``file:line`` read the folder's YAML again, here, to point at the item.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import Problem
from ...yamlio import LoadProblem, Located, format_path, load_yaml

__all__ = ["Locations"]


class Locations:
    """The YAML documents of one ruleset folder, indexed by the items they define."""

    def __init__(self, folder: Path, files: dict[str, bytes]) -> None:
        self.docs: dict[str, Located] = {}
        for name, raw in sorted(files.items()):
            if name.endswith((".yaml", ".yml")):
                try:
                    self.docs[name] = load_yaml(raw.decode("utf-8"), str(folder / name))
                except (LoadProblem, UnicodeDecodeError):
                    continue  # the loader has reported it already
        self.items: dict[tuple[str, str], tuple[Located, tuple[Any, ...]]] = {}
        for doc in self.docs.values():
            data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
            if "policy" in data:
                self.items[("policy", "")] = (doc, ("policy",))
            for name in data.get("parameters") or {}:
                self.items[("parameter", name)] = (doc, ("parameters", name))
            for key in ("criteria", "disqualifiers"):
                for i, item in enumerate(data.get(key) or []):
                    if isinstance(item, dict) and "id" in item:
                        self.items.setdefault(("criterion", str(item["id"])), (doc, (key, i)))
            program = data.get("program")
            if isinstance(program, dict):
                pid = str(program.get("id"))
                self.items[("program", pid)] = (doc, ("program",))
                for i, item in enumerate(program.get("criteria") or []):
                    if isinstance(item, dict) and "id" in item:
                        self.items.setdefault(("criterion", str(item["id"])), (doc, ("program", "criteria", i)))
                    if isinstance(item, dict) and "use" in item:
                        self.items.setdefault(("use", f"{pid}/{item['use']}"), (doc, ("program", "criteria", i)))

    def problem(
        self, kind: str, name: str, message: str, hint: str | None = None, sub: tuple[Any, ...] = ()
    ) -> Problem:
        """A problem at the item's file and line (at the folder when it cannot be found)."""
        found = self.items.get((kind, name))
        if found is None:
            doc = next(iter(self.docs.values()), None)
            return Problem(doc.file.rsplit("/", 1)[0] if doc else "", None, "", message, hint)
        doc, path = found
        full = path + sub
        line = doc.line_of(full) or doc.line_of(path)
        return Problem(doc.file, line, format_path(full), message, hint)
