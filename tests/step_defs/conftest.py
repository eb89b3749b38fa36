"""Steps shared by every feature: build an application from readable facts,
evaluate it through the public engine API, and check what was decided.

An application starts from a complete, valid base for its programme (the
dicts below). A scenario's Background shows the key facts as a table; each
row is written into the base through ``FIELDS``, so what the officer reads is
what the engine receives. Later steps change one fact at a time. "When" steps
write the application to a YAML file, read it back with ``read_application``
(the same validation as the command line) and evaluate it; "then" steps check
the contract's JSON and the Chinese text a reviewer signs off from.
"""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, then, when

from engine import (
    AwardRef,
    InputError,
    Rulebook,
    assessment_json,
    evaluate,
    load_rulebook,
    read_application,
    render_text,
)
from engine.explain.words import field_label

RULES = Path(__file__).resolve().parents[2] / "rules"
RULESET = "puyang-2022-19"

ENTERPRISE = "濮阳市龙丰新材料有限公司"
CREDIT_CODE = "91410902MA44P5T29U"  # check character U

P1 = "local-industrialization-award"
P2 = "patent-purchase-reward"
P3 = "high-value-inventor-grant"
P4 = "ip-pledge-loan-interest-subsidy"
PROGRAMMES = {
    "本地产业化发明专利奖励": P1,
    "专利技术购买奖励": P2,
    "高价值专利发明人奖励": P3,
    "中小微企业知识产权质押贷款利息补贴": P4,
}


def _patent(holder: str) -> dict[str, Any]:
    return {
        "number": "ZL202010123456.2",
        "kind": "invention",
        "holder": holder,
        "filed_on": "2020-05-06",
        "granted_on": "2022-08-09",
        "in_force": True,
        "abnormal": False,
    }


def _enterprise() -> dict[str, Any]:
    return {
        "type": "enterprise",
        "name": ENTERPRISE,
        "credit_code": CREDIT_CODE,
        "division": "410902",
        "infringement_record": False,
    }


BASE_P1: dict[str, Any] = {
    "format": 1,
    "id": "PY-2024-0101",
    "submitted_on": "2024-03-15",
    "applicant": _enterprise(),
    "claims": [
        {
            "program": P1,
            "patent": _patent(ENTERPRISE),
            "industrialization": {"division": "410928", "started_on": "2022-09-01"},
        }
    ],
}

BASE_P2: dict[str, Any] = {
    "format": 1,
    "id": "PY-2024-0201",
    "submitted_on": "2024-03-15",
    "applicant": _enterprise(),
    "claims": [
        {
            "program": P2,
            "patent": _patent(ENTERPRISE),
            "seller": {"type": "university", "name": "郑州大学", "country": "CN"},
            "deal": "assignment",
            "related_party": False,
            "transaction_amount": "1200000.00",
            "contract_registered": True,
            "implemented": True,
        }
    ],
}

BASE_P3: dict[str, Any] = {
    "format": 1,
    "id": "PY-2024-0301",
    "submitted_on": "2024-03-15",
    "applicant": {"type": "individual", "name": "张伟", "division": "410902", "infringement_record": False},
    "claims": [
        {
            "program": P3,
            "patent": {
                **_patent("张伟"),
                "inventors": ["张伟", "李娜"],
                "high_value": {"strategic_emerging_industry": True},
            },
            "owns_ip": True,
            "transformed_in_puyang": True,
            "benefits": "2023 年新增产值 3,000 万元，新增就业 120 人",
        }
    ],
}

BASE_P4: dict[str, Any] = {
    "format": 1,
    "id": "PY-2024-0901",
    "submitted_on": "2024-03-15",
    "applicant": _enterprise(),
    "claims": [
        {
            "program": P4,
            "patent": _patent(ENTERPRISE),
            "enterprise_size": {"industry": "industrial", "employees": 120, "revenue": "52000000.00"},
            "pledge_loan": {"lender": "中国银行濮阳分行", "amount": "5000000.00", "pledge_registered": True},
            "interest_paid": "180000.00",
        }
    ],
}

BASES = {P1: BASE_P1, P2: BASE_P2, P3: BASE_P3, P4: BASE_P4}

# Valid sample patents of each kind: (number, kind, filed_on, granted_on); the
# check digits are right and the application numbers start with the filing year.
SAMPLE_PATENTS = {
    "发明专利": ("ZL202010123456.2", "invention", "2020-05-06", "2022-08-09"),
    "实用新型": ("ZL202121234567.7", "utility_model", "2021-06-01", "2021-12-10"),
    "外观设计": ("ZL202130345678.4", "design", "2021-07-01", "2021-11-20"),
}

OUTCOMES = {"符合条件": "eligible", "不符合条件": "ineligible", "待评审": "needs_review"}
STATUSES = {"满足": "met", "不满足": "not_met", "待定": "unknown"}
YES_NO = {"是": True, "否": False}


def _enum(mapping: dict[str, str]) -> Callable[[str], str]:
    def convert(value: str) -> str:
        if value not in mapping:
            raise ValueError(f"“{value}” is not one of {', '.join(mapping)}")
        return mapping[value]

    return convert


def _yes_no(value: str) -> bool:
    return _enum({k: k for k in YES_NO})(value) == "是"


def _money(value: str) -> str:
    return value.replace(",", "").replace("元", "").strip()


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split("、") if name.strip()]


# Readable field name -> (path in the application, where "claim" is the claim
# being described; converter from the written value).
FIELDS: dict[str, tuple[tuple[str, ...], Callable[[str], Any]]] = {
    "申请编号": (("id",), str),
    "提交日期": (("submitted_on",), str),
    "申请人类型": (("applicant", "type"), _enum({"企业": "enterprise", "个人": "individual"})),
    "申请人名称": (("applicant", "name"), str),
    "统一社会信用代码": (("applicant", "credit_code"), str),
    "申请人登记地": (("applicant", "division"), str),
    "专利号": (("claim", "patent", "number"), str),
    "专利类型": (
        ("claim", "patent", "kind"),
        _enum({"发明专利": "invention", "实用新型": "utility_model", "外观设计": "design"}),
    ),
    "专利权人": (("claim", "patent", "holder"), str),
    "专利申请日": (("claim", "patent", "filed_on"), str),
    "授权日": (("claim", "patent", "granted_on"), str),
    "专利有效": (("claim", "patent", "in_force"), _yes_no),
    "发明人": (("claim", "patent", "inventors"), _names),
    "产业化地点": (("claim", "industrialization", "division"), str),
    "产业化开始日期": (("claim", "industrialization", "started_on"), str),
    "卖方类型": (
        ("claim", "seller", "type"),
        _enum(
            {
                "高等院校": "university",
                "科研机构": "research_institute",
                "个人": "individual",
                "企业": "enterprise",
            }
        ),
    ),
    "卖方名称": (("claim", "seller", "name"), str),
    "卖方国家": (("claim", "seller", "country"), str),
    "交易方式": (("claim", "deal"), _enum({"转让": "assignment", "许可": "license"})),
    "关联交易": (("claim", "related_party"), _yes_no),
    "技术交易额": (("claim", "transaction_amount"), _money),
    "技术合同已认定登记": (("claim", "contract_registered"), _yes_no),
    "已实施转化": (("claim", "implemented"), _yes_no),
    "属于战略性新兴产业": (("claim", "patent", "high_value", "strategic_emerging_industry"), _yes_no),
    "拥有自主知识产权": (("claim", "owns_ip"), _yes_no),
    "在濮阳实现成果转化": (("claim", "transformed_in_puyang"), _yes_no),
    "经济社会效益": (("claim", "benefits"), str),
    "所属行业": (
        ("claim", "enterprise_size", "industry"),
        _enum(
            {
                "工业": "industrial",
                "批发业": "wholesale",
                "零售业": "retail",
                "软件和信息技术服务业": "software_it",
                "信息传输业": "information_transmission",
                "其他行业": "other",
            }
        ),
    ),
    "从业人员": (("claim", "enterprise_size", "employees"), int),
    "上年营业收入": (("claim", "enterprise_size", "revenue"), _money),
    "贷款银行": (("claim", "pledge_loan", "lender"), str),
    "质押贷款金额": (("claim", "pledge_loan", "amount"), _money),
    "知识产权质押已登记": (("claim", "pledge_loan", "pledge_registered"), _yes_no),
    "已付贷款利息": (("claim", "interest_paid"), _money),
}
FIELD_NAMES = "|".join(sorted(map(re.escape, FIELDS), key=len, reverse=True))


class RecordedAwards:
    """Awards recorded by earlier decisions: a ledger as the engine's ``Ledger``
    protocol describes it, filled by the scenario."""

    def __init__(self) -> None:
        self.by_patent: dict[tuple[str, str], list[AwardRef]] = {}
        self.by_enterprise: dict[tuple[str, str], list[AwardRef]] = {}

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        return tuple(self.by_patent.get((program, patent), ()))

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        return tuple(self.by_enterprise.get((program, credit_code), ()))


@dataclass
class Case:
    """One application being built, and what the engine decided on it."""

    data: dict[str, Any]
    ledger: RecordedAwards = field(default_factory=RecordedAwards)
    rulebook: Rulebook | None = None  # rules with parameters changed by the scenario, else the shipped ones
    result: dict[str, Any] | None = None
    error: str | None = None  # why the application was not taken, when it was refused
    text: str = ""
    text_en: str = ""

    def claim(self, n: int | str | None = None) -> dict[str, Any]:
        return self.data["claims"][int(n or 1) - 1]

    def decision(self, n: int | str | None = None) -> dict[str, Any]:
        assert self.result is not None, f"the application has not been evaluated: {self.error}"
        decisions = self.result["decisions"]
        number = int(n or 1)
        assert 1 <= number <= len(decisions), f"there is no claim {number}; {len(decisions)} decided"
        decision = decisions[number - 1]
        assert decision["claim"] == number
        return decision

    def criterion(self, criterion_id: str, n: int | str | None = None) -> dict[str, Any]:
        found = [c for c in self.decision(n)["criteria"] if c["id"] == criterion_id]
        listed = [c["id"] for c in self.decision(n)["criteria"]]
        assert len(found) == 1, f"criterion {criterion_id} listed {len(found)} times in {listed}"
        return found[0]

    def set(self, name: str, value: str, n: int | str | None = None) -> None:
        path, convert = FIELDS[name]
        if name == "专利类型" and self.claim(n)["patent"].get("kind") != convert(value):
            # the kind must agree with the number's type digit: take a sample patent of that kind
            _use_sample_patent(self.claim(n), value)
            return
        target = self.claim(n) if path[0] == "claim" else self.data
        keys = path[1:] if path[0] == "claim" else path
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = convert(value)

    def remove(self, name: str, n: int | str | None = None) -> None:
        path, _ = FIELDS[name]
        target = self.claim(n) if path[0] == "claim" else self.data
        keys = path[1:] if path[0] == "claim" else path
        for key in keys[:-1]:
            target = target[key]
        assert keys[-1] in target, f"the application has no “{name}” to leave out"
        del target[keys[-1]]


def _use_sample_patent(claim: dict[str, Any], kind_zh: str) -> None:
    number, kind, filed_on, granted_on = SAMPLE_PATENTS[kind_zh]
    claim["patent"].update(number=number, kind=kind, filed_on=filed_on, granted_on=granted_on)


def key_value_rows(datatable: list[list[str]] | None) -> list[tuple[str, str]]:
    rows = [tuple(cell.strip() for cell in row) for row in datatable or []]
    if rows and rows[0] == ("事项", "内容"):
        rows = rows[1:]
    for row in rows:
        assert len(row) == 2, f"a fact is written as | 事项 | 内容 |, got {row}"
    return [(k, v) for k, v in rows]


def new_case(programme_zh: str, datatable: list[list[str]] | None) -> Case:
    case = Case(copy.deepcopy(BASES[PROGRAMMES[programme_zh]]))
    for name, value in key_value_rows(datatable):
        assert name in FIELDS, f"unknown fact “{name}”; known: {'、'.join(FIELDS)}"
        case.set(name, value)
    return case


def write_application(case: Case, folder: Path) -> Path:
    path = folder / f"{case.data['id']}.yaml"
    path.write_text(yaml.safe_dump(case.data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def amount_text(amount: str) -> str:
    """An amount such as 120000.00 as the text output writes it: 120,000.00."""
    return f"{Decimal(amount):,.2f}"


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return load_rulebook()


# ------------------------------------------------------------------ given


@given(
    parsers.re(
        r"一份(?P<programme>本地产业化发明专利奖励|专利技术购买奖励|高价值专利发明人奖励"
        r"|中小微企业知识产权质押贷款利息补贴)申请(?:，材料齐全)?[：:]?"
    ),
    target_fixture="case",
)
def an_application(programme: str, datatable: list[list[str]] | None = None) -> Case:
    return new_case(programme, datatable)


@given(parsers.re(rf"(?:第(?P<n>\d+)项的)?(?P<name>{FIELD_NAMES})(?:为|改为) ?(?P<value>.+)"))
def set_fact(case: Case, name: str, value: str, n: str | None) -> None:
    case.set(name, value.strip(), n)


@given(parsers.re(rf"申请书(?:第(?P<n>\d+)项)?未填写“(?P<name>{FIELD_NAMES})”"))
def leave_out_fact(case: Case, name: str, n: str | None) -> None:
    case.remove(name, n)


@given(parsers.re(r"(?:第(?P<n>\d+)项的)?专利尚未授权"))
def not_granted(case: Case, n: str | None) -> None:
    case.claim(n)["patent"].pop("granted_on")


@given(parsers.re(r"(?:第(?P<n>\d+)项的)?专利已终止，不再有效"))
def lapsed(case: Case, n: str | None) -> None:
    case.claim(n)["patent"]["in_force"] = False


@given(
    parsers.re(
        r"(?:第(?P<n>\d+)项的)?专利为 (?P<number>ZL[\dX.]+)，"
        r"申请日 (?P<filed>\d{4}-\d{2}-\d{2})，授权日 (?P<granted>\d{4}-\d{2}-\d{2})"
    )
)
def other_patent(case: Case, number: str, filed: str, granted: str, n: str | None) -> None:
    case.claim(n)["patent"].update(number=number, filed_on=filed, granted_on=granted)


@given(parsers.re(r"(?:第(?P<n>\d+)项的)?专利被国家知识产权局认定为非正常专利申请"))
def abnormal(case: Case, n: str | None) -> None:
    case.claim(n)["patent"]["abnormal"] = True


@given("申请人在社会信用体系中有知识产权侵权记录")
def infringement_record(case: Case) -> None:
    case.data["applicant"]["infringement_record"] = True


@given(parsers.re(r"申请人是个体工商户“(?P<name>[^”]+)”，统一社会信用代码 (?P<code>\w{18})，专利登记在其名下"))
def individual_business(case: Case, name: str, code: str) -> None:
    case.data["applicant"].update(type="enterprise", name=name, credit_code=code)
    for claim in case.data["claims"]:
        claim["patent"]["holder"] = name


@given(parsers.re(r"申请人是个人“(?P<name>[^”]+)”，专利登记在其名下"))
def individual(case: Case, name: str) -> None:
    applicant = case.data["applicant"]
    applicant.pop("credit_code", None)
    applicant.update(type="individual", name=name)
    for claim in case.data["claims"]:
        claim["patent"]["holder"] = name


@given(parsers.re(r"申请人是企业“(?P<name>[^”]+)”，统一社会信用代码 (?P<code>\w{18})"))
def enterprise(case: Case, name: str, code: str) -> None:
    case.data["applicant"].update(type="enterprise", name=name, credit_code=code)


@given(parsers.re(r"同一申请中又以同一专利申报了一项(?P<programme>本地产业化发明专利奖励|专利技术购买奖励)"))
def same_patent_again(case: Case, programme: str) -> None:
    first = case.claim(1)
    assert first["program"] == PROGRAMMES[programme]
    case.data["claims"].append(copy.deepcopy(first))


@given(parsers.re(r"主管部门将参数 (?P<name>[a-z_]+) 自 (?P<start>\d{4}-\d{2}-\d{2}) 起改为 (?P<value>是|否)"))
def change_parameter(case: Case, name: str, start: str, value: str, tmp_path: Path) -> None:
    """The office's decision as a new dated value of the parameter, in a copy of the rules."""
    rules = tmp_path / "rules"
    if not rules.exists():
        shutil.copytree(RULES, rules)
    changed = rules / RULESET / "parameters.yaml"
    data = yaml.safe_load(changed.read_text(encoding="utf-8"))
    assert name in data["parameters"], f"no parameter {name}"
    data["parameters"][name]["values"].append({"from": date.fromisoformat(start), "value": YES_NO[value]})
    changed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    case.rulebook = load_rulebook(rules)


@given(parsers.re(r"主管部门将参数 (?P<name>[a-z_]+) 设为 (?P<value>\S+)"))
def set_parameter(case: Case, rulebook: Rulebook, name: str, value: str) -> None:
    """The office's value for a parameter, on every date (a what-if on the rules in use)."""
    case.rulebook = (case.rulebook or rulebook).with_overrides([f"{name}={value.replace(',', '')}"])


# ------------------------------------------------------------------ when


def _evaluate(case: Case, rulebook: Rulebook, folder: Path) -> None:
    app = read_application(write_application(case, folder), rulebook)
    assessment = evaluate(app, rulebook, case.ledger)
    ruleset = rulebook.by_id(assessment.ruleset_id)
    case.result = assessment_json(assessment, ruleset, "zh")
    case.text = render_text(assessment, ruleset, "zh")
    case.text_en = render_text(assessment, ruleset, "en")


@when("审核该申请")
def review(case: Case, rulebook: Rulebook, tmp_path: Path) -> None:
    try:
        _evaluate(case, case.rulebook or rulebook, tmp_path)
    except InputError as exc:  # refused at intake: the then-steps say whether that was expected
        case.error = str(exc)


# ------------------------------------------------------------------ then


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?审核结论为“(?P<outcome>符合条件|不符合条件|待评审)”"))
def outcome_is(case: Case, outcome: str, n: str | None) -> None:
    decision = case.decision(n)
    assert decision["outcome"] == OUTCOMES[outcome], decision["summary"]
    number = int(n or 1)
    head = next(line for line in case.text.splitlines() if line.startswith(f"第{number}项 "))
    assert f"· {outcome}" in head, head


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?奖励金额为 (?P<amount>[\d,]+\.\d{2}) 元"))
def amount_is(case: Case, amount: str, n: str | None) -> None:
    decision = case.decision(n)
    assert decision["amount"] == _money(amount), decision["summary"]
    head = next(line for line in case.text.splitlines() if line.startswith(f"第{int(n or 1)}项 "))
    if decision["outcome"] == "eligible":
        assert f"奖励 {amount_text(decision['amount'])} 元" in head, head
    else:
        assert f"核实后拟奖励 {amount_text(decision['amount'])} 元" in head, head


@then(parsers.re(r"(?:第(?P<n>\d+)项)?不给予现金奖励"))
def no_cash(case: Case, n: str | None) -> None:
    assert case.decision(n)["amount"] is None


@then(parsers.re(r"合计奖励为 (?P<amount>[\d,]+\.\d{2}) 元"))
def total_is(case: Case, amount: str) -> None:
    assert case.result is not None
    assert case.result["total"] == _money(amount)
    if Decimal(_money(amount)):
        assert f"合计奖励 {amount_text(_money(amount))} 元" in case.text
    else:  # nothing awarded: the text says what awaits review, or that there is no award
        assert "合计奖励" not in case.text


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?条件 (?P<cid>[a-z0-9-]+)（(?P<label>[^）]+)）(?P<status>不满足|满足|待定)"))
def criterion_is(case: Case, cid: str, label: str, status: str, n: str | None) -> None:
    criterion = case.criterion(cid, n)
    assert criterion["label"] == label
    assert criterion["status"] == STATUSES[status], criterion["explanation"]


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?各项条件的审核结果为[：:]"))
def criteria_are(case: Case, datatable: list[list[str]], n: str | None) -> None:
    header, *rows = [[cell.strip() for cell in row] for row in datatable]
    assert header == ["条件", "名称", "结果"], header
    listed = [(c["id"], c["label"], c["status"]) for c in case.decision(n)["criteria"]]
    expected = [(cid, label, STATUSES[status]) for cid, label, status in rows]
    assert listed == expected


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?只有条件 (?P<cid>[a-z0-9-]+) 不满足"))
def only_failure(case: Case, cid: str, n: str | None) -> None:
    failed = [c["id"] for c in case.decision(n)["criteria"] if c["status"] == "not_met"]
    assert failed == [cid]


@then(parsers.re(r"(?:第(?P<n>\d+)项)?不列出条件 (?P<cid>[a-z0-9-]+)"))
def criterion_absent(case: Case, cid: str, n: str | None) -> None:
    assert cid not in [c["id"] for c in case.decision(n)["criteria"]]


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?条件 (?P<cid>[a-z0-9-]+) 交由评审(?:人员|小组)处理"))
def criterion_for_review(case: Case, cid: str, n: str | None) -> None:
    criterion = case.criterion(cid, n)
    assert criterion["status"] == "unknown"
    assert criterion.get("review") or criterion.get("discretionary"), criterion


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?缺少信息为 (?P<fields>\S+(?:、\S+)*)"))
def missing_is(case: Case, fields: str, n: str | None) -> None:
    expected = fields.split("、")
    assert case.decision(n)["missing"] == expected
    line = next(x for x in case.text.splitlines() if x.strip().startswith("缺少信息："))
    for name in expected:  # named in words; the field path only in the JSON
        assert field_label(name, "zh") in line and name not in line, line


@then(parsers.re(r"(?:第(?P<n>\d+)项)?没有缺少的信息"))
def nothing_missing(case: Case, n: str | None) -> None:
    assert case.decision(n)["missing"] == []


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?结论说明以“(?P<phrase>.+)”开头"))
def summary_starts(case: Case, phrase: str, n: str | None) -> None:
    summary = case.decision(n)["summary"]
    assert summary.startswith(phrase), summary


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?结论说明为“(?P<phrase>.+)”"))
def summary_is(case: Case, phrase: str, n: str | None) -> None:
    assert case.decision(n)["summary"] == phrase


@then(parsers.re(r"(?:第(?P<n>\d+)项的)?结论说明写明“(?P<phrase>.+)”"))
def summary_says(case: Case, phrase: str, n: str | None) -> None:
    summary = case.decision(n)["summary"]
    assert phrase in summary, summary


@then(parsers.re(r"审核意见中写明“(?P<phrase>.+)”"))
def text_says(case: Case, phrase: str) -> None:
    assert phrase in case.text, case.text


@then(parsers.re(r"审核意见中不出现“(?P<phrase>.+)”"))
def text_does_not_say(case: Case, phrase: str) -> None:
    assert phrase not in case.text, case.text


@then(parsers.re(r"英文审核意见中写明“(?P<phrase>.+)”"))
def english_text_says(case: Case, phrase: str) -> None:
    assert phrase in case.text_en, case.text_en


@then(
    parsers.re(
        r"(?:第(?P<n>\d+)项的)?奖励上限为住房面积不超过 (?P<m2>\d+) 平方米、"
        r"科研经费补贴每年最高 (?P<fund>[\d,]+\.\d{2}) 元"
    )
)
def maximums_are(case: Case, m2: str, fund: str, n: str | None) -> None:
    assert case.decision(n)["maximums"] == {"housing_m2": m2, "research_fund_per_year": _money(fund)}
    assert f"住房面积不超过 {m2} 平方米" in case.text
    assert f"科研经费补贴每年最高 {fund} 元" in case.text


@then(parsers.re(r"(?:第(?P<n>\d+)项)?没有奖励上限"))
def no_maximums(case: Case, n: str | None) -> None:
    assert case.decision(n)["maximums"] is None


@then(
    parsers.re(
        r"(?:第(?P<n>\d+)项的)?条件 (?P<cid>[a-z0-9-]+) 列出的先前奖励为"
        r"(?:第(?P<claim>\d+)项|申请 (?P<application>\S+) 的决定 (?P<decision>\S+)) "
        r"(?P<amount>[\d,]+\.\d{2}) 元"
    )
)
def earlier_award(
    case: Case,
    cid: str,
    amount: str,
    n: str | None,
    claim: str | None,
    application: str | None,
    decision: str | None,
) -> None:
    expected: dict[str, Any] = {"amount": _money(amount)}
    if claim is not None:
        expected["claim"] = int(claim)
    else:
        expected.update(application=application, decision=decision)
    assert case.criterion(cid, n).get("earlier_awards") == [expected]
