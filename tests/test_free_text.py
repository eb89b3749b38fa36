"""Free text — an applicant's statement and name, a settlement's reason and reviewer — as every
face shows it: an ID number typed in it is masked, a control character is refused at intake
(and never written raw), a settlement's reason is one line. The store keeps what was given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_files import variant as _variant
from helpers_store import SAMPLES, record_body, run
from helpers_web import APP_B, Web

ID = "410902196905177253"
MASKED = "410902********7253"
P3 = SAMPLES / "p3-national-science-award.yaml"
P2 = SAMPLES / "p2-eligible-individual-seller.yaml"


def _in_statement(d: dict[str, Any]) -> None:
    d["claims"][0]["benefits"] = f"身份证{ID} 技术在濮阳实现产业化"


def _in_name(d: dict[str, Any]) -> None:
    d["applicant"]["name"] = f"{d['applicant']['name']} {ID}"
    for key in ("inventors",):
        if key in d["claims"][0]["patent"]:
            d["claims"][0]["patent"][key] = [d["applicant"]["name"]]


@pytest.mark.parametrize("change", [_in_statement, _in_name], ids=["statement", "name"])
def test_an_id_number_in_free_text_is_masked_by_every_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, change: Any
) -> None:
    path = _variant(tmp_path, P3, change)
    db = tmp_path / "store.db"
    outputs = []
    for fmt in ("text", "json"):
        code, out, err = run(capsys, "check", path, "--format", fmt)
        assert code == 0, err
        outputs.append(out)
    for fmt in ("text", "jsonl", "csv"):
        code, out, err = run(capsys, "screen", path, "--db", tmp_path / f"{fmt}.db", "--format", fmt)
        assert code == 0, err
        outputs.append(out)
    assert run(capsys, "screen", path, "--db", db, "--quiet")[0] == 0
    for argv in (("show", "PY-2023-0305"), ("show", "PY-2023-0305", "--format", "json")):
        code, out, err = run(capsys, *argv, "--db", db)
        assert code == 0, err
        outputs.append(out)
    for out in outputs:
        assert ID not in out
        assert MASKED in out
    assert ID in json.dumps(record_body(db, "PY-2023-0305")["input"], ensure_ascii=False)  # kept whole


def test_an_id_number_as_a_field_name_is_masked_in_the_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _variant(tmp_path, P3, lambda d: d["applicant"].update({ID: 1}))
    code, out, err = run(capsys, "check", path)
    assert code == 2 and out == ""
    assert ID not in err
    assert f"applicant.{MASKED}: unknown field '{MASKED}'" in err


def test_an_application_id_that_is_an_id_number_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _variant(tmp_path, P3, lambda d: d.update(id=ID))
    code, out, err = run(capsys, "check", path)
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}:2 id: an id cannot be a resident ID number, got '{MASKED}'\n\n"
        "  hint: an application id is shown and recorded in the clear, on every decision and settlement; "
        "number applications as the office does (PY-2024-0001)\n"
    )


def test_a_settlement_reason_and_reviewer_are_masked_on_every_face(
    web: Web, capsys: pytest.CaptureFixture[str]
) -> None:
    from engine.cli import main

    db = str(web.path)
    argv = ["settle", f"{APP_B}/1", "--db", db, "--outcome", "ineligible"]
    assert main([*argv, "--reason", f"证件 {ID} 核实", "--reviewer", f"王敏 {ID}"]) == 0
    capsys.readouterr()
    assert json.dumps(record_body(Path(db), f"{APP_B}/1/settlement"), ensure_ascii=False).count(ID) == 2
    shown = [run(capsys, "show", f"{APP_B}/1", *fmt, "--db", db)[1] for fmt in ((), ("--format", "json"))]
    assert f"（王敏 {MASKED}，" in shown[0] and f"：证件 {MASKED} 核实" in shown[0]
    settlement = json.loads(shown[1])["settlements"][0]
    assert (settlement["reason"], settlement["reviewer"]) == (f"证件 {MASKED} 核实", f"王敏 {MASKED}")
    api = web.api("auditor").get(f"/api/v1/decisions/{APP_B}/1")
    page = web.client("auditor").get(f"/decision?id={APP_B}/1")
    for response in (api, page):
        assert response.status_code == 200
        assert ID not in response.text and f"证件 {MASKED} 核实" in response.text


# ------------------------------------------------------------------ control characters


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize(
    ("char", "code"), [("\x1b", "001B"), ("\x00", "0000"), ("\x07", "0007"), ("\r", "000D"), ("\x9b", "009B")]
)
def test_a_control_character_in_any_text_is_refused_at_intake(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str, char: str, code: str
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["applicant"]["name"] = f"刘{char}志刚"

    path = _variant(tmp_path, P2, change, suffix)
    want = (
        f"error: {path}:{6 if suffix == '.yaml' else 1} applicant.name: a text holding the control character "
        f"U+{code}; text may hold no control characters\n\n"
        "  hint: remove it: only tabs and line breaks may stand in a text (a control character can forge what is "
        "shown)\n"
    )
    assert run(capsys, "check", path) == (2, "", want)
    exit_code, out, err = run(capsys, "screen", path, "--db", tmp_path / "s.db")
    assert (exit_code, out) == (2, "") and err.startswith(want)


def test_line_breaks_in_a_statement_are_text_shown_on_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["claims"][0]["benefits"] = "技术在濮阳实现产业化\r\nerror: 伪造的一行\n\t新增就业300人"

    path = _variant(tmp_path, P3, change, ".json")
    code, out, err = run(capsys, "check", path)
    assert code == 0, err
    assert "申请人陈述：技术在濮阳实现产业化 error: 伪造的一行 新增就业300人\n" in out
    assert not any(line.startswith("error:") for line in out.splitlines())


@pytest.mark.parametrize("field", ["--reason", "--reviewer"])
@pytest.mark.parametrize(("char", "code"), [("\n", "000A"), ("\x1b", "001B"), ("\u2028", "2028")])
def test_a_settlement_reason_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, field: str, char: str, code: str
) -> None:
    db = tmp_path / "s.db"
    assert run(capsys, "screen", SAMPLES / "review-p2-related-party-not-declared.yaml", "--db", db, "--quiet")[0] == 0
    given = {"--reason": "核实无关联关系", "--reviewer": "王审", field: f"ok{char}error: forged line"}
    argv = ["settle", f"{APP_B}/1", "--db", db, "--outcome", "eligible", *[x for kv in given.items() for x in kv]]
    name = field[2:]
    assert run(capsys, *argv) == (
        2,
        "",
        f"error: a settlement's {name} is one line of text; it holds the control character U+{code}\n\n"
        "  hint: write it on one line, without line breaks, tabs or other control characters\n",
    )
    code, out, _ = run(capsys, "show", f"{APP_B}/1", "--format", "json", "--db", db)
    assert (code, json.loads(out)["settlements"]) == (0, [])  # nothing recorded


def test_no_output_writes_a_control_character_raw(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "刘\x1b]0;PWNED\x07.yaml"  # a file's name is shown as given, but never raw
    path.write_text("id: [", encoding="utf-8")
    code, out, err = run(capsys, "check", path)
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err
    assert "刘\\u001b]0;PWNED\\u0007.yaml" in err


# ------------------------------------------------------------------ JSON is JSON


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("{'format': 1}", 1, "malformed JSON at column 2: Expecting property name enclosed in double quotes"),
        ('{\n  "format": 1,\n}', 3, "malformed JSON at column 1: Expecting property name enclosed in double quotes"),
        ("format: 1\nid: PY-1\n", 1, "malformed JSON at column 1: Expecting value"),
    ],
    ids=["single-quotes", "trailing-comma", "yaml-block"],
)
def test_a_json_file_is_read_as_strict_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    assert run(capsys, "check", path) == (2, "", f"error: {path}:{line}: {message}\n")


def test_a_lone_surrogate_in_a_json_file_is_refused_as_what_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = yaml.safe_load(P2.read_text(encoding="utf-8"))
    data["applicant"]["name"] = "刘\ud800志刚"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data, default=str), encoding="ascii")  # the surrogate as its escape, \ud800
    code, out, err = run(capsys, "check", path)
    assert (code, out) == (2, "")
    assert err.startswith(
        f"error: {path}:1 applicant.name: a text holding the half of a surrogate pair U+D800, "
        "which is no character of any text\n"
    )
    assert "takes both halves" in err and "control" not in err  # not the control characters' hint


def test_a_nul_in_a_yaml_file_is_named_with_its_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("format: 1\nid: PY-1\napplicant:\n  name: 刘\x00志刚\n", encoding="utf-8")
    assert run(capsys, "check", path) == (
        2,
        "",
        f"error: {path}:4: the control character U+0000 cannot stand in a YAML file\n\n"
        "  hint: remove it: the file holds text, and text holds no control characters\n",
    )


def test_an_id_number_in_an_uploaded_statement_is_masked_on_the_page(web: Web, tmp_path: Path) -> None:
    from helpers_web import csrf

    body = _variant(tmp_path, P3, _in_statement).read_bytes()
    anyone = web.client()
    page = anyone.post("/check/upload", data={"csrf": csrf(anyone)}, files={"file": ("a.yaml", body)})
    assert page.status_code == 200
    assert ID not in page.text and f"身份证{MASKED}" in page.text
    api = web.api().post("/api/v1/check", content=json.dumps(yaml.safe_load(body), default=str))
    assert api.status_code == 200
    assert ID not in api.text and f"身份证{MASKED}" in api.text


@pytest.mark.parametrize("char", ["\x7f", "\x9b"])
def test_a_raw_control_character_in_a_json_lines_record_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, char: str
) -> None:
    data = yaml.safe_load(P2.read_text(encoding="utf-8"))
    data["applicant"]["name"] = data["claims"][0]["patent"]["holder"] = f"濮阳市{char}安泰消防设备有限公司"
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "screen", path, "--db", tmp_path / "s.db")
    assert (code, out) == (2, "")
    assert f"{path}:1 applicant.name: a text holding the control character U+{ord(char):04X}" in err
