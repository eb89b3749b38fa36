"""A loaded ruleset: the policy, its parameters, programmes and criteria, ready to run.

Built only by :mod:`engine.rulebook.loader`; everything here is immutable once
built, so one ruleset can serve any number of evaluations and threads.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from ..model.divisions import Gazetteer
from ..money import to_fen
from .conditions import UNSET, Condition, bind, derived_refs, fact_paths
from .facts import encode_date
from .schema import AwardSpec, ExplainSpec, PolicySpec, PurposeSpec, Text

__all__ = ["Criterion", "Derived", "Parameter", "Program", "Ruleset"]


def settings_digest(settings: Mapping[str, Any]) -> str:
    """A short, stable digest of what-if settings (part of an overridden ruleset's name)."""
    text = "\n".join(f"{k}={settings[k]!r}" for k in sorted(settings))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Parameter:
    name: str
    label: Text
    type: str
    clause: str
    quote: str | None
    source: Text | None
    interpretation: Text | None
    unit: str | None
    values: tuple[tuple[date, Any], ...]  # (from, value) in the plain Python form
    unset: Text | None

    def value_at(self, when: date) -> Any:
        """The value in force on ``when``; before the first date, the first value.
        ``UNSET`` when the parameter has no value at all."""
        if not self.values:
            return UNSET
        chosen = self.values[0][1]
        for start, value in self.values:
            if start <= when:
                chosen = value
        return chosen

    def encoded_at(self, when: date) -> Any:
        """The value as conditions compare it (fen, YYYYMMDD, codes)."""
        value = self.value_at(when)
        if value is UNSET:
            return UNSET
        if self.type == "money":
            return to_fen(value)
        if self.type == "date":
            return encode_date(value)
        return value


@dataclass(frozen=True)
class Criterion:
    id: str
    code: str | None
    kind: str  # "criterion" | "disqualifier"
    label: Text
    clause: str
    quote: str
    condition: Condition | None
    discretionary: bool
    on_fail: str  # "not_met", or "needs_review" where a failed test calls for a reviewer
    applies_if: str | None
    interpretation: Text | None
    explain: ExplainSpec
    hint: Text
    facts: tuple[str, ...]
    params: tuple[str, ...]  # every parameter it reads, through the derived conditions it names

    @property
    def limit(self) -> str | None:
        """Which limit across claims and applications the criterion enforces, if any."""
        if "ledger.already_awarded" in self.facts:
            return "once_per"
        if "ledger.awarded_total" in self.facts:
            return "cap"
        return None


@dataclass(frozen=True)
class Derived:
    id: str
    label: Text
    source: Text
    condition: Condition
    facts: tuple[str, ...]
    params: tuple[str, ...] = ()  # every parameter it reads, through the derived ones it names


@dataclass(frozen=True)
class Program:
    id: str
    code: str
    label: Text
    clause: str
    quote: str
    applicant: str
    claim_fields: tuple[str, ...]
    award: AwardSpec
    once_per: str | None
    criteria: tuple[Criterion, ...]
    derived: tuple[str, ...]  # derived conditions reported with this programme's decisions
    requires: tuple[str, ...] = ()  # parameters that must have a value for a claim to be taken
    purpose: tuple[PurposeSpec, ...] = ()  # words of its provision read as its aim, not a condition


@dataclass(frozen=True)
class Period:
    """A stretch of time in which every parameter keeps one value."""

    index: int
    start: date | None  # None: from the beginning of time
    end: date | None  # None: open-ended; otherwise exclusive


@dataclass
class Ruleset:
    id: str
    version: str
    policy: PolicySpec
    parameters: dict[str, Parameter]
    programs: dict[str, Program]
    derived: dict[str, Derived]
    source_text: str
    files: dict[str, bytes]
    folder: Path | None = None
    divisions: Gazetteer = field(default_factory=Gazetteer)  # the places it knows (divisions.yaml)
    overrides: dict[str, Any] = field(default_factory=dict)  # what-if: parameters set to other values
    _active: dict[tuple[str, int], tuple[Criterion, ...]] = field(default_factory=dict, repr=False)
    _bound: dict[tuple[int, str, str, str, frozenset[str]], Condition] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The inference-engine name of this version: unique per content (and per what-if)."""
        if self.overrides:
            return f"{self.id}@{self.version}+set:{settings_digest(self.overrides)}"
        return f"{self.id}@{self.version}"

    def awaiting(self, program: str, when: date) -> tuple[Parameter, ...]:
        """The parameters a programme ``requires`` that have no value in force on ``when``
        (none set at all, or the first set later): while there are any, a claim submitted
        on ``when`` cannot be taken."""
        return tuple(
            self.parameters[name]
            for name in self.programs[program].requires
            if not any(start <= when for start, _ in self.parameters[name].values)
        )

    def in_force(self, when: date) -> bool:
        return self.policy.in_force.from_ <= when <= self.policy.in_force.to

    def param_value(self, name: str, when: date) -> Any:
        if name == "policy_in_force_from":
            return self.policy.in_force.from_
        if name == "policy_in_force_to":
            return self.policy.in_force.to
        return self.parameters[name].value_at(when)

    @cached_property
    def periods(self) -> tuple[Period, ...]:
        changes = sorted({start for p in self.parameters.values() for start, _ in p.values[1:]})
        bounds: list[date | None] = [None, *changes, None]
        return tuple(Period(i, bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1))

    def period_of(self, when: date) -> Period:
        starts = [p.start for p in self.periods[1:]]
        return self.periods[bisect.bisect_right(starts, when)]  # type: ignore[type-var]

    def encoded_params(self, period: Period) -> dict[str, Any]:
        when = period.start or date.min
        out = {name: p.encoded_at(when) for name, p in self.parameters.items()}
        out["policy_in_force_from"] = encode_date(self.policy.in_force.from_)
        out["policy_in_force_to"] = encode_date(self.policy.in_force.to)
        return out

    def active_criteria(self, program: str, period: Period) -> tuple[Criterion, ...]:
        """The programme's criteria that the interpretation switches leave on."""
        key = (program, period.index)
        found = self._active.get(key)
        if found is None:
            found = tuple(c for c in self.programs[program].criteria if self.active(c, period))
            self._active[key] = found
        return found

    def active(self, criterion: Criterion, period: Period) -> bool:
        """Whether an interpretation switch leaves the criterion on in this period."""
        if criterion.applies_if is None:
            return True
        # a switch with no value set is off
        return self.parameters[criterion.applies_if].value_at(period.start or date.min) is True

    def bound(
        self, period: Period, program: str, kind: str, item_id: str, keep: frozenset[str] = frozenset()
    ) -> Condition:
        """A criterion's or derived condition's tree with this period's parameters,
        derived references inlined except those in ``keep``."""
        key = (period.index, program, kind, item_id, keep)
        cond = self._bound.get(key)
        if cond is None:
            params = self.encoded_params(period)
            raw_derived = {d.id: d.condition for d in self.derived.values()}
            if kind == "derived":
                source: Condition | None = self.derived[item_id].condition
            else:
                source = next(c for c in self.programs[program].criteria if c.id == item_id).condition
            assert source is not None
            cond = bind(source, params, raw_derived, keep)
            self._bound[key] = cond
        return cond

    def derived_level(self, derived_id: str) -> int:
        """0 for a derived condition on facts only; else one more than what it names."""
        refs = derived_refs(self.derived[derived_id].condition)
        return 1 + max(self.derived_level(r) for r in refs) if refs else 0

    @cached_property
    def engine_facts(self) -> dict[str, tuple[str, ...]]:
        """Per programme, the facts its rules read (what the engine is shown)."""
        raw = {d.id: d.condition for d in self.derived.values()}
        out: dict[str, tuple[str, ...]] = {}
        for program in self.programs.values():
            paths: list[str] = []
            for criterion in program.criteria:
                if criterion.condition is not None:
                    for path in fact_paths(criterion.condition, raw):
                        if path not in paths:
                            paths.append(path)
            out[program.id] = tuple(paths)
        return out
