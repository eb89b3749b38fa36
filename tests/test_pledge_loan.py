"""The pledge-loan interest subsidy (三(二)3): waits for its rate and cap, then decides by the SME classes.

The shipped rules leave the rate and cap unset, so a claim is refused at intake with the
reason; once the programme office sets them (a dated value in the rule files, or a
what-if), the programme is operative from that date. The SME thresholds are a dated
parameter: a revision is a new value in the file, never code.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import Evaluator, assessment_json
from engine.cli import main
from engine.errors import ApplicationError, RuleFileError
from engine.reading import application_from_data
from engine.rulebook import load_rulebook
from engine.yamlio import Located

ROOT = Path(__file__).resolve().parents[1]
FOLDER = "puyang-2022-19"
P4 = "ip-pledge-loan-interest-subsidy"
OPERATIVE = ["pledge_loan_interest_rate=0.5", "pledge_loan_interest_cap=500000.00"]


def application(submitted_on: str = "2024-03-15", **size: Any) -> dict[str, Any]:
    return {
        "format": 1,
        "id": "PY-2024-0901",
        "submitted_on": submitted_on,
        "applicant": {
            "type": "enterprise",
            "name": "濮阳市龙丰新材料有限公司",
            "credit_code": "91410902MA44P5T29U",
            "division": "410902",
        },
        "claims": [
            {
                "program": P4,
                "patent": {"number": "ZL202010123456.2", "kind": "invention", "holder": "濮阳市龙丰新材料有限公司"},
                "enterprise_size": {"industry": "industrial", "employees": 120, "revenue": "52000000.00", **size},
                "pledge_loan": {"lender": "中国银行濮阳分行", "amount": "5000000.00", "pledge_registered": True},
                "interest_paid": "180000.00",
            }
        ],
    }


def read(data: dict[str, Any], rulebook: Any) -> Any:
    return application_from_data(Located(data, {}, "p4.yaml"), rulebook)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    return copy


def set_values(rules: Path, name: str, values: list[dict[str, Any]]) -> None:
    path = rules / FOLDER / "parameters.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["parameters"][name]["values"] = values
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_claim_is_refused_until_the_rate_and_cap_are_set(tmp_path, capsys) -> None:
    path = tmp_path / "p4.yaml"
    path.write_text(yaml.safe_dump(application(), allow_unicode=True), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = next(i for i, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "program:" in x)
    assert err == (
        f"error: {path}:{line} claims[1].program: programme 'ip-pledge-loan-interest-subsidy'"
        " (三(二)3 of 濮政〔2022〕19号) cannot be applied to applications submitted on 2024-03-15 yet:"
        " pledge_loan_interest_rate, pledge_loan_interest_cap not set\n\n"
        "  hint: the plan fixes no rate; encodable once the programme office sets it as a parameter;"
        " the plan fixes no cap; encodable once the programme office sets it as a parameter\n"
    )
    assert main(["check", str(path), "--format", "json", *[x for s in OPERATIVE for x in ("--set", s)]]) == 0


def test_the_programme_is_operative_from_the_date_its_parameters_are_set(rules, capsys) -> None:
    set_values(rules, "pledge_loan_interest_rate", [{"from": "2024-07-01", "value": "0.50"}])
    set_values(rules, "pledge_loan_interest_cap", [{"from": "2024-07-01", "value": "500000.00"}])
    rulebook = load_rulebook(rules)
    with pytest.raises(ApplicationError, match="submitted on 2024-06-30 yet: pledge_loan_interest_rate, pledge_loan"):
        read(application("2024-06-30"), rulebook)
    decision = Evaluator(rulebook).evaluate(read(application("2024-07-01"), rulebook)).decisions[0]
    assert (decision.outcome, str(decision.amount)) == ("eligible", "90000.00")
    assert main(["--rules", str(rules), "programmes", "--lang", "en"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if P4 in x)
    assert line.endswith("三(二)3  operative  2024-07-01…2025-06-30")


def test_a_revised_size_classification_is_a_new_dated_value(rules) -> None:
    """A (hypothetical) revision from 2024-01-01 that lowers the industrial medium floor to 250
    staff: firms submitted after it are classed by it, earlier ones by the 2011 thresholds."""
    path = rules / FOLDER / "parameters.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = data["parameters"]["sme_size_classes"]["values"]
    revised = yaml.safe_load(yaml.safe_dump(values[0]["value"]))
    revised["industrial"]["medium"]["employees"] = 250
    values.append({"from": "2024-01-01", "value": revised})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rulebook = load_rulebook(rules).with_overrides(OPERATIVE)
    evaluator = Evaluator(rulebook)
    firm = {"employees": 260, "revenue": "30000000.00"}

    def size(when: str) -> Any:
        result = evaluator.evaluate(read(application(when, **firm), rulebook))
        return result.decisions[0].criteria[1].fact["enterprise_size.sme_class"]

    assert (size("2023-12-31"), size("2024-01-01")) == ("small", "medium")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "{construction: {sme_below: {employees: 1}, medium: {employees: 1}, small: {employees: 1}}}",
            "'construction'",
        ),
        ("{industrial: {sme_below: {employees: 1000}, medium: {employees: 300}}}", "give exactly sme_below"),
        (
            "{industrial: {sme_below: {staff: 1}, medium: {employees: 1}, small: {employees: 1}}}",
            "a mapping of measures",
        ),
        ("{retail: {sme_below: {employees: 300}, medium: {employees: 5}, small: {employees: 10}}}", "small floor"),
        ('{retail: {sme_below: {revenue: "2亿"}, medium: {employees: 50}, small: {employees: 10}}}', "not in 万 or 亿"),
    ],
)
def test_a_malformed_size_table_is_refused_at_its_line(rules, value: str, message: str) -> None:
    path = rules / FOLDER / "parameters.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("      - from: 2011-06-18")
    path.write_text(text[:start] + f"      - from: 2011-06-18\n        value: {value}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rulebook(rules)
    [problem] = caught.value.problems
    assert problem.path == "parameters.sme_size_classes.values[0].value" and message in problem.message
    assert problem.line == text[:start].count("\n") + 2


def test_requires_names_a_declared_parameter(rules) -> None:
    path = rules / FOLDER / "p4-ip-pledge-loan-interest-subsidy.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("requires: [pledge_loan_interest_rate,", "requires: [pledge_loan_interest_rat,"))
    with pytest.raises(RuleFileError) as caught:
        load_rulebook(rules)
    [problem] = caught.value.problems
    assert (problem.path, problem.message) == ("program.requires[0]", "unknown parameter 'pledge_loan_interest_rat'")
    assert problem.hint == "did you mean 'pledge_loan_interest_rate'?"


def test_the_size_class_needs_its_table(rules) -> None:
    path = rules / FOLDER / "parameters.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  sme_size_classes:", "  sme_size_classes_2011:"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rulebook(rules)
    assert any(
        "reads enterprise_size.sme_class, which is computed with a size_classes parameter named 'sme_size_classes'"
        in p.message
        for p in caught.value.problems
    )


def test_the_engine_and_the_oracle_decide_every_variant_alike() -> None:
    rulebook = load_rulebook().with_overrides(OPERATIVE)
    engine, oracle = Evaluator(rulebook), Evaluator(rulebook, backend="oracle")
    seen: set[tuple[str, str]] = set()
    industries = ("industrial", "wholesale", "retail", "software_it", "information_transmission", "other")
    for industry, employees, revenue, registered, interest in itertools.product(
        industries,
        (None, 0, 19, 300, 5000),
        (None, "100000.00", "50000000.00", "900000000.00"),
        (True, False, None),
        (None, "1.00"),
    ):
        data = application(industry=industry, employees=employees, revenue=revenue)
        claim = data["claims"][0]
        for key, value in (("employees", employees), ("revenue", revenue)):
            if value is None:
                del claim["enterprise_size"][key]
        if registered is None:
            del claim["pledge_loan"]["pledge_registered"]
        else:
            claim["pledge_loan"]["pledge_registered"] = registered
        if interest is None:
            del claim["interest_paid"]
        else:
            claim["interest_paid"] = interest
        app = read(data, rulebook)
        ruleset = rulebook.rulesets[0]
        got = assessment_json(engine.evaluate(app), ruleset)
        want = assessment_json(oracle.evaluate(app), ruleset)
        got.pop("engine"), want.pop("engine")
        assert got == want, data
        seen.update((c["id"], c["status"]) for c in got["decisions"][0]["criteria"])
    for criterion in ("small-or-medium-enterprise", "ip-pledge-registered"):
        assert {s for c, s in seen if c == criterion} == {"met", "not_met", "unknown"}, criterion


def test_the_english_words_name_the_threshold_nobody_has_published(capsys) -> None:
    """The Chinese names it (“较高质押融资金额”的具体门槛); the English said only "no threshold"."""
    from engine.cli import main

    sample = Path(__file__).resolve().parents[1] / "applications" / "review-p3-pledge-financing-only.yaml"
    main(["check", str(sample), "--lang", "en"])
    said = capsys.readouterr().out
    assert 'no threshold for a "high" amount of pledge financing has been published' in said
