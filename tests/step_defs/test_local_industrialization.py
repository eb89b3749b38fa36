"""本地产业化发明专利奖励 (P1, 三(二)2): scenarios in features/local_industrialization.feature."""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import given, parsers, scenarios

from engine import AwardRef

from .conftest import P1, Case

scenarios("local_industrialization.feature")


@given(
    parsers.re(
        r"该专利已在申请 (?P<application>\S+) 中获得本项奖励 (?P<amount>[\d,]+\.\d{2}) 元"
        r"（决定 (?P<decision>[^）]+)）"
    )
)
def awarded_before(case: Case, application: str, amount: str, decision: str) -> None:
    patent = case.claim()["patent"]["number"]
    ref = AwardRef(Decimal(amount.replace(",", "")), decision=decision, application=application)
    case.ledger.by_patent.setdefault((P1, patent), []).append(ref)


@given("申请书注明专利技术来自濮阳本地")
def technology_from_puyang(case: Case) -> None:
    case.claim()["technology_from_outside_puyang"] = False


@given("申请书注明专利技术来自濮阳市以外")
def technology_from_outside(case: Case) -> None:
    case.claim()["technology_from_outside_puyang"] = True
