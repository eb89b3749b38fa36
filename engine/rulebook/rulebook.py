"""Every ruleset the engine knows, and which one governs an application.

``rules/`` holds one folder per policy. A later policy is added as a new
folder beside the old ones; nothing of the old folder changes, and decisions
made under it keep replaying under exactly its version.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, RuleFileError
from .cache import load_ruleset_cached
from .ruleset import Ruleset

if TYPE_CHECKING:
    from .overrides import Settings

__all__ = ["Rulebook", "default_rules_dir", "load_rulebook", "ruleset_folders"]


def default_rules_dir() -> Path:
    """``$SUBSIDY_RULES``, else the ``rules/`` folder beside the ``engine`` package."""
    env = os.environ.get("SUBSIDY_RULES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "rules"


@dataclass
class Rulebook:
    rulesets: tuple[Ruleset, ...]
    # answers worked out once (the rulesets of a rulebook never change)
    _selected: dict[tuple[date, tuple[str, ...]], Ruleset] = field(default_factory=dict, repr=False, compare=False)
    _programs: dict[str, list[Ruleset]] | None = field(default=None, repr=False, compare=False)

    def select(self, submitted_on: date, programs: tuple[str, ...] = ()) -> Ruleset:
        key = (submitted_on, programs)
        found = self._selected.get(key)
        if found is None:
            if len(self._selected) > 50_000:
                self._selected.clear()
            found = self._selected[key] = self._select(submitted_on, programs)
        return found

    def _select(self, submitted_on: date, programs: tuple[str, ...]) -> Ruleset:
        """The ruleset governing an application submitted on ``submitted_on``.

        The one in force that day (the most recent if several are); when none is,
        the one that last came into force before that day, else the earliest —
        whose own in-force criterion then makes every claim ineligible. Rulesets
        that define the claimed programmes are preferred.
        """
        candidates = [r for r in self.rulesets if all(p in r.programs for p in programs)]
        if not candidates:
            candidates = list(self.rulesets)
        in_force = [r for r in candidates if r.in_force(submitted_on)]
        if in_force:
            return max(in_force, key=lambda r: r.policy.in_force.from_)
        started = [r for r in candidates if r.policy.in_force.from_ <= submitted_on]
        if started:
            return max(started, key=lambda r: r.policy.in_force.from_)
        return min(candidates, key=lambda r: r.policy.in_force.from_)

    def by_id(self, ruleset_id: str) -> Ruleset:
        for ruleset in self.rulesets:
            if ruleset.id == ruleset_id:
                return ruleset
        raise KeyError(ruleset_id)

    def programs(self) -> dict[str, list[Ruleset]]:
        """Every programme, with the rulesets that define it (worked out once: do not change it)."""
        if self._programs is None:
            out: dict[str, list[Ruleset]] = {}
            for ruleset in self.rulesets:
                for program in ruleset.programs:
                    out.setdefault(program, []).append(ruleset)
            self._programs = out
        return self._programs

    def announced(self) -> dict[str, tuple[Ruleset, object]]:
        return {a.id: (r, a) for r in self.rulesets for a in r.policy.announced}

    def parameter_types(self) -> dict[str, str]:
        """Every parameter any ruleset declares, with its type."""
        return {name: p.type for r in self.rulesets for name, p in r.parameters.items()}

    def with_overrides(self, settings: Sequence[str] | Settings) -> Rulebook:
        """What-if: the rulebook with parameters set to other values (``NAME=VALUE`` texts, or
        values already read), in every ruleset that declares them
        (:mod:`~engine.rulebook.overrides`). Raises UsageError for a name no ruleset
        declares or a value of the wrong type."""
        if not settings:
            return self
        from .overrides import override_ruleset, parse_settings  # what-if only

        if isinstance(settings, dict):
            values = settings
        else:
            latest = max(self.rulesets, key=lambda r: r.policy.in_force.from_)
            values = parse_settings(settings, self.parameter_types(), latest.divisions)
        return Rulebook(tuple(override_ruleset(r, values) for r in self.rulesets))


def ruleset_folders(folder: str | Path | None = None) -> list[Path]:
    """The ruleset folders (each with a ``policy.yaml``) at or directly under ``folder``.
    Raises :class:`RuleFileError` when there is none."""
    root = Path(folder) if folder is not None else default_rules_dir()
    if (root / "policy.yaml").is_file():
        return [root]
    if not root.is_dir():
        raise RuleFileError(
            [Problem(str(root), None, "", "no such rules folder", "pass --rules DIR or set SUBSIDY_RULES")]
        )
    folders = sorted(p for p in root.iterdir() if (p / "policy.yaml").is_file())
    if not folders:
        raise RuleFileError([Problem(str(root), None, "", "no ruleset folders (with a policy.yaml) here")])
    return folders


def load_rulebook(folder: str | Path | None = None, *, cached: bool = False) -> Rulebook:
    """Load every ruleset folder (one with a ``policy.yaml``) under ``folder``;
    every problem in every file is reported at once.

    With ``cached``, a folder whose files are those a cached ruleset was built from is read
    from the cache (:mod:`~engine.rulebook.cache`): for read-only starts (``check``,
    ``programmes``, ``rules show``) alone. Without it (the default) every rule file is loaded
    in full: whatever records, replays, settles, screens or serves a decision loads so."""
    root = Path(folder) if folder is not None else default_rules_dir()
    folders = ruleset_folders(root)
    problems: list[Problem] = []
    rulesets: list[Ruleset] = []
    for path in folders:
        try:
            rulesets.append(load_ruleset_cached(path, root) if cached else _load_in_full(path))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    ids = [r.id for r in rulesets]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(str(root), None, "", f"two ruleset folders share the id '{dup}'"))
    if problems:
        raise RuleFileError(problems)
    return Rulebook(tuple(rulesets))


def _load_in_full(folder: Path) -> Ruleset:
    from .loader import load_ruleset  # not imported by a cached start

    return load_ruleset(folder)
