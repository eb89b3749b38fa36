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
* one **fresh session per claim and stage**, deleted afterwards; no background
  threads: the agenda is drained synchronously through the engine's C interface;
* each programme of each ruleset version is registered as its own engine
  ruleset, ``<id>@sha256:…/<programme>``, so versions live side by side in one
  process and a claim only meets its own programme's rules;
* the engine is shown only the facts the programme's rules read.

A derived condition (is the patent high-value? which category?) is decided
by its own rules. A criterion that names one is compiled with the reference
inlined when the pattern fits the engine's expression limit; otherwise the
derived verdict is decided in an earlier *stage* and recorded in the next
stage's fact (``derived_``) for the criterion's rules to read.

The verdicts are read from the rules that fired. Anything but exactly one
verdict per criterion raises :class:`EngineInconsistencyError`: a sabotaged or
broken ruleset fails loudly instead of answering.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from typing import Any

import durable_rules_engine as _core
from pydantic_core import to_json as _to_json

from ..errors import EngineInconsistencyError
from .durable_errors import RETURN_CODES, describe
from .facts import nested
from .patterns import derived_key
from .plan import SEEN, Item, ProgramPlan, RuleKey, compile_program
from .ruleset import Period, Ruleset

__all__ = ["CompiledRuleset", "ProgramPlan", "RuleKey", "compile_program", "compile_ruleset"]

_SIDS = itertools.count()
_PREFIX = f"{os.getpid():x}"
_LOCK = threading.Lock()


class _EngineProgram:
    """One programme of one ruleset version, registered in durable_rules."""

    def __init__(self, name: str, plan: ProgramPlan, facts: tuple[str, ...]) -> None:
        self.name = name
        self.plan = plan
        self.facts = tuple((path, path.split(".")) for path in facts)
        text = json.dumps(plan.definition, ensure_ascii=False, sort_keys=True)
        try:
            self.handle = _core.create_ruleset(name, text)
        except Exception as exc:  # durable raises bare Exceptions with codes only
            raise EngineInconsistencyError(
                f"durable_rules refused the compiled ruleset {name}: {describe(exc)}"
            ) from None

    def project(self, fact: dict[str, Any]) -> dict[str, Any]:
        """Only the facts this programme's rules read, nested as the engine matches them."""
        return nested(fact, self.facts)


class CompiledRuleset:
    """One ruleset version, compiled and registered in the durable_rules engine."""

    def __init__(self, ruleset: Ruleset, plans: dict[str, ProgramPlan] | None = None) -> None:
        self.ruleset = ruleset
        plans = plans or {pid: compile_program(ruleset, p) for pid, p in ruleset.programs.items()}
        self.programs = {
            pid: _EngineProgram(f"{ruleset.name}/{pid}", plan, ruleset.engine_facts[pid]) for pid, plan in plans.items()
        }
        self.rule_count = sum(len(p.plan.definition) for p in self.programs.values())

    def verdicts(self, fact: dict[str, Any], period: Period) -> dict[Item, str]:
        """Decide one claim: a fresh session per stage, each stage's fact carrying
        the derived verdicts of the stages before. Returns ``{(kind, id): status}``."""
        engine = self.programs[fact["program"]]
        base = engine.project(fact)
        out: dict[Item, str] = {}
        derived: dict[str, str] = {}
        for stage, items in enumerate(engine.plan.stages[period.index]):
            message = dict(base, kind_="claim", stage_=stage)
            if derived:
                message["derived_"] = dict(derived)
            with _LOCK:  # the C core is not re-entrant across sessions
                sid = f"{_PREFIX}-{next(_SIDS)}"
                message["sid"] = message["id"] = sid
                fired = _fire(engine.handle, message)
            found = _read(fired, engine, items)
            out.update(found)
            for (kind, item), status in found.items():
                if kind == "derived":
                    derived[derived_key(item)[len("derived_.") :]] = status
        return out


def _fire(handle: int, message: dict[str, Any]) -> list[str]:
    """Assert one fact in its own session, drain the agenda, delete the session."""
    text = _to_json(message).decode("utf-8")
    try:
        code, state = _core.assert_fact(handle, text)
    except Exception as exc:
        raise EngineInconsistencyError(f"durable_rules could not take the claim: {describe(exc)}") from None
    if code in RETURN_CODES:
        raise EngineInconsistencyError(f"durable_rules did not decide the claim: {describe(code)}")
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
        raise EngineInconsistencyError(f"durable_rules failed while firing rules: {describe(exc)}") from None
    finally:
        try:
            _core.delete_state(handle, message["sid"])
        except Exception:  # pragma: no cover - deleting a live session does not fail
            pass
    return fired


def _read(fired: list[str], engine: _EngineProgram, items: tuple[Item, ...]) -> dict[Item, str]:
    """The verdicts of one stage; anything but one verdict per expected item is a fault."""
    if SEEN not in fired:
        raise EngineInconsistencyError("the catch-all rule did not fire: the claim was not evaluated", {"fired": fired})
    meaning = engine.plan.meaning
    out: dict[Item, str] = {}
    for name in fired:
        if name == SEEN:
            continue
        key = meaning.get(name)
        if key is None:
            raise EngineInconsistencyError(f"an unknown rule {name} fired in {engine.name}", {"fired": fired})
        slot = (key.kind, key.item)
        earlier = out.get(slot)
        if earlier is not None and earlier != key.status:
            raise EngineInconsistencyError(
                f"{key.kind} '{key.item}' got two verdicts: {earlier} and {key.status}", {"fired": fired}
            )
        # an $or whose branches both hold fires its rule once per branch: same verdict
        out[slot] = key.status
    if len(out) != len(items) or any(item not in out for item in items):
        missing = [item for item in items if item not in out]
        if missing:
            kind, item = missing[0]
            message = f"{kind} '{item}' of {engine.name} got no verdict from the engine"
        else:
            kind, item = sorted(set(out) - set(items))[0]
            message = f"{kind} '{item}' was decided at the wrong stage"
        raise EngineInconsistencyError(message, {"fired": fired})
    return out


_COMPILED: dict[str, CompiledRuleset] = {}


def compile_ruleset(ruleset: Ruleset) -> CompiledRuleset:
    """The registered engine rulesets for this version (compiled once per process)."""
    compiled = _COMPILED.get(ruleset.name)
    if compiled is None:
        compiled = CompiledRuleset(ruleset)
        _COMPILED[ruleset.name] = compiled
    return compiled
