"""Names the rules compare only with one another go to durable_rules as tokens, and decide alike.

``engine.rulebook.engine_tokens``: within one message, equal texts become the same token and
different texts different ones; a fact qualifies only when no rule compares it with a literal,
a pattern or an order. These tests hold the verdicts with tokens to the verdicts with the texts
sent as they are, over generated claims and over names chosen to be awkward.
"""

from __future__ import annotations

from typing import Any

import pytest

import engine.rulebook.compiler as compiler
from engine import Evaluator, load_rulebook
from engine.evaluation.facts import LedgerView, application_part, build_fact
from engine.generate import generate_many
from engine.reading import application_from_data
from engine.rulebook.engine_tokens import compared_only, tokenise
from engine.rulebook.sizes import computed_facts
from engine.yamlio import Located

RULEBOOK = load_rulebook()


def _claims(n: int, seed: int) -> list[tuple[Any, dict[str, Any], Any]]:
    evaluator = Evaluator(RULEBOOK)
    out = []
    for data in generate_many(n, seed=seed):
        app = application_from_data(Located(data, {}, "generated"), RULEBOOK)
        ruleset = evaluator.ruleset_for(app)
        part = application_part(app)
        for claim in app.claims:
            fact = build_fact(part, claim, LedgerView())
            computed_facts(ruleset, fact, app.submitted_on)
            out.append((compiler.compile_ruleset(ruleset), fact, ruleset.period_of(app.submitted_on)))
    return out


def _untokened(monkeypatch: pytest.MonkeyPatch, compiled: Any) -> None:
    for program in compiled.programs.values():
        monkeypatch.setattr(program, "tokened", ())


def test_the_names_compared_with_each_other_are_the_ones_tokened() -> None:
    compiled = compiler.compile_ruleset(RULEBOOK.rulesets[0])
    tokened = {
        pid: {path for path, short in p.short.items() if short in p.tokened} for pid, p in compiled.programs.items()
    }
    assert tokened["local-industrialization-award"] == {"applicant.name", "patent.holders"}
    assert tokened["high-value-inventor-grant"] == {"applicant.name", "patent.inventors"}
    assert tokened["patent-purchase-reward"] == set()


def _rule(pattern: dict[str, Any]) -> dict[str, Any]:
    return {"all": [{"m": {"$and": [{"kind_": "claim"}, pattern]}}]}


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        ([{"$iany": {"h": {"$i": {"$m": "n"}}}}, {"$ex": {"h": 1}}], {"h", "n"}),
        ([{"$iall": {"h": {"$neq": {"$i": {"$m": "n"}}}}}], {"h", "n"}),
        ([{"a": {"$m": "b"}}, {"$neq": {"a": {"$m": "b"}}}], {"a", "b"}),
        # compared with a literal, a pattern or an order: the text itself is needed
        ([{"$iany": {"h": {"$i": {"$m": "n"}}}}, {"n": "张伟"}], set()),
        ([{"$iany": {"h": {"$i": {"$m": "n"}}}}, {"$mt": {"n": ".*科技.*"}}], set()),
        ([{"a": {"$m": "b"}}, {"$lt": {"b": {"$m": "c"}}}], set()),
        ([{"$iany": {"h": {"$i": "x"}}}], set()),
        # a fact only tested for existence needs no token
        ([{"$ex": {"n": 1}}], set()),
        # linked to one that does not qualify, through another
        ([{"a": {"$m": "b"}}, {"b": {"$m": "c"}}, {"c": 5}], set()),
    ],
)
def test_a_fact_qualifies_only_when_every_rule_compares_it_with_another_that_does(patterns, expected) -> None:
    definition = {f"r{i}": _rule(p) for i, p in enumerate(patterns)}
    definition["seen"] = {"all": [{"m": {"kind_": "claim"}}]}
    assert compared_only(definition) == expected


def test_equal_texts_are_one_token_and_other_values_are_left_alone() -> None:
    message = {"n": "张伟", "h": ["王芳", "张伟", "t0", ""], "x": "张伟"}
    tokenise(message, ("n", "h"))
    assert message == {"n": "t0", "h": ["t1", "t0", "t2", "t3"], "x": "张伟"}
    for odd in ({"n": "张伟", "h": ["张伟", 7]}, {"n": 5, "h": ["5"]}, {"n": True, "h": []}):
        before = dict(odd)
        tokenise(odd, ("n", "h"))
        assert odd == before  # the engine compares mixed types as texts: sent as they are


def test_generated_claims_decide_alike_with_tokens_and_with_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    claims = _claims(600, seed=11)
    compiled = claims[0][0]
    asked = [(fact, period) for _, fact, period in claims]
    with_tokens = compiled.verdicts_many(asked)
    _untokened(monkeypatch, compiled)
    assert with_tokens == compiled.verdicts_many(asked)


@pytest.mark.parametrize(
    ("name", "holders"),
    [
        ("张伟", ["张伟"]),
        ("张伟", ["王芳", "张伟"]),
        ("张伟", ["王芳", "李娜"]),
        ("张伟", ["张伟 ", "张 伟"]),  # near misses are different texts
        ("t0", ["t1", "t0"]),  # a name shaped like a token
        ("t1", ["t0"]),
        ("", [""]),
        ("濮阳市龙丰新材料有限公司", ["濮阳市龙丰新材料有限公司", "王芳", "濮阳市龙丰新材料有限公司"]),
    ],
)
def test_awkward_names_decide_alike_with_tokens_and_with_texts(monkeypatch, name, holders) -> None:
    claims = [
        (c, fact, period)
        for c, fact, period in _claims(80, seed=12)
        if fact["program"] in ("local-industrialization-award", "high-value-inventor-grant")
    ]
    compiled = claims[0][0]
    asked = []
    for _, fact, period in claims:
        bent = dict(fact, **{"applicant.name": name})
        bent["patent.holders" if "patent.holders" in bent else "patent.inventors"] = list(holders)
        asked.append((bent, period))
    with_tokens = compiled.verdicts_many(asked)
    _untokened(monkeypatch, compiled)
    assert with_tokens == compiled.verdicts_many(asked)
