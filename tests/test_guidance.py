"""Minimal-change guidance, checked by doing what it says.

For every sample application with a claim that is ineligible or awaiting review, the
guidance of ``check --format json`` is applied to the application file — each change
written into the field it names — and the application is checked again: the claim must
then reach the outcome the guidance promised (eligible, or awaiting only the review
panel). Where the guidance says no change can, the criteria in the way must read facts
of record or parameters nobody has set.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.cli import main
from engine.rulebook import load_rulebook
from engine.rulebook.facts import CHANGEABLE, FACTS
from engine.services import check_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "applications").glob("*.yaml"))
RULEBOOK = load_rulebook()


def _check_json(path: Path, capsys) -> dict[str, Any]:
    assert main(["check", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def _set(data: dict[str, Any], field: str, value: Any) -> None:
    """Write ``value`` at an application field path such as ``claims[1].industrialization.division``."""
    parts: list[Any] = []
    for name, index in re.findall(r"([a-z_]+)(?:\[(\d+)\])?", field):
        parts.append(name)
        if index:
            parts.append(int(index) - 1)  # claims are numbered from 1
    node: Any = data
    for part in parts[:-1]:
        node = node[part] if isinstance(part, int) else node.setdefault(part, {})
    if value is None:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def _open_claims(path: Path) -> list[int]:
    checked = check_file(path, RULEBOOK)
    return [d.claim for d in checked.assessment.decisions if d.outcome != "eligible"]


CASES = [(p, n) for p in SAMPLES for n in _open_claims(p)]


@pytest.mark.parametrize(("sample", "claim"), CASES, ids=[f"{p.stem}#{n}" for p, n in CASES])
def test_following_the_guidance_gives_the_outcome_it_promises(sample: Path, claim: int, tmp_path, capsys) -> None:
    result = _check_json(sample, capsys)
    decision = result["decisions"][claim - 1]
    guidance = decision["guidance"]
    if not guidance["reachable"]:
        assert guidance["changes"] == [] and guidance["blocked"]
        failing = {c["id"] for c in decision["criteria"] if c["status"] != "met" and not c.get("discretionary")}
        for blocked in guidance["blocked"]:
            assert blocked["criterion"] in failing
            assert blocked["facts"] or blocked["unset"], blocked
            assert not set(blocked["facts"]) & CHANGEABLE, blocked
            assert blocked["reason"]
        return
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    for change in guidance["changes"]:
        assert FACTS[change["fact"]].scope in ("claim", "application")
        assert change["fact"] in CHANGEABLE or change["now"] is None, change  # facts of record stay as they are
        _set(changed, change["field"], change["to"])
    again = tmp_path / sample.name

    def reached(data: dict[str, Any]) -> bool:
        """Whether the claim gets the promised outcome (awaiting review: on the panel's points alone)."""
        again.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        after = _check_json(again, capsys)["decisions"][claim - 1]
        open_ = [c["id"] for c in after["criteria"] if c["status"] != "met"]
        return bool(after["outcome"] == guidance["outcome"] and open_ == guidance.get("for_the_panel", []))

    assert reached(changed), guidance
    # the changes are the fewest: leaving out any one of them loses the outcome
    for i in range(len(guidance["changes"])):
        partial = copy.deepcopy(data)
        for j, change in enumerate(guidance["changes"]):
            if j != i:
                _set(partial, change["field"], change["to"])
        assert not reached(partial), guidance["changes"][i]


@pytest.mark.parametrize(
    ("sample", "claim", "criterion", "facts"),
    [
        ("p1-utility-model-patent", 1, "invention-patent", ["patent.kind"]),
        ("p1-same-patent-claimed-twice", 2, "once-per-patent", ["ledger.already_awarded"]),
        ("multi-p2-cap-reached", 3, "cap-not-reached", ["ledger.awarded_total"]),
        ("d3-submitted-after-pilot-end", 1, "policy-in-force", ["submitted_on"]),
        ("p2-seller-is-enterprise", 1, "seller-type", ["seller.type"]),
    ],
)
def test_no_change_can_help_says_what_stands_in_the_way(sample, claim, criterion, facts, capsys) -> None:
    guidance = _check_json(ROOT / "applications" / f"{sample}.yaml", capsys)["decisions"][claim - 1]["guidance"]
    assert guidance["reachable"] is False
    assert [(b["criterion"], b["facts"]) for b in guidance["blocked"]] == [(criterion, facts)]


def test_guidance_in_the_text_of_a_check(capsys) -> None:
    assert main(["check", str(ROOT / "applications" / "p1-site-outside-puyang.yaml")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    at = lines.index("  最小改动（可使本项符合条件）：")
    assert lines[at + 1].startswith(
        "    · 产业化地点：现为 410102 郑州市中原区；要求：产业化地点属于410900 濮阳市、410902 华龙区、410928 濮阳县、"
    )
    assert main(["check", str(ROOT / "applications" / "p2-contract-not-registered.yaml"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "  Smallest change (the claim would be eligible):" in out
    assert "    · room left under the cap: 200,000.00 yuan; the award is at most that" in out
    assert main(["check", str(ROOT / "applications" / "p1-utility-model-patent.yaml")]) == 0
    out = capsys.readouterr().out
    assert (
        "  最小改动：没有能使本项符合条件的改动\n    · 专利为发明专利：专利类型 实用新型（既成事实，不能改变）\n" in out
    )


def test_an_eligible_claim_has_no_guidance(capsys) -> None:
    result = _check_json(ROOT / "applications" / "purchase-two-deals.yaml", capsys)
    assert all("guidance" not in d for d in result["decisions"])


def test_a_claim_awaiting_the_panel_is_told_review_is_the_best_it_can_reach(capsys) -> None:
    """P3's significant benefit is always for the panel and its pledge threshold is unset: no change
    takes the claim further, and the guidance says its best outcome is the panel's review — not that
    the claim is hopeless. A self-check files nothing: it is told that submitted as it is, the claim
    goes to the panel, not that it already awaits review."""
    sample = ROOT / "applications" / "review-p3-pledge-financing-only.yaml"
    decision = _check_json(sample, capsys)["decisions"][0]
    assert decision["outcome"] == "needs_review"
    assert decision["guidance"]["reachable"] is False and decision["guidance"]["best_reachable"] == "needs_review"
    for lang, said, not_said in (
        (
            "zh",
            "  最小改动：无——可达到的最好结果是由评审小组评审：提交申报后，本项即按现状交评审小组评审\n",
            "本项已在待评审",
        ),
        (
            "en",
            "  Smallest change: none — the best reachable outcome is review by the panel: "
            "submit the application and it goes to the panel as it is\n",
            "awaits now",
        ),
    ):
        assert main(["check", str(sample), "--lang", lang]) == 0
        out = capsys.readouterr().out
        assert said in out and not_said not in out, out
        assert ("没有能使本项符合条件的改动" if lang == "zh" else "no change would") not in out
    blocked = _check_json(ROOT / "applications" / "p1-utility-model-patent.yaml", capsys)["decisions"][0]
    assert blocked["guidance"]["best_reachable"] == "ineligible"


def test_english_guidance_joins_lists_in_english() -> None:
    """Places and names in an English guidance line are joined with ", " (not the Chinese "、"),
    and a list fact reads "patentees of record include applicant name"."""
    rulebook = load_rulebook(ROOT / "rules")
    lines = [
        line
        for sample in SAMPLES
        for line in check_file(sample, rulebook).text("en").splitlines()
        if "required:" in line or line.endswith("(of record)")
    ]
    assert any("is one of 410900 Puyang City, 410902 Hualong District, " in line for line in lines)
    assert any("patentees of record include applicant name" in line for line in lines)
    assert any("inventors 高磊, 马丽" in line for line in lines)
    assert not [line for line in lines if "、" in line or " includes " in line]
