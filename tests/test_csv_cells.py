"""Every CSV the engine writes holds no cell a spreadsheet would run: a text starting with
= + - @ (or a tab, a carriage return) is written with a leading ', whoever typed it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from helpers_store import SAMPLES, credit_code, patent_number, run

from engine.explain.tables import csv_cell

P2 = SAMPLES / "p2-eligible-individual-seller.yaml"
HOSTILE = ['=HYPERLINK("http://evil","x")', '=cmd|"/c calc"!A1', "+1+cmd", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_name_that_starts_a_formula_is_text_in_every_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    data = yaml.safe_load(P2.read_text(encoding="utf-8"))
    data["applicant"]["name"] = data["claims"][0]["patent"]["holder"] = name
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "s.db"
    code, screened, err = run(capsys, "screen", path, "--db", db, "--format", "csv")
    assert code == 0, err
    code, reported, err = run(capsys, "report", "--db", db, "--format", "csv")
    assert code == 0, err
    for text in (screened, reported):
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["applicant"] for r in rows if r["applicant"]] == ["'" + name]
    [row] = list(csv.DictReader(io.StringIO(screened)))
    assert (row["outcome"], row["amount"]) == ("eligible", "45000.00")


def test_the_web_report_download_writes_no_formula(web: object) -> None:
    from helpers_web import Web

    assert isinstance(web, Web)
    from engine.cli import main

    data = yaml.safe_load(P2.read_text(encoding="utf-8"))
    data.update(id="PY-CSV-1")
    data["applicant"]["name"] = data["claims"][0]["patent"]["holder"] = "=1+1"
    data["applicant"]["credit_code"] = credit_code(901)
    data["claims"][0]["patent"]["number"] = patent_number(2018, 901)
    path = web.path.parent / "a.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["screen", str(path), "--db", str(web.path), "--quiet"]) == 0
    response = web.client("auditor").get("/desk/report.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[2] for row in rows[1:]]
    assert "'=1+1" in names and "=1+1" not in names


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86 393", "'+86 393"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-500.00", "-500.00"),
        ("+12", "+12"),
        ("-", "'-"),
        ("濮阳市=公司", "濮阳市=公司"),
        (None, ""),
    ],
)
def test_the_one_cell_rule(value: str | None, cell: str) -> None:
    assert csv_cell(value) == cell
