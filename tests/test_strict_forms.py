"""Values in the forms the contract writes, and no other: ``format`` is the whole number 1,
money a decimal string (never a float), housing written in full, a decision id read like
every id (NFKC)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_store import SAMPLES, run

P2 = SAMPLES / "p2-eligible-individual-seller.yaml"
P3 = SAMPLES / "p3-strategic-emerging-industry.yaml"


def _json(tmp_path: Path, source: Path, change: Any) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path


@pytest.mark.parametrize(("written", "shown"), [("true", "true"), ("1.0", "1.0")])
def test_format_is_the_whole_number_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, written: str, shown: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(P2.read_text(encoding="utf-8").replace("format: 1\n", f"format: {written}\n"), encoding="utf-8")
    assert run(capsys, "check", path) == (
        2,
        "",
        f"error: {path}:2 format: this engine reads application format 1, got {shown}\n\n"
        "  hint: write format: 1, a whole number\n",
    )


def test_money_as_a_json_number_with_a_fraction_is_refused_with_the_form_to_write(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "a.json"
    text = json.dumps(yaml.safe_load(P2.read_text(encoding="utf-8")), ensure_ascii=False, default=str)
    path.write_text(text.replace('"transaction_amount": "450000.00"', '"transaction_amount": 450000.1'), "utf-8")
    assert run(capsys, "check", path) == (
        2,
        "",
        f"error: {path}:1 claims[1].transaction_amount: money is a decimal string in yuan, never a float: "
        "450000.1 is written without quotes\n\n"
        '  hint: write it in quotes, as text: "450000.1"\n',
    )
    path.write_text(text.replace('"transaction_amount": "450000.00"', '"transaction_amount": 450000'), "utf-8")
    code, out, err = run(capsys, "check", path, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["decisions"][0]["amount"] == "45000.00"  # a whole number is exact


@pytest.fixture()
def inventor_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "s.db"
    assert run(capsys, "screen", P3, "--db", db, "--quiet")[0] == 0
    return db


@pytest.mark.parametrize("area", ["1e2", "-5", "NaN", "1,000", "0x10"])
def test_housing_is_written_in_full(capsys: pytest.CaptureFixture[str], inventor_store: Path, area: str) -> None:
    argv = ["settle", "PY-2024-0301/1", "--db", inventor_store, "--outcome", "eligible", "--housing-m2", area]
    code, out, err = run(capsys, *argv, "--reason", "评审通过", "--reviewer", "王审")
    assert (code, out) == (2, "")
    assert err == f"error: housing is a number of square metres written in full (120 or 120.5), got '{area}'\n"


def test_a_decision_id_in_full_width_is_read_like_every_id(
    capsys: pytest.CaptureFixture[str], inventor_store: Path
) -> None:
    argv = ["settle", "ＰＹ-2024-0301/１", "--db", inventor_store, "--outcome", "eligible", "--housing-m2", "１２０"]
    code, out, err = run(capsys, *argv, "--reason", "评审通过", "--reviewer", "王审")
    assert code == 0, err
    assert out.startswith("settled PY-2024-0301/1: eligible")
    code, out, _ = run(capsys, "show", "PY-2024-0301/1", "--format", "json", "--db", inventor_store)
    assert json.loads(out)["settlements"][0]["housing_m2"] == "120"


@pytest.mark.parametrize("value", ["abc", "NaN", "1e-1", "0x10"])
def test_a_what_if_value_that_is_not_a_number_is_said_in_words(capsys: pytest.CaptureFixture[str], value: str) -> None:
    assert run(capsys, "check", P2, "--set", f"purchase_reward_rate={value}") == (
        2,
        "",
        f'error: what-if purchase_reward_rate={value}: expected a number written in full, such as "0.10" or '
        f"\"10%\", got '{value}'\n\n  hint: purchase_reward_rate is a rate parameter\n",
    )


def test_a_huge_number_is_called_a_number_by_the_api(web: Any) -> None:
    response = web.api().post("/api/v1/check", content='{"format": ' + "9" * 100_000 + "}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["field"], error["message"]) == ("format", "a number of 100,000 digits; at most 30 are read")


@pytest.mark.parametrize("ref", ["PY-2099-0001/1", "py-2024-0031/1", "PY-2024-0031/1/", "PY-2024-0031/9"])
def test_an_unknown_decision_is_404_whatever_its_id_looks_like(web: Any, ref: str) -> None:
    response = web.api("auditor").get(f"/api/v1/decisions/{ref}")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == f"nothing recorded as '{ref}'"


def test_a_form_with_too_many_fields_is_refused_in_the_pages_language(web: Any) -> None:
    from helpers_web import csrf

    client = web.client()
    fields = {"csrf": csrf(client), **{f"x{i}": "1" for i in range(1001)}}
    response = client.post("/check", data=fields)
    assert response.status_code == 400
    assert "表单过大：一次最多提交 1,000 个字段或文件。" in response.text
    assert "Too many fields" not in response.text
