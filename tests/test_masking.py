"""Resident ID numbers are masked in every output: a sweep of every command and format, the
error messages and the web pages and API, with an application carrying one.

The store keeps the input whole (it is hashed and replayed); every face shows
``410902********4305`` and never ``410902197804154305``. Where the applicant is named with
their identity (the head of a decision, the JSON's applicant, the CSV's row), the masked
number is there.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_store import SAMPLES, record_body, run
from helpers_web import INVENTOR_APP, Web, csrf

ID = "410902197804154305"
MASKED = "410902********4305"
APP = "PY-2024-0301"
FILE = SAMPLES / "p3-strategic-emerging-industry.yaml"


@pytest.fixture(scope="module")
def settled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the inventor's decision, settled with housing and a yearly fund."""
    from engine.cli import main

    db = tmp_path_factory.mktemp("masking") / "store.db"
    assert main(["screen", str(FILE), "--db", str(db), "--quiet"]) == 0
    settle = ["settle", f"{APP}/1", "--db", str(db), "--outcome", "eligible", "--amount", "800000.00"]
    assert main([*settle, "--housing-m2", "120", "--reason", "评审通过", "--reviewer", "王审"]) == 0
    return db


def _clean(text: str, *, named: bool) -> None:
    assert ID not in text
    assert ID.lower() not in text
    if named:
        assert MASKED in text


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (("check", FILE), True),
        (("check", FILE, "--lang", "en"), True),
        (("check", FILE, "--format", "json"), True),
        (("check", FILE, "--format", "json", "--lang", "en"), True),
    ],
)
def test_the_self_check_masks_the_id_number(capsys: Any, argv: tuple[Any, ...], named: bool) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    _clean(out, named=named)
    _clean(err, named=False)


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv"])
def test_screen_masks_the_id_number_in_every_format(capsys: Any, tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", FILE, "--db", db, "--format", fmt)
    assert code == 0, err
    _clean(out, named=True)
    _clean(err, named=False)
    again = run(capsys, "screen", FILE, "--db", db, "--format", fmt)  # already recorded: told on stderr
    _clean(again[1] + again[2], named=False)
    assert record_body(db, APP)["input"]["applicant"]["id_number"] == ID  # the record keeps it whole


def test_screen_csv_names_an_individual_by_the_masked_id_number(capsys: Any, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "screen", FILE, "--db", tmp_path / "store.db", "--format", "csv")
    header, row = (line.split(",") for line in out.splitlines()[:2])
    assert code == 0 and row[header.index("applicant")] == "张伟" and row[header.index("id_number")] == MASKED


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (("show", APP), True),
        (("show", APP, "--lang", "en"), True),
        (("show", APP, "--as-recorded"), True),
        (("show", APP, "--format", "json"), True),
        (("show", f"{APP}/1"), True),
        (("show", f"{APP}/1", "--format", "json"), True),
        (("show", f"{APP}/1/settlement"), True),
        (("show", f"{APP}/1/settlement", "--format", "json"), True),
        (("report",), False),
        (("report", "--lang", "en"), False),
        (("report", "--format", "csv"), False),
        (("queue", "--format", "json"), False),
        (("replay",), False),
        (("replay", APP), False),
        (("replay", APP, "--set", "inventor_research_fund_max_per_year=900000.00"), False),
        (("verify",), False),
        (("impact", "--set", "inventor_research_fund_max_per_year=900000.00"), False),
        (("impact", "--set", "inventor_research_fund_max_per_year=900000.00", "--format", "csv"), False),
        (("impact", "--set", "inventor_research_fund_max_per_year=900000.00", "--format", "html"), False),
    ],
)
def test_every_command_on_a_store_masks_the_id_number(
    capsys: Any, settled: Path, argv: tuple[Any, ...], named: bool
) -> None:
    code, out, err = run(capsys, *argv, "--db", settled)
    assert code in (0, 1), err
    assert out
    _clean(out, named=named)
    _clean(err, named=False)


def test_show_json_masks_the_recorded_input_and_the_store_keeps_it_whole(capsys: Any, settled: Path) -> None:
    code, out, _ = run(capsys, "show", APP, "--format", "json", "--db", settled)
    shown = json.loads(out)
    assert code == 0
    assert shown["content"]["input"]["applicant"]["id_number"] == MASKED
    assert shown["content"]["result"]["applicant"]["id_number"] == MASKED
    assert record_body(settled, APP)["input"]["applicant"]["id_number"] == ID


def test_settle_and_its_refusal_mask_the_id_number(capsys: Any, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert run(capsys, "screen", FILE, "--db", db)[0] == 0
    argv = ("settle", f"{APP}/1", "--db", db, "--outcome", "eligible", "--housing-m2", "120")
    argv += ("--reason", "评审通过", "--reviewer", "王审")
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    _clean(out + err, named=False)
    code, out, err = run(capsys, *argv)  # settled once only
    assert code == 2
    _clean(out + err, named=False)


def _variant(tmp_path: Path, name: str, change: Any) -> Path:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# an ID number where something else belongs, or in a form that is refused
_WRONG_PLACES = {
    "in-the-credit-code": lambda d: d["applicant"].update(credit_code=ID),
    "an-enterprise-with-it-as-credit-code": lambda d: d["applicant"].update(
        type="enterprise", credit_code=ID, id_number=None
    ),
    "as-a-number": lambda d: d["applicant"].update(id_number=int(ID)),
    "in-a-list": lambda d: d["applicant"].update(id_number=[ID]),
    "full-width-in-a-list": lambda d: d["applicant"].update(
        id_number=[ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))]
    ),
    "as-the-submission-date": lambda d: d.update(submitted_on=ID),
    "as-the-patent-number": lambda d: d["claims"][0]["patent"].update(number=int(ID)),
    "with-a-wrong-check-character": lambda d: d["applicant"].update(id_number=ID[:-1] + "6"),
}


@pytest.mark.parametrize("name", sorted(_WRONG_PLACES))
def test_error_messages_mask_the_id_number(capsys: Any, tmp_path: Path, name: str) -> None:
    path = _variant(tmp_path, name, _WRONG_PLACES[name])
    code, out, err = run(capsys, "check", path)
    assert code == 2, out
    assert err.startswith(f"error: {path}:")
    for text in (err, run(capsys, "screen", path, "--db", tmp_path / "store.db")[2]):
        assert ID not in text and ID[:-1] not in text
        assert "410902********430" in text  # masked, as given


def test_an_internal_fault_quoting_the_id_number_is_masked(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.services.checking as checking

    def faulty(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"the engine tripped over {ID}")

    monkeypatch.setattr(checking, "check", faulty)
    code, out, err = run(capsys, "check", FILE)
    assert code == 3
    assert f"the engine tripped over {MASKED}" in err
    _clean(out + err, named=True)


def test_the_web_pages_and_the_api_mask_the_id_number(web: Web, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = FILE.read_bytes()
    anyone = web.client()
    checked = anyone.post("/check/upload", data={"csrf": csrf(anyone)}, files={"file": (FILE.name, body)})
    assert checked.status_code == 200
    _clean(checked.text, named=True)
    bad = body.replace(b'id_number: "410902197804154305"', b'credit_code: "410902197804154305"')
    refused = anyone.post("/check/upload", data={"csrf": csrf(anyone)}, files={"file": (FILE.name, bad)})
    _clean(refused.text, named=False)
    auditor = web.client("auditor")
    for page in (
        f"/decision?id={INVENTOR_APP}",
        f"/decision?id={INVENTOR_APP}/1",
        f"/audit/history?search={INVENTOR_APP}",
        "/audit/history",
        "/desk/report",
        "/desk/report.csv",
    ):
        response = auditor.get(page)
        assert response.status_code == 200, page
        _clean(response.text, named=page.startswith("/decision"))
    reviewer = web.client("reviewer")
    for page in ("/desk/queue", f"/decision?id={INVENTOR_APP}"):
        _clean(reviewer.get(page).text, named=False)
    api = web.api("auditor")
    for path in (
        f"/api/v1/decisions/{INVENTOR_APP}",
        f"/api/v1/decisions/{INVENTOR_APP}/1",
        f"/api/v1/decisions?search={INVENTOR_APP}",
        "/api/v1/decisions?limit=200",
        "/api/v1/report",
        "/api/v1/verify",
    ):
        response = api.get(path)
        assert response.status_code == 200, path
        _clean(response.text, named=path.startswith("/api/v1/decisions/"))
    replayed = web.api("auditor").post("/api/v1/replay", json={"ids": [INVENTOR_APP]})
    _clean(replayed.text, named=False)
    api_check = web.api().post("/api/v1/check", content=json.dumps(yaml.safe_load(body), default=str))
    _clean(api_check.text, named=True)
    api_bad = web.api().post("/api/v1/check", content=json.dumps(yaml.safe_load(bad), default=str))
    assert api_bad.status_code == 422
    _clean(api_bad.text, named=True)
    _clean(caplog.text, named=False)
