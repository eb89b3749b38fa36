"""The rule tools for programme staff, run as the command line runs them: lint and coverage.

Each broken case copies the shipped rules (and the scenarios) into a temporary tree,
breaks one thing, and checks the exact ``file:line path: message`` the tool prints.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from engine.cli import main
from engine.rulebook import load_rulebook
from engine.rulebook.tools.coverage import clause_coverage

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
FOLDER = "puyang-2022-19"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of rules/ and features/ side by side, as in the repository."""
    shutil.copytree(RULES, tmp_path / "rules")
    shutil.copytree(ROOT / "features", tmp_path / "features")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    found = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------- lint


def test_lint_passes_on_the_shipped_rules(capsys) -> None:
    assert run(capsys, "rules", "lint") == (0, "", "rules lint: no problems\n")


def test_lint_reports_each_kind_of_problem_at_its_file_and_line(tree, capsys) -> None:
    folder = tree / "rules" / FOLDER
    params, p2 = folder / "parameters.yaml", folder / "p2-patent-purchase-reward.yaml"
    # a parameter nothing uses
    edit(
        params,
        "  award_per_patent:\n",
        "  spare_amount:\n    label: {zh: 备用, en: spare}\n    type: money\n    clause: 三(二)2\n"
        '    values:\n      - {from: 2022-10-04, value: "1.00"}\n\n  award_per_patent:\n',
    )
    # an interpretation switch with no reason given
    edit(
        params,
        "    interpretation:\n      zh: “鼓励外地优秀专利技术在我市落地”是目的表述",
        "    note_removed:\n      zh: “鼓励外地优秀专利技术在我市落地”是目的表述",
    )
    edit(params, "    note_removed:\n", "    source:\n")
    # a criterion no scenario exercises
    edit(p2, "    - id: implemented\n", "    - id: put-into-practice\n")
    code, out, err = run(capsys, "rules", "lint", str(tree / "rules"))
    assert code == 1
    spare = line_of(params, "  spare_amount:")
    switch = line_of(params, "  require_outside_origin:")
    renamed = line_of(p2, "    - id: put-into-practice")
    assert out.splitlines() == [
        f"{params}:{spare} parameters.spare_amount: parameter 'spare_amount' is not used by any criterion, "
        "award or explanation",
        "",
        "  hint: remove it, or name it where the rule needs it",
        f"{params}:{switch} parameters.require_outside_origin: interpretation switch 'require_outside_origin' "
        "does not say why it is set as it is",
        "",
        "  hint: add interpretation: {zh: …, en: …} giving the reading of the plan it encodes",
        f"{p2}:{renamed} program.criteria[3]: no scenario in {tree / 'features'} exercises criterion "
        "'put-into-practice'",
        "",
        "  hint: add a scenario that names put-into-practice with the verdict it expects",
    ]
    assert err == "3 problem(s)\n"


def test_lint_reports_what_the_loader_refuses_with_file_and_line(tree, capsys) -> None:
    p1 = tree / "rules" / FOLDER / "p1-local-industrialization-award.yaml"
    edit(p1, "quote: 每项奖励50万元\n", "quote: 每项奖励五十万元\n")
    code, out, _ = run(capsys, "rules", "lint", str(tree / "rules"))
    line = line_of(p1, "quote: 每项奖励五十万元")
    assert code == 1
    assert out.startswith(
        f"{p1}:{line} program.criteria[8].quote: quote not found verbatim in the policy text: 每项奖励五十万元\n"
    )


def test_lint_reports_overlapping_in_force_windows(tree, capsys) -> None:
    later = tree / "rules" / "puyang-2025-01"
    shutil.copytree(tree / "rules" / FOLDER, later)
    edit(later / "policy.yaml", "  id: puyang-2022-19\n", "  id: puyang-2025-01\n")
    edit(
        later / "policy.yaml",
        "in_force: {from: 2022-10-04, to: 2025-06-30}",
        "in_force: {from: 2025-06-01, to: 2027-12-31}",
    )
    code, out, _ = run(capsys, "rules", "lint", str(tree / "rules"))
    line = line_of(later / "policy.yaml", "in_force:")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{later / 'policy.yaml'}:{line} policy.in_force: in force 2025-06-01…2027-12-31, overlapping "
        "'puyang-2022-19' (2022-10-04…2025-06-30): an application submitted in both windows could fall under either"
    )
    # meeting without overlapping is fine
    edit(later / "policy.yaml", "from: 2025-06-01", "from: 2025-07-01")
    assert run(capsys, "rules", "lint", str(tree / "rules"))[0] == 0


def test_lint_reports_a_fact_the_application_format_lacks(tree, capsys, monkeypatch) -> None:
    from engine.rulebook import facts

    spec = facts._f("patent.licence_fee", "money", "许可费", "licence fee")
    monkeypatch.setitem(facts.FACTS, spec.path, spec)
    p2 = tree / "rules" / FOLDER / "p2-patent-purchase-reward.yaml"
    edit(
        p2,
        "      condition: {fact: implemented, eq: true}\n",
        '      condition: {fact: patent.licence_fee, gt: "0.00"}\n',
    )
    code, out, _ = run(capsys, "rules", "lint", str(tree / "rules"))
    line = line_of(p2, "    - id: implemented")
    assert code == 1
    assert f"{p2}:{line} program.criteria[3]: reads patent.licence_fee, but the application format has no field " in out


# --------------------------------------------------------------------- coverage


INCENTIVE_CLAUSES = ("三(二)2", "三(一)6", "三(三)1", "序言")


def test_every_operative_phrase_of_the_incentive_clauses_is_covered() -> None:
    """三(二)2 and the clauses of the disqualifiers (D1 三(一)6, D2 三(三)1, D3 序言): 100 %."""
    ruleset = load_rulebook().rulesets[0]
    coverage = clause_coverage(ruleset, ROOT / "features")
    by_clause = {c.clause: c for c in coverage.clauses}
    assert set(INCENTIVE_CLAUSES) <= set(by_clause)
    for clause in INCENTIVE_CLAUSES:
        assert by_clause[clause].percent == 100, [p.text for p in by_clause[clause].phrases if p.status != "covered"]
    # the three provisions of 三(二)2 are taken whole from the plan, cut at its own commas
    phrases = [p.text for p in by_clause["三(二)2"].phrases]
    assert phrases == [
        "鼓励外地优秀专利技术在我市落地转化实施",
        "对企业获得发明专利授权并在我市辖区内实施产业化的",
        "每项奖励50万元",
        "对企业购买、引进国内外高等院校、科研机构及个人优秀专利技术并实施转化的",
        "(应属非关联交易)",
        "依技术交易额给予10%的奖励",
        "单个企业最高奖励不超过20万元",
        "对拥有自主知识产权",
        "能在濮阳实现成果转化且产生重大经济社会效益的高价值专利发明人",
        "给予面积不超160平方米的住房、每年最高100万元科研经费补贴等奖励",
    ]
    related = by_clause["三(二)2"].phrases[4]
    assert [e.id for e in related.encodings] == ["not-related-party"]
    assert related.scenarios and all("not-related-party" in s.text for s in related.scenarios)
    # 三(二)3: the pledge-loan subsidy encodes the operative phrase; the other two state its aim
    pledge = by_clause["三(二)3"].phrases
    assert [(p.text, p.status) for p in pledge] == [
        ("落实中小微企业知识产权质押贷款利息补贴等政策", "covered"),
        ("发挥好政府资金四两拨千金的撬动作用", "covered"),
        ("稳步提高我市知识产权质押融资质量", "covered"),
    ]
    assert [e.kind for e in pledge[1].encodings] == ["purpose"]
    # announced programmes are listed, not counted
    assert {p.status for p in by_clause["三(一)1"].phrases} == {"announced"}


def test_coverage_names_only_the_scenarios_of_a_phrases_clause_and_programme() -> None:
    """A criterion shared by several clauses or programmes (policy-in-force, applicant-is-enterprise)
    is listed as met in the tables of many scenarios; a phrase is verified only by those of its own
    clause and programme: 序言's window by the D3 scenarios, P4's phrase by the P4 scenarios."""
    coverage = clause_coverage(load_rulebook().rulesets[0], ROOT / "features")
    by_clause = {c.clause: c for c in coverage.clauses}
    window = next(p for p in by_clause["序言"].phrases if p.text == "试点时限自2022年7月至2025年6月")
    assert window.scenarios, "the D3 scenarios verify the window"
    assert all(s.name.startswith("序言（试点时限）") for s in window.scenarios), [s.name for s in window.scenarios]
    pledge = next(p for p in by_clause["三(二)3"].phrases if p.text.startswith("落实中小微企业"))
    assert pledge.scenarios
    assert all(Path(s.file).name == "pledge_loan_interest.feature" for s in pledge.scenarios), [
        (s.file, s.name) for s in pledge.scenarios
    ]
    purchase = next(p for p in by_clause["三(二)2"].phrases if p.text.startswith("对企业购买、引进"))
    assert purchase.scenarios and all("本地产业化" not in s.context for s in purchase.scenarios)


def test_a_phrase_no_criterion_encodes_is_listed_as_uncovered(tree, capsys) -> None:
    p2 = tree / "rules" / FOLDER / "p2-patent-purchase-reward.yaml"
    text = p2.read_text(encoding="utf-8")
    start = text.index("    - id: not-related-party")
    end = text.index("    - id: implemented")
    p2.write_text(text[:start] + text[end:], encoding="utf-8")
    code, out, _ = run(capsys, "rules", "coverage", str(tree / "rules"))
    assert code == 1
    assert "三(二)2  90%" in out
    assert "  ✘ “(应属非关联交易)” — 未覆盖" in out
    assert out.rstrip().endswith("未覆盖: 1")


def test_coverage_as_html_is_a_printable_page(capsys) -> None:
    code, out, _ = run(capsys, "rules", "coverage", "--format", "html", "--lang", "en")
    assert code == 0
    assert out.startswith("<!doctype html>") and "@media print" in out
    assert "<h2>三(二)2 · 100%</h2>" in out and "(应属非关联交易)" in out


# ------------------------------------------------------------------------- show


def test_show_gives_each_criterion_beside_the_plans_words_with_checked_examples(capsys) -> None:
    code, out, _ = run(capsys, "rules", "show", "P2")
    assert code == 0
    assert out.splitlines()[0] == "P2 · 专利技术购买奖励"
    assert (
        "  三(二)2 “对企业购买、引进国内外高等院校、科研机构及个人优秀专利技术并实施转化的(应属非关联交易),"
        "依技术交易额给予10%的奖励,单个企业最高奖励不超过20万元”"
    ) in out
    block = out[out.index("2. 卖方为高等院校、科研机构或个人 (seller-type)") :].split("\n\n")[0].splitlines()
    assert block == [
        "2. 卖方为高等院校、科研机构或个人 (seller-type)",
        "  三(二)2 “国内外高等院校、科研机构及个人”",
        "- 规则: 卖方类型属于参数 seller_types_covered（高等院校、科研机构、个人）",
        "- 参数 seller_types_covered (购买奖励覆盖的卖方类型): 自 2022-10-04: 高等院校、科研机构、个人 — "
        "三(二)2 国内外高等院校、科研机构及个人",
        "- 满足的例子: 卖方类型 高等院校",
        "- 不满足的例子: 卖方类型 企业",
        "- 如何满足: 本项只奖励从国内外高等院校、科研机构或个人处购买、引进的专利技术；从企业购买的不在范围内。",
    ]


def test_every_example_on_the_pages_gives_the_verdict_it_claims() -> None:
    """The examples are found from the rules, then checked by evaluating the criterion on them."""
    from engine.rulebook.conditions import UNSET
    from engine.rulebook.logic import evaluate
    from engine.rulebook.tools.pages import EXAMPLE_BASE
    from engine.rulebook.witness import witness

    ruleset = load_rulebook().rulesets[0]
    period = ruleset.period_of(date(2024, 3, 15))
    for program in ruleset.programs.values():
        for c in program.criteria:
            if c.discretionary:
                continue
            cond = ruleset.bound(period, program.id, "criterion", c.id)
            unset = [p for p in c.params if ruleset.param_value(p, period.start or date.min) is UNSET]
            for want in ("met", "not_met"):
                found = witness(cond, want, dict(EXAMPLE_BASE))
                if found is None:  # only where a parameter nobody has set decides: the page says why
                    assert unset, (program.id, c.id, want)
                    continue
                assert evaluate(cond, {**EXAMPLE_BASE, **{k: v for k, v in found.items() if v is not None}}) == want


def test_show_in_english_markdown_and_html(capsys) -> None:
    code, out, _ = run(capsys, "rules", "show", "local-industrialization-award", "--format", "md", "--lang", "en")
    assert code == 0 and out.startswith("# P1 · Local industrialization award\n")
    assert "## 8. The technology comes from outside Puyang (technology-from-outside-puyang)" in out
    assert "(switch require_outside_origin = no)" in out
    code, out, _ = run(capsys, "rules", "show", "--format", "html")
    assert code == 0 and out.count("<section") == 4 and "page-break-before: always" in out
    assert "由评审小组认定，引擎不作判断（待评审）" in out  # P3's significant-benefit


def test_show_of_an_unknown_programme_names_those_there_are(capsys) -> None:
    code, _, err = run(capsys, "rules", "show", "P9")
    assert code == 2
    assert err == (
        "error: no programme 'P9' in puyang-2022-19; programmes: local-industrialization-award, "
        "patent-purchase-reward, high-value-inventor-grant, ip-pledge-loan-interest-subsidy\n"
    )


# ------------------------------------------------------------------- programmes


def test_programmes_lists_operative_and_announced_with_their_clauses(capsys) -> None:
    code, out, _ = run(capsys, "programmes")
    assert code == 0
    assert out.splitlines() == [
        "puyang-2022-19  P1 local-industrialization-award  本地产业化发明专利奖励  三(二)2  可评审  "
        "2022-10-04…2025-06-30",
        "puyang-2022-19  P2 patent-purchase-reward  专利技术购买奖励  三(二)2  可评审  2022-10-04…2025-06-30",
        "puyang-2022-19  P3 high-value-inventor-grant  高价值专利发明人奖励  三(二)2  可评审  2022-10-04…2025-06-30",
        "puyang-2022-19  P4 ip-pledge-loan-interest-subsidy  中小微企业知识产权质押贷款利息补贴  三(二)3  "
        "已公布、未生效  2022-10-04…2025-06-30",
        "    方案未规定补贴比例，待主管部门以参数形式确定后方可评审；"
        "方案未规定补贴上限，待主管部门以参数形式确定后方可评审",
        "puyang-2022-19  puyang-patent-award  濮阳市专利奖  三(一)1  已公布、未生效  2022-10-04…2025-06-30",
        "    条件和金额待《濮阳市专利奖励办法》规定，目前不能评审",
    ]


# -------------------------------------------------------------- rule tests in YAML

CASES = ROOT / "tests" / "rule_cases"


def _case_ids() -> list[str]:
    import yaml

    return [
        f"{path.name}:{i}"
        for path in sorted(CASES.glob("*.yaml"))
        for i, _ in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])
    ]


@pytest.fixture(scope="module")
def rule_case_results():
    from engine.services.rule_tests import run_rule_tests

    return run_rule_tests(CASES, load_rulebook())


@pytest.mark.parametrize("case", _case_ids())
def test_rule_case(case, rule_case_results) -> None:
    """Every case the programme staff wrote in tests/rule_cases/ holds."""
    name, index = case.rsplit(":", 1)
    result = [r for r in rule_case_results if Path(r.file).name == name][int(index)]
    assert result.passed, f"{result.name}: " + "; ".join(result.failures)


def test_rules_test_reports_each_failed_expectation_readably(tmp_path, capsys) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n"
        "  - name: 错误的期望\n"
        f"    application: {ROOT / 'applications' / 'purchase-two-deals.yaml'}\n"
        "    expect:\n"
        '      - {claim: 2, outcome: eligible, amount: "120000.00", not_met: [cap-not-reached]}\n'
        "      - {claim: 3, outcome: eligible}\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "rules", "test", str(cases))
    assert code == 1
    assert out.splitlines() == [
        f"✘ {cases}:2 错误的期望",
        "    claim 2 amount: expected 120000.00, got 80000.00",
        "    claim 2 not_met: expected ['cap-not-reached'], got []",
        "    claim 3: the application has no such claim",
        "0 passed, 1 failed",
    ]


def test_a_broken_rule_test_file_is_refused_with_file_and_line(tmp_path, capsys) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n  - name: x\n    application: a.yaml\n    expect:\n      - {claim: 1, outcome: granted}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "rules", "test", str(cases))
    assert code == 2
    assert err.startswith(f"error: {cases}:5 cases[0].expect[0].outcome: Input should be 'eligible', 'ineligible'")


def test_lint_of_a_rules_folder_with_no_scenarios_beside_it_says_how_to_give_them(tmp_path, capsys) -> None:
    """The later-policy recipe's scratch folder: lint says once that no scenarios are there, and
    how to give them; given them, it passes."""
    scratch = tmp_path / "two-rulesets"
    shutil.copytree(RULES / "puyang-2022-19", scratch / "puyang-2022-19")
    code, out, err = run(capsys, "--rules", str(scratch), "rules", "lint")
    features = tmp_path / "features"
    assert (code, out) == (
        1,
        f"{features}: no scenarios folder: criteria cannot be matched\n\n"
        "  hint: give the scenarios with --features DIR (the shipped ones: --features features)\n",
    )
    assert err.endswith("1 problem(s)\n")
    code, out, err = run(capsys, "--rules", str(scratch), "rules", "lint", "--features", str(ROOT / "features"))
    assert (code, out) == (0, ""), out + err
