"""Explanations that read right, as an applicant reads them from `subsidy check`.

* an individual business (credit-code category 92) is named as one, and an individual gets
  no sentence about a credit code they do not have;
* the invention-patent hint is right for numbers of both formats (before and from
  2003-10-01, the type digit is the 3rd or the 5th);
* advice names facts in words, never field names or paths of the file — those stay in the
  JSON's ``missing`` and ``guidance``;
* a decision without an award says so, instead of totalling 0.00.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_store import SAMPLES, run
from helpers_web import Web, csrf, visible_text

from engine.rulebook.facts import FACTS


def _check(capsys: Any, path: Path, *more: str) -> str:
    code, out, err = run(capsys, "check", path, *more)
    assert code == 0, err
    return out


def _json(capsys: Any, path: Path, lang: str = "zh") -> dict[str, Any]:
    return json.loads(_check(capsys, path, "--format", "json", "--lang", lang))


def _criterion(result: dict[str, Any], criterion: str, claim: int = 1) -> dict[str, Any]:
    return next(c for c in result["decisions"][claim - 1]["criteria"] if c["id"] == criterion)


# ------------------------------------------------------------------ who the applicant is


def test_an_individual_business_is_named_as_one(capsys: Any) -> None:
    path = SAMPLES / "p1-individual-business-category-92.yaml"
    zh, en = _json(capsys, path), _json(capsys, path, "en")
    assert _criterion(zh, "applicant-is-enterprise")["explanation"] == "申请人为个体工商户，本项只奖励企业"
    assert zh["decisions"][0]["summary"] == "不符合条件：申请人为个体工商户，本项只奖励企业（三(二)2）。"
    assert (
        _criterion(en, "applicant-is-enterprise")["explanation"]
        == "applicant's legal form: individual business; this programme rewards enterprises only"
    )
    text = _check(capsys, path)
    assert "类型为企业" not in text
    assert "  ✘ 申请人为企业：申请人为个体工商户，本项只奖励企业（解释性适用）\n" in text


def test_an_individual_gets_no_credit_code_sentence(capsys: Any) -> None:
    path = SAMPLES / "p1-individual-applicant.yaml"
    zh, en = _json(capsys, path), _json(capsys, path, "en")
    assert _criterion(zh, "applicant-is-enterprise")["explanation"] == "申请人为个人，本项只奖励企业"
    assert (
        _criterion(en, "applicant-is-enterprise")["explanation"]
        == "applicant's legal form: individual; this programme rewards enterprises only"
    )
    claim = _check(capsys, path).split("\n\n")[1]
    assert "登记类别" not in claim and "（未提供）" not in claim


# ------------------------------------------------------------------ the patent's type digit


def _with_patent(tmp_path: Path, number: str, kind: str, filed_on: str) -> Path:
    data = yaml.safe_load((SAMPLES / "p1-eligible-hualong-district.yaml").read_text(encoding="utf-8"))
    data["claims"][0]["patent"].update(number=number, kind=kind, filed_on=filed_on, granted_on="2005-06-01")
    path = tmp_path / f"{kind}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


INVENTION_HINT_ZH = (
    "以已授权的发明专利申请：专利号中表示类型的数字为1或8（2003年10月1日起的申请号为第5位，"
    "此前的8位申请号为第3位）；实用新型和外观设计专利不在奖励范围内。"
)
INVENTION_HINT_EN = (
    "Apply with a granted invention patent: the type digit of the number is 1 or 8 (the 5th digit of "
    "numbers filed from 1 October 2003, the 3rd of the earlier 8-digit ones); utility models and designs "
    "are not covered."
)


@pytest.mark.parametrize(
    ("number", "filed_on"),
    [("ZL02201234.6", "2002-03-01"), ("ZL200420012345.0", "2004-03-01")],  # utility models, type digit 2
)
def test_the_invention_patent_hint_fits_numbers_before_and_after_2003(
    capsys: Any, tmp_path: Path, number: str, filed_on: str
) -> None:
    path = _with_patent(tmp_path, number, "utility_model", filed_on)
    zh, en = _json(capsys, path), _json(capsys, path, "en")
    assert _criterion(zh, "invention-patent")["status"] == "not_met"
    assert _criterion(zh, "invention-patent")["hint"] == INVENTION_HINT_ZH
    assert _criterion(en, "invention-patent")["hint"] == INVENTION_HINT_EN


# ------------------------------------------------------------------ advice in words


# the application's field names and paths (claims[1].patent.high_value, benefits, credit_code …)
_FIELDS = sorted({p for spec in FACTS.values() for p in (spec.path, spec.source or spec.path)}, key=len, reverse=True)
_ZH_LEAK = re.compile(r"claims\[\d+\]|" + "|".join(re.escape(f) for f in _FIELDS) + r"|[a-z]+_[a-z_]+")
_EN_LEAK = re.compile(r"claims\[\d+\]|" + "|".join(re.escape(f) for f in _FIELDS if "." in f or "_" in f))
SAMPLE_FILES = sorted(p.name for p in SAMPLES.glob("*.yaml"))


def _leaks(text: str, lang: str) -> list[str]:
    if lang == "zh":
        text = re.sub(r"ZL[0-9.X]+|sha256:[0-9a-f…]+|PY-[0-9-]+|[0-9A-Z]{18}", "", text)  # values of record
    return (_ZH_LEAK if lang == "zh" else _EN_LEAK).findall(text)


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_advice_names_facts_in_words_and_leaves_paths_to_the_json(capsys: Any, name: str) -> None:
    path = SAMPLES / name
    for lang in ("zh", "en"):
        assert _leaks(_check(capsys, path, "--lang", lang), lang) == [], lang
        data = _json(capsys, path, lang)
        for d in data["decisions"]:
            said = [(c["explanation"], c.get("hint", "")) for c in d["criteria"]]
            words = [d["summary"], *(x for pair in said for x in pair)]
            assert [x for x in words if _leaks(x, lang)] == [], lang


def test_what_is_missing_is_named_in_words_with_the_path_in_the_json(capsys: Any) -> None:
    path = SAMPLES / "review-p1-industrialization-not-stated.yaml"
    text = _check(capsys, path)
    assert "  缺少信息：产业化情况\n" in text
    assert "待评审：未说明产业化地点；未说明产业化开始日期。缺少产业化情况。其余条件均已满足。" in text
    assert "    · 产业化开始日期：现为 （未填写）；要求：产业化开始日期不晚于提交日期（如 2024-05-30）\n" in text
    data = _json(capsys, path)["decisions"][0]
    assert data["missing"] == ["claims[1].industrialization"]
    assert _criterion({"decisions": [data]}, "industrialization-started")["missing"] == ["claims[1].industrialization"]
    assert _criterion({"decisions": [data]}, "industrialization-started")["explanation"] == (
        "未说明产业化开始日期（缺少产业化情况）"
    )
    assert [c["field"] for c in data["guidance"]["changes"]] == [
        "claims[1].industrialization.division",
        "claims[1].industrialization.started_on",
    ]
    english = _check(capsys, path, "--lang", "en")
    assert "  Missing: industrialization details\n" in english


def test_the_benefits_hint_names_the_statement_not_the_field(capsys: Any) -> None:
    data = _json(capsys, SAMPLES / "p3-strategic-emerging-industry.yaml")
    assert _criterion(data, "significant-benefit")["hint"] == (
        "在经济社会效益陈述中说明经济效益和社会效益（新增产值、利税、就业等），并附证明材料，供评审小组认定。"
    )


# ------------------------------------------------------------------ the closing total


def _closing(text: str) -> list[str]:
    """The lines after the last claim, before the plan's words."""
    tail = text.rstrip("\n").split("\n\n")[-1].splitlines()
    return [line for line in tail if not line.startswith(("政策原文", "Policy text"))]


@pytest.mark.parametrize(
    ("name", "zh", "en"),
    [
        ("p1-utility-model-patent.yaml", ["不予奖励"], ["No award"]),
        (
            "p3-strategic-emerging-industry.yaml",
            ["1 项待评审，奖励待评审后确定"],
            ["1 claim(s) await review; any award is settled then"],
        ),
        (
            "review-p1-industrialization-not-stated.yaml",
            ["1 项待评审，奖励待评审后确定"],
            ["1 claim(s) await review; any award is settled then"],
        ),
        ("purchase-two-deals.yaml", ["合计奖励 200,000.00 元"], ["Total award 200,000.00 yuan"]),
        ("multi-p1-and-p2-mixed.yaml", None, None),
    ],
)
def test_a_decision_without_an_award_does_not_total_zero(
    capsys: Any, name: str, zh: list[str] | None, en: list[str] | None
) -> None:
    path = SAMPLES / name
    text, english = _check(capsys, path), _check(capsys, path, "--lang", "en")
    assert "合计奖励 0.00" not in text and "Total award 0.00" not in english
    if zh is not None:
        assert _closing(text) == zh and _closing(english) == en


@pytest.mark.parametrize(
    ("name", "closing"),
    [
        ("p1-utility-model-patent.yaml", "不予奖励"),
        ("review-p1-industrialization-not-stated.yaml", "1 项待评审，奖励待评审后确定"),
        ("purchase-two-deals.yaml", "合计奖励 200,000.00 元"),
    ],
)
def test_the_self_check_page_closes_as_the_text_does(web: Web, name: str, closing: str) -> None:
    client = web.client()
    path = SAMPLES / name
    response = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": (name, path.read_bytes())})
    assert response.status_code == 200
    page = visible_text(response.text)
    assert closing in page and "合计奖励：0.00" not in page and "合计奖励 0.00" not in page
    assert "claims[1]" not in page


# ------------------------------------------------------------------ countries by ISO 3166-1


@pytest.mark.parametrize(
    ("country", "zh", "en"),
    [
        ("VN", "河内国家大学（高等院校，越南）", "河内国家大学 (university, Vietnam)"),
        ("CI", "河内国家大学（高等院校，科特迪瓦）", "河内国家大学 (university, Côte d'Ivoire)"),
        ("HK", "河内国家大学（高等院校，中国香港）", "河内国家大学 (university, Hong Kong, China)"),
        ("DE", "河内国家大学（高等院校，德国）", "河内国家大学 (university, Germany)"),
    ],
)
def test_every_iso_country_is_named_in_both_languages(
    capsys: Any, tmp_path: Path, country: str, zh: str, en: str
) -> None:
    data = yaml.safe_load((SAMPLES / "p2-eligible-foreign-university-licence.yaml").read_text(encoding="utf-8"))
    data["claims"][0]["seller"].update(name="河内国家大学", country=country)
    path = tmp_path / "seller.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert _criterion(_json(capsys, path), "seller-type")["explanation"] == zh
    assert _criterion(_json(capsys, path, "en"), "seller-type")["explanation"].endswith(en)
