"""Compiling a ruleset into durable_rules, and asking it for verdicts.

This is the only module that imports durable_rules (its C core,
``durable_rules_engine``, which the ``durable`` package itself drives). Within the envelope in which
durable_rules 2.0.28 is measured to be safe:

* every rule is a **single-fact pattern** anchored on ``kind_ == "claim"`` and the
  claim's programme (never a lone ``$nex``, no joins, no ``$not``, no state rules);
* every criterion and derived condition becomes up to three rules — *met*,
  *not met*, *unknown* — whose patterns partition the facts (Kleene's logic
  compiled to ``$and``/``$or``/``$ex``/``$nex``), so exactly one fires;
* a **catch-all** rule fires for every claim: proof the claim was evaluated,
  and it keeps the C core from freeing a session in which nothing ran;
* money is integer fen and dates are ``YYYYMMDD`` integers, typed at load time
  so strings and numbers are never compared;
* one **fresh session per claim**, deleted afterwards; no background threads:
  the agenda is drained synchronously through the engine's C interface;
* each ruleset version is registered under ``<id>@sha256:…``, so versions live
  side by side in one process.

The verdicts are read from the rules that fired. Anything but exactly one
verdict per criterion raises :class:`EngineInconsistencyError`: a sabotaged or
broken ruleset fails loudly instead of answering.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from dataclasses import dataclass
from typing import Any

import durable_rules_engine as _core

from ..errors import EngineInconsistencyError
from .patterns import FALSE, TRUE, all_of, derived_key, patterns
from .ruleset import Period, Program, Ruleset

__all__ = ["CompiledRuleset", "compile_definition", "compile_ruleset", "plan"]

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
SEEN = "seen"


@dataclass(frozen=True)
class RuleKey:
    program: str
    kind: str  # "criterion" | "derived"
    item: str
    status: str


def plan(ruleset: Ruleset, program: Program, period: Period) -> list[list[tuple[str, str]]]:
    """The items the engine decides for a claim of ``program``, stage by stage:
    derived conditions before whatever names them."""
    stages: dict[int, list[tuple[str, str]]] = {}
    for criterion in program.criteria:
        if not ruleset.active(criterion, period):
            continue
        stage = ruleset.stage(program.id, "criterion", criterion.id)
        stages.setdefault(stage, []).append(("criterion", criterion.id))
    for derived in program.derived:
        stages.setdefault(ruleset.stage(program.id, "derived", derived), []).append(("derived", derived))
    return [stages.get(i, []) for i in range(max(stages) + 1)] if stages else []


def item_patterns(
    ruleset: Ruleset, program: Program, period: Period, kind: str, item_id: str
) -> tuple[Any, Any, Any]:
    if kind == "criterion":
        criterion = next(c for c in program.criteria if c.id == item_id)
        if criterion.discretionary:
            return FALSE, FALSE, TRUE  # the panel decides: always open
    return patterns(ruleset.bound(period, program.id, kind, item_id, inline=False))


def compile_definition(ruleset: Ruleset) -> tuple[dict[str, Any], dict[str, RuleKey]]:
    """The durable_rules definition of a ruleset (pure JSON) and what each rule means."""
    definition: dict[str, Any] = {}
    meaning: dict[str, RuleKey] = {}
    counter = itertools.count()
    for period in ruleset.periods:
        guard: list[Any] = []
        if period.start is not None:
            guard.append({"$gte": {"submitted_on": _day(period.start)}})
        if period.end is not None:
            guard.append({"$lt": {"submitted_on": _day(period.end)}})
        for program in ruleset.programs.values():
            for stage, items in enumerate(plan(ruleset, program, period)):
                anchor = [{"kind_": "claim"}, {"stage_": stage}, {"program": program.id}, *guard]
                for kind, item_id in items:
                    triple = item_patterns(ruleset, program, period, kind, item_id)
                    for status, pattern in zip((MET, NOT_MET, UNKNOWN), triple, strict=True):
                        if pattern is FALSE:
                            continue
                        name = f"r{next(counter)}"
                        definition[name] = {"all": [{"m": all_of([*anchor, pattern])}]}
                        meaning[name] = RuleKey(program.id, kind, item_id, status)
    definition[SEEN] = {"all": [{"m": {"kind_": "claim"}}]}
    return definition, meaning


def _day(value: Any) -> int:
    return value.year * 10000 + value.month * 100 + value.day


_SIDS = itertools.count()
_PREFIX = f"{os.getpid():x}"
_LOCK = threading.Lock()


class CompiledRuleset:
    """One ruleset version, registered in the durable_rules engine."""

    def __init__(self, ruleset: Ruleset, definition: dict[str, Any], meaning: dict[str, RuleKey]) -> None:
        self.ruleset = ruleset
        self.meaning = meaning
        self.rule_count = len(definition)
        text = json.dumps(definition, ensure_ascii=False, sort_keys=True)
        try:
            self._handle = _core.create_ruleset(ruleset.name, text)
        except Exception as exc:  # durable raises bare Exceptions with codes only
            raise EngineInconsistencyError(
                f"durable_rules refused the compiled ruleset {ruleset.name}: {_translate(exc)}"
            ) from None
        self._plans: dict[tuple[str, int], list[list[tuple[str, str]]]] = {}

    def verdicts(self, fact: dict[str, Any], period: Period) -> dict[tuple[str, str], str]:
        """Decide one claim: a fresh session per stage, each stage's fact carrying
        the derived verdicts of the stages before. Returns ``{(kind, id): status}``."""
        program_id = fact["program"]
        stages = self._plan(program_id, period)
        out: dict[tuple[str, str], str] = {}
        derived: dict[str, str] = {}
        for stage, items in enumerate(stages):
            message = dict(fact, kind_="claim", stage_=stage)
            if derived:
                message["derived_"] = dict(derived)
            with _LOCK:  # the C core is not re-entrant across sessions
                sid = f"{_PREFIX}-{next(_SIDS)}"
                message["sid"] = message["id"] = sid
                fired = self._fire(message)
            found = self._read(fired, program_id, items)
            out.update(found)
            for (kind, item), status in found.items():
                if kind == "derived":
                    derived[derived_key(item)[len("derived_.") :]] = status
        return out

    def _plan(self, program_id: str, period: Period) -> list[list[tuple[str, str]]]:
        key = (program_id, period.index)
        found = self._plans.get(key)
        if found is None:
            found = plan(self.ruleset, self.ruleset.programs[program_id], period)
            self._plans[key] = found
        return found

    def _fire(self, message: dict[str, Any]) -> list[str]:
        handle = self._handle
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        try:
            result = _core.assert_fact(handle, text)
        except Exception as exc:
            raise EngineInconsistencyError(
                f"durable_rules could not take the claim: {_translate(exc)}"
            ) from None
        code, state = result
        if code == 1:
            raise EngineInconsistencyError("no rule matched the claim, not even the catch-all")
        if code == 2:
            raise EngineInconsistencyError("durable_rules took the claim for one it had already seen")
        fired: list[str] = []
        try:
            started = _core.start_action_for_state(handle, state)
            if started is not None:
                pending = started[1]
                while pending:
                    # the agenda entry is {"<rule name>": {...}}; rule names are plain ASCII
                    fired.append(pending[2 : pending.index('"', 2)])
                    pending = _core.complete_and_start_action(handle, state)
        except Exception as exc:
            raise EngineInconsistencyError(
                f"durable_rules failed while firing rules: {_translate(exc)}"
            ) from None
        finally:
            try:
                _core.delete_state(handle, message["sid"])
            except Exception:  # pragma: no cover - deleting a live session does not fail
                pass
        return fired

    def _read(
        self, fired: list[str], program_id: str, items: list[tuple[str, str]]
    ) -> dict[tuple[str, str], str]:
        if SEEN not in fired:
            raise EngineInconsistencyError(
                "the catch-all rule did not fire: the claim was not evaluated", {"fired": fired}
            )
        out: dict[tuple[str, str], str] = {}
        for name in fired:
            if name == SEEN:
                continue
            key = self.meaning.get(name)
            if key is None or key.program != program_id:
                raise EngineInconsistencyError(
                    f"rule {name} fired for a claim it does not concern",
                    {"fired": fired, "program": program_id},
                )
            slot = (key.kind, key.item)
            if slot in out:
                raise EngineInconsistencyError(
                    f"{key.kind} '{key.item}' got two verdicts: {out[slot]} and {key.status}",
                    {"fired": fired},
                )
            out[slot] = key.status
        missing = [item for item in items if item not in out]
        if missing or len(out) != len(items):
            kind, item = (missing or sorted(set(out) - set(items)))[0]
            raise EngineInconsistencyError(
                f"{kind} '{item}' of {program_id} got no verdict from the engine"
                if missing
                else f"{kind} '{item}' was decided at the wrong stage",
                {"fired": fired},
            )
        return out


def _translate(exc: Exception) -> str:
    """durable_rules errors are bare Exceptions with a numeric code: say what they mean."""
    text = str(exc)
    known = {
        "102": "a list where a value was expected",
        "202": "an operator or value the engine does not know",
        "302": "too many properties in one fact",
        "309": "no such session",
        "508": "a regular expression the engine cannot compile",
    }
    for code, meaning in known.items():
        if f"error code: {code}" in text:
            return f"{meaning} (durable_rules error {code})"
    return text


_COMPILED: dict[str, CompiledRuleset] = {}


def compile_ruleset(ruleset: Ruleset) -> CompiledRuleset:
    """The registered engine ruleset for this version (compiled once per process)."""
    compiled = _COMPILED.get(ruleset.name)
    if compiled is None:
        definition, meaning = compile_definition(ruleset)
        compiled = CompiledRuleset(ruleset, definition, meaning)
        _COMPILED[ruleset.name] = compiled
    return compiled
