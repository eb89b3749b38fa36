"""Batched engine sessions stay inside the envelope durable_rules is measured to be safe in.

Many claims share one session (see :data:`engine.rulebook.compiler.SESSION_FACTS`): these
tests hold that to its terms — one live session at a time, each deleted, none larger than
the limit; facts within the engine's property limit and told apart by ids whose 32-bit
hashes differ; memory flat over many sessions — and hold the batched answers to the
single ones and to the oracle. ``bench/engine_envelope.py`` runs the memory check over a
million claims.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import engine.rulebook.compiler as compiler
from engine import Evaluator, assessment_json, load_rulebook
from engine.evaluation.facts import LedgerView, application_part, build_fact
from engine.generate import generate_many
from engine.reading import application_from_data
from engine.rulebook.sizes import computed_facts
from engine.yamlio import Located

RULEBOOK = load_rulebook()
FACT_PROPERTY_LIMIT = 253  # durable_rules 2.0.28: 255 properties per fact, two of them sid and id


def _apps(n: int, seed: int) -> list[Any]:
    return [application_from_data(Located(d, {}, "generated"), RULEBOOK) for d in generate_many(n, seed=seed)]


def _claims(apps: list[Any]) -> list[tuple[Any, dict[str, Any], Any]]:
    """(compiled ruleset, fact, period) of every claim, on an untouched ledger."""
    evaluator = Evaluator(RULEBOOK)
    out = []
    for app in apps:
        ruleset = evaluator.ruleset_for(app)
        compiled = compiler.compile_ruleset(ruleset)
        part = application_part(app)
        for claim in app.claims:
            fact = build_fact(part, claim, LedgerView())
            computed_facts(ruleset, fact, app.submitted_on)
            out.append((compiled, fact, ruleset.period_of(app.submitted_on)))
    return out


def fnv1a_32(text: str) -> int:
    """The hash durable_rules' C core tells facts of one session apart by (``fnv1Hash32``)."""
    value = 2166136261
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def test_the_fact_ids_of_a_session_hash_apart() -> None:
    hashes = {fnv1a_32(str(number)) for number in range(compiler.SESSION_FACTS)}
    assert len(hashes) == compiler.SESSION_FACTS


def test_every_programme_fact_is_within_the_engine_property_limit() -> None:
    for ruleset in RULEBOOK.rulesets:
        for pid, program in ruleset.programs.items():
            # the facts its rules read, its derived verdicts, and kind_ and stage_ beside sid and id
            largest = len(ruleset.engine_facts[pid]) + len(program.derived) + 2
            assert largest < FACT_PROPERTY_LIMIT, (pid, largest)


class _Sessions:
    """Counts the engine sessions the compiler opens and deletes, and how many facts each holds."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.live: set[str] = set()
        self.most_live = 0
        self.sizes: list[int] = []
        core = compiler._core
        real_one, real_many, real_delete = core.assert_fact, core.assert_facts, core.delete_state

        def opened(text: str, size: int) -> None:
            sid = text[text.index('"sid":"') + 7 :].split('"', 1)[0]
            assert sid not in self.live
            self.live.add(sid)
            self.most_live = max(self.most_live, len(self.live))
            self.sizes.append(size)

        def assert_fact(handle: int, text: str) -> Any:
            opened(text, 1)
            return real_one(handle, text)

        def assert_facts(handle: int, text: str) -> Any:
            opened(text, text.count('"kind_":"claim"'))
            return real_many(handle, text)

        def delete_state(handle: int, sid: str) -> Any:
            self.live.remove(sid)
            return real_delete(handle, sid)

        monkeypatch.setattr(compiler._core, "assert_fact", assert_fact)
        monkeypatch.setattr(compiler._core, "assert_facts", assert_facts)
        monkeypatch.setattr(compiler._core, "delete_state", delete_state)


def test_claims_share_sessions_one_live_at_a_time_each_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    claims = _claims(_apps(400, seed=5))
    compiled = claims[0][0]
    assert all(c is compiled for c, _, _ in claims)
    sessions = _Sessions(monkeypatch)
    answers = compiled.verdicts_many([(fact, period) for _, fact, period in claims])
    assert len(answers) == len(claims)
    assert sessions.live == set() and sessions.most_live == 1
    assert max(sessions.sizes) == compiler.SESSION_FACTS
    # one session per programme and stage for every SESSION_FACTS claims that reach that stage
    groups: dict[tuple[str, int], int] = {}
    for _, fact, period in claims:
        for stage in range(len(compiled.programs[fact["program"]].plan.stages[period.index])):
            groups[(fact["program"], stage)] = groups.get((fact["program"], stage), 0) + 1
    assert len(sessions.sizes) == sum(math.ceil(n / compiler.SESSION_FACTS) for n in groups.values())
    assert sum(sessions.sizes) == sum(groups.values())


def test_batched_verdicts_are_the_single_ones() -> None:
    claims = _claims(_apps(600, seed=6))
    compiled = claims[0][0]
    batched = compiled.verdicts_many([(fact, period) for _, fact, period in claims])
    assert batched == [compiled.verdicts(fact, period) for _, fact, period in claims]


def test_applications_decided_together_are_decided_as_one_by_one_and_as_the_oracle() -> None:
    apps = _apps(1_500, seed=20221005)
    engine, oracle = Evaluator(RULEBOOK), Evaluator(RULEBOOK, backend="oracle")
    together = engine.evaluate_many([(app, None, None) for app in apps])
    by_oracle = oracle.evaluate_many([(app, None, None) for app in apps])
    assert any(len(app.claims) > 1 for app in apps)
    for app, mine, theirs in zip(apps, together, by_oracle, strict=True):
        ruleset = RULEBOOK.by_id(mine.ruleset_id)
        shown = assessment_json(mine, ruleset)
        assert shown == assessment_json(engine.evaluate(app), ruleset), app.id
        shown.pop("engine")
        expected = assessment_json(theirs, ruleset)
        expected.pop("engine")
        assert shown == expected, app.id


def _resident_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/statm"), reason="needs /proc (Linux)")
def test_memory_stays_flat_over_many_sessions() -> None:
    """A smaller run of ``bench/engine_envelope.py`` (a million claims): after a first pass,
    further passes over the same claims hold no more memory."""
    claims = _claims(_apps(500, seed=8))
    compiled = claims[0][0]
    asked = [(fact, period) for _, fact, period in claims]
    compiled.verdicts_many(asked)
    before = _resident_kb()
    for _ in range(20):  # about 16,000 claims, 200 sessions
        compiled.verdicts_many(asked)
    assert _resident_kb() - before < 2_048


def test_a_session_costs_one_round_trip_per_rule_that_fired(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule is registered with ``cap``: it delivers all the facts of a session it matched
    in one agenda entry, so draining a session of many claims asks the engine once per rule
    that fired (not once per firing), and every claim still gets its one verdict per item."""
    claims = _claims(_apps(300, seed=9))
    compiled = claims[0][0]
    entries: list[str] = []
    real_start, real_next = compiler._core.start_action_for_state, compiler._core.complete_and_start_action

    def start(handle: int, state: int) -> Any:
        started = real_start(handle, state)
        if started is not None:
            entries.append(started[1])
        return started

    def step(handle: int, state: int) -> Any:
        pending = real_next(handle, state)
        if pending:
            entries.append(pending)
        return pending

    monkeypatch.setattr(compiler._core, "start_action_for_state", start)
    monkeypatch.setattr(compiler._core, "complete_and_start_action", step)
    asked = [(fact, period) for _, fact, period in claims]
    answers = compiled.verdicts_many(asked)
    names = [entry[2 : entry.index('"', 2)] for entry in entries]
    firings = sum(len(compiler._FRAME.findall(entry)) for entry in entries)
    assert len(names) < firings / 10  # batched: 300 applications fire thousands of rules
    # at least one firing per verdict and one catch-all per claim and stage
    stages = sum(len(compiled.programs[f["program"]].plan.stages[p.index]) for f, p in asked)
    assert firings >= sum(len(a) for a in answers) + stages
    assert answers == [compiled.verdicts(fact, period) for fact, period in asked]


def test_the_messages_are_the_json_pydantic_would_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """The claims go to the engine encoded by msgspec (faster): byte for byte what pydantic's
    ``to_json`` writes of the same messages, as they were sent before."""
    from pydantic_core import to_json

    sent: list[list[dict[str, Any]]] = []
    real = compiler._encode

    def encode(messages: Any) -> bytes:
        sent.append(messages if isinstance(messages, list) else [messages])
        return real(messages)

    monkeypatch.setattr(compiler, "_encode", encode)
    claims = _claims(_apps(200, seed=13))
    claims[0][0].verdicts_many([(fact, period) for _, fact, period in claims])
    assert sum(len(m) for m in sent) > len(claims)  # every claim, and a later stage's too
    for messages in sent:
        assert real(messages) == to_json(messages)
