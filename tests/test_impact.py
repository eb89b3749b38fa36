"""The policy sandbox: ``subsidy impact`` decides the recorded history again and writes nothing.

A store of the 54 samples is decided again with the P1 award at 300,000.00 (exactly the
P1 decisions with an amount change, the totals with them), with the P2 cap at 300,000.00
(the cap arithmetic of each enterprise recomputed claim by claim, in order), with no
change at all (nothing changes: the in-order replay of the limits reproduces the
history), under another rules folder, within a window of dates, and after a reviewer's
settlement.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from engine.cli import main
from engine.services.impact import impact
from engine.store import open_store

ROOT = Path(__file__).resolve().parents[1]
P1, P2 = "local-industrialization-award", "patent-purchase-reward"


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("impact") / "samples.db"
    args = ["screen", str(ROOT / "applications"), "--db", str(db), "--quiet", "--workers", "0", "--format", "csv"]
    assert main(args) == 0
    return db


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def recorded(db: Path) -> list[dict]:
    with sqlite3.connect(db) as conn:
        bodies = [json.loads(b) for (b,) in conn.execute("select body from records where kind='decision' order by seq")]
    return [d for body in bodies for d in body["result"]["decisions"]]


def digest(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select seq, hash from records order by seq").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def changed_csv(out: str) -> list[dict[str, str]]:
    assert out.startswith("\ufeff")  # a byte-order mark: Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))


def test_the_p1_award_at_300000_changes_exactly_the_p1_decisions(samples_db, capsys) -> None:
    before = digest(samples_db)
    code, out, err = run(
        capsys, "impact", "--db", str(samples_db), "--set", "award_per_patent=300000.00", "--format", "csv"
    )
    assert code == 0 and err.endswith("nothing written\n")
    rows = changed_csv(out)
    p1 = {d["decision"] for d in recorded(samples_db) if d["program"] == P1 and d["amount"] is not None}
    assert {r["decision"] for r in rows} == p1 and len(p1) == 15
    for r in rows:
        assert (r["amount_before"], r["amount_after"], r["causes"]) == (
            "500000.00",
            "300000.00",
            "award: award_per_patent",
        )
        assert r["outcome_before"] == r["outcome_after"]
    awarded = [r for r in rows if r["outcome_after"] == "eligible"]
    assert sum(Decimal(r["awarded_change"]) for r in rows) == Decimal("-200000.00") * len(awarded)
    with closing(open_store(str(samples_db))) as store:
        report = impact(store, settings=["award_per_patent=300000.00"])
    assert (report.total.before, report.total.after) == (Decimal("7907345.68"), Decimal("5107345.68"))
    assert (report.by_program[P1].before, report.by_program[P1].after) == (Decimal("7000000.00"), Decimal("4200000.00"))
    assert report.by_program[P2].delta == 0
    assert (
        sum(t.delta for t in report.by_year.values())
        == sum(t.delta for t in report.by_division.values())
        == (Decimal("-2800000.00"))
    )
    assert digest(samples_db) == before  # nothing written


def test_the_p2_cap_at_300000_recomputes_each_enterprises_cap_in_order(samples_db, capsys) -> None:
    code, out, _ = run(
        capsys, "impact", "--db", str(samples_db), "--set", "purchase_reward_cap=300000", "--format", "csv"
    )
    assert code == 0
    got = [
        (r["decision"], r["outcome_before"], r["amount_before"], r["outcome_after"], r["amount_after"], r["causes"])
        for r in changed_csv(out)
    ]
    assert sorted(got) == [
        # 1,200,000 and 1,500,000: 120,000 then 80,000 under 200,000; 120,000 then 150,000 under 300,000
        ("PY-2024-0031/2", "eligible", "80000.00", "eligible", "150000.00", "award: purchase_reward_cap"),
        # 120,000 + 80,000 used the old cap; now 120,000 + 150,000, and the third deal gets the last 30,000
        ("PY-2024-0601/2", "eligible", "80000.00", "eligible", "150000.00", "award: purchase_reward_cap"),
        ("PY-2024-0601/3", "ineligible", "", "eligible", "30000.00", "cap-not-reached"),
    ]


def test_with_nothing_changed_nothing_changes(samples_db, capsys) -> None:
    code, out, _ = run(capsys, "impact", "--db", str(samples_db))
    assert code == 0
    assert "重新评审 54 份申请的 62 项决定；结论或金额变化 0 项" in out and "没有决定会变化" in out


def test_the_report_in_text_and_as_a_printable_page_with_charts(samples_db, capsys) -> None:
    code, out, _ = run(capsys, "impact", "--db", str(samples_db), "--set", "purchase_reward_cap=300000", "--lang", "en")
    assert code == 0
    assert "What-if: " not in out and "what-if: purchase_reward_cap = 300000.00" in out
    assert "  Patent purchase reward" in out and "907,345.68" in out and "1,077,345.68" in out
    assert "Who gains most\n  濮阳市盛世新材料股份有限公司（91410972MAXB6T8Q24） +100,000.00" in out
    code, out, _ = run(
        capsys, "impact", "--db", str(samples_db), "--set", "purchase_reward_cap=300000", "--format", "html"
    )
    assert code == 0 and out.startswith("<!doctype html>") and "@media print" in out
    assert out.count("<svg") == 4  # by programme, division, year; gainers and losers
    assert "PY-2024-0601/3" in out and "cap-not-reached" in out


def test_under_another_rules_folder(samples_db, tmp_path, capsys) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    params = rules / "puyang-2022-19" / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    params.write_text(
        text.replace('value: "500000.00"}', 'value: "500000.00"}\n      - {from: 2024-01-01, value: "400000.00"}')
    )
    code, out, _ = run(capsys, "impact", "--db", str(samples_db), "--rules", str(rules), "--format", "csv")
    assert code == 0
    rows = changed_csv(out)
    assert rows and all(r["submitted_on"] >= "2024-01-01" and r["amount_after"] == "400000.00" for r in rows)
    assert all(r["program"] == P1 for r in rows)


def test_only_a_window_of_submission_dates_is_decided_again(samples_db, capsys) -> None:
    with closing(open_store(str(samples_db))) as store:
        report = impact(store, settings=["award_per_patent=300000.00"], since=date(2025, 1, 1))
    assert report.kept > 0 and report.records + report.kept == 54
    assert report.changed and all(c.submitted_on >= "2025-01-01" for c in report.changed)


def test_a_settlement_settles_its_decision_while_it_still_awaits_review(samples_db, tmp_path, capsys) -> None:
    db = tmp_path / "settled.db"
    shutil.copy(samples_db, db)
    settled = "PY-2024-0207/1"  # P2, contract not registered: awaiting review, 75,000.00 held
    args = [
        "settle",
        "--db",
        str(db),
        settled,
        "--outcome",
        "eligible",
        "--reason",
        "登记证明已补",
        "--reviewer",
        "王敏",
    ]
    assert run(capsys, *args)[0] == 0
    with closing(open_store(str(db))) as store:
        same = impact(store)
        rate = impact(store, settings=["purchase_reward_rate=0.2"])
        no_enterprises = impact(store, settings=["enterprise_credit_categories=92"])
    assert same.changed == [] and same.settlements_moot == []
    assert same.total.before == Decimal("7907345.68") + Decimal("75000.00")
    assert settled in {c.decision for c in rate.changed} and rate.settlements_moot == []
    assert no_enterprises.settlements_moot == [settled]


def test_a_bad_setting_is_refused(samples_db, capsys) -> None:
    code, out, err = run(capsys, "impact", "--db", str(samples_db), "--set", "award_per_patnt=1")
    assert (code, out) == (2, "")
    assert "did you mean 'award_per_patent'?" in err
