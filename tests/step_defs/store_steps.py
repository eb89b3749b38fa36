"""Steps of the decision-store scenarios: features/screening.feature and features/audit.feature.

Each scenario starts from an empty store in its own temporary folder. Applications are
written as table rows; each becomes a YAML file named after its id (or a line of a ``.jsonl``
batch) at the moment it is screened, so a change made to an application between two screens
is what the second screen reads. Every command runs through the command line in-process,
exactly as ``subsidy ...`` would. Outcomes are read back from what the command printed (the
Chinese text reviewers read) and from the store itself: ``show --format json`` for the
recorded decision, ``report`` for the totals, and SQLite directly for what an auditor would
look at with nothing but sqlite3.

The test modules import everything from here (``from .store_steps import *``), which makes
the fixture and the steps visible to their scenarios.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_store import (
    P1,
    P2,
    P3,
    RULESET_DIR,
    copy_rules,
    enterprise_app,
    execute,
    p1_claim,
    p2_claim,
    patent,
    query,
    run,
    write_jsonl,
    write_yaml,
)
from pytest_bdd import given, parsers, step, then, when

from .conftest import FIELD_NAMES, OUTCOMES, STATUSES, Case

RULESET = "puyang-2022-19"
PROGRAMMES_ZH = {"本地产业化发明专利奖励": P1, "专利技术购买奖励": P2}
SYMBOLS = {"met": "✔", "not_met": "✘", "unknown": "?"}
IDS = r"\S+?(?:、\S+?)*"  # PY-2024-1001、PY-2024-1002


@dataclass
class Run:
    argv: list[str]
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


@dataclass
class StoreDesk:
    """The programme office's desk for one scenario: the applications received, the store, the
    rules folder in use and what each command printed."""

    folder: Path
    db: Path
    capsys: Any
    enterprises: dict[str, str] = field(default_factory=dict)  # name -> credit code
    apps: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> application, in the order described
    raw_files: list[Path] = field(default_factory=list)  # files that are not applications as built here
    rules: Path | None = None  # a copy of the rules folder, given to `--rules` when set
    printed: dict[str, str] = field(default_factory=dict)  # application id -> its text as `screen` printed it
    screens: list[Run] = field(default_factory=list)  # the screens of the latest screening step
    settle_run: Run | None = None
    replay_run: Run | None = None
    verify_run: Run | None = None
    saved: dict[str, Any] = field(default_factory=dict)

    # -------------------------------------------------------------- the command line

    def cli(self, *argv: str | Path) -> Run:
        code, out, err = run(self.capsys, *argv)
        result = Run([str(a) for a in argv], code, out, err)
        assert "Traceback" not in result.output, result.output
        return result

    def with_rules(self, *argv: str | Path) -> Run:
        prefix: list[str | Path] = ["--rules", self.rules] if self.rules is not None else []
        return self.cli(*prefix, *argv)

    def write(self, app_id: str) -> Path:
        return write_yaml(self.folder / f"{app_id}.yaml", self.apps[app_id])

    def screen_paths(self, paths: list[Path]) -> Run:
        done = self.with_rules("screen", *paths, "--db", self.db)
        for app_id, block in _blocks(done.out):
            self.printed[app_id] = block
        return done

    def screen_apps(self, app_ids: list[str], *, with_raw: bool = False) -> Run:
        for app_id in app_ids:
            assert app_id in self.apps, f"no application {app_id} was described; described: {list(self.apps)}"
        paths = [self.write(app_id) for app_id in app_ids]
        return self.screen_paths(paths + (self.raw_files if with_raw else []))

    # -------------------------------------------------------------- reading the store

    def show(self, record_id: str) -> dict[str, Any]:
        done = self.cli("show", "--db", self.db, record_id, "--format", "json")
        assert done.code == 0, done.output
        return json.loads(done.out)  # type: ignore[no-any-return]

    def show_text(self, record_id: str) -> str:
        done = self.cli("show", "--db", self.db, record_id)
        assert done.code == 0, done.output
        return done.out

    def decision(self, decision_id: str) -> dict[str, Any]:
        app_id, number = _split(decision_id)
        decisions = self.show(app_id)["content"]["result"]["decisions"]
        assert 1 <= number <= len(decisions), f"{decision_id}: {len(decisions)} claims recorded"
        decision = decisions[number - 1]
        assert decision["decision"] == decision_id, decision["decision"]
        return decision  # type: ignore[no-any-return]

    def criterion(self, decision_id: str, criterion_id: str) -> dict[str, Any]:
        criteria = self.decision(decision_id)["criteria"]
        found = [c for c in criteria if c["id"] == criterion_id]
        assert len(found) == 1, f"{decision_id}: criterion {criterion_id} in {[c['id'] for c in criteria]}"
        return found[0]

    def version(self, app_id: str) -> str:
        return str(self.show(app_id)["content"]["ruleset"]["version"])

    def report(self) -> tuple[str, list[dict[str, str]]]:
        text = self.cli("report", "--db", self.db)
        assert text.code == 0, text.output
        rows = self.cli("report", "--db", self.db, "--format", "csv")
        assert rows.code == 0, rows.output
        return text.out, list(csv.DictReader(io.StringIO(rows.out.removeprefix("\ufeff"))))

    def tables(self) -> dict[str, list[tuple[Any, ...]]]:
        return {
            "records": query(self.db, "SELECT * FROM records ORDER BY seq"),
            "applications": query(self.db, "SELECT * FROM applications ORDER BY id"),
            "awards": query(self.db, "SELECT * FROM awards ORDER BY record_seq, decision_id, source"),
        }

    def decision_records(self) -> list[str]:
        return [r[0] for r in query(self.db, "SELECT record_id FROM records WHERE kind = 'decision' ORDER BY seq")]

    def last_screen(self) -> Run:
        assert self.screens, "nothing was screened in this scenario"
        return self.screens[-1]


def _split(decision_id: str) -> tuple[str, int]:
    app_id, _, number = decision_id.rpartition("/")
    assert app_id and number.isdigit(), f"a decision id is “<application>/<claim>”, got {decision_id}"
    return app_id, int(number)


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split("、") if part.strip()]


def _money(text: str) -> str | None:
    """A written amount (“120,000.00”, “120,000.00 元”, “无”) as the contract writes it."""
    text = text.replace("元", "").strip()
    if text == "无":
        return None
    value = text.replace(",", "")
    Decimal(value)  # a typo in a scenario should fail loudly
    return value


def _blocks(text: str) -> list[tuple[str, str]]:
    """The text output of `screen`, cut into one block per application."""
    blocks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        head = re.match(r"申请 (\S+) · ", line)
        if head:
            blocks.append((head.group(1), []))
        if blocks:
            blocks[-1][1].append(line)
    return [(app_id, "\n".join(lines)) for app_id, lines in blocks]


def _claim_section(text: str, number: int) -> str:
    """Lines of one claim (from “第N项” to the blank line after it) in `screen` or `show` text."""
    lines = text.splitlines()
    start = next((i for i, x in enumerate(lines) if x.startswith(f"第{number}项 ")), None)
    assert start is not None, f"no “第{number}项” in:\n{text}"
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].strip() or re.match(r"第\d+项 ", lines[i])),
        len(lines),
    )
    return "\n".join(lines[start:end])


def _amount_text(amount: str) -> str:
    return f"{Decimal(amount):,.2f}"


def _rows(datatable: list[list[str]], columns: list[str]) -> list[dict[str, str]]:
    header, *rows = [[cell.strip() for cell in row] for row in datatable]
    missing = [c for c in columns if c not in header]
    assert not missing, f"the table needs the columns {'、'.join(missing)}; it has {'、'.join(header)}"
    return [dict(zip(header, row, strict=True)) for row in rows]


# ------------------------------------------------------------------ fixture


@pytest.fixture
def desk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> StoreDesk:
    folder = tmp_path / "申请材料"
    folder.mkdir()
    return StoreDesk(folder=folder, db=tmp_path / "decisions.db", capsys=capsys)


# ------------------------------------------------------------------ applications


@given(parsers.re(r"以下申请企业[：:]"))
def enterprises(desk: StoreDesk, datatable: list[list[str]]) -> None:
    for row in _rows(datatable, ["企业名称", "统一社会信用代码"]):
        desk.enterprises[row["企业名称"]] = row["统一社会信用代码"]


def _applicant(desk: StoreDesk, name: str) -> str:
    assert name in desk.enterprises, f"“{name}” is not among the enterprises described: {list(desk.enterprises)}"
    return desk.enterprises[name]


def _add(desk: StoreDesk, app: dict[str, Any]) -> None:
    assert app["id"] not in desk.apps, f"application {app['id']} is described twice"
    desk.apps[app["id"]] = app


@given(parsers.re(r"以下专利技术购买奖励申请[：:]"))
def purchase_applications(desk: StoreDesk, datatable: list[list[str]]) -> None:
    """Enterprises buying patents from 郑州大学: contract registered, implemented, not related."""
    for row in _rows(datatable, ["申请编号", "提交日期", "申请人", "专利号", "技术交易额"]):
        name = row["申请人"]
        amount = _money(row["技术交易额"])
        assert amount is not None
        claim = p2_claim(row["专利号"], name, amount)
        _add(desk, enterprise_app(row["申请编号"], row["提交日期"], name, _applicant(desk, name), [claim]))


@given(parsers.re(r"以下本地产业化发明专利奖励申请[：:]"))
def industrialization_applications(desk: StoreDesk, datatable: list[list[str]]) -> None:
    """Enterprises holding the patent themselves, industrialized where the table says."""
    for row in _rows(datatable, ["申请编号", "提交日期", "申请人", "专利号", "产业化地点"]):
        name = row["申请人"]
        claim = p1_claim(row["专利号"], name, site=row["产业化地点"])
        _add(desk, enterprise_app(row["申请编号"], row["提交日期"], name, _applicant(desk, name), [claim]))


@given(parsers.re(r"以下高价值专利发明人奖励申请[：:]"))
def inventor_applications(desk: StoreDesk, datatable: list[list[str]]) -> None:
    """Inventors applying in person for their own patent of a strategic emerging industry,
    transformed in Puyang: every criterion met but the panel's "significant benefit"."""
    for row in _rows(datatable, ["申请编号", "提交日期", "申请人", "专利号"]):
        name = row["申请人"]
        invention = patent(row["专利号"], name, inventors=[name], high_value={"strategic_emerging_industry": True})
        claim = {
            "program": P3,
            "patent": invention,
            "owns_ip": True,
            "transformed_in_puyang": True,
            "benefits": "新增产值 3,000 万元",
        }
        applicant = {"type": "individual", "name": name, "division": "410902", "infringement_record": False}
        app = {"format": 1, "id": row["申请编号"], "submitted_on": row["提交日期"], "applicant": applicant}
        _add(desk, app | {"claims": [claim]})


def _case(desk: StoreDesk, app_id: str) -> Case:
    assert app_id in desk.apps, f"no application {app_id} was described"
    return Case(desk.apps[app_id])  # the same dict: changes go into the application


@given(parsers.re(rf"申请 (?P<app_id>\S+) 的(?:第(?P<n>\d+)项的)?(?P<name>{FIELD_NAMES})改为 ?(?P<value>.+)"))
def change_fact(desk: StoreDesk, app_id: str, name: str, value: str, n: str | None) -> None:
    _case(desk, app_id).set(name, value.strip(), n)


@given(parsers.re(rf"申请 (?P<app_id>\S+) (?:第(?P<n>\d+)项)?未填写“(?P<name>{FIELD_NAMES})”"))
def leave_out_fact(desk: StoreDesk, app_id: str, name: str, n: str | None) -> None:
    _case(desk, app_id).remove(name, n)


@given(parsers.re(r"申请文件“(?P<name>[^”]+)”不是有效的 YAML"))
def broken_yaml(desk: StoreDesk, name: str) -> None:
    path = desk.folder / name
    path.write_text("format: 1\nid: PY-2024-BROKEN\n  submitted_on: [2024-03-01\n", encoding="utf-8")
    desk.raw_files.append(path)


# ------------------------------------------------------------------ screening


def _screened(desk: StoreDesk, runs: list[Run], done: str | None) -> None:
    desk.screens = runs
    if done:  # “已筛查…”: a fact of the scenario, so it must have gone through
        for r in runs:
            assert r.code == 0, r.output


@step(parsers.re(r"(?P<done>已)?(?:一次|再次)?筛查全部申请"))
def screen_all(desk: StoreDesk, done: str | None) -> None:
    _screened(desk, [desk.screen_apps(list(desk.apps), with_raw=True)], done)


@step(parsers.re(r"(?P<done>已)?逐份分别筛查全部申请"))
def screen_each(desk: StoreDesk, done: str | None) -> None:
    _screened(desk, [desk.screen_apps([app_id]) for app_id in desk.apps], done)


@step(parsers.re(rf"(?P<done>已)?筛查申请 (?P<ids>{IDS})(?:（文件按此顺序给出）)?"))
def screen_some(desk: StoreDesk, ids: str, done: str | None) -> None:
    _screened(desk, [desk.screen_apps(_ids(ids))], done)


@step(parsers.re(rf"先筛查申请 (?P<first>{IDS})，再筛查申请 (?P<then>{IDS})"))
def screen_twice(desk: StoreDesk, first: str, then: str) -> None:
    _screened(desk, [desk.screen_apps(_ids(first)), desk.screen_apps(_ids(then))], None)


@when(parsers.re(rf"将申请 (?P<ids>{IDS}) 依次写入批量文件“(?P<name>[^”]+)”并筛查"))
def screen_batch(desk: StoreDesk, ids: str, name: str) -> None:
    batch = write_jsonl(desk.folder / name, [desk.apps[app_id] for app_id in _ids(ids)])
    _screened(desk, [desk.screen_paths([batch])], None)


@then("每次筛查都正常结束")
def screens_ok(desk: StoreDesk) -> None:
    assert desk.screens
    for r in desk.screens:
        assert r.code == 0, r.output


@then(parsers.re(r"筛查以退出码 (?P<code>\d+) 结束"))
def screen_exit(desk: StoreDesk, code: str) -> None:
    assert desk.last_screen().code == int(code), desk.last_screen().output


@then("标准输出为空")
def nothing_printed(desk: StoreDesk) -> None:
    assert desk.last_screen().out == "", desk.last_screen().out


@then(parsers.re(rf"筛查结果依次列出申请 (?P<ids>{IDS})"))
def printed_in_order(desk: StoreDesk, ids: str) -> None:
    printed = [app_id for r in desk.screens for app_id, _ in _blocks(r.out)]
    assert printed == _ids(ids), printed


@step(parsers.re(rf"决定库中的决定记录依次为 (?P<ids>{IDS})"))
def records_in_order(desk: StoreDesk, ids: str) -> None:
    assert desk.decision_records() == _ids(ids)


@then(parsers.re(rf"错误输出逐一说明申请 (?P<ids>{IDS}) 已记录（already recorded）并跳过"))
def said_already_recorded(desk: StoreDesk, ids: str) -> None:
    err = desk.last_screen().err
    for app_id in _ids(ids):
        lines = [x for x in err.splitlines() if f"application {app_id} " in x]
        assert lines and all("already recorded; skipped" in x for x in lines), err


@then(parsers.re(r"错误输出写明“(?P<phrase>[^”]+)”"))
def error_output_says(desk: StoreDesk, phrase: str) -> None:
    assert phrase in desk.last_screen().err, desk.last_screen().err


@then(
    parsers.re(
        r"错误输出指出文件“(?P<name>[^”]+)”中的申请 (?P<app_id>\S+) 已以不同内容记录"
        r"（already recorded with different content）"
    )
)
def said_different_content(desk: StoreDesk, name: str, app_id: str) -> None:
    err = desk.last_screen().err
    lines = [x for x in err.splitlines() if name in x and app_id in x]
    assert any("already recorded with different content" in x for x in lines), err


@then(parsers.re(r"错误输出指出“(?P<where>[^”]+)”的字段 (?P<path>\S+) 有误"))
def said_bad_field(desk: StoreDesk, where: str, path: str) -> None:
    err = desk.last_screen().err
    # “error: FILE[:LINE] FIELD: what is wrong”
    pattern = re.escape(where) + (r"" if re.search(r":\d+$", where) else r"(?::\d+)?") + " " + re.escape(path) + ":"
    assert re.search(pattern, err), err


@then(parsers.re(r"错误输出提到文件“(?P<name>[^”]+)”"))
def error_names_file(desk: StoreDesk, name: str) -> None:
    err = desk.last_screen().err
    assert any(x.startswith("error:") and name in x for x in err.splitlines()), err


@then("错误输出中没有程序内部错误")
def no_internal_error(desk: StoreDesk) -> None:
    err = desk.last_screen().err
    assert "Traceback" not in err and "internal error" not in err, err


# ------------------------------------------------------------------ decisions


@step(parsers.re(r"各项决定为[：:]"))
def decisions_are(desk: StoreDesk, datatable: list[list[str]]) -> None:
    for row in _rows(datatable, ["决定编号", "审核结论", "奖励金额"]):
        decision_id, outcome_zh, amount = row["决定编号"], row["审核结论"], _money(row["奖励金额"])
        decision = desk.decision(decision_id)
        assert (decision["outcome"], decision["amount"]) == (OUTCOMES[outcome_zh], amount), (
            decision_id,
            decision["summary"],
        )
        app_id, number = _split(decision_id)
        # what the reviewer read when it was screened, and what `show` prints from the store
        heads = [_claim_section(desk.show_text(app_id), number).splitlines()[0]]
        if app_id in desk.printed:
            heads.append(_claim_section(desk.printed[app_id], number).splitlines()[0])
        for head in heads:
            assert f"· {outcome_zh}" in head, head
            if amount is not None:
                assert f"{_amount_text(amount)} 元" in head, head
            else:
                assert " 元" not in head, head


@step(parsers.re(r"决定 (?P<decision_id>\S+) 的计算写明“(?P<phrase>[^”]+)”"))
def arithmetic_says(desk: StoreDesk, decision_id: str, phrase: str) -> None:
    app_id, number = _split(decision_id)
    assert app_id in desk.printed, f"{app_id} was not screened in this scenario"
    section = _claim_section(desk.printed[app_id], number)
    line = next((x for x in section.splitlines() if x.strip().startswith("计算：")), "")
    assert phrase in line, section


@then(
    parsers.re(r"决定 (?P<decision_id>\S+) 的条件 (?P<cid>[a-z0-9-]+)（(?P<label>[^）]+)）(?P<status>不满足|满足|待定)")
)
def criterion_is(desk: StoreDesk, decision_id: str, cid: str, label: str, status: str) -> None:
    criterion = desk.criterion(decision_id, cid)
    assert criterion["status"] == STATUSES[status], criterion["explanation"]
    app_id, number = _split(decision_id)
    section = _claim_section(desk.show_text(app_id), number)
    assert f"{SYMBOLS[criterion['status']]} {label}：" in section, section


@then(parsers.re(r"决定 (?P<decision_id>\S+) 只有条件 (?P<cid>[a-z0-9-]+) 不满足"))
def only_failure(desk: StoreDesk, decision_id: str, cid: str) -> None:
    failed = [c["id"] for c in desk.decision(decision_id)["criteria"] if c["status"] == "not_met"]
    assert failed == [cid]


@step(parsers.re(r"决定 (?P<decision_id>\S+) 的结论说明写明“(?P<phrase>[^”]+)”"))
def summary_says(desk: StoreDesk, decision_id: str, phrase: str) -> None:
    summary = desk.decision(decision_id)["summary"]
    assert phrase in summary, summary
    app_id, number = _split(decision_id)
    assert phrase in _claim_section(desk.show_text(app_id), number)


@then(
    parsers.re(
        r"决定 (?P<decision_id>\S+) 的条件 (?P<cid>[a-z0-9-]+) 列出的先前决定为 "
        r"(?P<earlier>\S+ [\d,]+\.\d{2} 元(?:、\S+ [\d,]+\.\d{2} 元)*)"
    )
)
def earlier_decisions(desk: StoreDesk, decision_id: str, cid: str, earlier: str) -> None:
    expected = []
    for item in _ids(earlier):
        other, amount = item.split(" ", 1)
        expected.append((other, _money(amount)))
    criterion = desk.criterion(decision_id, cid)
    listed = [(e.get("decision"), e.get("amount")) for e in criterion.get("earlier_awards", [])]
    assert listed == expected, criterion
    for other, _ in expected:  # the explanation names them for the reviewer
        assert other in criterion["explanation"], criterion["explanation"]


@then(parsers.re(r"决定 (?P<decision_id>\S+) 的条件 (?P<cid>[a-z0-9-]+) 没有列出先前决定"))
def no_earlier_decisions(desk: StoreDesk, decision_id: str, cid: str) -> None:
    assert not desk.criterion(decision_id, cid).get("earlier_awards")


@then(parsers.re(rf"申请 (?P<ids>{IDS}) 的规则版本相同"))
def same_version(desk: StoreDesk, ids: str) -> None:
    versions = {app_id: desk.version(app_id) for app_id in _ids(ids)}
    assert len(set(versions.values())) == 1, versions
    for app_id, version in versions.items():
        assert f"规则版本 {version}" in desk.show_text(app_id)


@then(parsers.re(r"申请 (?P<a>\S+) 与 (?P<b>\S+) 的规则版本不同"))
def different_versions(desk: StoreDesk, a: str, b: str) -> None:
    va, vb = desk.version(a), desk.version(b)
    assert va != vb and va.startswith("sha256:") and vb.startswith("sha256:")
    assert f"规则版本 {va}" in desk.show_text(a) and f"规则版本 {vb}" in desk.show_text(b)


# ------------------------------------------------------------------ what the store holds


@step("记下此时的汇总报表和决定库记录")
def save_state(desk: StoreDesk) -> None:
    desk.saved = {"report": desk.report(), "tables": desk.tables()}


@then("决定库没有新增或改动任何记录")
def store_unchanged(desk: StoreDesk) -> None:
    assert desk.saved, "nothing was noted down before"
    assert desk.tables() == desk.saved["tables"]


@then("汇总报表与记下的相同")
def report_unchanged(desk: StoreDesk) -> None:
    assert desk.saved, "nothing was noted down before"
    assert desk.report() == desk.saved["report"]


@then(parsers.re(r"申请 (?P<app_id>\S+) 的决定记录未被改动"))
def record_unchanged(desk: StoreDesk, app_id: str) -> None:
    before = [r for r in desk.saved["tables"]["records"] if r[2] == app_id]
    now = query(desk.db, "SELECT * FROM records WHERE record_id = ?", (app_id,))
    assert before and now == before


@then(
    parsers.re(
        r"汇总报表中企业“(?P<name>[^”]+)”的(?P<programme>本地产业化发明专利奖励|专利技术购买奖励)"
        r"共 (?P<n>\d+) 项，(?P<amount>[\d,]+\.\d{2}) 元"
    )
)
def enterprise_total(desk: StoreDesk, name: str, programme: str, n: str, amount: str) -> None:
    text, rows = desk.report()
    found = [
        (r["awards"], r["total"])
        for r in rows
        if r["section"] == "enterprise" and r["applicant"] == name and r["program"] == PROGRAMMES_ZH[programme]
    ]
    assert found == [(n, _money(amount))], rows
    code = desk.enterprises[name]
    assert f"{name}（{code}） · {programme} · {n} 项 · {amount} 元" in text, text


@then(
    parsers.re(
        r"汇总报表中(?P<programme>本地产业化发明专利奖励|专利技术购买奖励)"
        r"共 (?P<n>\d+) 项，(?P<amount>[\d,]+\.\d{2}) 元"
    )
)
def programme_total(desk: StoreDesk, programme: str, n: str, amount: str) -> None:
    text, rows = desk.report()
    found = [
        (r["awards"], r["total"])
        for r in rows
        if r["section"] == "program" and r["program"] == PROGRAMMES_ZH[programme]
    ]
    assert found == [(n, _money(amount))], rows
    assert f"  {programme}：{n} 项，{amount} 元" in text.splitlines(), text


@step(parsers.re(r"汇总报表的“待评审（未结算）”中(?P<no>不再)?列出决定 (?P<decision_id>\S+)"))
def awaiting_review_listed(desk: StoreDesk, decision_id: str, no: str | None) -> None:
    text, rows = desk.report()
    in_csv = decision_id in [r["decision"] for r in rows if r["section"] == "needs_review"]
    lines = text.splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("待评审（未结算）"))
    in_text = any(x.strip().startswith(f"{decision_id} ·") for x in lines[start + 1 :])
    assert (in_csv, in_text) == ((False, False) if no else (True, True)), text


@then(parsers.re(r"汇总报表写明“(?P<phrase>[^”]+)”"))
def report_says(desk: StoreDesk, phrase: str) -> None:
    text, _ = desk.report()
    assert phrase in text, text


# ------------------------------------------------------------------ settlements

SETTLE = (
    r"评审人员“(?P<reviewer>[^”]+)”认定决定 (?P<decision_id>\S+)“(?P<outcome>符合条件|不符合条件)”"
    r"(?:，金额 (?P<amount>[\d,]+\.\d{2}) 元)?，理由为“(?P<reason>[^”]+)”"
)


def _settle(desk: StoreDesk, decision_id: str, outcome: str, reviewer: str, reason: str, amount: str | None) -> Run:
    argv: list[str | Path] = ["settle", "--db", desk.db, decision_id, "--outcome", OUTCOMES[outcome]]
    if amount is not None:
        argv += ["--amount", str(_money(amount))]
    argv += ["--reason", reason, "--reviewer", reviewer]
    desk.settle_run = desk.cli(*argv)
    return desk.settle_run


@given(parsers.re(SETTLE))
def settled(desk: StoreDesk, decision_id: str, outcome: str, reviewer: str, reason: str, amount: str | None) -> None:
    done = _settle(desk, decision_id, outcome, reviewer, reason, amount)
    assert done.code == 0, done.output


@when(parsers.re(SETTLE))
def settle(desk: StoreDesk, decision_id: str, outcome: str, reviewer: str, reason: str, amount: str | None) -> None:
    _settle(desk, decision_id, outcome, reviewer, reason, amount)


@then(parsers.re(r"评审结论已记入决定库，编号为 (?P<settlement>\S+)"))
def settlement_recorded(desk: StoreDesk, settlement: str) -> None:
    done = desk.settle_run
    assert done is not None and done.code == 0, done
    assert f"record {settlement}" in done.out, done.out
    rows = query(desk.db, "SELECT kind FROM records WHERE record_id = ?", (settlement,))
    assert rows == [("settlement",)], rows


@then(parsers.re(r"评审结论被拒绝（退出码 (?P<code>\d+)），错误信息写明“(?P<phrase>[^”]+)”"))
def settlement_refused(desk: StoreDesk, code: str, phrase: str) -> None:
    done = desk.settle_run
    assert done is not None
    assert done.code == int(code), done.output
    assert phrase in done.err, done.err


@then(parsers.re(r"查看决定 (?P<decision_id>\S+) 时写明“(?P<phrase>[^”]+)”"))
def show_says(desk: StoreDesk, decision_id: str, phrase: str) -> None:
    app_id, number = _split(decision_id)
    section = _claim_section(desk.show_text(decision_id), number)
    assert phrase in section, section


@then(
    parsers.re(
        r"查看决定 (?P<decision_id>\S+) 时，原决定仍为“(?P<outcome>符合条件|不符合条件|待评审)”，"
        r"评审结论 (?P<n>\d+) 条"
    )
)
def show_keeps_the_decision(desk: StoreDesk, decision_id: str, outcome: str, n: str) -> None:
    shown = desk.show(decision_id)
    assert desk.decision(decision_id)["outcome"] == OUTCOMES[outcome]
    assert [s["decision"] for s in shown["settlements"]] == [decision_id] * int(n), shown["settlements"]
    app_id, number = _split(decision_id)
    section = _claim_section(desk.show_text(decision_id), number)
    assert f"· {outcome}" in section.splitlines()[0], section
    assert section.count("⇒ 评审结论：") == int(n), section


# ------------------------------------------------------------------ rules, replay


@given("筛查使用规则文件的一份副本")
def rules_copy(desk: StoreDesk) -> None:
    desk.rules = copy_rules(desk.folder.parent)


@step(parsers.re(r"主管部门将规则副本中的参数 (?P<name>[a-z_]+)（(?P<label>[^）]+)）改为 \"(?P<value>[^\"]+)\""))
def edit_parameter(desk: StoreDesk, name: str, label: str, value: str) -> None:
    """An edit in place of the value in force, as someone editing the file by hand would do."""
    assert desk.rules is not None, "no copy of the rules is in use"
    path = desk.rules / RULESET_DIR / "parameters.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    parameter = data["parameters"][name]
    assert parameter["label"]["zh"] == label, parameter["label"]
    assert parameter["values"][-1]["value"] != value
    parameter["values"][-1]["value"] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@when("删除规则副本")
def delete_rules(desk: StoreDesk) -> None:
    assert desk.rules is not None and desk.rules.exists()
    shutil.rmtree(desk.rules)


@when(parsers.re(r"回放决定库中的全部决定"))
def replay_all(desk: StoreDesk) -> None:
    desk.replay_run = desk.with_rules("replay", "--db", desk.db)


@when(parsers.re(rf"回放决定 (?P<ids>{IDS})"))
def replay_some(desk: StoreDesk, ids: str) -> None:
    desk.replay_run = desk.with_rules("replay", "--db", desk.db, *_ids(ids))


@then("回放正常结束（退出码 0）")
def replay_ok(desk: StoreDesk) -> None:
    assert desk.replay_run is not None
    assert desk.replay_run.code == 0, desk.replay_run.output


@then(parsers.re(r"回放报告写明“(?P<phrase>[^”]+)”"))
def replay_says(desk: StoreDesk, phrase: str) -> None:
    assert desk.replay_run is not None
    assert phrase in desk.replay_run.output, desk.replay_run.output


@then(parsers.re(rf"回放报告写明申请 (?P<ids>{IDS}) 各按其记下的规则版本重现"))
def replayed_under_own_version(desk: StoreDesk, ids: str) -> None:
    assert desk.replay_run is not None
    lines = desk.replay_run.out.splitlines()
    for app_id in _ids(ids):
        expected = f"{app_id}: reproduced under {RULESET} {desk.version(app_id)}"
        assert expected in lines, desk.replay_run.output


# ------------------------------------------------------------------ verify, tampering

# How each alteration is made, with nothing but SQL on the store file. A decision record's
# id is its application id.
TAMPERING: dict[str, list[str]] = {
    "修改金额": [
        "UPDATE records SET body = json_set(body, '$.result.decisions[0].amount', '150000.00') WHERE record_id = ?"
    ],
    "修改说明文字": [
        "UPDATE records SET body = json_set(body, '$.result.decisions[0].criteria[0].explanation', "
        "'经复核，各项条件均已满足') WHERE record_id = ?"
    ],
    "修改输入": [
        "UPDATE records SET body = json_set(body, '$.input.applicant.name', '濮阳市另一家有限公司') WHERE record_id = ?"
    ],
    "修改哈希": ["UPDATE records SET hash = printf('%064d', 7) WHERE record_id = ?"],
    "删除中间记录": [
        "DELETE FROM awards WHERE application = ?",
        "DELETE FROM applications WHERE id = ?",
        "DELETE FROM decisions WHERE application = ?",
        "DELETE FROM records WHERE record_id = ?",
    ],
}


@when(parsers.re(r"有人绕过系统，用 sqlite3 直接在决定库文件中(?P<kind>\S+?)（申请 (?P<app_id>\S+) 的记录）"))
def tamper(desk: StoreDesk, kind: str, app_id: str) -> None:
    assert kind in TAMPERING, f"unknown alteration “{kind}”; known: {'、'.join(TAMPERING)}"
    before = desk.tables()
    changed = sum(execute(desk.db, sql, (app_id,)) for sql in TAMPERING[kind])
    assert changed >= 1 and desk.tables() != before, "the alteration did not take"


@when("校验决定库")
def verify(desk: StoreDesk) -> None:
    desk.verify_run = desk.cli("verify", "--db", desk.db)


@then(parsers.re(r"校验决定库完好，共 (?P<n>\d+) 条记录"))
def verified_intact(desk: StoreDesk, n: str) -> None:
    done = desk.cli("verify", "--db", desk.db)
    assert done.code == 0, done.output
    assert f"intact: {n} records" in done.out, done.output


@then(parsers.re(r"校验通过（退出码 0），报告“(?P<phrase>[^”]+)”，并写出最后一条记录的哈希作为链头"))
def verify_passed(desk: StoreDesk, phrase: str) -> None:
    done = desk.verify_run
    assert done is not None and done.code == 0, done
    head = query(desk.db, "SELECT hash FROM records ORDER BY seq DESC LIMIT 1")[0][0]
    assert phrase in done.out and f"chain head {head}" in done.out, done.output


@then(parsers.re(r"校验以退出码 1 结束，指出记录 (?P<record>\S+)：“(?P<phrase>[^”]+)”"))
def verify_failed(desk: StoreDesk, record: str, phrase: str) -> None:
    done = desk.verify_run
    assert done is not None and done.code == 1, done
    first = next((x for x in done.output.splitlines() if x.startswith("ALTERED:")), "")
    assert first.startswith(f"ALTERED: record {record} "), done.output
    assert phrase in first, done.output


@then("校验报告中没有程序内部错误")
def verify_no_internal_error(desk: StoreDesk) -> None:
    assert desk.verify_run is not None
    assert "internal error" not in desk.verify_run.output, desk.verify_run.output


# What the test modules take with `import *`: the fixture and the step definitions.
__all__ = [name for name in dir() if name == "desk" or name.startswith("pytestbdd_")]
