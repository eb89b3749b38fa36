"""高价值专利发明人奖励 (P3, 三(二)2): scenarios in features/inventor_grant.feature."""

from __future__ import annotations

import re
from typing import Any

from pytest_bdd import given, parsers, scenarios

from .conftest import Case

scenarios("inventor_grant.feature")

# CNIPA's five categories as an officer names them -> the application's high_value block.
HIGH_VALUE: dict[str, dict[str, Any]] = {
    "无": {},
    "属于战略性新兴产业": {"strategic_emerging_industry": True},
    "在海外有同族专利授权": {"overseas_family_granted": True},
    "获得中国专利金奖": {"china_patent_award": "gold"},
    "获得中国专利银奖": {"china_patent_award": "silver"},
    "获得中国专利优秀奖": {"china_patent_award": "excellence"},
    "获得国家科学技术奖": {"national_science_award": True},
}
PLEDGE = re.compile(r"质押融资 (?P<amount>[\d,]+\.\d{2}) 元")


@given(parsers.re(r"专利的高价值情形只有：(?P<category>.+)"))
def only_high_value(case: Case, category: str) -> None:
    pledge = PLEDGE.fullmatch(category)
    if pledge:
        block = {"pledge_financing": pledge["amount"].replace(",", "")}
    else:
        assert category in HIGH_VALUE, f"unknown category “{category}”; known: {'、'.join(HIGH_VALUE)}"
        block = dict(HIGH_VALUE[category])
    case.claim()["patent"]["high_value"] = block
