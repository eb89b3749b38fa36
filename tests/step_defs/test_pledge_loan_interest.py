"""中小微企业知识产权质押贷款利息补贴 (P4, 三(二)3): scenarios in features/pledge_loan_interest.feature."""

from __future__ import annotations

import copy
import re

from pytest_bdd import given, parsers, scenarios, then

from .conftest import Case

scenarios("pledge_loan_interest.feature")


@given(parsers.re(r"企业在同一申请中又申报了两笔质押贷款的利息，已付利息分别为 (?P<a>[\d,.]+) 元和 (?P<b>[\d,.]+) 元"))
def two_more_loans(case: Case, a: str, b: str) -> None:
    for interest in (a, b):
        claim = copy.deepcopy(case.claim(1))
        claim["interest_paid"] = interest.replace(",", "")
        case.data["claims"].append(claim)


@then(parsers.re(r"申请不予受理，错误信息写明“(?P<phrase>.+)”"))
def refused(case: Case, phrase: str) -> None:
    assert case.result is None and case.error is not None, "the application was taken"
    assert phrase in case.error, case.error
    assert re.search(r"claims\[1\]\.program: ", case.error), case.error


@then(parsers.re(r"错误信息写明“(?P<phrase>.+)”"))
def error_says(case: Case, phrase: str) -> None:
    assert case.error is not None and phrase in case.error, case.error
