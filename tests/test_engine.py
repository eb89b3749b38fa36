"""The verdicts come from durable_rules, and a broken engine fails loudly."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

import engine.rulebook.compiler as compiler
from engine import EngineInconsistencyError, Evaluator, load_rulebook, read_application
from engine.rulebook.compiler import CompiledRuleset, ProgramPlan, compile_program

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "applications" / "purchase-two-deals.yaml"
P2 = "patent-purchase-reward"


@pytest.fixture(scope="module")
def rulebook():
    return load_rulebook()


def _evaluate_with(rulebook, plans):
    ruleset = rulebook.rulesets[0]
    compiled = CompiledRuleset(ruleset, plans)
    app = read_application(SAMPLE, rulebook)
    return compiled, [compiled.verdicts(fact, ruleset.period_of(app.submitted_on)) for fact in _facts(app)]


def _facts(app):
    from engine.evaluation.facts import LedgerView, application_part, build_fact

    part = application_part(app)
    return [build_fact(part, claim, LedgerView()) for claim in app.claims]


def _sabotaged(rulebook, drop_status=None, flip=None):
    ruleset = rulebook.rulesets[0]
    plans = {pid: compile_program(ruleset, p) for pid, p in ruleset.programs.items()}
    plan = plans[P2]
    definition = copy.deepcopy(plan.definition)
    meaning = dict(plan.meaning)
    for name, key in plan.meaning.items():
        if key.item == "seller-type" and key.status == drop_status:
            del definition[name]
            del meaning[name]
        if flip and key.item == "seller-type" and key.status == "met":
            meaning[name] = compiler.RuleKey(key.kind, key.item, "not_met")
    plans[P2] = ProgramPlan(definition, meaning, plan.stages)
    return plans


def test_the_engine_gives_every_criterion_exactly_one_verdict(rulebook) -> None:
    ruleset = rulebook.rulesets[0]
    plans = {pid: compile_program(ruleset, p) for pid, p in ruleset.programs.items()}
    _, verdicts = _evaluate_with(rulebook, plans)
    assert verdicts[0][("criterion", "seller-type")] == "met"


def test_a_rule_removed_from_the_compiled_ruleset_fails_loudly(rulebook) -> None:
    with pytest.raises(EngineInconsistencyError, match="seller-type.*no verdict"):
        _evaluate_with(rulebook, _sabotaged(rulebook, drop_status="met"))


def test_a_rule_that_answers_wrongly_is_caught_when_it_contradicts(rulebook) -> None:
    """A met rule relabelled 'not met' is not silently believed: the ruleset no longer has a
    rule for 'met' at all, so a met claim gets a verdict the oracle would not give — and the
    differential tests compare every verdict with the oracle's."""
    _, verdicts = _evaluate_with(rulebook, _sabotaged(rulebook, flip=True))
    assert verdicts[0][("criterion", "seller-type")] == "not_met"
    oracle = Evaluator(rulebook, backend="oracle").evaluate(read_application(SAMPLE, rulebook))
    assert oracle.decisions[0].criteria[1].status == "met"


def test_no_answer_from_the_engine_is_an_error_not_a_decision(rulebook, monkeypatch) -> None:
    evaluator = Evaluator(rulebook)
    app = read_application(SAMPLE, rulebook)
    evaluator.evaluate(app)  # compiled and registered
    monkeypatch.setattr(compiler._core, "start_action_for_state", lambda handle, state: None)
    with pytest.raises(EngineInconsistencyError, match="catch-all"):
        evaluator.evaluate(app)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda fired: fired.__setitem__(compiler.SEEN, [1]), "catch-all"),  # fact 0 missing, an extra one seen
        (lambda fired: fired[compiler.SEEN].append(7), "not given"),
        (lambda fired: next(v for k, v in fired.items() if k != compiler.SEEN).append(9), "not given"),
    ],
)
def test_an_engine_answer_for_the_wrong_facts_is_an_error(rulebook, monkeypatch, change, message) -> None:
    evaluator = Evaluator(rulebook)
    app = read_application(SAMPLE, rulebook)
    evaluator.evaluate(app)
    real = compiler._fire_all

    def tampered(handle, messages):
        fired = real(handle, messages)
        change(fired)
        return fired

    monkeypatch.setattr(compiler, "_fire_all", tampered)
    with pytest.raises(EngineInconsistencyError, match=message):
        evaluator.evaluate(app)


@pytest.mark.parametrize(("swap", "message"), [(False, "decided at the wrong stage"), (True, "got no verdict")])
def test_a_verdict_of_an_item_another_stage_decides_is_an_error(rulebook, monkeypatch, swap, message) -> None:
    """A first-stage session answered with a verdict of a second-stage item, beside its own verdicts
    or instead of one of them (the same count): named, not taken."""
    evaluator = Evaluator(rulebook)
    app = read_application(ROOT / "applications" / "p3-strategic-emerging-industry.yaml", rulebook)
    evaluator.evaluate(app)
    program = compiler.compile_ruleset(rulebook.rulesets[0]).programs["high-value-inventor-grant"]
    first, second = program.plan.stages[0][:2]
    later = next(name for name, key in program.plan.meaning.items() if (key.kind, key.item) == second[0])
    real = compiler._fire_all

    def tampered(handle, messages):
        fired = real(handle, messages)
        if messages[0].get("stage_") == 0:
            fired[later] = [0]
            if swap:  # and no verdict of a first-stage item for that fact
                for name, key in program.plan.meaning.items():
                    if (key.kind, key.item) == first[0] and name in fired:
                        fired[name] = [n for n in fired[name] if n != 0]
        return fired

    monkeypatch.setattr(compiler, "_fire_all", tampered)
    with pytest.raises(EngineInconsistencyError, match=message):
        evaluator.evaluate(app)


def test_a_durable_rules_failure_is_translated(rulebook, monkeypatch) -> None:
    evaluator = Evaluator(rulebook)
    app = read_application(SAMPLE, rulebook)
    evaluator.evaluate(app)

    def broken(handle, text):
        raise Exception("Could not assert fact, error code: 302")

    monkeypatch.setattr(compiler._core, "assert_fact", broken)
    with pytest.raises(EngineInconsistencyError, match="too many properties in one fact"):
        evaluator.evaluate(app)


def test_a_parameter_change_changes_decisions_and_version_without_code(tmp_path, rulebook) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    params = rules / "puyang-2022-19" / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace('value: "0.10"', 'value: "0.05"'), encoding="utf-8")
    changed = load_rulebook(rules)
    assert changed.rulesets[0].version != rulebook.rulesets[0].version
    before = Evaluator(rulebook).evaluate(read_application(SAMPLE, rulebook))
    after = Evaluator(changed).evaluate(read_application(SAMPLE, changed))
    assert [str(d.amount) for d in before.decisions] == ["120000.00", "80000.00"]
    assert [str(d.amount) for d in after.decisions] == ["60000.00", "75000.00"]
    # both versions live side by side in one process, each under its own engine name
    assert before.ruleset_version != after.ruleset_version


def test_a_dated_parameter_value_applies_from_its_date(tmp_path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    params = rules / "puyang-2022-19" / "parameters.yaml"
    text = params.read_text(encoding="utf-8").replace(
        '      - {from: 2022-10-04, value: "0.10"}',
        '      - {from: 2022-10-04, value: "0.10"}\n      - {from: 2024-01-01, value: "0.08"}',
    )
    params.write_text(text, encoding="utf-8")
    rulebook = load_rulebook(rules)
    app = read_application(SAMPLE, rulebook)  # submitted 2024-03-15
    early = app.model_copy(update={"submitted_on": app.submitted_on.replace(year=2023)})
    for backend in ("durable_rules", "oracle"):
        evaluator = Evaluator(rulebook, backend=backend)
        assert str(evaluator.evaluate(app).decisions[0].amount) == "96000.00"
        assert str(evaluator.evaluate(early).decisions[0].amount) == "120000.00"


def test_a_verdict_spread_over_several_rules_matches_the_oracle(tmp_path) -> None:
    """A condition too large for one durable_rules rule is spread over several; the engine's
    verdicts must stay exactly the oracle's."""
    from engine.generate import generate_many
    from engine.reading import application_from_data
    from engine.yamlio import Located

    leaves = [
        "{fact: applicant.type, eq: enterprise}",
        "{fact: patent.in_force, eq: true}",
        "{fact: patent.granted_on, present: true}",
        "{fact: industrialization.division, in: [410902, 410928, 410972]}",
        "{fact: patent.holders, contains: {fact: applicant.name}}",
        "{fact: industrialization.started_on, le: {fact: submitted_on}}",
        "{fact: patent.filed_on, lt: {fact: submitted_on, add_years: 5}}",
        "{fact: applicant.category, in: ['91']}",
    ]
    pairs = [f"{{any: [{a}, {b}]}}" for i, a in enumerate(leaves) for b in leaves[i + 1 :]][:5]
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    p1 = rules / "puyang-2022-19" / "p1-local-industrialization-award.yaml"
    holder = "condition: {fact: patent.holders, contains: {fact: applicant.name}}"
    text = p1.read_text(encoding="utf-8")
    assert text.count(holder) == 1
    p1.write_text(text.replace(holder, "condition: {all: [" + ", ".join(pairs) + "]}"), encoding="utf-8")
    rulebook = load_rulebook(rules)
    ruleset = rulebook.rulesets[0]
    plan = compile_program(ruleset, ruleset.programs["local-industrialization-award"])
    spread = [k for k in plan.meaning.values() if k.item == "applicant-is-patentee"]
    assert len(spread) > 3, "the condition should need several rules per verdict"
    engine, oracle = Evaluator(rulebook), Evaluator(rulebook, backend="oracle")
    seen = set()
    for data in generate_many(1500, seed=5):
        data["claims"] = [c for c in data["claims"] if c["program"] == "local-industrialization-award"]
        if not data["claims"]:
            continue
        app = application_from_data(Located(data, {}, "generated"), rulebook)
        a, b = engine.evaluate(app), oracle.evaluate(app)
        for x, y in zip(a.decisions, b.decisions, strict=True):
            assert [c.status for c in x.criteria] == [c.status for c in y.criteria], data["id"]
            seen.add(next(c.status for c in x.criteria if c.id == "applicant-is-patentee"))
    assert seen == {"met", "not_met", "unknown"}


# ------------------------------------------------- durable_rules errors, code by code

ALL_CODES = sorted(__import__("engine.rulebook.durable_errors", fromlist=["DURABLE_ERRORS"]).DURABLE_ERRORS)


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_durable_rules_error_code_is_mapped(code, rulebook, monkeypatch) -> None:
    """Each code durable_rules 2.0.28 defines (src/rules/rules.h) becomes an internal error that
    says what it means, whichever call of the C core raises it."""
    from engine.rulebook.durable_errors import DURABLE_ERRORS

    name, meaning = DURABLE_ERRORS[code]
    evaluator = Evaluator(rulebook)
    app = read_application(SAMPLE, rulebook)
    evaluator.evaluate(app)

    def broken(*args):
        raise Exception(f"Could not start action, error code: {code}")

    monkeypatch.setattr(compiler._core, "start_action_for_state", broken)
    with pytest.raises(EngineInconsistencyError) as caught:
        evaluator.evaluate(app)
    assert meaning in str(caught.value)
    assert f"durable_rules error {code}, {name}" in str(caught.value)


@pytest.mark.parametrize("code", [1, 2, 3])
def test_a_return_code_instead_of_a_decision_is_an_internal_error(code, rulebook, monkeypatch) -> None:
    evaluator = Evaluator(rulebook)
    app = read_application(SAMPLE, rulebook)
    evaluator.evaluate(app)
    real = compiler._core.assert_fact
    monkeypatch.setattr(compiler._core, "assert_fact", lambda handle, text: (code, real(handle, text)[1]))
    with pytest.raises(EngineInconsistencyError, match=f"durable_rules error {code},"):
        evaluator.evaluate(app)


def test_an_undefined_code_is_still_reported_with_its_number() -> None:
    from engine.rulebook.durable_errors import describe

    assert describe(Exception("Could not assert fact, error code: 999")).startswith(
        "durable_rules error 999, which version 2.0.28 does not define"
    )
    assert describe(Exception("Ruleset with name x not found")) == "Ruleset with name x not found"


@pytest.mark.parametrize(
    "definition, code",
    [
        ({"r": {"all": [{"m": {"$foo": {"a": 1}}}]}}, 202),  # an operator the engine does not know
        ({"r": {"all": [{"m": {"a": [1, 2]}}]}}, 102),  # a list where a value belongs
    ],
)
def test_the_real_engine_refusing_a_ruleset_names_the_code(definition, code) -> None:
    plan = ProgramPlan(definition, {}, {})
    with pytest.raises(EngineInconsistencyError, match=f"durable_rules error {code},"):
        compiler._EngineProgram(f"refused-{code}", plan, ())


def test_the_real_engine_refusing_a_fact_names_the_code() -> None:
    plan = ProgramPlan({"seen": {"all": [{"m": {"kind_": "claim"}}]}}, {}, {})
    program = compiler._EngineProgram("refused-302", plan, ())
    message = {f"p{i}": i for i in range(300)} | {"kind_": "claim", "sid": "s-302", "id": "s-302"}
    with pytest.raises(EngineInconsistencyError, match="durable_rules error 302, ERR_EVENT_MAX_PROPERTIES"):
        compiler._fire(program.handle, message)


def test_a_rule_too_large_for_the_engine_is_a_rule_file_error() -> None:
    from engine.errors import ComplexityError, RuleFileError

    assert issubclass(ComplexityError, RuleFileError)
    exc = ComplexityError("too large", "criterion", "implemented")
    assert (exc.exit_code, exc.kind, exc.item, str(exc)) == (2, "criterion", "implemented", "too large")


@pytest.mark.parametrize("name", ["engine.rulebook.suggest", "engine.rulebook.durable_errors"])
def test_docstring_examples_of_the_rulebook_helpers(name) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
