"""Co-owned patents: several patentees of record, the applicant among them.

``holders: [..]`` beside ``holder`` (a ``holder`` joining names with ；, ; or 、 reads the same);
the applicant being one patentee meets "applicant is patentee"; who receives the award of a
co-owned patent is an interpretation in the rules, switched by co_owned_patent_needs_review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine import load_rulebook
from engine.cli import main
from engine.errors import ApplicationError
from engine.reading import read_upload
from engine.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[1]
RULEBOOK = load_rulebook()
SAMPLE = ROOT / "applications" / "p1-eligible-hualong-district.yaml"
APPLICANT = "濮阳市华瑞新材料科技有限公司"


def p1(**patent: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(load_yaml(SAMPLE.read_text("utf-8"), str(SAMPLE)).data, default=str))
    data["claims"][0]["patent"].pop("holder")
    data["claims"][0]["patent"].update(patent)
    return data


def read(data: dict[str, Any]) -> Any:
    return read_upload(json.dumps(data, ensure_ascii=False).encode("utf-8"), "a.json", RULEBOOK)


@pytest.mark.parametrize(
    "patent",
    [
        {"holders": [APPLICANT, "郑州大学"]},
        {"holder": f"{APPLICANT}；郑州大学"},
        {"holder": f"{APPLICANT}; 郑州大学"},
        {"holder": f"{APPLICANT}、郑州大学"},
        {"holders": [APPLICANT, "郑州大学", APPLICANT]},
    ],
)
def test_several_patentees_read_alike(patent: dict[str, Any]) -> None:
    claim = read(p1(**patent)).canonical()["claims"][0]["patent"]
    assert claim["holders"] == [APPLICANT, "郑州大学"]
    assert "holder" not in claim


def test_one_patentee_is_stored_as_the_holder_as_before() -> None:
    assert read(p1(holders=[APPLICANT])).canonical() == read(p1(holder=APPLICANT)).canonical()
    assert read(p1(holder=APPLICANT)).canonical()["claims"][0]["patent"]["holder"] == APPLICANT


def test_holder_and_holders_together_are_refused() -> None:
    with pytest.raises(ApplicationError) as info:
        read(p1(holder=APPLICANT, holders=[APPLICANT, "郑州大学"]))
    [problem] = info.value.problems
    assert (problem.path, problem.message) == (
        "claims[1].patent.holders",
        "give the patentee as holder, or several patentees as holders, not both",
    )


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any], *rules: str) -> dict[str, Any]:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main([*rules, "check", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)["decisions"][0]


def criterion(decision: dict[str, Any], cid: str) -> dict[str, Any]:
    return next(c for c in decision["criteria"] if c["id"] == cid)


def test_the_applicant_as_one_of_two_patentees_goes_to_review_naming_the_co_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decision = check(tmp_path, capsys, p1(holder=f"{APPLICANT}；郑州大学"))
    assert (decision["outcome"], decision["amount"]) == ("needs_review", "500000.00")
    patentee = criterion(decision, "applicant-is-patentee")
    assert patentee["status"] == "met"
    assert patentee["explanation"] == f"申请人为专利权人（专利权人：{APPLICANT}、郑州大学）"
    share = criterion(decision, "co-owned-award-share")
    assert share["status"] == "unknown" and share["review"]
    assert share["explanation"] == "共有专利，申请人以外的专利权人：郑州大学；奖励的归属和分配须由评审人员决定"
    assert [c["id"] for c in decision["criteria"] if c["status"] != "met"] == ["co-owned-award-share"]


def test_two_patentees_without_the_applicant_are_ineligible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decision = check(tmp_path, capsys, p1(holders=["郑州大学", "河南大学"]))
    assert (decision["outcome"], decision["amount"]) == ("ineligible", None)
    assert criterion(decision, "applicant-is-patentee")["status"] == "not_met"


def test_the_office_may_award_a_co_owned_patent_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    parameters = rules / "puyang-2022-19" / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    switch = "      - from: 2022-10-04\n        value: true\n"
    assert text.count(switch) == 1
    parameters.write_text(text.replace(switch, "      - from: 2022-10-04\n        value: false\n"), encoding="utf-8")
    decision = check(tmp_path, capsys, p1(holders=[APPLICANT, "郑州大学"]), "--rules", str(rules))
    assert (decision["outcome"], decision["amount"]) == ("eligible", "500000.00")
    assert "co-owned-award-share" not in [c["id"] for c in decision["criteria"]]


def test_a_sole_patentee_meets_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decision = check(tmp_path, capsys, p1(holder=APPLICANT))
    assert decision["outcome"] == "eligible"
    assert criterion(decision, "co-owned-award-share")["explanation"] == f"专利权人仅 {APPLICANT} 一方"


def test_no_patentee_stated_is_unknown_and_named_as_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decision = check(tmp_path, capsys, p1())
    assert decision["outcome"] == "needs_review"
    assert criterion(decision, "applicant-is-patentee")["status"] == "unknown"
    assert "claims[1].patent.holder" in decision["missing"]


def test_rules_written_before_co_owned_patents_still_load_and_decide(tmp_path: Path) -> None:
    """Archived rulesets name patent.holder: a fact is never taken away from the vocabulary."""
    import shutil

    from engine import evaluate

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    p1_file = rules / "puyang-2022-19" / "p1-local-industrialization-award.yaml"
    text = p1_file.read_text(encoding="utf-8")
    new = "condition: {fact: patent.holders, contains: {fact: applicant.name}}"
    assert text.count(new) == 1
    p1_file.write_text(text.replace(new, "condition: {fact: patent.holder, eq: {fact: applicant.name}}"), "utf-8")
    earlier = load_rulebook(rules)
    sole = read_upload(json.dumps(p1(holder=APPLICANT), ensure_ascii=False).encode(), "a.json", earlier)
    assert [d.outcome for d in evaluate(sole, earlier).decisions] == ["eligible"]
    both = read_upload(json.dumps(p1(holder=f"{APPLICANT}；郑州大学"), ensure_ascii=False).encode(), "a.json", earlier)
    [decision] = evaluate(both, earlier).decisions
    assert next(c.status for c in decision.criteria if c.id == "applicant-is-patentee") == "not_met"


SEPARATED = "濮阳市甲、乙联合有限公司"  # an applicant's own name may hold 、 or ;


def _named(holder: str) -> dict[str, Any]:
    data = p1(holder=holder)
    data["applicant"]["name"] = SEPARATED
    return data


@pytest.mark.parametrize(
    ("holder", "patentees"),
    [
        (SEPARATED, [SEPARATED]),
        (f"{SEPARATED}、郑州大学", [SEPARATED, "郑州大学"]),
        (f"郑州大学；{SEPARATED}", ["郑州大学", SEPARATED]),
        ("濮阳市甲、郑州大学", ["濮阳市甲", "郑州大学"]),  # not the applicant's name: split as before
        (f"{SEPARATED}分公司、郑州大学", ["濮阳市甲", "乙联合有限公司分公司", "郑州大学"]),  # nor a longer name
    ],
)
def test_an_applicant_whose_name_holds_a_separator_is_one_patentee(holder: str, patentees: list[str]) -> None:
    assert read(_named(holder)).claims[0].patent.patentees == tuple(patentees)


def test_an_applicant_whose_name_holds_a_separator_is_the_patentee(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decision = check(tmp_path, capsys, _named(SEPARATED))
    assert (decision["outcome"], decision["amount"]) == ("eligible", "500000.00")
    assert criterion(decision, "co-owned-award-share")["explanation"] == f"专利权人仅 {SEPARATED} 一方"
