"""Broken rule files: every problem is reported, each naming its file, line and path.

Each test copies the shipped ruleset to a temporary folder, breaks one thing (the last
test several), and checks the :class:`RuleFileError` the loader raises. Index paths in
rule files count from 0, as the loader writes them (``program.criteria[4]`` is the fifth
criterion); the line is what locates the problem for an author.

"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine import evaluate, read_application
from engine.cli import main
from engine.errors import Problem, RuleFileError
from engine.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules" / "puyang-2022-19"
SAMPLE = ROOT / "applications" / "purchase-two-deals.yaml"

P1 = "p1-local-industrialization-award.yaml"
P2 = "p2-patent-purchase-reward.yaml"
P3 = "p3-high-value-inventor-grant.yaml"
COMMON = "common.yaml"
PARAMETERS = "parameters.yaml"

# the condition of P1's own criterion applicant-is-patentee (program.criteria[4])
HOLDER = "{fact: patent.holders, contains: {fact: applicant.name}}"


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / RULES.name
    shutil.copytree(RULES, folder)
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``file``."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(folder: Path, file: str, needle: str) -> int:
    """The 1-based line of the one line of ``file`` that contains ``needle``."""
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    found = [i for i, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} should be on one line of {file}, found {found}"
    return found[0]


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(RuleFileError) as info:
        load_rulebook(folder.parent)
    return info.value.problems


def find(
    problems: list[Problem],
    file: Path,
    line: int,
    path: str,
    *words: str,
    hint: tuple[str, ...] = (),
) -> Problem:
    """The one problem at ``file:line path`` whose message has ``words`` and hint has ``hint``."""
    found = [
        p
        for p in problems
        if p.file == str(file)
        and p.line == line
        and p.path == path
        and all(w in p.message for w in words)
        and all(h in (p.hint or "") for h in hint)
    ]
    shown = "\n".join(str(p) for p in problems)
    assert len(found) == 1, f"expected one problem at {file.name}:{line} {path} {words} {hint}, got:\n{shown}"
    problem = found[0]
    assert str(problem).startswith(f"{file}:{line} {path}: ")
    return problem


def only(problems: list[Problem], file: Path, line: int, path: str, *words: str, hint: tuple[str, ...] = ()) -> None:
    find(problems, file, line, path, *words, hint=hint)
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(str(p) for p in problems)


# ------------------------------------------------------------------ conditions


def test_unknown_operator(rules: Path) -> None:
    edit(rules, P1, HOLDER, HOLDER.replace("contains:", "containz:"))
    line = line_of(rules, P1, "containz:")
    only(
        problems_of(rules),
        rules / P1,
        line,
        "program.criteria[4].condition.containz",
        "unknown operator 'containz'",
        hint=("did you mean 'contains'?",),
    )


def test_unknown_fact(rules: Path) -> None:
    edit(rules, P1, HOLDER, HOLDER.replace("patent.holders", "patent.holdrs"))
    line = line_of(rules, P1, "patent.holdrs")
    only(
        problems_of(rules),
        rules / P1,
        line,
        "program.criteria[4].condition.fact",
        "unknown fact 'patent.holdrs'",
        hint=("did you mean 'patent.holders'?",),
    )


def test_unknown_parameter(rules: Path) -> None:
    edit(rules, P1, "{param: puyang_divisions}", "{param: puyang_division}")
    line = line_of(rules, P1, "{param: puyang_division}")
    only(
        problems_of(rules),
        rules / P1,
        line,
        "program.criteria[5].condition.in.param",
        "unknown parameter 'puyang_division'",
        hint=("did you mean 'puyang_divisions'?",),
    )


def test_quote_not_verbatim_in_source(rules: Path) -> None:
    edit(rules, P1, "      quote: 对企业获得发明专利授权\n", "      quote: 对企业获得发明专利授权书\n")
    line = line_of(rules, P1, "quote: 对企业获得发明专利授权书")
    only(
        problems_of(rules),
        rules / P1,
        line,
        "program.criteria[4].quote",
        "not found verbatim",
        "对企业获得发明专利授权书",
        hint=("exactly",),
    )


def test_money_compared_with_a_boolean(rules: Path) -> None:
    edit(rules, P2, '{fact: transaction_amount, gt: "0.00"}', "{fact: transaction_amount, gt: true}")
    line = line_of(rules, P2, "{fact: transaction_amount, gt: true}")
    only(
        problems_of(rules),
        rules / P2,
        line,
        "program.criteria[4].condition.all[0].gt",
        "money",
        "bool",
    )


def test_enum_value_that_does_not_exist(rules: Path) -> None:
    edit(rules, COMMON, "{fact: patent.kind, eq: invention}", "{fact: patent.kind, eq: inventon}")
    line = line_of(rules, COMMON, "eq: inventon")
    only(
        problems_of(rules),
        rules / COMMON,
        line,
        "criteria[1].condition.eq",
        "'inventon' is not a value of patent.kind",
        hint=("did you mean 'invention'?",),
    )


def test_enum_value_in_a_nested_condition(rules: Path) -> None:
    edit(rules, P3, "{fact: applicant.type, eq: individual}", "{fact: applicant.type, eq: indvidual}")
    line = line_of(rules, P3, "eq: indvidual")
    only(
        problems_of(rules),
        rules / P3,
        line,
        "program.criteria[0].condition.all[0].eq",
        "'indvidual' is not a value of applicant.type",
        hint=("did you mean 'individual'?",),
    )


def test_derived_conditions_in_a_cycle(rules: Path) -> None:
    edit(
        rules,
        COMMON,
        "condition: {fact: patent.high_value.strategic_emerging_industry, eq: true}",
        "condition: {derived: high-value}",
    )
    problems = problems_of(rules)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    problem = problems[0]
    assert problem.file == str(rules / COMMON)
    assert problem.path.startswith("derived[")
    assert "hv-strategic-emerging-industry" in problem.message and "high-value" in problem.message
    entry_lines = {
        line_of(rules, COMMON, "- id: hv-strategic-emerging-industry"),
        line_of(rules, COMMON, "condition: {derived: high-value}"),
        line_of(rules, COMMON, "- id: high-value"),
        line_of(rules, COMMON, "- {derived: hv-strategic-emerging-industry}"),
    }
    assert problem.line in entry_lines


def test_problem_in_a_derived_condition_is_reported(rules: Path) -> None:
    edit(rules, COMMON, "in: [gold, silver, excellence]", "in: [gold, silvr, excellence]")
    problems = problems_of(rules)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    problem = problems[0]
    assert problem.file == str(rules / COMMON)
    assert problem.path.startswith("derived[4].condition")
    assert problem.line in {
        line_of(rules, COMMON, "in: [gold, silvr, excellence]"),
        line_of(rules, COMMON, "- id: hv-award-winning") + 3,  # its `condition:` line
    }
    assert "'silvr'" in problem.message


# ------------------------------------------------------------ files and fields


def test_duplicate_key(rules: Path) -> None:
    edit(
        rules,
        P1,
        "      clause: 三(二)2\n      quote: 对企业获得发明专利授权\n",
        "      clause: 三(二)2\n      clause: 三(二)2\n      quote: 对企业获得发明专利授权\n",
    )
    second = line_of(rules, P1, "quote: 对企业获得发明专利授权") - 1
    only(
        problems_of(rules),
        rules / P1,
        second,
        "program.criteria[4].clause",
        "duplicate key 'clause'",
        f"first given on line {second - 1}",
    )


def test_malformed_yaml(rules: Path) -> None:
    edit(rules, P1, "  applicant: enterprise\n", "  applicant: enterprise\n   code: P1\n")
    line = line_of(rules, P1, "   code: P1")
    problems = problems_of(rules)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    problem = problems[0]
    assert (problem.file, problem.line) == (str(rules / P1), line)
    assert problem.path.startswith("program"), str(problem)
    assert "malformed YAML" in problem.message


def test_malformed_parameters_file_is_reported(rules: Path) -> None:
    edit(rules, PARAMETERS, 'value: "0.10"}', 'value: "0.10"')
    problems = problems_of(rules)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    assert problems[0].file == str(rules / PARAMETERS)
    assert "malformed YAML" in problems[0].message


def test_unknown_field_in_a_criterion(rules: Path) -> None:
    edit(
        rules,
        P1,
        "      quote: 对企业获得发明专利授权\n",
        "      quote: 对企业获得发明专利授权\n      interpretaton: {zh: 说明, en: note}\n",
    )
    line = line_of(rules, P1, "interpretaton:")
    only(
        problems_of(rules),
        rules / P1,
        line,
        "program.criteria[4].interpretaton",
        "unknown field 'interpretaton'",
        hint=("did you mean 'interpretation'?",),
    )


def test_unknown_field_in_a_shared_criterion_is_the_only_problem(rules: Path) -> None:
    edit(
        rules,
        COMMON,
        "    quote: 获得发明专利授权\n    condition: {fact: patent.kind",
        "    quote: 获得发明专利授权\n    interpretaton: {zh: 说明, en: note}\n    condition: {fact: patent.kind",
    )
    line = line_of(rules, COMMON, "interpretaton:")
    only(
        problems_of(rules),
        rules / COMMON,
        line,
        "criteria[1].interpretaton",
        "unknown field 'interpretaton'",
        hint=("did you mean 'interpretation'?",),
    )


# ------------------------------------------------------------------ parameters


@pytest.mark.parametrize("rate", ["10", "1.5", "-0.10"])
def test_rate_outside_0_and_1(rules: Path, rate: str) -> None:
    edit(rules, PARAMETERS, 'value: "0.10"}', f'value: "{rate}"}}')
    line = line_of(rules, PARAMETERS, f'value: "{rate}"')
    only(
        problems_of(rules),
        rules / PARAMETERS,
        line,
        "parameters.purchase_reward_rate.values[0].value",
        "a rate is a fraction between 0 and 1",
        f"got {rate}",
    )


def test_applies_if_names_a_non_boolean_parameter(rules: Path) -> None:
    edit(rules, P1, "applies_if: require_outside_origin", "applies_if: award_per_patent")
    line = line_of(rules, P1, "applies_if: award_per_patent")
    only(
        problems_of(rules),
        rules / P1,
        line,
        "program.criteria[7].applies_if",
        "boolean parameter",
        "'award_per_patent' is money",
    )


# ------------------------------------------------------------ all at once


def test_several_problems_are_all_reported(rules: Path) -> None:
    edit(rules, P1, HOLDER, HOLDER.replace("contains:", "containz:"))
    edit(rules, P2, "lt: {param: purchase_reward_cap}", "lt: {param: purchase_reward_capp}")
    edit(rules, PARAMETERS, 'value: "0.10"}', 'value: "10"}')
    edit(rules, P3, "quote: 对拥有自主知识产权,能在濮阳", "quote: 对拥有自主知识产权，能在濮阳")
    problems = problems_of(rules)
    p1_line = line_of(rules, P1, "containz:")
    find(problems, rules / P1, p1_line, "program.criteria[4].condition.containz", "unknown operator")
    find(
        problems,
        rules / P2,
        line_of(rules, P2, "purchase_reward_capp"),
        "program.criteria[5].condition.lt.param",
        "unknown parameter 'purchase_reward_capp'",
        hint=("did you mean 'purchase_reward_cap'?",),
    )
    find(
        problems,
        rules / PARAMETERS,
        line_of(rules, PARAMETERS, 'value: "10"'),
        "parameters.purchase_reward_rate.values[0].value",
        "between 0 and 1",
    )
    p3_line = line_of(rules, P3, "对拥有自主知识产权，")
    find(problems, rules / P3, p3_line, "program.quote", "not found verbatim")
    assert len(problems) == 4, "\n".join(str(p) for p in problems)


# ------------------------------------------------------------ through the CLI


def test_broken_rule_file_through_the_cli(rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(rules, P1, HOLDER, HOLDER.replace("contains:", "containz:"))
    line = line_of(rules, P1, "containz:")
    code = main(["--rules", str(rules.parent), "check", str(SAMPLE)])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    assert f"{rules / P1}:{line} program.criteria[4].condition.containz: unknown operator 'containz'" in err
    assert "\n\n  hint: did you mean 'contains'?" in err


def test_derived_cycle_through_the_cli(rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(
        rules,
        COMMON,
        "condition: {fact: patent.high_value.strategic_emerging_industry, eq: true}",
        "condition: {derived: high-value}",
    )
    code = main(["--rules", str(rules.parent), "check", str(SAMPLE)])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    assert f"{rules / COMMON}:" in err


# ------------------------------------------------------------ engine limits and fields


def test_a_condition_too_large_for_the_engine_is_refused_when_the_rules_load(rules: Path) -> None:
    """durable_rules holds at most 31 expressions in one rule; a verdict may be spread over a few
    rules, but not over thousands: said at load time, at the criterion."""
    pairs = [
        f"{{any: [{{fact: applicant.type, eq: enterprise}}, {{fact: applicant.name, eq: 公司{i}}}]}}" for i in range(40)
    ]
    edit(rules, P1, HOLDER, "{all: [" + ", ".join(pairs) + "]}")
    problems = problems_of(rules)
    line = line_of(rules, P1, "{all: [{any:")
    find(problems, rules / P1, line, "program.criteria[4].condition", "too large for the inference engine")


def test_a_criterion_reading_a_claim_field_its_programme_does_not_carry_is_refused(rules: Path) -> None:
    edit(
        rules,
        P1,
        "claim_fields: [patent, industrialization, technology_from_outside_puyang]",
        "claim_fields: [patent, technology_from_outside_puyang]",
    )
    problems = problems_of(rules)
    line = line_of(rules, P1, "claim_fields:")
    find(
        problems,
        rules / P1,
        line,
        "program.claim_fields",
        "industrialized-in-puyang",
        "industrialization",
        hint=("add industrialization to claim_fields",),
    )


def test_an_unused_shared_criterion_is_still_checked(rules: Path) -> None:
    edit(
        rules,
        COMMON,
        "criteria:\n",
        "criteria:\n  - id: spare\n    label: {zh: 备用, en: spare}\n"
        "    clause: 三(二)2\n    quote: 不在原文中的话\n    condition: {fact: patent.kindd, eq: invention}\n"
        "    hint: {zh: 无, en: none}\n",
    )
    problems = problems_of(rules)
    assert any("patent.kindd" in p.message for p in problems), problems
    assert any("not found verbatim" in p.message for p in problems), problems


def test_an_interpretation_switch_with_no_value_is_off(rules: Path) -> None:
    edit(
        rules,
        PARAMETERS,
        "    values:\n      - {from: 2022-10-04, value: true}\n",
        "    unset: {zh: 未定, en: not decided}\n    values: []\n",
    )
    rulebook = load_rulebook(rules.parent)
    app = read_application(SAMPLE, rulebook)
    ids = [c.id for c in evaluate(app, rulebook).decisions[0].criteria]
    assert "no-infringement-record" not in ids and "policy-in-force" in ids


def test_a_parameter_date_that_is_not_real_is_said_in_words(rules: Path) -> None:
    edit(rules, PARAMETERS, '{from: 2022-10-04, value: "0.10"}', '{from: 2022-02-30, value: "0.10"}')
    problems = problems_of(rules)
    [problem] = [p for p in problems if "2022-02-30" in p.message or "YYYY-MM-DD" in p.message]
    assert problem.message == "expected a date YYYY-MM-DD, got '2022-02-30'"  # without pydantic's "Value error, "
    assert not any("Value error" in p.message for p in problems)


def test_a_nul_in_a_rule_file_is_named_with_its_line(rules: Path) -> None:
    edit(rules, PARAMETERS, '{from: 2022-10-04, value: "0.10"}', '{from: 2022-10-04, value: "0.\x0010"}')
    line = line_of(rules, PARAMETERS, '2022-10-04, value: "0.\x00')
    [problem] = problems_of(rules)
    assert str(problem) == (
        f"{rules / PARAMETERS}:{line}: the control character U+0000 cannot "
        "stand in a YAML file\n\n  hint: remove it: the file holds text, and text holds no control characters"
    )
