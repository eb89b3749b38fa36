"""Decisions and criterion results are built without their dataclasses' ``__init__`` (it costs
ten times a plain assignment for a frozen record, and a frame of its own for any): they must be
the very records ``__init__`` would make."""

from __future__ import annotations

import dataclasses

import pytest

from engine import Evaluator, load_rulebook
from engine.generate import generate_many
from engine.reading import application_from_data
from engine.yamlio import Located


@pytest.fixture(scope="module")
def assessments():
    rulebook = load_rulebook()
    apps = [application_from_data(Located(data, {}, "generated"), rulebook) for data in generate_many(300, 11)]
    return Evaluator(rulebook).evaluate_many([(app, None, None) for app in apps])


def test_records_equal_those_their_init_makes_and_stay_frozen(assessments) -> None:
    seen = set()
    kinds = set()
    for assessment in assessments:
        assert dataclasses.replace(assessment) == assessment
        with pytest.raises(dataclasses.FrozenInstanceError):
            assessment.engine = "oracle"  # type: ignore[misc]
        for decision in assessment.decisions:
            rebuilt = dataclasses.replace(decision)
            assert rebuilt == decision and vars(rebuilt) == vars(decision)
            with pytest.raises(dataclasses.FrozenInstanceError):
                decision.outcome = "eligible"  # type: ignore[misc]
            for derived in decision.derived:
                assert dataclasses.replace(derived) == derived
            for c in decision.criteria:  # every slot set (reading one unset raises), as __init__ sets it
                rebuilt_c = dataclasses.replace(c)
                assert rebuilt_c == c
                assert [getattr(rebuilt_c, f.name) for f in dataclasses.fields(c)] == [
                    getattr(c, f.name) for f in dataclasses.fields(c)
                ]
                kinds.add((c.status, c.review, bool(c.missing)))
            seen.add(decision.outcome)
    assert seen == {"eligible", "ineligible", "needs_review"}
    # each way deciding builds a result was taken: met, not met, unknown with fields missing,
    # and a failed test sent to review
    ways = {("met", False, False), ("not_met", False, False), ("unknown", False, True), ("unknown", True, False)}
    assert ways <= kinds
