"""The decision store: what each record holds, and how the log is laid out.

A record must let an auditor answer, years later and from the store alone: which
application, when, on what input, under which ruleset version and engine version, seeing
which earlier awards, decided what and why. These tests read the record both through
`subsidy show --format json` and straight from the database, on both backends
(an SQLite file, a PostgreSQL database: the ``store_url`` fixture).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from helpers_store import (
    P2,
    RULES,
    RULESET_DIR,
    SAMPLES,
    credit_code,
    enterprise_app,
    p2_claim,
    patent_number,
    query,
    record_body,
    record_ids,
    run,
    show_json,
    write_json,
    write_yaml,
)

import engine
from engine.rulebook import ruleset_version

NAME = "濮阳市宏达新能源科技有限公司"
CODE = credit_code(301)
RULESET_ID = "puyang-2022-19"


def _screen_two(tmp_path: Path, capsys: Any, db: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    first = enterprise_app("REC-1", "2024-03-01", NAME, CODE, [p2_claim(patent_number(2020, 301), NAME, "1200000.00")])
    second = enterprise_app(
        "REC-2",
        "2024-04-01",
        NAME,
        CODE,
        [
            p2_claim(patent_number(2020, 302), NAME, "500000.00"),
            p2_claim(patent_number(2020, 303), NAME, "300000.00", related_party=None),
        ],
    )
    code, _, err = run(
        capsys,
        "screen",
        write_yaml(tmp_path / "first.yaml", first),
        write_json(tmp_path / "second.json", second),
        "--db",
        db,
        "--format",
        "jsonl",
    )
    assert code == 0, err
    return db, first, second


def _disk_ruleset_version() -> str:
    folder = RULES / RULESET_DIR
    return ruleset_version(
        {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}
    )


def _subset(expected: Any, got: Any, path: str = "input") -> None:
    """Everything the application said is in the recorded input, with the same value."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), path
        for key, value in expected.items():
            assert key in got, f"{path}.{key} is missing from the recorded input"
            _subset(value, got[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), path
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            _subset(a, b, f"{path}[{i}]")
    else:
        assert got == expected, f"{path}: recorded {got!r}, submitted {expected!r}"


def test_a_record_holds_everything_an_auditor_needs(tmp_path: Path, capsys: Any, store_url: str) -> None:
    before = datetime.now(timezone.utc) - timedelta(seconds=5)
    db, _, second = _screen_two(tmp_path, capsys, store_url)
    after = datetime.now(timezone.utc) + timedelta(seconds=5)

    shown = show_json(capsys, db, "REC-2/1")
    assert shown["record"] == "REC-2"  # the record id of a decision is its application id
    content = shown["content"]

    # application id, time
    assert content["type"] == "decision"
    assert content["application"] == "REC-2"
    stamp = datetime.fromisoformat(content["recorded_at"])
    assert stamp.tzinfo is not None and before <= stamp <= after

    # canonical input, with a hash of it
    _subset(second, content["input"])
    canonical = json.dumps(content["input"], ensure_ascii=False, separators=(",", ":"))  # as stored
    assert content["input_sha256"] == "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    # ruleset id and version, engine version
    assert content["ruleset"] == {"id": RULESET_ID, "version": _disk_ruleset_version()}
    assert content["engine"]["version"] == engine.__version__

    # the ledger state it saw: the cap of this enterprise, with the award REC-1 made
    cap = [s for s in content["ledger"] if s["program"] == P2 and s["key"] == CODE]
    assert cap, content["ledger"]
    assert [(a["decision"], a["amount"]) for a in cap[0]["awards"]] == [("REC-1/1", "120000.00")]

    # the full decision, every claim with every criterion
    result = content["result"]
    assert result["application"] == "REC-2"
    assert result["ruleset"] == content["ruleset"]
    assert [d["decision"] for d in result["decisions"]] == ["REC-2/1", "REC-2/2"]
    one, two = result["decisions"]
    assert (one["outcome"], one["amount"]) == ("eligible", "50000.00")
    assert (two["outcome"], two["amount"]) == ("needs_review", "30000.00")
    for decision in result["decisions"]:
        assert decision["program"] == P2
        ids = [c["id"] for c in decision["criteria"]]
        assert {
            "seller-type",
            "not-related-party",
            "implemented",
            "transaction-amount-proven",
            "cap-not-reached",
        } <= set(ids)
        for c in decision["criteria"]:
            assert c["status"] in ("met", "not_met", "unknown")
            assert c["clause"] and c["explanation"]
    assert "claims[2].related_party" in " ".join(two["missing"]) or any("related_party" in m for m in two["missing"])


def test_show_json_is_the_stored_record(tmp_path: Path, capsys: Any, store_url: str) -> None:
    db, _, _ = _screen_two(tmp_path, capsys, store_url)
    by_app = show_json(capsys, db, "REC-1")
    by_decision = show_json(capsys, db, "REC-1/1")
    assert by_app == by_decision
    assert by_app["content"] == record_body(db, "REC-1")
    assert by_app["hash"] == query(db, "SELECT hash FROM records WHERE record_id = 'REC-1'")[0][0]
    assert by_app["settlements"] == []


def test_show_text_explains_the_recorded_decision(tmp_path: Path, capsys: Any, store_url: str) -> None:
    db, _, _ = _screen_two(tmp_path, capsys, store_url)
    code, out, err = run(capsys, "show", "--db", db, "REC-2")
    assert code == 0, err
    assert "REC-2/1" in out and "REC-2/2" in out
    assert "50,000.00" in out
    assert query(db, "SELECT hash FROM records WHERE record_id = 'REC-2'")[0][0] in out
    assert _disk_ruleset_version() in out


def test_show_of_an_unknown_id_is_a_clear_error(tmp_path: Path, capsys: Any, store_url: str) -> None:
    db, _, _ = _screen_two(tmp_path, capsys, store_url)
    code, out, err = run(capsys, "show", "--db", db, "NOPE-1")
    assert code == 2
    assert "NOPE-1" in err and "Traceback" not in err


def test_the_log_is_a_hash_chain_in_screening_order(capsys: Any, store_url: str) -> None:
    db = store_url
    code, _, err = run(capsys, "screen", SAMPLES, "--db", db, "--quiet")
    assert code == 0, err
    rows = query(db, "SELECT seq, kind, record_id, application, body, prev, hash FROM records ORDER BY seq")
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0][5] == "0" * 64
    for before, row in zip(rows, rows[1:], strict=False):
        assert row[5] == before[6], f"record {row[2]} does not link to {before[2]}"
    assert len({r[6] for r in rows}) == len(rows)
    from engine.store import chain_hash

    for _seq, kind, record_id, application, body, prev, digest in rows:
        assert kind == "decision" and record_id == application
        assert chain_hash(prev, body) == digest, record_id
        assert json.loads(body)["application"] == application
    keys = [(json.loads(r[4])["input"]["submitted_on"], r[2]) for r in rows]
    assert keys == sorted(keys)


def test_the_indexes_follow_the_log(tmp_path: Path, capsys: Any, store_url: str) -> None:
    db, _, _ = _screen_two(tmp_path, capsys, store_url)
    apps = query(db, "SELECT id, input_hash FROM applications ORDER BY id")
    assert apps == [(i, record_body(db, i)["input_sha256"]) for i in ("REC-1", "REC-2")]
    awards = query(db, "SELECT decision_id, program, credit_code, amount_fen, source FROM awards ORDER BY record_seq")
    assert awards == [
        ("REC-1/1", P2, CODE, 12_000_000, "decision"),
        ("REC-2/1", P2, CODE, 5_000_000, "decision"),
        ("REC-2/2", P2, CODE, 3_000_000, "pending"),
    ]  # held until a reviewer settles it


def test_the_ruleset_files_are_archived_once_per_version(tmp_path: Path, capsys: Any, store_url: str) -> None:
    db, _, _ = _screen_two(tmp_path, capsys, store_url)
    code, _, err = run(capsys, "screen", SAMPLES, "--db", db, "--quiet")
    assert code == 0, err
    rows = query(db, "SELECT version, ruleset_id, name, content FROM ruleset_files")
    version = _disk_ruleset_version()
    assert {(v, r) for v, r, _, _ in rows} == {(version, RULESET_ID)}
    archived = {name: bytes(content) for _, _, name, content in rows}
    on_disk = {
        p.name: p.read_bytes() for p in (RULES / RULESET_DIR).iterdir() if p.is_file() and not p.name.startswith(".")
    }
    assert archived == on_disk
    assert ruleset_version(archived) == version


def test_screen_creates_a_store_that_is_marked_as_such(tmp_path: Path, capsys: Any) -> None:
    db, _, _ = _screen_two(tmp_path, capsys, str(tmp_path / "store.db"))
    assert query(db, "PRAGMA user_version")[0][0] >= 1
    assert query(db, "PRAGMA application_id")[0][0] != 0


def _foreign_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers (name) VALUES ('x')")
    con.commit()
    con.close()
    return path


def test_another_programs_sqlite_file_is_refused(tmp_path: Path, capsys: Any) -> None:
    db = _foreign_db(tmp_path / "other.db")
    code, out, err = run(capsys, "screen", SAMPLES / "purchase-two-deals.yaml", "--db", db)
    assert code == 2
    assert "other.db" in err and "Traceback" not in err
    assert query(db, "SELECT name FROM sqlite_master WHERE type = 'table'") == [("customers",)]
    assert query(db, "SELECT id, name FROM customers") == [(1, "x")]
    for command in (["verify"], ["replay"], ["report"]):
        code, _, err = run(capsys, *command, "--db", db)
        assert code == 2, command
        assert "Traceback" not in err


def test_another_programs_sqlite_file_is_left_byte_identical(tmp_path: Path, capsys: Any) -> None:
    db = _foreign_db(tmp_path / "other.db")
    before = db.read_bytes()
    code, _, _ = run(capsys, "screen", SAMPLES / "purchase-two-deals.yaml", "--db", db)
    assert code == 2
    assert db.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "notes.db"
    db.write_text("these are my notes\n" * 100, encoding="utf-8")
    code, out, err = run(capsys, "screen", SAMPLES / "purchase-two-deals.yaml", "--db", db)
    assert code == 2
    assert "notes.db" in err and "Traceback" not in err
    assert db.read_text(encoding="utf-8") == "these are my notes\n" * 100


@pytest.mark.parametrize("command", ["verify", "replay", "report", "show"])
def test_reading_commands_do_not_create_a_store(tmp_path: Path, capsys: Any, command: str) -> None:
    db = tmp_path / "missing.db"
    argv = [command, "--db", db] + (["X-1"] if command == "show" else [])
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "missing.db" in err and "Traceback" not in err
    assert not db.exists()


def test_an_empty_store_verifies_and_reports(tmp_path: Path, capsys: Any, store_url: str) -> None:
    db = store_url
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "screen", empty, "--db", db)
    assert code == 0, err
    assert record_ids(db) == []
    assert run(capsys, "verify", "--db", db)[0] == 0
    assert run(capsys, "replay", "--db", db)[0] == 0
    assert run(capsys, "report", "--db", db)[0] == 0


def test_successive_commands_in_one_process_record_their_own_criteria(tmp_path: Path) -> None:
    """The engine as a library (a web service, a notebook, a test run): many commands, one process."""
    import contextlib
    import io

    from helpers_store import run_proc

    from engine.cli import main

    samples = [
        SAMPLES / "p1-eligible-hualong-district.yaml",
        SAMPLES / "purchase-two-deals.yaml",
        SAMPLES / "p3-maintained-over-ten-years.yaml",
    ]
    expected = {}  # what a fresh process lists, per decision
    for sample in samples:
        done = run_proc("check", sample, "--format", "json")
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        for d in result["decisions"]:
            expected[f"{result['application']}/{d['claim']}"] = [c["id"] for c in d["criteria"]]
    wrong = []
    for i in range(40):
        db = str(tmp_path / f"{i}.db")
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            assert main(["screen", *map(str, samples), "--db", db, "--format", "jsonl"]) == 0
            main(["replay", "--db", db])
        for line in out.getvalue().splitlines():
            if line.startswith("{"):
                for d in json.loads(line)["decisions"]:
                    got = [c["id"] for c in d["criteria"]]
                    if got != expected[d["decision"]]:
                        wrong.append((i, d["decision"], got))
    assert wrong == [], f"{len(wrong)} decisions list the wrong criteria, e.g. {wrong[:2]}"


def test_a_new_sqlite_store_has_its_page_size_and_an_older_file_keeps_its_own(tmp_path: Path, capsys: Any) -> None:
    from engine.store.dialects import PAGE_SIZE

    db = tmp_path / "new.db"
    code, _, err = run(capsys, "screen", *sorted(str(p) for p in SAMPLES.glob("*.yaml")), "--db", db, "--quiet")
    assert code == 0, err
    assert query(db, "PRAGMA page_size") == [(PAGE_SIZE,)]
    older = tmp_path / "older.db"
    shutil.copy(Path(__file__).parent / "data" / "legacy-store-v1.db", older)
    before = query(older, "PRAGMA page_size")
    assert before != [(PAGE_SIZE,)]
    code, _, err = run(capsys, "screen", *sorted(str(p) for p in SAMPLES.glob("*.yaml")), "--db", older, "--quiet")
    assert code == 0, err
    assert query(older, "PRAGMA page_size") == before  # never rewritten
    assert run(capsys, "verify", "--db", older)[0] == 0
