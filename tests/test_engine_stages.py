"""A later stage's engine message carries only what that stage's rules read.

A derived condition decided in an earlier stage is read by the next stage's rules; that
stage's message holds the properties its rules (and the catch-all) read and the derived
verdicts, not the whole claim again. The verdicts must be those of the whole claim sent.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine import Evaluator, load_rulebook
from engine.generate import generate_many
from engine.reading import application_from_data
from engine.rulebook.compiler import compile_ruleset
from engine.yamlio import Located

RULEBOOK = load_rulebook()


def _later_stages() -> list[Any]:
    return [
        program
        for ruleset in RULEBOOK.rulesets
        for program in compile_ruleset(ruleset).programs.values()
        if any(len(stages) > 1 for stages in program.stages.values())
    ]


def test_a_later_stage_reads_the_derived_verdicts_not_the_claim_again() -> None:
    programs = _later_stages()
    assert programs, "no programme decides in two stages any more; this test has nothing to hold"
    for program in programs:
        for index, stages in program.stages.items():
            kept = program.kept[index]
            assert kept[0] is None  # the first stage is shown the whole claim
            for stage in range(1, len(stages)):
                names = kept[stage]
                assert names is not None and "kind_" in names
                derived = {short for _, decides in stages[:stage] for _, short in decides}
                assert derived & set(names), "the stage reads no derived verdict"
                assert len(names) < len(program.facts)


def test_the_verdicts_are_those_of_the_whole_claim_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    apps = [application_from_data(Located(d, {}, "generated"), RULEBOOK) for d in generate_many(400, seed=53)]
    items: list[Any] = [(app, None, None) for app in apps]
    trimmed = Evaluator(RULEBOOK).evaluate_many(items)
    for program in _later_stages():
        whole = {index: tuple(None for _ in stages) for index, stages in program.stages.items()}
        monkeypatch.setattr(program, "kept", whole)
    sent_whole = Evaluator(RULEBOOK).evaluate_many(items)
    assert trimmed == sent_whole
    staged = [d for a in trimmed for d in a.decisions if d.derived]
    assert staged, "no decision read a derived condition"
