"""The sample applications in applications/ and the decisions they must get.

Every expectation below is read off the plan (濮政〔2022〕19号, 三(二)2 with the common
disqualifiers 三(一)6, 三(三)1 and the period in force) and the rule files' criteria and
parameters — not copied from the engine's output. Each sample runs through the real
command line in-process (`subsidy check FILE --format json`), and the test asserts per
claim: the outcome, the amount, exactly which criteria are not met, and for open points
which criteria are unknown and which application fields the decision names as missing.

Amounts: P1 pays 500,000.00 per patent; P2 pays 10 % of the transaction amount, half-up to
the fen, within 200,000.00 per enterprise (earlier claims first); P3 fixes no cash sum
(amount null, maximums 160 m² and 1,000,000.00 a year). A needs_review decision carries
the sum that would be paid once the open points are settled.

A sample whose engine decision disagrees with the plan keeps the plan's expectation and is
listed in DISAGREEMENTS (strict xfail) with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "applications"
SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")

P1 = "local-industrialization-award"
P2 = "patent-purchase-reward"
P3 = "high-value-inventor-grant"

P1_AWARD = "500000.00"
P3_MAXIMUMS = {"housing_m2": "160", "research_fund_per_year": "1000000.00"}
NOT_IN_FORCE = "policy not in force on the submission date"
CAP_REACHED = "per-enterprise cap reached"


@dataclass(frozen=True)
class Expect:
    """The decision one claim must get."""

    program: str
    outcome: str
    amount: str | None
    not_met: frozenset[str] = frozenset()  # exactly these criteria are not met
    unknown: frozenset[str] = frozenset()  # at least these are unknown
    missing: tuple[str, ...] = ()  # at least these fields are named as missing
    reason_en: str | None = None  # words the English explanation of a failed criterion contains


def eligible(program: str, amount: str) -> Expect:
    return Expect(program, "eligible", amount)


def ineligible(program: str, *not_met: str, reason_en: str | None = None) -> Expect:
    return Expect(program, "ineligible", None, frozenset(not_met), reason_en=reason_en)


def review(program: str, amount: str | None, unknown: tuple[str, ...], missing: tuple[str, ...] = ()) -> Expect:
    return Expect(program, "needs_review", amount, unknown=frozenset(unknown), missing=missing)


def p3_review(*unknown: str, missing: tuple[str, ...] = ()) -> Expect:
    """P3 with every other criterion met: "significant benefit" is for the review panel."""
    return review(P3, None, ("significant-benefit", *unknown), missing)


EXPECTED: dict[str, tuple[Expect, ...]] = {
    # --- P1 local-industrialization-award: eligible in every kind of Puyang division
    "p1-eligible-hualong-district.yaml": (eligible(P1, P1_AWARD),),
    "p1-eligible-puyang-county.yaml": (eligible(P1, P1_AWARD),),
    "p1-eligible-development-zone-by-name.yaml": (eligible(P1, P1_AWARD),),
    "p1-eligible-industrial-park-by-code.yaml": (eligible(P1, P1_AWARD),),
    "p1-eligible-demonstration-zone-full-name.yaml": (eligible(P1, P1_AWARD),),
    "p1-eligible-registered-in-zhengzhou.yaml": (eligible(P1, P1_AWARD),),
    "p1-eligible-technology-of-local-origin.yaml": (eligible(P1, P1_AWARD),),
    # --- P1: each criterion failing on its own
    "p1-individual-applicant.yaml": (ineligible(P1, "applicant-is-enterprise"),),
    "p1-individual-business-category-92.yaml": (ineligible(P1, "applicant-is-enterprise"),),
    "p1-utility-model-patent.yaml": (ineligible(P1, "invention-patent"),),
    "p1-patent-not-granted.yaml": (ineligible(P1, "patent-granted"),),
    "p1-patent-lapsed.yaml": (ineligible(P1, "patent-in-force"),),
    "p1-patent-term-expired.yaml": (ineligible(P1, "patent-in-force"),),
    "p1-patentee-is-another-company.yaml": (ineligible(P1, "applicant-is-patentee"),),
    "p1-site-outside-puyang.yaml": (ineligible(P1, "industrialized-in-puyang"),),
    "p1-production-not-started.yaml": (ineligible(P1, "industrialization-started"),),
    "p1-same-patent-claimed-twice.yaml": (
        eligible(P1, P1_AWARD),
        ineligible(P1, "once-per-patent"),
    ),
    "p1-utility-model-and-site-outside-puyang.yaml": (ineligible(P1, "invention-patent", "industrialized-in-puyang"),),
    # --- P2 patent-purchase-reward
    "purchase-two-deals.yaml": (eligible(P2, "120000.00"), eligible(P2, "80000.00")),
    "p2-eligible-university-assignment.yaml": (eligible(P2, "100000.00"),),
    "p2-eligible-individual-seller.yaml": (eligible(P2, "45000.00"),),
    "p2-eligible-foreign-university-licence.yaml": (eligible(P2, "180000.00"),),
    "p2-half-fen-rounding.yaml": (eligible(P2, "12345.68"),),
    "p2-individual-business-applicant.yaml": (ineligible(P2, "applicant-is-enterprise"),),
    "p2-seller-is-enterprise.yaml": (ineligible(P2, "seller-type"),),
    "p2-related-party-deal.yaml": (ineligible(P2, "not-related-party"),),
    "p2-not-implemented.yaml": (ineligible(P2, "implemented"),),
    # an unregistered contract is not a refusal: the amount goes to the reviewers
    "p2-contract-not-registered.yaml": (review(P2, "75000.00", ("transaction-amount-proven",)),),
    # --- P3 high-value-inventor-grant: never eligible by the engine alone
    "p3-strategic-emerging-industry.yaml": (p3_review(),),
    "p3-overseas-family-granted.yaml": (p3_review(),),
    "p3-maintained-over-ten-years.yaml": (p3_review(),),
    "p3-china-patent-award-silver.yaml": (p3_review(),),
    "p3-national-science-award.yaml": (p3_review(),),
    "p3-applicant-not-inventor.yaml": (ineligible(P3, "applicant-is-listed-inventor"),),
    "p3-not-high-value.yaml": (ineligible(P3, "high-value-patent"),),
    "p3-maintained-exactly-ten-years.yaml": (ineligible(P3, "high-value-patent"),),
    "p3-does-not-own-ip.yaml": (ineligible(P3, "owns-ip"),),
    "p3-not-transformed-in-puyang.yaml": (ineligible(P3, "transformed-in-puyang"),),
    "p3-utility-model-patent.yaml": (ineligible(P3, "invention-patent"),),
    "p3-patent-lapsed.yaml": (ineligible(P3, "patent-in-force"),),
    # --- common disqualifiers
    "d1-abnormal-patent-industrialization.yaml": (ineligible(P1, "not-abnormal-application"),),
    "d1-abnormal-patent-purchase.yaml": (ineligible(P2, "not-abnormal-application"),),
    "d2-infringement-record.yaml": (ineligible(P2, "no-infringement-record"),),
    "d3-submitted-after-pilot-end.yaml": (ineligible(P1, "policy-in-force", reason_en=NOT_IN_FORCE),),
    "d3-submitted-before-issue-date.yaml": (ineligible(P1, "policy-in-force", reason_en=NOT_IN_FORCE),),
    "d3-submitted-on-issue-date.yaml": (eligible(P2, "110000.00"),),
    "d3-submitted-on-last-day.yaml": (eligible(P1, P1_AWARD),),
    # --- open points from facts the application leaves out
    "review-p1-industrialization-not-stated.yaml": (
        review(
            P1,
            P1_AWARD,
            ("industrialized-in-puyang", "industrialization-started"),
            ("claims[1].industrialization",),
        ),
    ),
    "review-p2-related-party-not-declared.yaml": (
        review(P2, "65000.00", ("not-related-party",), ("claims[1].related_party",)),
    ),
    "review-p3-high-value-not-stated.yaml": (p3_review("high-value-patent", missing=("claims[1].patent.high_value",)),),
    # the pledge threshold is an unset parameter, not a missing application field
    "review-p3-pledge-financing-only.yaml": (p3_review("high-value-patent"),),
    # --- several claims
    "multi-p2-cap-reached.yaml": (
        eligible(P2, "120000.00"),
        eligible(P2, "80000.00"),
        ineligible(P2, "cap-not-reached", reason_en=CAP_REACHED),
    ),
    "multi-p1-and-p2-mixed.yaml": (eligible(P1, P1_AWARD), eligible(P2, "60000.00")),
    "multi-p1-four-sites.yaml": (
        eligible(P1, P1_AWARD),
        eligible(P1, P1_AWARD),
        eligible(P1, P1_AWARD),
        eligible(P1, P1_AWARD),
    ),
}

# Samples where the engine's decision disagrees with the plan: file -> what differs.
DISAGREEMENTS: dict[str, str] = {}


def _params() -> list[Any]:
    return [
        pytest.param(
            name,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=DISAGREEMENTS[name])] if name in DISAGREEMENTS else [],
        )
        for name in sorted(EXPECTED)
    ]


def _sample_files() -> list[str]:
    return sorted(p.name for p in SAMPLES.iterdir() if p.is_file() and p.suffix in SUFFIXES)


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    assert code == 0, f"exit {code}: {err}"
    assert err == ""
    return out


def _application_id(name: str) -> str:
    return str(yaml.safe_load((SAMPLES / name).read_text(encoding="utf-8"))["id"])


@pytest.mark.parametrize("name", _params())
def test_sample_decisions(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(SAMPLES / name)
    result = json.loads(_check(capsys, path, "--format", "json"))
    assert result["application"] == _application_id(name)
    decisions = result["decisions"]
    expected = EXPECTED[name]
    assert len(decisions) == len(expected)
    english: dict[str, Any] | None = None
    for number, (got, want) in enumerate(zip(decisions, expected, strict=True), start=1):
        where = f"claim {number}"
        assert got["claim"] == number
        assert got["program"] == want.program, where
        statuses = {c["id"]: c["status"] for c in got["criteria"]}
        assert set(statuses.values()) <= {"met", "not_met", "unknown"}, where
        not_met = {cid for cid, status in statuses.items() if status == "not_met"}
        unknown = {cid for cid, status in statuses.items() if status == "unknown"}
        assert (got["outcome"], got["amount"]) == (want.outcome, want.amount), where
        assert not_met == want.not_met, where
        assert want.unknown <= unknown, where
        for field in want.missing:
            assert field in got["missing"], f"{where}: {field} not named in {got['missing']}"
        if want.outcome == "eligible":
            assert not unknown and got["missing"] == [], where
        if want.outcome == "needs_review":
            assert unknown, where
        if want.program == P3:
            assert got["amount"] is None, where
            if want.outcome == "needs_review":
                assert got["maximums"] == P3_MAXIMUMS, where
        elif want.outcome != "ineligible":
            assert got["maximums"] is None, where
        if want.reason_en:
            if english is None:
                english = json.loads(_check(capsys, path, "--format", "json", "--lang", "en"))
            failed = [c for c in english["decisions"][number - 1]["criteria"] if c["status"] == "not_met"]
            assert any(want.reason_en in c["explanation"] for c in failed), (where, failed)


def test_every_sample_is_in_the_table() -> None:
    files = _sample_files()
    assert len(files) >= 28
    assert sorted(EXPECTED) == files, {
        "untested samples": sorted(set(files) - set(EXPECTED)),
        "expected but absent": sorted(set(EXPECTED) - set(files)),
    }
    assert set(DISAGREEMENTS) <= set(EXPECTED)


def test_sample_ids_are_unique() -> None:
    ids = [_application_id(name) for name in _sample_files()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", _sample_files())
def test_sample_text_rendering(name: str, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = _check(capsys, str(SAMPLES / name), "--lang", lang)
    assert _application_id(name) in out
