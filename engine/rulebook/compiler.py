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
* a **fresh session per batch of claims and stage** (at most :data:`SESSION_FACTS`
  claims, each its own fact with a small id checked to hash apart from the others),
  deleted once its agenda is drained; only one session is ever live; no background
  threads: the agenda is drained synchronously through the engine's C interface;
* every rule is registered with ``cap`` (:data:`SESSION_FACTS`): a rule that fires on many
  facts of a session delivers them all in one agenda entry, so a session costs one round trip
  per rule that fired, not one per firing (measured: the engine stage 82 → 56 µs per
  application); no rule reads another's firing, so batching the deliveries changes nothing
  of what fires;
* each programme of each ruleset version is registered as its own engine
  ruleset, ``<id>@sha256:…/<programme>``, so versions live side by side in one
  process and a claim only meets its own programme's rules;
* the engine is shown only the facts the programme's rules read, flat and under short names
  (``_0``, ``_1``, … checked to hash apart): it parses every fact and copies it into every agenda
  entry of a rule it fires, so the long dotted names were much of its work.
* texts the rules only compare with one another (the applicant's name among a patent's holders)
  are sent as tokens, equal texts as equal tokens (:mod:`engine.rulebook.engine_tokens`).

A derived condition (is the patent high-value? which category?) is decided
by its own rules. A criterion that names one is compiled with the reference
inlined when the pattern fits the engine's expression limit; otherwise the
derived verdict is decided in an earlier *stage* and recorded in the next
stage's fact (``derived_``) for the criterion's rules to read.

The verdicts are read from the rules that fired, as the engine delivers them. Anything but exactly one
verdict per criterion raises :class:`EngineInconsistencyError`: a sabotaged or
broken ruleset fails loudly instead of answering.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
from collections.abc import Sequence
from typing import Any

import durable_rules_engine as _core
import msgspec

from ..errors import EngineInconsistencyError
from .durable_errors import RETURN_CODES, describe
from .engine_names import _OWN, SESSION_FACTS, _fnv1, _names_in, _registered, _renamed, _short_names  # noqa: F401
from .engine_tokens import compared_only, tokenise
from .patterns import derived_key
from .plan import SEEN, Item, ProgramPlan, RuleKey, compile_program
from .ruleset import Period, Ruleset

__all__ = ["CompiledRuleset", "ProgramPlan", "RuleKey", "compile_program", "compile_ruleset"]

# the messages as JSON: msgspec writes these dicts of texts, integers, booleans and lists byte for
# byte as pydantic's to_json does, in 40 % of its time (1.8 -> 0.7 us an application)
_encode = msgspec.json.Encoder().encode
_SIDS = itertools.count()
_PREFIX = f"{os.getpid():x}"
_LOCK = threading.Lock()


# a frame of an agenda entry begins with its fact's id, the fact's first property: '{"m":{"id":7,…'
# (the engine echoes a fact as it was asserted; no key of the vocabulary is "id", and a quote inside
# a text is escaped, so the opening cannot occur within a fact). Read from the frame's opening, not
# from its end: the pattern's first character, '{', opens only frames, so the search skips ahead
# (6.6 → 5.3 µs an application against '"id":N}}' at the end, whose '"' opens every property)
_FRAME = re.compile(r'\{"m":\{"id":(\d+)')


class _EngineProgram:
    """One programme of one ruleset version, registered in durable_rules."""

    def __init__(self, name: str, plan: ProgramPlan, facts: tuple[str, ...]) -> None:
        self.name = name
        self.plan = plan
        self.short = _short_names(plan.definition, facts)
        self.facts = tuple((path, self.short[path]) for path in facts)
        # texts the rules only compare with one another, sent as tokens (engine_tokens)
        self.tokened = tuple(self.short[name] for name in sorted(compared_only(plan.definition)) if name in self.short)
        # what each rule's firing says: ((kind, item), status), looked up by rule name
        self.verdict_of = {rule: ((key.kind, key.item), key.status) for rule, key in plan.meaning.items()}
        # per period index, per stage: the items the stage decides (as a set) and its derived
        # conditions, each with its name in the next stage's fact
        self.stages = {
            index: tuple(
                (
                    frozenset(items),
                    tuple(
                        (item, self.short[key])
                        for item in items
                        if item[0] == "derived" and (key := derived_key(item[1])) in self.short
                    ),
                )
                for items in stages
            )
            for index, stages in plan.stages.items()
        }
        self._items = {frozenset(items): items for stages in plan.stages.values() for items in stages}
        self.kept = {index: _stage_names(plan, stages, self.short) for index, stages in plan.stages.items()}
        # whether any rule reads the stage: a programme decided in one stage is sent no stage_ (the
        # engine parses it in every message and echoes it in every frame)
        self.staged = any(len(stages) > 1 for stages in plan.stages.values())
        text = json.dumps(_registered(plan.definition, self.short), ensure_ascii=False, sort_keys=True)
        try:
            self.handle = _core.create_ruleset(name, text)
        except Exception as exc:  # durable raises bare Exceptions with codes only
            raise EngineInconsistencyError(
                f"durable_rules refused the compiled ruleset {name}: {describe(exc)}"
            ) from None

    def project(self, fact: dict[str, Any]) -> dict[str, Any]:
        """Only the facts this programme's rules read, under their short names, as a new claim
        message (``kind_``), its ``id`` first (:data:`_FRAME`; the number is set when it is
        asserted)."""
        get = fact.get
        message: dict[str, Any] = {"id": 0}
        for path, short in self.facts:  # a loop, not a comprehension and update: no function nor dict made
            value = get(path)
            if value is not None:
                message[short] = value
        if self.tokened:
            tokenise(message, self.tokened)
        message["kind_"] = "claim"
        return message

    def items_of(self, expected: frozenset[Item]) -> tuple[Item, ...]:
        """The items of a stage, in the order of the rule files, from their set."""
        return self._items[expected]


def _stage_names(
    plan: ProgramPlan, stages: tuple[tuple[Item, ...], ...], short: dict[str, str]
) -> tuple[tuple[str, ...] | None, ...]:
    """Per stage of a period, the properties its rules and the catch-all read (short names):
    a later stage's message carries only those and the derived verdicts, not the whole claim
    again (the engine parses every message and copies it into every agenda entry). None: every
    property (the first stage, or a rule whose meaning is not known here)."""
    out: list[tuple[str, ...] | None] = [None]
    for items in stages[1:]:
        wanted = set(items)
        names: dict[str, None] = {}
        for name, rule in plan.definition.items():
            key = plan.meaning.get(name)
            if key is None and name != SEEN:
                names = {}
                break
            if key is None or (key.kind, key.item) in wanted:
                for pattern in rule.get("all", ()):
                    for value in pattern.values():
                        _names_in(value, names)
        else:
            out.append(tuple(short.get(n, n) for n in names if n not in ("sid", "id", "stage_")))
            continue
        out.append(None)
    return tuple(out)


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
        """Decide one claim: ``{(kind, id): status}`` for every criterion and derived
        condition of its programme in ``period``."""
        return self.verdicts_many([(fact, period)])[0]

    def verdicts_many(self, claims: Sequence[tuple[dict[str, Any], Period]]) -> list[dict[Item, str]]:
        """Decide many claims (each a fact and its period), stage by stage: the claims of
        one programme at one stage are asserted together, :data:`SESSION_FACTS` to a
        session, each stage's fact carrying the derived verdicts of the stages before.
        Returns each claim's ``{(kind, id): status}``, in order."""
        out: list[dict[Item, str]] = [{} for _ in claims]
        by_program: dict[str, list[int]] = {}
        for i, (fact, _) in enumerate(claims):
            by_program.setdefault(fact["program"], []).append(i)
        for program, members in by_program.items():
            engine = self.programs[program]
            # per claim: its stages (what each decides), its fact as the engine is shown it, and
            # the verdicts of derived conditions that later stages read
            todo: list[tuple[int, Any, dict[str, Any], dict[str, str], Any]] = [
                (
                    i,
                    engine.stages[claims[i][1].index],
                    engine.project(claims[i][0]),
                    {},
                    engine.kept[claims[i][1].index],
                )
                for i in members
            ]
            stage = 0
            while todo:
                for start in range(0, len(todo), SESSION_FACTS):
                    now = todo[start : start + SESSION_FACTS]
                    messages = []
                    for _, _, base, derived, kept in now:
                        if stage == 0:
                            message = base
                        else:  # what this stage's rules read, the derived verdicts; the id first again (_FRAME)
                            keep = kept[stage]
                            if keep is None:
                                message = base.copy()
                            else:
                                message = {"id": 0}
                                message.update({k: base[k] for k in keep if k in base})
                            message.update(derived)
                        if engine.staged:
                            message["stage_"] = stage
                        messages.append(message)
                    asked = [stages[stage] for _, stages, _, _, _ in now]
                    fired = _fire_all(engine.handle, messages)
                    for (i, _, _, derived, _), (_, decides), found in zip(
                        now, asked, _read_session(fired, engine, asked), strict=True
                    ):
                        if stage == 0:
                            out[i] = found
                        else:
                            out[i].update(found)
                        for slot, key in decides:  # what the next stages read
                            derived[key] = found[slot]
                stage += 1
                todo = [claim for claim in todo if stage < len(claim[1])]
        return out


def _fire(handle: int, message: dict[str, Any]) -> list[str]:
    """Assert one fact in its own session, drain the agenda, delete the session: the
    names of the rules that fired."""
    return list(_fire_all(handle, [{"id": 0, **message}]))


def _fire_all(handle: int, messages: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Assert the facts in one new session, drain the agenda once, delete the session:
    the names of the rules that fired, each with the facts (by their number in ``messages``)
    it fired on, once per firing. Each message's first key is ``id`` (:data:`_FRAME`)."""
    fired: dict[str, list[int]] = {}
    with _LOCK:  # the C core is not re-entrant across sessions
        sid = f"{_PREFIX}-{next(_SIDS)}"
        for number, message in enumerate(messages):
            message["sid"], message["id"] = sid, number
        try:
            if len(messages) == 1:
                code, state = _core.assert_fact(handle, _encode(messages[0]).decode("utf-8"))
            else:
                code, state = _core.assert_facts(handle, _encode(messages).decode("utf-8"))
        except Exception as exc:
            raise EngineInconsistencyError(f"durable_rules could not take the claim: {describe(exc)}") from None
        if code in RETURN_CODES:  # left as it is: deleting a session in which nothing ran can crash the core
            raise EngineInconsistencyError(f"durable_rules did not decide the claim: {describe(code)}")
        try:
            started = _core.start_action_for_state(handle, state)
            if started is not None:
                pending = started[1]
                while pending:
                    # the agenda entry is {"<rule name>":[{"m":{"id":N,…a fact…}},…]}: one rule
                    # (names are plain ASCII) and every fact of the session it matched
                    numbers = fired.setdefault(pending[2 : pending.index('"', 2)], [])
                    numbers += map(int, _FRAME.findall(pending))
                    pending = _core.complete_and_start_action(handle, state)
        except Exception as exc:
            raise EngineInconsistencyError(f"durable_rules failed while firing rules: {describe(exc)}") from None
        finally:
            try:
                _core.delete_state(handle, sid)
            except Exception:  # pragma: no cover - deleting a live session does not fail
                pass
    return fired


def _read_session(
    fired: dict[str, list[int]], engine: _EngineProgram, asked: list[tuple[frozenset[Item], Any]]
) -> list[dict[Item, str]]:
    """The verdicts of one session, for each of its facts (``asked``: the items each fact's
    stage decides, as a set, first of each pair); anything but one verdict per expected item
    is a fault."""
    out: list[dict[Item, str]] = [{} for _ in asked]
    seen = set(fired.get(SEEN, ()))
    if seen != set(range(len(out))):  # the facts are numbered 0, 1, … in the session
        missing = set(range(len(out))) - seen
        if missing:
            raise EngineInconsistencyError(
                "the catch-all rule did not fire: the claim was not evaluated", {"fired": _names(fired, min(missing))}
            )
        raise EngineInconsistencyError(f"durable_rules answered for a fact it was not given: #{max(seen)}")
    verdict_of = engine.verdict_of
    # the facts of one stage of one period all expect the same items (one set, shared): then a verdict
    # of an item they expect, checked once per rule, leaves only the count to check per fact
    expected = asked[0][0]
    alike = all(items is expected for items, _ in asked)
    for name, numbers in fired.items():
        if name == SEEN:
            continue
        found = verdict_of.get(name)
        if found is None:
            raise EngineInconsistencyError(
                f"an unknown rule {name} fired in {engine.name}", {"fired": _names(fired, numbers[0])}
            )
        slot, status = found
        if alike and slot not in expected:
            alike = False
        for number in numbers:
            # an $or whose branches both hold fires its rule once per branch: same verdict
            try:
                verdicts = out[number]
            except IndexError:
                raise EngineInconsistencyError(f"{name} fired on a fact it was not given: #{number}") from None
            earlier = verdicts.setdefault(slot, status)
            if earlier != status:
                raise EngineInconsistencyError(
                    f"{slot[0]} '{slot[1]}' got two verdicts: {earlier} and {status}",
                    {"fired": _names(fired, number)},
                )
    if alike:  # every verdict is of an expected item: a fact has them all when it has as many
        size = len(expected)
        for number, found_now in enumerate(out):
            if len(found_now) != size:
                _check(found_now, engine, engine.items_of(expected), _names(fired, number))
        return out
    for number, (found_now, (items, _)) in enumerate(zip(out, asked, strict=True)):
        if found_now.keys() != items:
            _check(found_now, engine, engine.items_of(items), _names(fired, number))
    return out


def _names(fired: dict[str, list[int]], number: int) -> list[str]:
    """The rules that fired on one fact of a session (for the record of a fault)."""
    return [name for name, numbers in fired.items() for n in numbers if n == number]


def _check(out: dict[Item, str], engine: _EngineProgram, items: tuple[Item, ...], fired: list[str]) -> None:
    """A fact's verdicts that are not exactly its stage's items: the fault, named."""
    missing = [item for item in items if item not in out]
    if missing:
        kind, item = missing[0]
        message = f"{kind} '{item}' of {engine.name} got no verdict from the engine"
    else:
        kind, item = sorted(set(out) - set(items))[0]
        message = f"{kind} '{item}' was decided at the wrong stage"
    raise EngineInconsistencyError(message, {"fired": fired})


_COMPILED: dict[str, CompiledRuleset] = {}


def compile_ruleset(ruleset: Ruleset) -> CompiledRuleset:
    """The registered engine rulesets for this version (compiled once per process)."""
    compiled = _COMPILED.get(ruleset.name)
    if compiled is None:
        compiled = CompiledRuleset(ruleset)
        _COMPILED[ruleset.name] = compiled
    return compiled
