"""Ways an ID number was once shown whole, closed on every face (the command line, the
reader's messages, the self-check page and the API):

* typed right after Latin letters (``ID410902…``, ``abc410902…``, full-width ``ＩＤ４１０９…``):
  masked when it is an ID number in full (province, birth date, check character), while
  codes of letters and digits — credit codes, patent numbers, hashes, application ids — stay;
* split by an invisible format character (U+200B, U+00AD, U+2060, U+FEFF…): refused at intake
  with the field, and masked through it in whatever was stored before;
* reversed behind a bidirectional control (U+202E…): refused at intake, and written out as
  ``\\u202e`` in whatever was stored before, so no line is reordered.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_files import variant as _variant
from helpers_store import SAMPLES, run
from helpers_web import Web, csrf

from engine.privacy import mask_id_numbers, shown

ID = "410902196905177253"
MASKED = "410902********7253"
WIDE_ID = "".join(chr(0xFF10 + int(d)) for d in ID)
P3 = SAMPLES / "p3-national-science-award.yaml"  # 吴海涛, whose ID number is ID
P2 = SAMPLES / "p2-eligible-individual-seller.yaml"


def _named(name: str) -> Any:
    def change(d: dict[str, Any]) -> None:
        d["applicant"]["name"] = name
        if "inventors" in d["claims"][0]["patent"]:
            d["claims"][0]["patent"]["inventors"] = [name]

    return change


def _stated(statement: str) -> Any:
    def change(d: dict[str, Any]) -> None:
        d["claims"][0]["benefits"] = statement

    return change


# ------------------------------------------------------------------ after Latin letters

BESIDE_LETTERS = {
    "ID-in-a-name": (_named(f"濮阳市华瑞ID{ID}公司"), f"濮阳市华瑞ID{MASKED}公司"),
    "abc-in-a-name": (_named(f"吴海涛abc{ID}"), f"吴海涛abc{MASKED}"),
    # only the ID number's characters change: the rest stays as typed, full-width
    "full-width-in-a-statement": (_stated(f"身份证ＩＤ{WIDE_ID}，技术在濮阳实现产业化"), f"ＩＤ{MASKED}，技术"),
    "letters-after": (_stated(f"证件{ID}abc，技术在濮阳实现产业化"), f"{MASKED}abc"),
}


@pytest.mark.parametrize("case", BESIDE_LETTERS, ids=list(BESIDE_LETTERS))
def test_an_id_number_right_after_latin_letters_is_masked_by_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    change, masked = BESIDE_LETTERS[case]
    path = _variant(tmp_path, P3, change)
    for argv in (("check", path), ("check", path, "--format", "json"), ("check", path, "--lang", "en")):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert ID not in out + err and masked in out, argv


def test_an_id_number_right_after_latin_letters_is_masked_on_the_self_check_page(web: Web, tmp_path: Path) -> None:
    body = _variant(tmp_path, P3, _named(f"濮阳市华瑞ID{ID}公司")).read_bytes()
    anyone = web.client()
    page = anyone.post("/check/upload", data={"csrf": csrf(anyone)}, files={"file": ("a.yaml", body)})
    assert page.status_code == 200
    assert ID not in page.text and f"ID{MASKED}" in page.text
    api = web.api().post("/api/v1/check", content=json.dumps(yaml.safe_load(body), default=str))
    assert api.status_code == 200
    assert ID not in api.text and f"ID{MASKED}" in api.text


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for k, v in value.items() if k != "id_number" for t in (str(k), *_texts(v))]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [str(value)]


def test_codes_of_letters_and_digits_are_left_as_they_are() -> None:
    """Every text of every sample application (credit codes, patent numbers, application ids,
    names), the hashes of a store, and codes made to sit against letters stay as they were."""
    samples = sorted(SAMPLES.glob("*.yaml"))
    texts = [t for path in samples for t in _texts(yaml.safe_load(path.read_text(encoding="utf-8")))]
    assert len(texts) > 1000
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(20_000)]
    digits_in_hashes = [h for h in hashes if re.search(r"(?<![0-9])[1-8][0-9]{16}[0-9Xx](?![0-9])", h)]
    assert digits_in_hashes  # hashes holding an 18-digit run between letters are among them
    glued = ["CN" + t for t in texts] + [t + "ABC" for t in texts]
    for text in texts + hashes + glued:
        assert mask_id_numbers(text) == text
        assert shown(text) == text
    # an ID shape between letters that is not an ID number in full (its check character is wrong)
    assert mask_id_numbers(f"abc{ID[:17]}0def") == f"abc{ID[:17]}0def"
    assert mask_id_numbers(f"abc{ID}def") == f"abc{MASKED}def"


# ------------------------------------------------------------------ format characters at intake

FORMAT_CHARACTERS = {
    "\u200b": "the invisible format character U+200B (ZERO WIDTH SPACE)",
    "\u00ad": "the invisible format character U+00AD (SOFT HYPHEN)",
    "\u2060": "the invisible format character U+2060 (WORD JOINER)",
    "\ufeff": "the invisible format character U+FEFF (ZERO WIDTH NO-BREAK SPACE)",
    "\u202e": "the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)",
    "\u2066": "the bidirectional control U+2066 (LEFT-TO-RIGHT ISOLATE)",
}
HINTS = {
    "invisible": "remove it (it often comes with text copied from a web page or a document): "
    "unseen, it splits a name or a number into something else than it shows",
    "bidirectional": "remove it: it reorders what follows it on the line, so the text would not read as it was typed",
}


def _split(char: str) -> str:
    return f"刘志刚{ID[:6]}{char}{ID[6:]}" if char not in "\u202e\u2066" else f"刘志刚{char}{ID[::-1]}"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("char", FORMAT_CHARACTERS, ids=[f"U+{ord(c):04X}" for c in FORMAT_CHARACTERS])
def test_a_format_character_in_a_text_is_refused_at_intake(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str, char: str
) -> None:
    path = _variant(tmp_path, P2, _named(_split(char)), suffix)
    what = FORMAT_CHARACTERS[char]
    hint = HINTS[what.split()[1]]
    want = (
        f"error: {path}:{6 if suffix == '.yaml' else 1} applicant.name: a text holding {what}; "
        f"text may hold no invisible format characters\n\n  hint: {hint}\n"
    )
    assert run(capsys, "check", path) == (2, "", want)
    code, out, err = run(capsys, "screen", path, "--db", tmp_path / "s.db")
    assert (code, out) == (2, "") and err.startswith(want)


@pytest.mark.parametrize("char", ["\u200b", "\u202e"], ids=["U+200B", "U+202E"])
def test_a_format_character_in_a_json_lines_record_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, char: str
) -> None:
    path = _variant(tmp_path, P2, _named(_split(char)), ".jsonl")
    code, out, err = run(capsys, "screen", path, "--db", tmp_path / "s.db")
    assert (code, out) == (2, "")
    assert f"{path}:1 applicant.name: a text holding {FORMAT_CHARACTERS[char]}" in err
    assert char not in err and ID not in err


def test_a_format_character_in_a_field_name_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["applicant"]["na\u200bme"] = d["applicant"].pop("name")

    path = _variant(tmp_path, P2, change)
    code, out, err = run(capsys, "check", path)
    assert (code, out) == (2, "")
    assert "a field name holding the invisible format character U+200B (ZERO WIDTH SPACE)" in err
    assert "\u200b" not in err and "na\\u200bme" in err


def test_a_byte_order_mark_starting_a_file_is_no_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + P2.read_bytes())
    code, _, err = run(capsys, "check", path)
    assert code == 0, err


@pytest.mark.parametrize("char", ["\u200b", "\u202e"], ids=["U+200B", "U+202E"])
def test_the_self_check_page_and_the_api_refuse_a_format_character(web: Web, tmp_path: Path, char: str) -> None:
    body = _variant(tmp_path, P2, _named(_split(char))).read_bytes()
    anyone = web.client()
    page = anyone.post("/check/upload", data={"csrf": csrf(anyone)}, files={"file": ("a.yaml", body)})
    assert page.status_code == 422
    assert "含有不可见的格式字符" in page.text and f"U+{ord(char):04X}" in page.text
    assert char not in page.text and ID not in page.text and ID[::-1] not in page.text
    api = web.api().post("/api/v1/check", content=json.dumps(yaml.safe_load(body), default=str))
    assert api.status_code == 422
    assert f"U+{ord(char):04X}" in api.text and ID not in api.text


# ------------------------------------------------------------------ stored before intake refused them

STORED = "PY-2023-9305"


@pytest.fixture
def stored_before(web: Web, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Web:
    """The web store holding an application whose name carries a split ID number and a
    right-to-left override, written as a store of an earlier version (which let them in) would."""
    import engine.reading.validate as validate

    def change(d: dict[str, Any]) -> None:
        _named(f"吴海涛{ID[:6]}\u200b{ID[6:]}\u202e公司伪造")(d)
        d["id"] = STORED

    path = _variant(tmp_path, P3, change)
    with monkeypatch.context() as earlier:
        earlier.setattr(validate, "FORMATS", re.compile("(?!)"))
        code, _, err = run(capsys, "screen", path, "--db", web.path, "--quiet")
        assert code == 0, err
    return web


def test_what_was_stored_before_is_shown_masked_and_escaped(
    stored_before: Web, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (("show", STORED), ("show", STORED, "--format", "json")):
        code, out, err = run(capsys, *argv, "--db", stored_before.path)
        assert code == 0, err
        assert "\u202e" not in out and "\u200b" not in out and ID not in out
        assert f"吴海涛{MASKED}\\u202e公司伪造" in out
    auditor = stored_before.client("auditor")
    page = auditor.get(f"/decision?id={STORED}")
    assert page.status_code == 200
    assert "\u202e" not in page.text and "\u200b" not in page.text and ID not in page.text
    assert f"吴海涛{MASKED}\\u202e公司伪造" in page.text


def test_what_was_stored_before_is_shown_masked_and_escaped_in_the_report(stored_before: Web) -> None:
    auditor, reviewer = stored_before.client("auditor"), stored_before.client("reviewer")
    for client, page in (
        (auditor, "/desk/report"),
        (auditor, "/desk/report.csv"),
        (auditor, f"/audit/history?search={STORED}"),
        (reviewer, "/desk/queue"),
        (reviewer, f"/decision?id={STORED}/1"),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "\u202e" not in response.text and "\u200b" not in response.text and ID not in response.text, page
    assert f"吴海涛{MASKED}\\u202e公司伪造" in auditor.get("/desk/report.csv").text
    api = stored_before.api("auditor")
    for path in (f"/api/v1/decisions/{STORED}", "/api/v1/report", f"/api/v1/decisions?search={STORED}"):
        response = api.get(path)
        assert response.status_code == 200, path
        assert ID not in response.text and f"吴海涛{MASKED}" in response.text, path


@pytest.mark.parametrize("field", ["--reason", "--reviewer"])
@pytest.mark.parametrize(
    ("char", "name"), [("\u202e", "RIGHT-TO-LEFT OVERRIDE"), ("\u200b", "ZERO WIDTH SPACE")], ids=["U+202E", "U+200B"]
)
def test_a_settlement_reason_holds_no_format_character(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, field: str, char: str, name: str
) -> None:
    from helpers_web import APP_B

    db = tmp_path / "s.db"
    assert run(capsys, "screen", SAMPLES / "review-p2-related-party-not-declared.yaml", "--db", db, "--quiet")[0] == 0
    given = {"--reason": "核实无关联关系", "--reviewer": "王审", field: f"核实{char}{ID[::-1]}"}
    argv = ["settle", f"{APP_B}/1", "--db", db, "--outcome", "eligible", *[x for kv in given.items() for x in kv]]
    assert run(capsys, *argv) == (
        2,
        "",
        f"error: a settlement's {field[2:]} may hold no invisible format character; it holds "
        f"U+{ord(char):04X} ({name})\n\n"
        "  hint: remove it: unseen, it splits or reorders what the record shows (copied text often carries one)\n",
    )
    code, out, _ = run(capsys, "show", f"{APP_B}/1", "--format", "json", "--db", db)
    assert (code, json.loads(out)["settlements"]) == (0, [])  # nothing recorded


def test_the_self_check_form_refuses_a_format_character_and_masks_after_letters(web: Web) -> None:
    from test_web_pages import SELF_CHECK

    client = web.client()
    split = SELF_CHECK | {"applicant.name": f"濮阳市{ID[:6]}\u2060{ID[6:]}科技有限公司", "csrf": csrf(client)}
    refused = client.post("/check", data=split)
    assert refused.status_code == 422
    assert "含有不可见的格式字符" in refused.text and "U+2060" in refused.text
    assert "\u2060" not in refused.text and ID not in refused.text
    named = f"濮阳市ID{ID}科技有限公司"
    glued = SELF_CHECK | {"applicant.name": named, "claims[1].patent.holder": named, "csrf": csrf(client)}
    checked = client.post("/check", data=glued)
    assert checked.status_code == 200
    assert ID not in checked.text and f"ID{MASKED}" in checked.text
