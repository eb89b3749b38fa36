"""Divisions: codes and the names people write, from the ruleset's own data (divisions.yaml).

The names live in ``rules/puyang-2022-19/divisions.yaml`` with their sources; a ruleset reads
applications with its own list, and the stored input keeps codes, which read without any list.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from engine import load_rulebook, load_ruleset
from engine.errors import ApplicationError, RuleFileError
from engine.model import Application
from engine.model.divisions import Division, Gazetteer, division_code
from engine.model.normalize import IdentifierError
from engine.reading import read_application

ROOT = Path(__file__).resolve().parents[1]
RULESET = ROOT / "rules" / "puyang-2022-19"
RULEBOOK = load_rulebook()
PLACES = RULEBOOK.by_id("puyang-2022-19").divisions
resolve = PLACES.resolve


def reason(value: Any) -> IdentifierError:
    with pytest.raises(IdentifierError) as info:
        resolve(value)
    return info.value


PUYANG = {
    "410900": ("濮阳市", "Puyang City", "濮阳市", False),
    "410902": ("华龙区", "Hualong District", "华龙区", False),
    "410928": ("濮阳县", "Puyang County", "濮阳县", False),
    "410922": ("清丰县", "Qingfeng County", "清丰县", False),
    "410923": ("南乐县", "Nanle County", "南乐县", False),
    "410926": ("范县", "Fan County", "范县", False),
    "410927": ("台前县", "Taiqian County", "台前县", False),
    "410972": ("濮阳经济技术开发区", "Puyang Economic and Technological Development Zone", "经开区", True),
    "410971": ("河南濮阳工业园区", "Henan Puyang Industrial Park", "工业园区", True),
    "PY-SFQ": ("濮阳市城乡一体化示范区", "Puyang Urban-Rural Integration Demonstration Zone", "示范区", True),
}


def test_the_jurisdiction_is_read_from_the_rule_data_in_its_order():
    assert [d.code for d in PLACES.jurisdiction] == list(PUYANG)
    for d in PLACES.jurisdiction:
        name_zh, name_en, short_zh, is_zone = PUYANG[d.code]
        assert d == Division(d.code, name_zh, name_en, short_zh, True, is_zone)


def test_every_place_and_name_in_the_data_carries_its_source():
    data = yaml.safe_load((RULESET / "divisions.yaml").read_text(encoding="utf-8"))["divisions"]
    assert data["jurisdiction"]["source"]["zh"] and data["elsewhere"]["source"]["en"]
    for place in data["jurisdiction"]["places"]:
        assert place["source"]["zh"] and place["source"]["en"], place["code"]
        for alias in place.get("aliases", []):
            assert alias["source"]["zh"] and alias["source"]["en"], alias["name"]


@pytest.mark.parametrize("code", list(PUYANG))
def test_resolve_by_code(code):
    division = resolve(code)
    assert division.code == code and division.in_jurisdiction
    if code != "PY-SFQ":
        assert resolve(int(code)) == division
    assert resolve(f" {code.lower()} ") == division


NAMES = [
    ("华龙区", "410902"),
    ("清丰县", "410922"),
    ("南乐县", "410923"),
    ("范县", "410926"),
    ("台前县", "410927"),
    ("濮阳县", "410928"),
    ("濮阳市", "410900"),
    # the development zone, as people write it
    ("濮阳经济技术开发区", "410972"),
    ("经开区", "410972"),
    ("开发区", "410972"),
    ("濮阳经开区", "410972"),
    ("濮阳开发区", "410972"),
    ("濮阳经济开发区", "410972"),
    ("河南濮阳经济开发区", "410972"),
    ("河南濮阳经济技术开发区", "410972"),
    ("濮阳市经济技术开发区", "410972"),
    ("濮阳市开发区", "410972"),
    # the industrial park
    ("河南濮阳工业园区", "410971"),
    ("濮阳工业园区", "410971"),
    ("濮阳市工业园区", "410971"),
    ("工业园区", "410971"),
    # the demonstration zone
    ("濮阳市城乡一体化示范区", "PY-SFQ"),
    ("濮阳城乡一体化示范区", "PY-SFQ"),
    ("城乡一体化示范区", "PY-SFQ"),
    ("濮阳示范区", "PY-SFQ"),
    ("示范区", "PY-SFQ"),
    ("Puyang Economic and Technological Development Zone", "410972"),
    ("henan puyang industrial park", "410971"),
]


@pytest.mark.parametrize(("name", "code"), NAMES)
def test_resolve_by_name(name, code):
    assert resolve(name).code == code
    assert resolve(f" {name} ").code == code


@pytest.mark.parametrize("name", ["华龙区", "清丰县", "南乐县", "范县", "台前县", "濮阳县", "经开区", "示范区"])
def test_names_with_the_province_and_city_before_them(name):
    want = resolve(name)
    for prefix in ("濮阳市", "濮阳", "河南省濮阳市", "河南濮阳"):
        assert resolve(prefix + name) == want, prefix + name


def test_full_width_codes_and_spaces_are_read_as_typed_by_a_chinese_input_method():
    assert resolve("４１０９０２").code == "410902"
    assert resolve("\u3000华龙区 ").code == "410902"
    assert resolve("ｐｙ－ｓｆｑ").code == "PY-SFQ"


@pytest.mark.parametrize(
    ("code", "name_zh", "name_en", "short_zh"),
    [
        ("410102", "郑州市中原区", "Zhongyuan District, Zhengzhou, Henan", "中原区"),
        ("410103", "郑州市二七区", "Erqi District, Zhengzhou, Henan", "二七区"),
        ("410104", "郑州市管城回族区", "Guancheng Hui District, Zhengzhou, Henan", "管城回族区"),
        ("410105", "郑州市金水区", "Jinshui District, Zhengzhou, Henan", "金水区"),
        ("410122", "河南省郑州市", "Zhengzhou, Henan", "郑州市"),
        ("411728", "河南省驻马店市", "Zhumadian, Henan", "驻马店市"),
        ("419001", "河南省济源市", "Jiyuan, Henan", "济源市"),
        ("410526", "河南省安阳市", "Anyang, Henan", "安阳市"),
        ("110105", "北京市", "Beijing", "北京市"),
        ("440300", "广东省", "Guangdong", "广东省"),
        ("820000", "澳门特别行政区", "Macao", "澳门特别行政区"),
    ],
)
def test_outside_puyang(code, name_zh, name_en, short_zh):
    assert resolve(code) == Division(code, name_zh, name_en, short_zh, False, False)
    assert resolve(int(code)).code == code


PROVINCE_PREFIXES = [11, 12, 13, 14, 15, 21, 22, 23, *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66)]


@pytest.mark.parametrize("prefix", [*PROVINCE_PREFIXES, 71, 81, 82])
def test_every_province_prefix_is_accepted(prefix):
    division = resolve(f"{prefix}0101")
    assert not division.in_jurisdiction and division.name_zh and division.name_en


@pytest.mark.parametrize("prefix", [0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 90, 99])
def test_unknown_province_prefix(prefix):
    code = f"{prefix:02d}0101"
    assert reason(code).message == f"{prefix:02d} is not a province-level code ({code})"


@pytest.mark.parametrize(
    ("name", "code", "name_zh"),
    [
        ("安阳市", "410500", "河南省安阳市"),
        ("河南省郑州市", "410100", "河南省郑州市"),
        ("郑州市中原区", "410102", "郑州市中原区"),
        ("河南省郑州市中原区", "410102", "郑州市中原区"),
        ("北京市", "110000", "北京市"),
    ],
)
def test_places_outside_puyang_by_name(name, code, name_zh):
    division = resolve(name)
    assert (division.code, division.name_zh, division.in_jurisdiction) == (code, name_zh, False)


BAD_DIVISIONS = [
    ("999999", "99 is not a province-level code (999999)"),
    ("410901", "410901 is not a division code in use in Puyang (410901)"),
    ("410921", "410921 is not a division code in use in Puyang (410921)"),
    ("41090", "a division code has 6 digits (41090)"),
    ("4109022", "a division code has 6 digits (4109022)"),
    ("4109O2", "a division code has 6 digits (4109O2)"),
    ("PY-XYZ", "PY-XYZ is not a zone code of Puyang (PY-XYZ)"),
    ("", "a division code or name is required ()"),
    ("清风县", "unknown division name; did you mean 清丰县? (清风县)"),
    ("台前", "unknown division name; did you mean 台前县? (台前)"),
    ("濮阳开发", "unknown division name; did you mean 开发区 or 濮阳开发区 or 濮阳经济开发区? (濮阳开发)"),
    ("火星基地", "unknown division name (火星基地)"),
]


@pytest.mark.parametrize(("value", "message"), BAD_DIVISIONS)
def test_bad_divisions(value, message):
    err = reason(value)
    assert err.message == message
    assert err.hint and ("410902 华龙区" in err.hint or "starts with a province" in err.hint)


@pytest.mark.parametrize("value", [None, True, 4109.02, ["410902"]])
def test_division_of_wrong_type(value):
    assert reason(value).message.startswith("a division is a 6-digit code")


def test_a_very_long_name_is_cut_in_the_message():
    err = reason("区" * 5000)
    assert len(err.message) < 200 and "5,000 characters" in err.message


@given(st.text(max_size=12))
def test_resolve_raises_only_identifier_errors(text):
    try:
        division = resolve(text)
    except IdentifierError as err:
        assert "\n" not in err.message
    else:
        assert division.in_jurisdiction or division.code.isdigit()


# --------------------------------------------------------- codes without a list of places


def test_a_stored_code_is_read_without_any_list_of_places():
    assert [division_code(v) for v in ("410902", 410972, " ４１０９２８ ", "py-sfq")] == [
        "410902",
        "410972",
        "410928",
        "PY-SFQ",
    ]
    with pytest.raises(IdentifierError, match="a division code has 6 digits"):
        division_code("41090")
    with pytest.raises(IdentifierError, match="not a division code"):
        division_code("华龙区")


def test_an_application_keeps_codes_and_reads_again_without_names(tmp_path: Path):
    path = ROOT / "applications" / "p1-eligible-development-zone-by-name.yaml"
    app = read_application(path, RULEBOOK)
    canonical = app.canonical()
    assert canonical["claims"][0]["industrialization"]["division"] == "410972"
    assert Application.model_validate(canonical) == app  # what replay does: codes, no names
    with pytest.raises(Exception, match="not a division code"):
        Application.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_an_empty_gazetteer_reads_codes_and_refuses_names():
    places = Gazetteer()
    assert places.resolve("410902") == Division("410902", "410902", "410902", "410902", False, False)
    with pytest.raises(IdentifierError) as info:
        places.resolve("华龙区")
    assert "lists no places" in (info.value.hint or "")


# ------------------------------------------------------------------- the data, checked


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "puyang-2022-19"
    shutil.copytree(RULESET, folder)
    return folder


def test_a_name_standing_for_two_places_is_a_rule_file_problem_at_its_line(tmp_path: Path):
    folder = _copy(tmp_path)
    path = folder / "divisions.yaml"
    text = path.read_text(encoding="utf-8")
    assert "          - name: 濮阳示范区\n" in text
    path.write_text(text.replace("          - name: 濮阳示范区\n", "          - name: 开发区\n"), encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_ruleset(folder)
    [problem] = info.value.problems
    line = text.splitlines().index("          - name: 濮阳示范区") + 1
    assert (problem.file, problem.line) == (f"{path}", line)
    assert problem.message == "'开发区' already names 410972 濮阳经济技术开发区"


def test_a_new_alias_in_the_data_is_read_without_code_changes(tmp_path: Path):
    folder = _copy(tmp_path)
    path = folder / "divisions.yaml"
    text = path.read_text(encoding="utf-8")
    alias = "          - name: 濮阳示范区\n"
    added = alias + "            source: {zh: 测试, en: test}\n          - name: 龙城示范区\n"
    path.write_text(text.replace(alias, added), encoding="utf-8")
    assert load_ruleset(folder).divisions.resolve("龙城示范区").code == "PY-SFQ"
    assert PLACES.by_code("PY-SFQ") is not None
    with pytest.raises(IdentifierError):
        resolve("龙城示范区")


def test_an_application_names_its_site_with_the_places_of_its_ruleset(tmp_path: Path):
    data = yaml.safe_load((ROOT / "applications" / "p1-eligible-development-zone-by-name.yaml").read_text("utf-8"))
    data["claims"][0]["industrialization"]["division"] = "濮阳开发区"
    data["applicant"]["division"] = "河南省濮阳市华龙区"
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    app = read_application(path, RULEBOOK)
    assert (app.applicant.division, app.claims[0].industrialization.division) == ("410902", "410972")
    data["claims"][0]["industrialization"]["division"] = "濮阳开发"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ApplicationError) as info:
        read_application(path, RULEBOOK)
    [problem] = info.value.problems
    assert problem.path == "claims[1].industrialization.division"
    assert problem.message == "unknown division name; did you mean 开发区 or 濮阳开发区 or 濮阳经济开发区? (濮阳开发)"
