"""Ways an ID number still read whole after the format characters were closed, closed on
every face:

* split by an invisible character that is not a format character (Cf) but is drawn as
  nothing all the same — Unicode's default-ignorable code points: U+034F, the variation
  selectors, the Hangul fillers, the Mongolian free variation selectors… — refused at intake
  as format characters are, seen through and written out in whatever was stored before;
* typed with a full-width check character (``…106Ｘ``), with circled numbers (``⑲``), or in
  groups 6-8-4 parted by spaces, ideographic spaces, hyphens or dots — masked, and only its
  own characters: the rest of the text stays as typed;
* a byte-order mark inside a value is written out on the pages and in the web's CSV.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_files import variant as _variant
from helpers_store import SAMPLES, run
from helpers_web import APP_B, Web, csrf

ID = "410902196905177253"
MASKED = "410902********7253"
X_ID, X_MASKED = "41090219900101106X", "410902********106X"  # an ID number whose check character is X
P3 = SAMPLES / "p3-national-science-award.yaml"  # 吴海涛
P2 = SAMPLES / "p2-eligible-individual-seller.yaml"
STORED = "PY-2023-9405"

INVISIBLE = {  # not Cf, yet drawn as nothing: each splits an ID number past the eye
    "\u034f": "U+034F (COMBINING GRAPHEME JOINER)",
    "\ufe0f": "U+FE0F (VARIATION SELECTOR-16)",
    "\ufe00": "U+FE00 (VARIATION SELECTOR-1)",
    "\u115f": "U+115F (HANGUL CHOSEONG FILLER)",
    "\u1160": "U+1160 (HANGUL JUNGSEONG FILLER)",
    "\u3164": "U+3164 (HANGUL FILLER)",
    "\uffa0": "U+FFA0 (HALFWIDTH HANGUL FILLER)",
    "\u17b4": "U+17B4 (KHMER VOWEL INHERENT AQ)",
    "\u180b": "U+180B (MONGOLIAN FREE VARIATION SELECTOR ONE)",
    "\u180f": "U+180F (MONGOLIAN FREE VARIATION SELECTOR FOUR)",
    "\U000e0100": "U+E0100 (VARIATION SELECTOR-17)",
}
HINT = (
    "remove it (it often comes with text copied from a web page or a document): "
    "unseen, it splits a name or a number into something else than it shows"
)


def _named(name: str) -> Any:
    def change(d: dict[str, Any]) -> None:
        d["applicant"]["name"] = name

    return change


def _stated(statement: str) -> Any:
    def change(d: dict[str, Any]) -> None:
        d["claims"][0]["benefits"] = statement

    return change


def _split(char: str) -> str:
    return f"刘志刚{ID[:6]}{char}{ID[6:14]}{char}{ID[14:]}"


# ------------------------------------------------------------------ intake


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_an_invisible_character_is_refused_at_intake_as_a_format_character_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str, char: str
) -> None:
    path = _variant(tmp_path, P2, _named(_split(char)), suffix)
    want = (
        f"error: {path}:{6 if suffix == '.yaml' else 1} applicant.name: a text holding the invisible format "
        f"character {INVISIBLE[char]}; text may hold no invisible format characters\n\n  hint: {HINT}\n"
    )
    assert run(capsys, "check", path) == (2, "", want)


@pytest.mark.parametrize("char", ["\ufe0f", "\u3164", "\u034f", "\U00013439"], ids=["FE0F", "3164", "034F", "13439"])
def test_an_invisible_character_in_a_json_lines_record_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, char: str
) -> None:
    """U+13439 is a format character from Unicode 15 (Python 3.12), refused on every Python."""
    path = _variant(tmp_path, P2, _named(_split(char)), ".jsonl")
    code, out, err = run(capsys, "screen", path, "--db", tmp_path / "s.db")
    assert (code, out) == (2, "")
    assert f"{path}:1 applicant.name: a text holding the invisible format character U+{ord(char):04X}" in err
    assert char not in err and ID not in err


def test_the_self_check_page_the_form_and_the_api_refuse_an_invisible_character(web: Web, tmp_path: Path) -> None:
    from test_web_pages import SELF_CHECK

    body = _variant(tmp_path, P2, _named(_split("\ufe0f"))).read_bytes()
    anyone = web.client()
    page = anyone.post("/check/upload", data={"csrf": csrf(anyone)}, files={"file": ("a.yaml", body)})
    assert page.status_code == 422
    assert "含有不可见的格式字符" in page.text and "U+FE0F" in page.text and ID not in page.text
    joined = "濮阳市" + _split("\u034f")
    form = anyone.post("/check", data=SELF_CHECK | {"applicant.name": joined, "csrf": csrf(anyone)})
    assert form.status_code == 422 and "U+034F" in form.text and ID not in form.text
    api = web.api().post("/api/v1/check", content=json.dumps(yaml.safe_load(body), default=str))
    assert api.status_code == 422
    assert "U+FE0F" in api.text and ID not in api.text and "\ufe0f" not in api.text


def test_a_settlement_reason_holds_no_invisible_character(web: Web) -> None:
    asked = {"decision": f"{APP_B}/1", "outcome": "eligible", "reason": f"核实{ID[:6]}\u034f{ID[6:]}"}
    response = web.api("reviewer").post("/api/v1/settlements", json=asked)
    assert response.status_code == 422
    assert "U+034F (COMBINING GRAPHEME JOINER)" in response.text and ID not in response.text


# ------------------------------------------------------------------ stored before intake refused them


@pytest.fixture
def stored_before(web: Web, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Web:
    """The web store holding an application whose name carries IDs split by invisible
    characters and a byte-order mark inside, written as an earlier version (which let them in) would."""
    import engine.reading.validate as validate

    def change(d: dict[str, Any]) -> None:
        _named(f"吴海涛{ID[:6]}\u034f{ID[6:14]}\ufe0f{ID[14:]}\ufeff公司{ID[:6]}\u3164{ID[6:]}")(d)
        d["id"] = STORED

    path = _variant(tmp_path, P3, change)
    with monkeypatch.context() as earlier:
        earlier.setattr(validate, "FORMATS", re.compile("(?!)"))
        code, _, err = run(capsys, "screen", path, "--db", web.path, "--quiet")
        assert code == 0, err
    return web


SHOWN = f"吴海涛{MASKED}\\ufeff公司{MASKED}"


def _unseen(text: str) -> list[str]:
    return [ch for ch in "\u034f\ufe0f\u3164\ufeff" if ch in text]


def test_what_was_stored_before_is_masked_through_invisible_characters_on_the_command_line(
    stored_before: Web, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (("show", STORED), ("show", STORED, "--format", "json"), ("report", "--format", "csv"), ("queue",)):
        code, out, err = run(capsys, *argv, "--db", stored_before.path)
        assert code == 0, err
        assert _unseen(out[1:] if argv[0] == "report" else out) == [], argv  # a CSV starts with its own BOM
        assert ID not in out, argv
        assert SHOWN in out or argv[0] != "show", argv


def test_what_was_stored_before_is_masked_through_invisible_characters_on_the_web(stored_before: Web) -> None:
    auditor, reviewer = stored_before.client("auditor"), stored_before.client("reviewer")
    for client, page in (
        (auditor, f"/decision?id={STORED}"),
        (auditor, "/desk/report"),
        (reviewer, "/desk/queue"),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert _unseen(response.text) == [] and ID not in response.text, page
        assert SHOWN in response.text or page != f"/decision?id={STORED}", page
    csv = auditor.get("/desk/report.csv")
    assert csv.content.startswith(b"\xef\xbb\xbf")  # the document's own byte-order mark, for Excel
    assert _unseen(csv.text[1:]) == [] and ID not in csv.text
    for path in (f"/api/v1/decisions/{STORED}", "/api/v1/report"):
        response = stored_before.api("auditor").get(path)
        assert response.status_code == 200 and ID not in response.text, path


# ------------------------------------------------------------------ how an ID number is typed

TYPED = {
    "full-width-X": (f"身份证{X_ID[:17]}Ｘ，已核实", f"身份证{X_MASKED}，已核实"),
    "full-width-x": (f"身份证{X_ID[:17]}ｘ，已核实", f"身份证{X_MASKED}，已核实"),
    "circled": ("㊶０９０２⑲６９０５⑰７２５３", MASKED),  # 15 characters, 18 once read
    "spaces": (f"身份证 {ID[:6]} {ID[6:14]} {ID[14:]}，已核实", f"身份证 {MASKED}，已核实"),
    "ideographic-spaces": (f"身份证{ID[:6]}\u3000{ID[6:14]}\u3000{ID[14:]}", f"身份证{MASKED}"),
    "hyphens": (f"身份证{ID[:6]}-{ID[6:14]}-{ID[14:]}", f"身份证{MASKED}"),
    "dots": (f"身份证{ID[:6]}.{ID[6:14]}.{ID[14:]}", f"身份证{MASKED}"),
    # only the ID number's own characters change: full-width punctuation, ㎡ and Ⅲ stay as typed
    "rest-as-typed": (
        "身份证４１０９０２１９６９０５１７７２５３，技术（濮阳）：面积１２０㎡，Ⅲ期",
        f"身份证{MASKED}，技术（濮阳）：面积１２０㎡，Ⅲ期",
    ),
}


@pytest.mark.parametrize("case", TYPED, ids=list(TYPED))
def test_an_id_number_however_typed_is_masked_and_the_rest_stays(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    typed, shown = TYPED[case]
    path = _variant(tmp_path, P3, _stated(typed))
    for argv in (("check", path), ("check", path, "--format", "json")):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert shown in out and ID not in out and X_ID not in out, argv


def test_a_short_text_that_reads_as_an_id_number_is_masked_on_its_own(web: Web, tmp_path: Path) -> None:
    """The API and the pages mask each value apart: 15 characters, 18 once circled numbers are read."""
    circled = "㊶０９０２⑲６９０５⑰７２５３"
    body = _variant(tmp_path, P3, _stated(circled)).read_bytes()
    api = web.api().post("/api/v1/check", content=json.dumps(yaml.safe_load(body), default=str))
    assert api.status_code == 200
    assert circled not in api.text and MASKED in api.text
    anyone = web.client()
    page = anyone.post("/check/upload", data={"csrf": csrf(anyone)}, files={"file": ("a.yaml", body)})
    assert page.status_code == 200
    assert circled not in page.text and MASKED in page.text


def test_parted_groups_that_are_no_id_number_stay_as_they_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Amounts, dates, phone numbers and a 6-8-4 number whose check character is wrong."""
    statement = (
        "金额 1500000.00 元，电话 0393-8888888 与 0393 8888 8888，日期 2022.07.01、2022-07-01，"
        "流水 410902 19690517 7250，账号 6222 0212 3456 7890 123，批次 110105.20220701.0001，"
        "编号 410902 19690517-7253（两处分隔不同）"
    )
    path = _variant(tmp_path, P3, _stated(statement))
    code, out, err = run(capsys, "check", path, "--format", "json")
    assert code == 0, err
    assert statement in out


def test_an_id_that_is_an_id_number_with_a_full_width_x_is_refused_masked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["id"] = X_ID[:17] + "Ｘ"

    path = _variant(tmp_path, P3, change)
    code, out, err = run(capsys, "check", path)
    assert (code, out) == (2, "")
    assert f"id: an id cannot be a resident ID number, got '{X_MASKED}'" in err
    assert X_ID[:17] not in err


def test_a_byte_order_mark_starting_a_value_is_written_out_on_the_pages_and_in_the_csv(
    web: Web, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a document's own first character is a byte-order mark; a value's is a character."""
    import engine.reading.validate as validate

    def change(d: dict[str, Any]) -> None:
        d["applicant"]["name"] = "\ufeff吴海涛"
        d["claims"][0]["patent"]["inventors"] = ["\ufeff吴海涛"]
        d["id"] = STORED

    with monkeypatch.context() as earlier:
        earlier.setattr(validate, "FORMATS", re.compile("(?!)"))
        assert run(capsys, "screen", _variant(tmp_path, P3, change), "--db", web.path, "--quiet")[0] == 0
    auditor = web.client("auditor")
    page = auditor.get(f"/decision?id={STORED}")
    assert page.status_code == 200
    assert "\ufeff" not in page.text and "\\ufeff吴海涛" in page.text
    csv = auditor.get("/desk/report.csv")
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    assert "\ufeff" not in csv.text[1:] and f"\\ufeff吴海涛,,,,{STORED}/1" in csv.text


def test_a_credit_code_in_an_id_numbers_shape_is_shown_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An institution's credit code (category 12) registered in a division ending in 18-20 has
    an ID number's shape; its GB 32100 check character holds, and it is no ID number in full."""
    code = "121101194001011007"

    def change(d: dict[str, Any]) -> None:
        d["applicant"]["credit_code"] = code

    path = _variant(tmp_path, SAMPLES / "purchase-two-deals.yaml", change)
    for argv in (("check", path), ("check", path, "--format", "json"), ("screen", path, "--db", tmp_path / "s.db")):
        _, out, err = run(capsys, *argv, *(("--format", "csv") if argv[0] == "screen" else ()))
        assert code in out and "121101********1007" not in out + err, argv


def test_a_long_field_name_is_cut_short_in_a_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from engine.reading.limits import MAX_SHOWN_FIELD_CHARS

    def change(d: dict[str, Any]) -> None:
        d["applicant"]["\u202e" * 19_000] = "x"

    path = _variant(tmp_path, P2, change)
    code, out, err = run(capsys, "check", path)
    assert (code, out) == (2, "")
    cut = "applicant." + "\\u202e" * (MAX_SHOWN_FIELD_CHARS - len("applicant.")) + "…:"
    assert cut in err and len(err) < 10 * MAX_SHOWN_FIELD_CHARS
