"""Several rulesets side by side: a later policy is added without touching the current one.

The successor (``tests/successor.py``) has its own window, parameters and one changed
criterion. Applications go to the ruleset in force on their submission date; decisions
under both replay from the store's archive; the limits (once per patent, the cap) are
kept per ruleset, as docs/rule-format.md says.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from successor import CURRENT, SUCCESSOR, add_successor

from engine.cli import main
from engine.rulebook import load_rulebook
from engine.services import check_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "applications"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """rules/ with the successor beside the current policy (and features/, for lint)."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "features", tmp_path / "features")
    add_successor(tmp_path / "rules")
    return tmp_path


def sample(name: str, folder: Path, **changes: Any) -> Path:
    data = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    claim_changes = changes.pop("claim", {})
    data.update(changes)
    for key, value in claim_changes.items():
        data["claims"][0][key] = {**data["claims"][0].get(key, {}), **value}
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_current_ruleset_is_untouched_and_the_tree_lints_clean(tree, capsys) -> None:
    both = load_rulebook(tree / "rules")
    shipped = load_rulebook()
    assert [r.id for r in both.rulesets] == [CURRENT, SUCCESSOR]
    assert both.by_id(CURRENT).version == shipped.by_id(CURRENT).version
    assert main(["rules", "lint", str(tree / "rules")]) == 0  # windows meet without overlapping
    capsys.readouterr()


@pytest.mark.parametrize(
    ("submitted_on", "ruleset", "amount"),
    [
        ("2024-03-15", CURRENT, "500000.00"),
        ("2025-06-30", CURRENT, "500000.00"),
        ("2025-07-01", SUCCESSOR, "300000.00"),
        ("2026-01-31", SUCCESSOR, "300000.00"),
    ],
)
def test_an_application_goes_to_the_ruleset_in_force_on_its_submission_date(
    tree, tmp_path, submitted_on: str, ruleset: str, amount: str
) -> None:
    path = sample("p1-eligible-hualong-district", tmp_path, submitted_on=submitted_on)
    checked = check_file(path, load_rulebook(tree / "rules"))
    decision = checked.json()["decisions"][0]
    assert (checked.json()["ruleset"]["id"], decision["outcome"], decision["amount"]) == (ruleset, "eligible", amount)


def test_the_changed_criterion_applies_only_under_the_successor(tree, tmp_path) -> None:
    rulebook = load_rulebook(tree / "rules")
    started = {"industrialization": {"started_on": "2021-05-01"}}
    old = check_file(
        sample("p1-eligible-hualong-district", tmp_path, submitted_on="2025-06-30", claim=started), rulebook
    )
    new = check_file(
        sample("p1-eligible-hualong-district", tmp_path, submitted_on="2025-07-01", claim=started), rulebook
    )
    assert old.json()["decisions"][0]["outcome"] == "eligible"
    criterion = next(c for c in new.json()["decisions"][0]["criteria"] if c["id"] == "industrialization-started")
    assert (criterion["status"], criterion["label"]) == ("not_met", "提交日前三年内实施产业化")


def _screen(tree: Path, db: Path, *paths: Path) -> list[dict[str, Any]]:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--rules", str(tree / "rules"), "screen", *map(str, paths), "--db", str(db), "--format", "jsonl"])
    assert code == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_decisions_under_both_rulesets_replay_and_limits_are_kept_per_ruleset(tree, tmp_path, capsys) -> None:
    apps = tmp_path / "apps"
    apps.mkdir()
    patent = {"patent": {"number": "ZL202110234567.5", "filed_on": "2021-03-01", "granted_on": "2023-03-01"}}
    sample("p1-eligible-hualong-district", apps, id="PY-2025-9001", submitted_on="2025-05-01", claim=patent)
    sample("p1-eligible-hualong-district", apps, id="PY-2025-9002", submitted_on="2025-06-20", claim=patent)
    sample("p1-eligible-hualong-district", apps, id="PY-2025-9003", submitted_on="2025-07-02", claim=patent)
    cap_used = sample("multi-p2-cap-reached", apps, id="PY-2025-9004", submitted_on="2025-05-02")
    cap_new = sample("p2-eligible-university-assignment", apps, id="PY-2025-9005", submitted_on="2025-07-03")
    cap_new_data = yaml.safe_load(cap_new.read_text(encoding="utf-8"))
    cap_new_data["applicant"] = yaml.safe_load(cap_used.read_text(encoding="utf-8"))["applicant"]
    cap_new.write_text(yaml.safe_dump(cap_new_data, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "both.db"
    results = {r["application"]: r for r in _screen(tree, db, apps)}
    assert {a: r["ruleset"]["id"] for a, r in results.items()} == {
        "PY-2025-9001": CURRENT,
        "PY-2025-9002": CURRENT,
        "PY-2025-9003": SUCCESSOR,
        "PY-2025-9004": CURRENT,
        "PY-2025-9005": SUCCESSOR,
    }
    # once per patent within a ruleset; a new ruleset's limits start afresh
    assert results["PY-2025-9002"]["decisions"][0]["outcome"] == "ineligible"
    assert results["PY-2025-9003"]["decisions"][0]["amount"] == "300000.00"
    # the enterprise used its 200,000.00 under the pilot; under the successor its cap is 300,000.00 afresh
    assert sum(Decimal(d["amount"] or "0") for d in results["PY-2025-9004"]["decisions"]) == Decimal("200000.00")
    assert results["PY-2025-9005"]["decisions"][0]["arithmetic"]["used"] == "0.00"
    # both versions replay — also with the successor's folder gone from disk: the archive holds it
    assert main(["replay", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    # five applications, seven decisions: PY-2025-9004 holds three claims
    assert out.strip().endswith("replayed 7 decisions under 2 ruleset version(s): 7 reproduced, 0 differ")
    shutil.rmtree(tree / "rules" / SUCCESSOR)
    assert main(["replay", "--db", str(db)]) == 0
    assert "7 reproduced, 0 differ" in capsys.readouterr().out
    assert main(["verify", "--db", str(db)]) == 0
