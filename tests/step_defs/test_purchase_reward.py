"""专利技术购买奖励 (P2, 三(二)2): scenarios in features/purchase_reward.feature."""

from __future__ import annotations

import copy
from decimal import Decimal

from pytest_bdd import given, parsers, scenario, scenarios, then

from engine import AwardRef

from .conftest import FIELDS, P2, Case

FEATURE = "purchase_reward.feature"


@scenario(FEATURE, "三(二)2 待核实的交易也应占用上限，合计不得超过 20 万元")
def test_pending_claim_counts_against_cap() -> None:
    """A claim awaiting review holds its provisional amount: the next claim gets only what is left."""


scenarios(FEATURE)


def _deal(case: Case, row: dict[str, str]) -> dict:
    claim = copy.deepcopy(case.claim(1))
    claim["patent"] = {**claim["patent"], "number": row["专利号"]}
    claim["patent"]["filed_on"] = row["专利申请日"]
    claim["patent"]["granted_on"] = row["授权日"]
    claim["seller"] = {
        "type": FIELDS["卖方类型"][1](row["卖方类型"]),
        "name": row["卖方名称"],
        "country": "CN",
    }
    claim["transaction_amount"] = FIELDS["技术交易额"][1](row["技术交易额"])
    return claim


@given("企业在同一申请中依次申报以下专利技术交易：")
def deals_in_order(case: Case, datatable: list[list[str]]) -> None:
    header, *rows = [[cell.strip() for cell in row] for row in datatable]
    case.data["claims"] = [_deal(case, dict(zip(header, row, strict=True))) for row in rows]


@given(
    parsers.re(
        r"企业在同一申请中还申报了一笔交易：从(?P<seller>\S+?)引进 (?P<number>ZL[\dX.]+)"
        r"（申请日 (?P<filed>[\d-]+)，授权日 (?P<granted>[\d-]+)），技术交易额 (?P<amount>[\d,.]+) 元"
    )
)
def another_deal(case: Case, seller: str, number: str, filed: str, granted: str, amount: str) -> None:
    row = {
        "专利号": number,
        "专利申请日": filed,
        "授权日": granted,
        "卖方名称": seller,
        "卖方类型": "科研机构",
        "技术交易额": amount,
    }
    claim = _deal(case, row)
    claim["contract_registered"] = True
    case.data["claims"].append(claim)


@given(
    parsers.re(
        r"该企业此前已在申请 (?P<application>\S+) 中获得本项奖励 (?P<amount>[\d,]+\.\d{2}) 元"
        r"（决定 (?P<decision>[^）]+)）"
    )
)
def awarded_before(case: Case, application: str, amount: str, decision: str) -> None:
    code = case.data["applicant"]["credit_code"]
    ref = AwardRef(Decimal(amount.replace(",", "")), decision=decision, application=application)
    case.ledger.by_enterprise.setdefault((P2, code), []).append(ref)


@then(parsers.re(r"各项奖励金额（含核实后拟奖励）合计不超过 (?P<cap>[\d,]+\.\d{2}) 元"))
def amounts_within_cap(case: Case, cap: str) -> None:
    assert case.result is not None
    amounts = [Decimal(d["amount"]) for d in case.result["decisions"] if d["amount"] is not None]
    assert sum(amounts, Decimal("0")) <= Decimal(cap.replace(",", "")), amounts
