"""Values as people type them: full-width characters and stray spaces read as the plain value,
``null`` as absent, ids in their alphabet, countries from ISO 3166 — and a batch that holds every
hostile file still records every valid application beside them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import evaluate, load_rulebook
from engine.cli import main
from engine.errors import ApplicationError
from engine.reading import read_upload
from engine.yamlio import load_yaml
from tests.helpers_store import credit_code, enterprise_app, p2_claim, patent_number, query

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "bad_inputs"
RULEBOOK = load_rulebook()
FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.-",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ．－",
)


def sample(name: str) -> dict[str, Any]:
    path = ROOT / "applications" / name
    return json.loads(json.dumps(load_yaml(path.read_text(encoding="utf-8"), str(path)).data, default=str))


def read(data: dict[str, Any]) -> Any:
    return read_upload(json.dumps(data, ensure_ascii=False).encode("utf-8"), "a.json", RULEBOOK)


def refusal(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ApplicationError) as info:
        read(data)
    return [f"{p.path}: {p.message}" for p in info.value.problems]


# ---------------------------------------------------------------- full width, spaces


def test_identifiers_dates_and_divisions_typed_full_width_read_as_the_plain_values():
    plain = sample("p1-eligible-hualong-district.yaml")
    typed = json.loads(json.dumps(plain))
    applicant, patent = typed["applicant"], typed["claims"][0]["patent"]
    applicant["credit_code"] = (
        " "
        + applicant["credit_code"].translate(FULL_WIDTH)[:8]
        + "\u3000"
        + (applicant["credit_code"].translate(FULL_WIDTH)[8:])
    )
    patent["number"] = patent["number"].translate(FULL_WIDTH)  # ＺＬ２０２１１０２３４５６７．５
    patent["filed_on"] = patent["filed_on"].translate(FULL_WIDTH) + " "
    typed["submitted_on"] = "\u3000" + typed["submitted_on"].translate(FULL_WIDTH)
    applicant["division"] = applicant["division"].translate(FULL_WIDTH)
    typed["claims"][0]["industrialization"]["division"] = " 华龙区\u3000"
    typed["id"] = typed["id"].translate(FULL_WIDTH)
    assert patent["number"].startswith("ＺＬ") and "．" in patent["number"]

    assert read(typed) == read(plain)
    assert read(typed).canonical() == read(plain).canonical()


def test_a_wrong_identifier_typed_full_width_is_refused_for_what_is_wrong():
    data = sample("p1-eligible-hualong-district.yaml")
    data["claims"][0]["patent"]["number"] = "ＺＬ２０２０１０１２３４５６．７"
    assert refusal(data) == ["claims[1].patent.number: check digit should be 2, got 7 (ZL202010123456.7)"]


def test_an_individual_id_number_typed_full_width():
    data = sample("p3-strategic-emerging-industry.yaml")
    data["applicant"]["id_number"] = "１１０１０５１９４９１２３１００２ｘ"
    assert read(data).applicant.id_number == "11010519491231002X"


# ---------------------------------------------------------------------------- null


def test_null_reads_as_absent_and_takes_the_default():
    plain = sample("p2-eligible-university-assignment.yaml")
    with_nulls = json.loads(json.dumps(plain))
    with_nulls["applicant"]["infringement_record"] = None
    with_nulls["claims"][0]["patent"]["abnormal"] = None
    with_nulls["claims"][0]["seller"]["country"] = None
    app = read(with_nulls)
    assert (app.applicant.infringement_record, app.claims[0].patent.abnormal, app.claims[0].seller.country) == (
        False,
        False,
        "CN",
    )
    for key in ("infringement_record",):
        plain["applicant"].pop(key, None)
    assert evaluate(app, RULEBOOK).decisions == evaluate(read(plain), RULEBOOK).decisions
    assert [d.outcome for d in evaluate(app, RULEBOOK).decisions] == ["eligible"]


def test_null_for_a_required_field_is_still_refused():
    data = sample("p2-eligible-university-assignment.yaml")
    data["id"] = None
    assert refusal(data) == ["id: expected text, got None"]


# ---------------------------------------------------------------------------- ids


@pytest.mark.parametrize("app_id", ["PY-2024-0001", "py_2024.0001", "A", "9" * 80, "X.Y-Z_1"])
def test_ids_in_the_alphabet_are_read(app_id: str):
    data = sample("p2-eligible-university-assignment.yaml")
    data["id"] = app_id
    assert read(data).id == app_id


@pytest.mark.parametrize(
    "app_id", ["PY-7/1", "PY-7/1/settlement", "PY:7", "PY 7", "-PY", ".PY", "9" * 81, "濮阳-1", ""]
)
def test_ids_outside_the_alphabet_are_refused(app_id: str):
    data = sample("p2-eligible-university-assignment.yaml")
    data["id"] = app_id
    [problem] = refusal(data)
    assert problem.startswith("id: an id is 1 to 80 letters, digits, '-', '_' and '.', starting with a letter or digit")


def test_an_id_like_a_decision_id_is_never_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = tmp_path / "s.db"
    code = main(
        ["screen", str(BAD / "id-with-slash.yaml"), str(BAD / "id-shaped-like-a-settlement.yaml"), "--db", str(db)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "screened: 0 recorded, 0 already recorded, 2 invalid" in err
    assert query(db, "SELECT count(*) FROM records")[0][0] == 0


# ----------------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("written", "code"), [("cn", "CN"), (" DE ", "DE"), ("ｊｐ", "JP"), ("HK", "HK"), ("TW", "TW")]
)
def test_iso_country_codes_are_read(written: str, code: str):
    data = sample("p2-eligible-university-assignment.yaml")
    data["claims"][0]["seller"]["country"] = written
    assert read(data).claims[0].seller.country == code


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("XX", "XX is not an ISO 3166 country code"),
        ("UK", "UK is not an ISO 3166 country code"),
        ("CHN", "a country is an ISO 3166 two-letter code such as CN, got 'CHN'"),
        ("中国", "a country is an ISO 3166 two-letter code such as CN, got '中国'"),
    ],
)
def test_other_country_codes_are_refused(written: str, message: str):
    data = sample("p2-eligible-university-assignment.yaml")
    data["claims"][0]["seller"]["country"] = written
    assert refusal(data) == [f"claims[1].seller.country: {message}"]


# --------------------------------------------------- a batch survives its worst records


def test_a_batch_of_every_hostile_file_beside_valid_ones_records_every_valid_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "batch"
    shutil.copytree(BAD, folder / "bad")
    (folder / "bad" / "ok-money-unquoted.yaml").unlink()
    good = folder / "good"
    good.mkdir()
    valid = []
    for n in range(1, 6):
        name = f"濮阳市批次{n}号有限公司"
        app = enterprise_app(
            f"GOOD-{n}",
            f"2024-04-0{n}",
            name,
            credit_code(700 + n),
            [p2_claim(patent_number(2021, n), name, "100000.00")],
        )
        (good / f"good-{n}.yaml").write_text(yaml.safe_dump(app, allow_unicode=True), encoding="utf-8")
        valid.append(f"GOOD-{n}")
    (good / "more.jsonl").write_text(
        json.dumps(
            enterprise_app(
                "GOOD-6",
                "2024-04-06",
                "濮阳市批次6号有限公司",
                credit_code(706),
                [p2_claim(patent_number(2021, 6), "濮阳市批次6号有限公司", "100000.00")],
            ),
            ensure_ascii=False,
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    valid.append("GOOD-6")
    db = tmp_path / "s.db"

    code = main(["screen", str(folder), "--db", str(db), "--format", "jsonl", "--quiet"])
    out, err = capsys.readouterr()

    assert code == 2
    assert "Traceback" not in err and "internal error" not in err
    assert sorted(json.loads(line)["application"] for line in out.splitlines()) == valid
    assert sorted(r[0] for r in query(db, "SELECT application FROM records")) == valid
    bad_files = sorted(p.name for p in (folder / "bad").iterdir())
    for name in bad_files:
        assert f"{folder / 'bad' / name}" in err, name
    assert f"{good / 'more.jsonl'}:2" in err
    assert f"screened: 6 recorded, 0 already recorded, {len(bad_files) + 1} invalid" in err
