"""Tamper-evidence (`subsidy verify`) and reproduction (`subsidy replay`).

The store is altered here the way someone with write access to the file would do it: with
sqlite3 directly, behind the engine's back. Every kind of field of a stored record is
altered in turn — the input, an amount, an explanation, the ruleset version, the ledger
state, the hash and prev columns, a whole record, an awards row — and `verify` must exit 1
naming that record (a decision's record id is its application id).

`replay` must re-evaluate every recorded decision under the ruleset version recorded with
it, from the files archived in the store — after the rule files on disk changed or were
deleted, and with two versions in one store.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import helpers_store
import pytest
from helpers_store import (
    RULESET_DIR,
    SAMPLES,
    copy_rules,
    credit_code,
    enterprise_app,
    execute,
    jsonl,
    p1_claim,
    p2_claim,
    patent_number,
    query,
    record_body,
    record_ids,
    reword_every_criterion,
    run,
    run_proc,
    set_purchase_rate,
    write_jsonl,
)

import engine.services.replaying
from engine.services.ledger import RecordedLedger

NAME_A = "濮阳市中原石化设备有限公司"
NAME_B = "濮阳市绿城环保科技有限公司"
CODE_A = credit_code(401)
CODE_B = credit_code(402)
PATENT_X = patent_number(2019, 401)
PATENT_Y = patent_number(2019, 402)
IDS = ["AUD-1", "AUD-2", "AUD-3", "AUD-4", "AUD-5"]
TARGET = "AUD-3"  # a record in the middle of the chain


# every verify here runs in one process, then in two (conftest.verify_workers): the same report
pytestmark = pytest.mark.usefixtures("verify_workers")


def _apps() -> list[dict[str, Any]]:
    return [
        enterprise_app(
            "AUD-1", "2024-01-10", NAME_A, CODE_A, [p2_claim(patent_number(2020, 411), NAME_A, "1200000.00")]
        ),
        enterprise_app("AUD-2", "2024-02-10", NAME_B, CODE_B, [p1_claim(PATENT_X, NAME_B)]),
        enterprise_app(
            "AUD-3", "2024-03-10", NAME_A, CODE_A, [p2_claim(patent_number(2020, 412), NAME_A, "1500000.00")]
        ),
        enterprise_app("AUD-4", "2024-04-10", NAME_A, CODE_A, [p1_claim(PATENT_X, NAME_A)]),
        enterprise_app("AUD-5", "2024-05-10", NAME_B, CODE_B, [p1_claim(PATENT_Y, NAME_B)]),
    ]


@pytest.fixture
def store(tmp_path: Path, capsys: Any) -> Path:
    db = tmp_path / "store.db"
    code, out, err = run(
        capsys, "screen", write_jsonl(tmp_path / "batch.jsonl", _apps()), "--db", db, "--format", "jsonl"
    )
    assert code == 0, err
    amounts = [d["amount"] for r in jsonl(out) for d in r["decisions"]]
    assert amounts == ["120000.00", "500000.00", "80000.00", None, "500000.00"]
    assert record_ids(db) == IDS
    return db


def verify(capsys: Any, db: Path) -> tuple[int, str]:
    code, out, err = run(capsys, "verify", "--db", db, "--workers", helpers_store.VERIFY_WORKERS)
    assert "Traceback" not in out + err
    return code, out + err


def named(output: str) -> str:
    """The record id the verify report names."""
    match = re.search(r"record (\S+)", output)
    assert match, output
    return match.group(1)


# ------------------------------------------------------------------ verify


def test_verify_passes_on_an_intact_store(store: Path, capsys: Any) -> None:
    code, output = verify(capsys, store)
    assert code == 0, output
    assert "5 records" in output
    head = query(store, "SELECT hash FROM records ORDER BY seq DESC LIMIT 1")[0][0]
    assert head in output


def test_verify_passes_on_the_whole_sample_folder(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    assert run(capsys, "screen", SAMPLES, "--db", db, "--quiet")[0] == 0
    code, output = verify(capsys, db)
    assert code == 0, output


BODY_EDITS: dict[str, tuple[str, str]] = {
    # what is altered: (JSON path in the body, new value as SQL JSON text)
    "input: transaction amount": ("$.input.claims[0].transaction_amount", "'1600000.00'"),
    "input: applicant name": ("$.input.applicant.name", "'濮阳市另一家有限公司'"),
    "input hash": ("$.input_sha256", "'sha256:' || printf('%064d', 0)"),
    "amount": ("$.result.decisions[0].amount", "'150000.00'"),
    "outcome": ("$.result.decisions[0].outcome", "'ineligible'"),
    "arithmetic": ("$.result.decisions[0].arithmetic.room", "'200000.00'"),
    "explanation text": ("$.result.decisions[0].criteria[0].explanation", "'改过的说明'"),
    "criterion status": ("$.result.decisions[0].criteria[0].status", "'not_met'"),
    "ruleset version": ("$.ruleset.version", "'sha256:' || printf('%064d', 1)"),
    "ruleset id": ("$.ruleset.id", "'puyang-2099-1'"),
    "engine version": ("$.engine.version", "'9.9.9'"),
    "ledger state": ("$.ledger[0].awards[0].amount", "'20000.00'"),
    "ledger state emptied": ("$.ledger", "json('[]')"),
    "time in the body": ("$.recorded_at", "'2023-01-01T00:00:00+00:00'"),
}


@pytest.mark.parametrize("what", list(BODY_EDITS))
def test_verify_names_a_record_whose_body_was_altered(store: Path, capsys: Any, what: str) -> None:
    path, value = BODY_EDITS[what]
    before = record_body(store, TARGET)
    changed = execute(
        store, f"UPDATE records SET body = json_set(body, '{path}', {value}) WHERE record_id = ?", (TARGET,)
    )
    assert changed == 1 and record_body(store, TARGET) != before, "the alteration did not take"
    code, output = verify(capsys, store)
    assert code == 1, output
    assert named(output) == TARGET, output


def test_verify_names_a_record_whose_body_was_altered_with_python_json(store: Path, capsys: Any) -> None:
    body = record_body(store, TARGET)
    body["result"]["decisions"][0]["amount"] = "80000.01"
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert execute(store, "UPDATE records SET body = ? WHERE record_id = ?", (text, TARGET)) == 1
    code, output = verify(capsys, store)
    assert code == 1 and named(output) == TARGET, output


def test_verify_catches_a_change_that_only_reformats_the_body(store: Path, capsys: Any) -> None:
    body = record_body(store, TARGET)
    text = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True)  # same data, other bytes
    assert execute(store, "UPDATE records SET body = ? WHERE record_id = ?", (text, TARGET)) == 1
    code, output = verify(capsys, store)
    assert code == 1 and named(output) == TARGET, output


@pytest.mark.parametrize(("amount", "fmt"), [("80000.01", "text"), ("80000.01", "json"), ("\\ud800", "json")])
def test_show_refuses_a_record_whose_body_was_altered(store: Path, capsys: Any, amount: str, fmt: str) -> None:
    """An auditor shown a record reads the one written, or is told it was altered (exit 1):
    an amount changed, or made a text no application could hold (half of a surrogate pair)."""
    assert run(capsys, "show", "--db", store, TARGET, "--format", fmt)[0] == 0
    body = query(store, "SELECT body FROM records WHERE record_id = ?", (TARGET,))[0][0]
    was = json.dumps(record_body(store, TARGET)["result"]["decisions"][0]["amount"])
    altered = body.replace(f'"amount":{was}', f'"amount":"{amount}"', 1)
    assert altered != body and execute(store, "UPDATE records SET body = ? WHERE record_id = ?", (altered, TARGET))
    code, out, err = run(capsys, "show", "--db", store, TARGET, "--format", fmt)
    assert (code, out) == (1, "")
    assert f"record {TARGET} (#3) was altered" in err and "Traceback" not in err


COLUMN_EDITS: dict[str, Any] = {
    "hash column": "UPDATE records SET hash = printf('%064d', 7) WHERE record_id = ?",
    "hash column, one character": "UPDATE records SET hash = substr(hash, 1, 63) || "
    "CASE substr(hash, 64) WHEN '0' THEN '1' ELSE '0' END WHERE record_id = ?",
    "prev column": "UPDATE records SET prev = printf('%064d', 7) WHERE record_id = ?",
    "prev column pointing two back": "UPDATE records SET prev = "
    "(SELECT hash FROM records WHERE record_id = 'AUD-1') "
    "WHERE record_id = ?",
    "kind column": "UPDATE records SET kind = 'settlement' WHERE record_id = ?",
    "application column": "UPDATE records SET application = 'AUD-9' WHERE record_id = ?",
    "applications index: input hash": "UPDATE applications SET input_hash = 'sha256:' || printf('%064d', 3) "
    "WHERE id = ?",
    "applications index: row deleted": "DELETE FROM applications WHERE id = ?",
    "awards row amount": "UPDATE awards SET amount_fen = 15000000 WHERE application = ?",
    "awards row deleted": "DELETE FROM awards WHERE application = ?",
    "awards row enterprise": "UPDATE awards SET credit_code = '91410902MA44P5T29U' WHERE application = ?",
}


@pytest.mark.parametrize("sql", list(COLUMN_EDITS.values()), ids=list(COLUMN_EDITS))
def test_verify_names_a_record_whose_row_was_altered(store: Path, capsys: Any, sql: str) -> None:
    assert execute(store, sql, (TARGET,)) == 1
    code, output = verify(capsys, store)
    assert code == 1, output
    assert named(output).split("/")[0] == TARGET, output  # a decision id names its application


def test_verify_names_a_record_whose_time_column_was_altered(store: Path, capsys: Any) -> None:
    assert (
        execute(
            store,
            "UPDATE records SET recorded_at = '2023-01-01T00:00:00+00:00' WHERE record_id = ?",
            (TARGET,),
        )
        == 1
    )
    code, output = verify(capsys, store)
    assert code == 1, output
    assert named(output) == TARGET, output


def test_verify_names_the_record_after_a_deleted_one(store: Path, capsys: Any) -> None:
    assert execute(store, "DELETE FROM awards WHERE application = ?", (TARGET,)) == 1
    assert execute(store, "DELETE FROM applications WHERE id = ?", (TARGET,)) == 1
    assert execute(store, "DELETE FROM records WHERE record_id = ?", (TARGET,)) == 1
    code, output = verify(capsys, store)
    assert code == 1, output
    assert named(output) in (TARGET, "AUD-4"), output  # the gap is found at the record after it


def test_verify_names_a_deleted_record_whose_index_rows_remain(store: Path, capsys: Any) -> None:
    assert execute(store, "DELETE FROM records WHERE record_id = ?", ("AUD-5",)) == 1
    code, output = verify(capsys, store)
    assert code == 1, output
    assert named(output).split("/")[0] == "AUD-5", output


def test_a_truncated_tail_shows_in_the_chain_head_verify_prints(store: Path, capsys: Any) -> None:
    """Removing the last record with all its index rows leaves a shorter, valid chain; an auditor
    who kept the head `verify` printed sees that it changed."""
    code, output = verify(capsys, store)
    assert code == 0
    for sql in (
        "DELETE FROM awards WHERE application = ?",
        "DELETE FROM applications WHERE id = ?",
        "DELETE FROM decisions WHERE application = ?",
        "DELETE FROM records WHERE record_id = ?",
    ):
        execute(store, sql, ("AUD-5",))
    code, after = verify(capsys, store)
    head = re.search(r"[0-9a-f]{64}", output)
    assert head is not None
    assert head.group(0) not in after
    assert "4 records" in after


def test_verify_names_the_first_of_two_altered_records(store: Path, capsys: Any) -> None:
    execute(
        store,
        "UPDATE records SET body = json_set(body, '$.result.decisions[0].amount', '1.00') "
        "WHERE record_id IN ('AUD-2', 'AUD-4')",
    )
    code, output = verify(capsys, store)
    assert code == 1 and named(output) == "AUD-2", output


def test_verify_catches_a_record_rehashed_after_it_was_altered(store: Path, capsys: Any) -> None:
    """Recomputing the altered record's own hash breaks the link from the record after it."""
    from engine.store import chain_hash

    body = record_body(store, TARGET)
    body["result"]["decisions"][0]["amount"] = "150000.00"
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    prev = query(store, "SELECT prev FROM records WHERE record_id = ?", (TARGET,))[0][0]
    execute(
        store,
        "UPDATE records SET body = ?, hash = ? WHERE record_id = ?",
        (text, chain_hash(prev, text), TARGET),
    )
    code, output = verify(capsys, store)
    assert code == 1, output
    assert named(output) in (TARGET, "AUD-4"), output


def test_verify_catches_a_forged_award_that_would_block_a_patent(store: Path, capsys: Any) -> None:
    execute(
        store,
        "INSERT INTO awards (record_seq, decision_id, application, ruleset_id, program, patent, "
        "credit_code, applicant, amount_fen, source) SELECT record_seq, 'AUD-3/2', application, "
        "ruleset_id, 'local-industrialization-award', ?, credit_code, applicant, 50000000, 'decision' "
        "FROM awards WHERE application = 'AUD-3'",
        (PATENT_Y,),
    )
    code, output = verify(capsys, store)
    assert code == 1, output
    assert named(output).split("/")[0] == TARGET, output


def test_verify_leaves_the_store_unchanged(store: Path, capsys: Any) -> None:
    execute(
        store,
        "UPDATE records SET body = json_set(body, '$.result.decisions[0].amount', '1.00') WHERE record_id = ?",
        (TARGET,),
    )
    before = query(store, "SELECT * FROM records ORDER BY seq")
    assert verify(capsys, store)[0] == 1
    assert verify(capsys, store)[0] == 1
    assert query(store, "SELECT * FROM records ORDER BY seq") == before


# ------------------------------------------------------------------ replay


def replay(capsys: Any, db: Path, *ids: str) -> tuple[int, str]:
    code, out, err = run(capsys, "replay", "--db", db, *ids)
    assert "Traceback" not in out + err
    return code, out + err


def test_replay_reproduces_every_decision(store: Path, capsys: Any) -> None:
    code, output = replay(capsys, store)
    assert code == 0, output
    assert "replayed 5 decisions" in output and "5 reproduced, 0 differ" in output


def test_replay_reproduces_the_sample_folder(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    assert run(capsys, "screen", SAMPLES, "--db", db, "--quiet")[0] == 0
    code, output = replay(capsys, db)
    assert code == 0, output
    assert " 0 differ" in output


def test_replay_of_chosen_decisions(store: Path, capsys: Any) -> None:
    code, output = replay(capsys, store, "AUD-3/1", "AUD-4")
    assert code == 0, output
    assert "AUD-3" in output and "AUD-4" in output
    assert "replayed 2 decisions" in output


def test_replay_of_an_unknown_decision_is_an_error(store: Path, capsys: Any) -> None:
    code, output = replay(capsys, store, "NOPE-1/1")
    assert code == 2, output
    assert "NOPE-1" in output


def test_replay_uses_the_recorded_ledger_not_todays(store: Path, capsys: Any, tmp_path: Path) -> None:
    """AUD-3 was capped by AUD-1's award; more awards to the same enterprise later must not change
    what its replay computes."""
    later = enterprise_app(
        "AUD-6", "2024-06-10", NAME_A, CODE_A, [p2_claim(patent_number(2020, 416), NAME_A, "100000.00")]
    )
    assert run(capsys, "screen", write_jsonl(tmp_path / "later.jsonl", [later]), "--db", store)[0] == 0
    code, output = replay(capsys, store, "AUD-3/1")
    assert code == 0, output


def test_replay_reports_a_decision_that_comes_out_differently(
    store: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forget the recorded ledger state: the decision limited by the cap (AUD-3) and the one refused
    under once-per-patent (AUD-4) no longer reproduce, and replay says which and where."""
    monkeypatch.setattr(engine.services.replaying, "RecordedLedger", lambda seen: RecordedLedger([]))
    code, output = replay(capsys, store)
    assert code == 1, output
    differing = {line.split(":")[0] for line in output.splitlines() if line.startswith("AUD-")}
    assert differing == {"AUD-3", "AUD-4"}, output
    line = next(x for x in output.splitlines() if x.startswith("AUD-3:") and ".amount" in x)
    assert "decisions[0].amount" in line and "80000.00" in line and "150000.00" in line
    assert "3 reproduced, 2 differ" in output


def test_an_altered_amount_fails_verify_and_replay(store: Path, capsys: Any) -> None:
    execute(
        store,
        "UPDATE records SET body = json_set(body, '$.result.decisions[0].amount', '150000.00') WHERE record_id = ?",
        (TARGET,),
    )
    code, output = verify(capsys, store)
    assert code == 1 and named(output) == TARGET
    code, output = replay(capsys, store)
    assert code == 1, output
    line = next(x for x in output.splitlines() if x.startswith(f"{TARGET}:"))
    assert "decisions[0].amount" in line and "150000.00" in line and "80000.00" in line


ARCHIVE_EDITS = {
    "bytes": "CAST(replace(CAST(content AS TEXT), 'value: \"0.10\"', 'value: \"0.20\"') AS BLOB)",
    "text": "replace(CAST(content AS TEXT), 'value: \"0.10\"', 'value: \"0.20\"')",
}


@pytest.mark.parametrize("new_content", list(ARCHIVE_EDITS.values()), ids=list(ARCHIVE_EDITS))
def test_an_altered_archive_is_refused_by_replay(store: Path, capsys: Any, new_content: str) -> None:
    changed = execute(store, f"UPDATE ruleset_files SET content = {new_content} WHERE name = 'parameters.yaml'")
    assert changed == 1
    code, output = replay(capsys, store)
    assert code == 1, output
    assert "archive" in output and "altered" in output
    assert "internal error" not in output


# ------------------------------------------------------------------ replay after the rules moved on


def _screen_with(capsys: Any, rules: Path, db: Path, batch: Path) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "--rules", rules, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    return jsonl(out)


@pytest.mark.parametrize("change", ["rate changed", "folder deleted", "file deleted"])
def test_replay_uses_the_archived_rules_after_the_files_changed(tmp_path: Path, capsys: Any, change: str) -> None:
    rules = copy_rules(tmp_path)
    db = tmp_path / "store.db"
    results = _screen_with(capsys, rules, db, write_jsonl(tmp_path / "batch.jsonl", _apps()))
    assert [d["amount"] for r in results for d in r["decisions"]][0] == "120000.00"
    if change == "rate changed":
        set_purchase_rate(rules, "0.20")
    elif change == "folder deleted":
        shutil.rmtree(rules)
    else:
        (rules / RULESET_DIR / "p2-patent-purchase-reward.yaml").unlink()
    code, output = replay(capsys, db)
    assert code == 0, output
    assert "5 reproduced, 0 differ" in output
    # a fresh process has nothing compiled: replay reads the archive, whatever --rules points at
    done = run_proc("--rules", rules, "replay", "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 reproduced, 0 differ" in done.stdout


def test_two_ruleset_versions_replay_in_one_run(tmp_path: Path, capsys: Any) -> None:
    rules = copy_rules(tmp_path)
    db = tmp_path / "store.db"
    before = _screen_with(capsys, rules, db, write_jsonl(tmp_path / "before.jsonl", _apps()))
    set_purchase_rate(rules, "0.20")
    after_apps = [
        enterprise_app(
            "NEW-1", "2024-07-01", NAME_B, CODE_B, [p2_claim(patent_number(2020, 421), NAME_B, "500000.00")]
        ),
        enterprise_app(
            "NEW-2",
            "2024-07-02",
            "濮阳市第三有限公司",
            credit_code(403),
            [p2_claim(patent_number(2020, 422), "濮阳市第三有限公司", "1200000.00")],
        ),
    ]
    after = _screen_with(capsys, rules, db, write_jsonl(tmp_path / "after.jsonl", after_apps))
    old_version = before[0]["ruleset"]["version"]
    new_version = after[0]["ruleset"]["version"]
    assert old_version != new_version
    assert [d["amount"] for r in after for d in r["decisions"]] == ["100000.00", "200000.00"]  # 20 % now
    versions = {v for (v,) in query(db, "SELECT DISTINCT version FROM ruleset_files")}
    assert versions == {old_version, new_version}

    shutil.rmtree(rules)
    code, output = replay(capsys, db)
    assert code == 0, output
    assert "7 decisions under 2 ruleset version(s)" in output and "7 reproduced, 0 differ" in output
    done = run_proc("replay", "--db", db)  # a fresh process, nothing compiled beforehand
    assert done.returncode == 0, done.stdout + done.stderr
    assert "7 decisions under 2 ruleset version(s)" in done.stdout and "7 reproduced, 0 differ" in done.stdout

    code, output = replay(capsys, db, "AUD-1/1", "NEW-1/1")
    assert code == 0, output
    lines = output.splitlines()
    assert old_version in next(x for x in lines if x.startswith("AUD-1"))
    assert new_version in next(x for x in lines if x.startswith("NEW-1"))


def test_a_changed_rule_changes_nothing_already_recorded(tmp_path: Path, capsys: Any) -> None:
    rules = copy_rules(tmp_path)
    db = tmp_path / "store.db"
    batch = write_jsonl(tmp_path / "batch.jsonl", _apps())
    _screen_with(capsys, rules, db, batch)
    snapshot = query(db, "SELECT * FROM records ORDER BY seq")
    set_purchase_rate(rules, "0.20")
    code, out, err = run(capsys, "--rules", rules, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    assert out == ""
    assert [x for x in err.splitlines() if "already recorded; skipped" in x and "AUD-" in x] != []
    assert len([x for x in err.splitlines() if "AUD-" in x and "already recorded" in x]) == 5
    assert query(db, "SELECT * FROM records ORDER BY seq") == snapshot


# ------------------------------------------------------------------ replay compares decisions, not words


def test_a_reworded_explanation_replays_as_the_same_decision(store: Path, capsys: Any, monkeypatch: Any) -> None:
    """Today's engine words every criterion differently: the decisions are the same, so replay
    exits 0 and reports the wording change apart; show prints today's words or, on request,
    the words the applicant was given."""
    reword_every_criterion(monkeypatch)
    code, output = replay(capsys, store)
    assert code == 0, output
    assert "5 reproduced, 0 differ; wording changed in 5 of them, the decisions the same" in output
    changed = [x for x in output.splitlines() if x.startswith(f"{TARGET}: wording changed: ")]
    assert changed and all("（新措辞）" in x for x in changed)
    assert any(".criteria[0].explanation" in x for x in changed)
    code, today, err = run(capsys, "show", "--db", store, TARGET)
    assert code == 0 and "（新措辞）" in today and "与记录原文不同" in today, err
    code, recorded, err = run(capsys, "show", "--db", store, TARGET, "--as-recorded")
    assert code == 0 and "（新措辞）" not in recorded and "记录时的原文" in recorded, err
    assert record_body(store, TARGET)["result"]["decisions"][0]["criteria"][0]["explanation"] in recorded


def test_a_changed_amount_parameter_does_not_replay(store: Path, capsys: Any, monkeypatch: Any) -> None:
    """Today's engine reads another purchase rate than the archived rules say: the P2 amounts
    no longer reproduce, replay exits 1 and names each differing field."""
    from engine.rulebook import Ruleset

    value = Ruleset.param_value

    def doubled(self: Ruleset, name: str, when: Any) -> Any:
        found = value(self, name, when)
        return found * 2 if name == "purchase_reward_rate" else found

    monkeypatch.setattr(Ruleset, "param_value", doubled)
    code, output = replay(capsys, store)
    assert code == 1, output
    line = next(
        x
        for x in output.splitlines()
        if x.startswith("AUD-1:") and x.endswith('now "240000.00"') is False and ".amount" in x
    )
    assert "decisions[0].amount" in line and '"120000.00"' in line
    assert "wording changed" not in line
    differing = {x.split(":")[0] for x in output.splitlines() if x.startswith("AUD-") and "wording" not in x}
    assert differing == {"AUD-1", "AUD-3"}, output


def test_verify_pins_the_chain_head_noted_earlier(store: Path, capsys: Any) -> None:
    head = query(store, "SELECT hash FROM records ORDER BY seq DESC LIMIT 1")[0][0]
    code, output = verify(capsys, store)
    assert code == 0
    code, out, err = run(
        capsys, "verify", "--db", store, "--expect-head", head, "--workers", helpers_store.VERIFY_WORKERS
    )
    assert code == 0, out + err
    for sql in (
        "DELETE FROM awards WHERE application = ?",
        "DELETE FROM applications WHERE id = ?",
        "DELETE FROM decisions WHERE application = ?",
        "DELETE FROM records WHERE record_id = ?",
    ):
        execute(store, sql, ("AUD-5",))
    code, out, err = run(
        capsys, "verify", "--db", store, "--expect-head", head, "--workers", helpers_store.VERIFY_WORKERS
    )
    assert code == 1 and f"not at {head} as noted earlier" in out and "(#None)" not in out, out


def test_verify_names_a_recorded_ruleset_version_with_no_archive(store: Path, capsys: Any) -> None:
    assert execute(store, "DELETE FROM ruleset_files") > 0
    code, output = verify(capsys, store)
    assert code == 1 and "not archived in the store" in output and "(#None)" not in output, output
    code, output = replay(capsys, store)
    assert code == 1 and "not archived" in output and "internal error" not in output, output


@pytest.mark.parametrize("noted", ["first8", "first63", "not hex", "uppercase"])
def test_verify_takes_only_a_whole_head(store: Path, capsys: Any, noted: str) -> None:
    """A head is compared whole: a prefix (as the docs once wrote heads) is an input error that
    says how long a head is and where to read it, never 'ALTERED'; a head in capitals is the head."""
    head = query(store, "SELECT hash FROM records ORDER BY seq DESC LIMIT 1")[0][0]
    given = {"first8": head[:8], "first63": head[:63], "not hex": "x" * 64, "uppercase": head.upper()}[noted]
    code, out, err = run(
        capsys, "verify", "--db", store, "--expect-head", given, "--workers", helpers_store.VERIFY_WORKERS
    )
    if noted == "uppercase":
        assert code == 0 and head in out, out + err
        return
    assert code == 2, out + err
    assert "ALTERED" not in out + err and "Traceback" not in err
    assert "64 hex digits" in err and "chain head" in err and "characters)" in err


def test_verify_prints_the_whole_head_to_note_down(store: Path, capsys: Any) -> None:
    head = query(store, "SELECT hash FROM records ORDER BY seq DESC LIMIT 1")[0][0]
    code, out, err = run(capsys, "verify", "--db", store)
    assert code == 0 and f"chain head {head}" in out, out + err


def test_the_decision_page_of_an_altered_record_says_so(store: Path) -> None:
    from fastapi.testclient import TestClient

    from engine import load_rulebook, open_store
    from engine.services import add_user
    from engine.web import create_app

    opened = open_store(store)
    try:
        add_user(opened, "aud", "auditor", "auditor-pass-1")
        body = query(store, "SELECT body FROM records WHERE record_id = ?", (TARGET,))[0][0]
        altered = body.replace("濮阳", "滑县", 1)
        assert execute(store, "UPDATE records SET body = ? WHERE record_id = ?", (altered, TARGET))
        client = TestClient(create_app(opened, load_rulebook(), secret="s"), follow_redirects=False)
        page = client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"csrf": csrf, "username": "aud", "password": "auditor-pass-1"})
        response = client.get(f"/decision?id={TARGET}/1")
        assert response.status_code == 409
        assert "写入后被改动过" in response.text and "此项填写有误" not in response.text
    finally:
        opened.close()
