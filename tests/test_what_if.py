"""What-if: ``--set NAME=VALUE`` on check, screen --dry-run and replay.

Each value is read as its parameter's declaration says; a wrong name or value is an
input error (exit 2) that names the parameter. Nothing decided under a what-if is
recorded, and the rules as published stay as they are beside it.
"""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from engine.cli import main
from engine.errors import UsageError
from engine.rulebook import load_rulebook
from engine.services import check_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "applications"
RULEBOOK = load_rulebook()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("purchase_reward_cap=300000.00", Decimal("300000.00")),
        ("purchase_reward_cap=300000", Decimal("300000.00")),
        ("purchase_reward_rate=0.15", Decimal("0.15")),
        ("purchase_reward_rate=15%", Decimal("0.15")),
        ("invention_term_years=25", 25),
        ("require_outside_origin=true", True),
        ("infringement_record_disqualifies=否", False),
        ("puyang_divisions=410902,濮阳县", ["410902", "410928"]),
        ("enterprise_credit_categories=91, 92", ["91", "92"]),
        ("high_value_pledge_threshold=10000000.00", Decimal("10000000.00")),
    ],
)
def test_each_value_is_read_as_its_parameter_declares(setting: str, expected: object) -> None:
    name = setting.partition("=")[0]
    ruleset = RULEBOOK.with_overrides([setting]).rulesets[0]
    assert ruleset.overrides == {name: expected}
    assert ruleset.parameters[name].value_at(ruleset.policy.in_force.from_) == expected
    assert ruleset.parameters[name].value_at(ruleset.policy.in_force.to) == expected
    # the rules as published are untouched, and the two are compiled apart
    assert RULEBOOK.rulesets[0].overrides == {}
    assert ruleset.version == RULEBOOK.rulesets[0].version and ruleset.name != RULEBOOK.rulesets[0].name


def test_wrong_names_and_values_are_refused_all_at_once() -> None:
    with pytest.raises(UsageError) as caught:
        RULEBOOK.with_overrides(
            [
                "purchase_reward_cp=1",
                "award_per_patent=50万",
                "purchase_reward_rate=1.5",
                "invention_term_years=twenty",
                "require_outside_origin=maybe",
                "puyang_divisions=410102x",
                "cap",
            ]
        )
    assert [p.message.split(":")[0] for p in caught.value.problems] == [
        "what-if purchase_reward_cp",
        "what-if award_per_patent=50万",
        "what-if purchase_reward_rate=1.5",
        "what-if invention_term_years=twenty",
        "what-if require_outside_origin=maybe",
        "what-if puyang_divisions=410102x",
        "what-if 'cap'",
    ]
    assert caught.value.problems[0].hint == "did you mean 'purchase_reward_cap'?"
    assert caught.value.problems[1].hint == "award_per_patent is a money parameter"


def test_check_with_a_higher_rate_and_cap(capsys) -> None:
    sample = str(SAMPLES / "purchase-two-deals.yaml")
    settings = ["--set", "purchase_reward_rate=15%", "--set", "purchase_reward_cap=300000"]
    code, out, _ = run(capsys, "check", sample, "--format", "json", *settings)
    assert code == 0
    result = json.loads(out)
    assert result["ruleset"]["what_if"] == {"purchase_reward_cap": "300000.00", "purchase_reward_rate": "0.15"}
    assert [d["amount"] for d in result["decisions"]] == ["180000.00", "120000.00"]
    code, out, _ = run(capsys, "check", sample, "--set", "purchase_reward_cap=300000")
    assert out.splitlines()[2] == "假设（what-if）：purchase_reward_cap = 300000.00。以下结果按假设参数计算，不作记录。"
    assert "本企业累计上限 300,000.00，已用 120,000.00（第1项），剩余 180,000.00 → 奖励 150,000.00" in out
    # the same file without --set: the published cap
    plain = check_file(sample, RULEBOOK).json()
    assert "what_if" not in plain["ruleset"] and [d["amount"] for d in plain["decisions"]] == ["120000.00", "80000.00"]


def test_an_interpretation_switch_set_on_a_check(capsys) -> None:
    sample = str(SAMPLES / "p1-eligible-technology-of-local-origin.yaml")
    code, out, _ = run(capsys, "check", sample, "--format", "json", "--set", "require_outside_origin=true")
    decision = json.loads(out)["decisions"][0]
    assert (code, decision["outcome"]) == (0, "ineligible")
    assert [c["id"] for c in decision["criteria"] if c["status"] == "not_met"] == ["technology-from-outside-puyang"]


def test_a_bad_setting_exits_2_naming_the_parameter(capsys) -> None:
    code, out, err = run(capsys, "check", str(SAMPLES / "purchase-two-deals.yaml"), "--set", "purchase_reward_cap=3x")
    assert (code, out) == (2, "")
    assert err.startswith("error: what-if purchase_reward_cap=3x: ")
    assert err.endswith("hint: purchase_reward_cap is a money parameter\n")


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("select count(*) from records").fetchone()[0])


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("what-if") / "samples.db"
    assert main(["screen", str(SAMPLES), "--db", str(db), "--quiet", "--workers", "0", "--format", "csv"]) == 0
    return db


def test_screen_refuses_a_what_if_unless_it_is_a_dry_run(tmp_path, capsys) -> None:
    db = tmp_path / "new.db"
    code, out, err = run(capsys, "screen", str(SAMPLES), "--db", str(db), "--set", "award_per_patent=300000")
    assert (code, out) == (2, "")
    assert err == "error: --set needs --dry-run: decisions are recorded only under the rules as published\n"
    assert not db.exists()


def test_screen_dry_run_with_a_what_if_records_nothing(samples_db, tmp_path, capsys) -> None:
    before = _count(samples_db)
    new = tmp_path / "p1.yaml"
    text = (SAMPLES / "p1-eligible-hualong-district.yaml").read_text(encoding="utf-8")
    new.write_text(text.replace("id: PY-", "id: WHATIF-PY-"), encoding="utf-8")
    what_if = ["--dry-run", "--set", "award_per_patent=300000"]
    code, out, err = run(capsys, "screen", str(new), "--db", str(samples_db), "--format", "jsonl", *what_if)
    assert code == 0
    result = json.loads(out)
    # the patent was awarded in the store already: once per patent holds under the what-if too
    assert result["decisions"][0]["outcome"] == "ineligible"
    assert "evaluated (dry run with award_per_patent=300000, nothing recorded)" in err
    assert _count(samples_db) == before


def _what_if_sections(out: str) -> dict[str, list[str]]:
    """replay --set's output: each heading's decision lines (``ID/CLAIM: …``)."""
    sections: dict[str, list[str]] = {}
    current = "first"
    for line in out.splitlines():
        if line.startswith("  "):
            sections.setdefault(current, []).append(line.strip())
        else:
            current = line
    return sections


def test_replay_with_a_what_if_reports_what_it_would_change(samples_db, capsys) -> None:
    code, out, _ = run(capsys, "replay", "--db", str(samples_db), "--set", "award_per_patent=300000.00")
    assert code == 0, out  # the differences are the answer to a what-if, not an altered record
    assert out.startswith("what-if award_per_patent=300000.00: ") and "nothing is recorded" in out.splitlines()[0]
    lines = _what_if_sections(out)["would change the decision (outcome or amount):"]
    changed = {line.split("/")[0] for line in lines}
    with sqlite3.connect(samples_db) as conn:
        p1_awarded = {
            record_id
            for record_id, body in conn.execute("select record_id, body from records where kind = 'decision'")
            if any(
                x["program"] == "local-industrialization-award" and x["amount"]
                for x in json.loads(body)["result"]["decisions"]
            )
        }
    assert changed == p1_awarded and len(p1_awarded) > 5
    assert all(line.endswith(": amount 500,000.00 → 300,000.00") for line in lines), lines
    assert run(capsys, "replay", "--db", str(samples_db))[0] == 0


def test_replay_with_a_what_if_sets_a_changed_amount_apart_from_changed_arithmetic(samples_db, capsys) -> None:
    """A higher cap changes the arithmetic (cap, room) of every capped purchase, but the outcome or the
    amount of only the purchases the old cap held back: those are the decisions the setting changes."""
    code, out, _ = run(capsys, "replay", "--db", str(samples_db), "--set", "purchase_reward_cap=300000")
    assert code == 0, out
    sections = _what_if_sections(out)
    changed = sections["would change the decision (outcome or amount):"]
    details = sections["would change the details only (the same outcome and amount):"]
    assert len(changed) == 3 and any("outcome ineligible → eligible" in line for line in changed), out
    assert details and all(line.endswith("arithmetic.cap, arithmetic.room") for line in details), out
    assert not {line.split(":")[0] for line in changed} & {line.split(":")[0] for line in details}
    summary = out.splitlines()[-1]
    assert f"3 would change outcome or amount, {len(details)} the details only" in summary, summary
    # the same store replayed without a what-if still reproduces, and a real difference still exits 1
    assert run(capsys, "replay", "--db", str(samples_db))[0] == 0
