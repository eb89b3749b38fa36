"""Awards of different kinds stay apart, as reviewers and auditors see them: an inventor grant
settled with housing of 120 m² and a research fund of 800,000.00 a year, beside the one-off
cash of the other samples — in `show` (both languages), the web's decision page and the
report's charts, where the yearly fund was added into one-off yuan.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers_store import SAMPLES, run
from helpers_web import INVENTOR_APP, Web, visible_text

from engine.money import format_yuan
from engine.services import settle

FUND, HOUSING = "800000.00", "120"


def _settled(web: Web) -> None:
    settle(web.store, f"{INVENTOR_APP}/1", "eligible", "评审通过", "王审", FUND, HOUSING)


def test_the_report_charts_keep_the_yearly_fund_out_of_one_off_yuan(web: Web) -> None:
    _settled(web)
    client = web.client("auditor")
    page = visible_text(client.get("/desk/report").text)
    report = web.api("auditor").get("/api/v1/report").json()
    hualong = sum(Decimal(t["one_off"]) for t in report["by_division"] if t["key"][1] == "410902")
    charts = page[page.index("按项目（元）") : page.index("按项目 奖补项目")]
    one_off, yearly = charts.split("科研经费补贴，按项目（元/年）")
    assert f"华龙区 {format_yuan(hualong)} 元" in one_off  # one-off cash only: not 800,000.00 more
    assert "高价值专利发明人奖励" not in one_off  # it granted no one-off cash
    assert yearly.strip() == "高价值专利发明人奖励 800,000.00 元/年"
    client.get("/lang/en")
    english = visible_text(client.get("/desk/report").text)
    yearly_en = english[english.index("Research funds by programme (yuan a year)") :]
    assert yearly_en.split(" By programme ")[0].endswith(" 800,000.00 yuan a year")


def test_the_decision_page_shows_each_kind_in_its_unit(web: Web) -> None:
    _settled(web)
    page = visible_text(web.client("reviewer").get(f"/decision?id={INVENTOR_APP}").text)
    assert "800,000.00 元/年 · 120 m²" in page


def test_show_closes_with_each_kind_and_no_cash_total(capsys: Any, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert run(capsys, "screen", SAMPLES / "p3-strategic-emerging-industry.yaml", "--db", db)[0] == 0
    argv = ("settle", f"{INVENTOR_APP}/1", "--db", db, "--outcome", "eligible", "--amount", FUND)
    assert run(capsys, *argv, "--housing-m2", HOUSING, "--reason", "评审通过", "--reviewer", "王审")[0] == 0
    code, zh, _ = run(capsys, "show", INVENTOR_APP, "--db", db)
    assert code == 0 and zh.endswith("\n\n科研经费补贴每年 800,000.00 元\n另：住房 120 平方米\n")
    code, en, _ = run(capsys, "show", INVENTOR_APP, "--db", db, "--lang", "en")
    assert code == 0 and en.endswith("\n\nResearch fund 800,000.00 yuan a year\nAlso: housing 120 m²\n")
    assert not re.search(r"合计奖励|Total award", zh + en)
