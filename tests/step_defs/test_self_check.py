"""The self-check command ``subsidy check``: scenarios in features/self_check.feature.

Each scenario runs the command line in-process (``engine.cli.main``) from a
scratch folder holding the application file, and reads what it printed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from engine.cli import main

from .conftest import Case, write_application

scenarios("self_check.feature")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@given(parsers.re(r"申请书 (?P<name>\S+) 的内容为："))
def raw_file(name: str, docstring: str, tmp_path: Path) -> None:
    (tmp_path / name).write_text(docstring + "\n", encoding="utf-8")


@given(parsers.re(r"申报项目写为 (?P<program>\S+)"))
def program_named(case: Case, program: str) -> None:
    case.claim()["program"] = program


@when(parsers.re(r"运行 subsidy check (?P<args>.+)"), target_fixture="run")
def run_check(
    case: Case, args: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    if not (tmp_path / f"{case.data['id']}.yaml").exists():
        write_application(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    code = main(["check", *args.split()])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@then(parsers.re(r"退出码为 (?P<code>\d+)"))
def exit_code(run: Run, code: str) -> None:
    assert run.code == int(code), run.err


@then("标准输出为空")
def no_output(run: Run) -> None:
    assert run.out == ""


@then("标准错误为空")
def no_errors(run: Run) -> None:
    assert run.err == ""


@then(parsers.re(r"输出中写明“(?P<phrase>.+)”"))
def output_says(run: Run, phrase: str) -> None:
    assert phrase in run.out, run.out


@then(parsers.re(r"输出中不出现“(?P<phrase>.+)”"))
def output_does_not_say(run: Run, phrase: str) -> None:
    assert run.out and phrase not in run.out, run.out


@then(parsers.re(r"错误信息写明“(?P<phrase>.+)”"))
def error_says(run: Run, phrase: str) -> None:
    assert phrase in run.err, run.err


@then(parsers.re(r"错误信息指出文件 (?P<name>\S+) 的字段 (?P<path>\S+)"))
def error_names_field(run: Run, name: str, path: str) -> None:
    # file:line path: what is wrong
    pattern = rf"^(?:error: )?{re.escape(name)}:\d+ {re.escape(path)}: \S"
    assert re.search(pattern, run.err, re.MULTILINE), run.err


@then("没有程序堆栈")
def no_traceback(run: Run) -> None:
    assert "Traceback" not in run.err and "Traceback" not in run.out
    assert run.err.startswith("error: "), run.err


_STEP = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def _at(data: Any, path: str) -> Any:
    for name, index in _STEP.findall(path):
        data = data[int(index)] if index else data[name]
    return data


@then("输出是一个 JSON 对象，其中：")
def json_fields(run: Run, datatable: list[list[str]]) -> None:
    data = run.json()
    assert isinstance(data, dict)
    header, *rows = [[cell.strip() for cell in row] for row in datatable]
    assert header == ["字段", "值"], header
    for path, literal in rows:
        assert _at(data, path) == json.loads(literal), path


@then(parsers.re(r"JSON 中规则版本以“(?P<prefix>.+)”开头"))
def version_prefix(run: Run, prefix: str) -> None:
    version = run.json()["ruleset"]["version"]
    assert version.startswith(prefix) and len(version) > len(prefix), version


@then(parsers.re(r"JSON 中每项决定都有字段 (?P<keys>\S+)"))
def decision_keys(run: Run, keys: str) -> None:
    decisions = run.json()["decisions"]
    assert decisions
    for decision in decisions:
        assert set(keys.split("、")) <= set(decision), sorted(decision)


@then(parsers.re(r"JSON 中每个条件都有字段 (?P<keys>\S+)"))
def criterion_keys(run: Run, keys: str) -> None:
    criteria = [c for d in run.json()["decisions"] for c in d["criteria"]]
    assert criteria
    for criterion in criteria:
        assert set(keys.split("、")) <= set(criterion), sorted(criterion)
        assert criterion["status"] in ("met", "not_met", "unknown")
        assert criterion["explanation"].strip()


@then(parsers.re(r"JSON 中的条件依次为 (?P<ids>\S+)"))
def criterion_order(run: Run, ids: str) -> None:
    assert [c["id"] for c in run.json()["decisions"][0]["criteria"]] == ids.split("、")
