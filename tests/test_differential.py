"""The inference engine and the plain-Python oracle must decide alike, always.

Both read the same rule files: the oracle evaluates each condition tree with
Kleene's three-valued logic; the engine matches the compiled single-fact
rules in durable_rules. Any difference in any decision — outcome, amount,
a criterion's status, a derived category, the missing fields, the words of an
explanation — fails the test.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Evaluator, assessment_json, load_rulebook
from engine.generate import generate, generate_many
from engine.reading import application_from_data
from engine.yamlio import Located

RULEBOOK = load_rulebook()
ENGINE = Evaluator(RULEBOOK)
ORACLE = Evaluator(RULEBOOK, backend="oracle")


def decisions(evaluator: Evaluator, data: dict[str, Any]) -> dict[str, Any]:
    app = application_from_data(Located(data, {}, "generated"), RULEBOOK)
    assessment = evaluator.evaluate(app)
    out = assessment_json(assessment, RULEBOOK.by_id(assessment.ruleset_id))
    out.pop("engine")
    return out


def test_five_thousand_generated_applications_are_decided_alike() -> None:
    seen: Counter[tuple[str, str]] = Counter()
    for data in generate_many(5_000, seed=20221004):
        engine, oracle = decisions(ENGINE, data), decisions(ORACLE, data)
        assert engine == oracle, data["id"]
        for d in engine["decisions"]:
            for c in d["criteria"]:
                seen[(c["id"], c["status"])] += 1
    # the sample must exercise every side of every criterion that has one
    for criterion in {c for c, _ in seen}:
        statuses = {s for c, s in seen if c == criterion}
        assert "met" in statuses or criterion == "significant-benefit", criterion
        assert statuses & {"not_met", "unknown"}, criterion


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.sampled_from(["drop", "keep"]), st.integers(0, 40))
def test_any_application_is_decided_alike(rng: random.Random, mode: str, cut: int) -> None:
    """Hypothesis varies the application, and may drop one optional field deep inside it."""
    data = generate(rng, 0)
    if mode == "drop":
        _drop_one(data, cut)
    try:
        engine = decisions(ENGINE, data)
    except Exception as exc:  # a dropped required field: both must refuse it the same way
        with pytest.raises(type(exc)):
            decisions(ORACLE, data)
        return
    assert engine == decisions(ORACLE, data)


def _drop_one(data: dict[str, Any], cut: int) -> None:
    """Remove the cut-th optional leaf of the first claim (if there is one)."""
    claim = data["claims"][0]
    paths: list[tuple[dict[str, Any], str]] = []

    def walk(node: dict[str, Any]) -> None:
        for key, value in node.items():
            if key in ("program", "number"):
                continue
            paths.append((node, key))
            if isinstance(value, dict):
                walk(value)

    walk(claim)
    if paths:
        node, key = paths[cut % len(paths)]
        node.pop(key, None)
