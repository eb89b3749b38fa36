"""Moving a store between databases, and backing a PostgreSQL store up with its own tools.

`subsidy store copy` must carry the chain record for record (the same hashes, so the
head an auditor noted still pins it), the indexes, the rules archive and the users;
both sides verify and replay green. `pg_dump` → `pg_restore` must give a store that
verifies against the head noted before the backup and replays.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pg_cluster
import pytest
from helpers_store import SAMPLES, connect, query, run

import engine
from engine.services import copying

SETTLED = "PY-2024-0502/1"  # the sample whose related-party declaration is missing: needs review


def _screened(capsys: Any, db: str) -> str:
    code, _, err = run(capsys, "screen", SAMPLES, "--db", db, "--quiet", "--format", "csv")
    assert code == 0, err
    code, _, err = run(
        capsys, "settle", SETTLED, "--db", db, "--outcome", "eligible", "--reason", "已核实", "--reviewer", "王审核"
    )
    assert code == 0, err
    store = engine.open_store(db)
    engine.add_user(store, "aud", "auditor", "auditor-pass-1")
    head = store.head()[1]
    store.close()
    return head


def _log(db: str) -> list[tuple[Any, ...]]:
    return query(
        db, "SELECT seq, kind, record_id, application, recorded_at, body, prev, hash FROM records ORDER BY seq"
    )


def _indexes(db: str) -> tuple[list[tuple[Any, ...]], ...]:
    return (
        query(db, "SELECT id, input_hash, record_seq FROM applications ORDER BY id"),
        query(db, "SELECT decision_id, source, amount_fen, amount_kind, housing_centi_m2 FROM awards ORDER BY 1, 2"),
        query(db, "SELECT decision_id, outcome, amount_fen, open_criteria, record_seq FROM decisions ORDER BY 1"),
        query(db, "SELECT version, name, content FROM ruleset_files ORDER BY 1, 2"),
        query(db, "SELECT name, role, password_hash FROM users ORDER BY 1"),
    )


def test_a_store_goes_to_postgresql_and_back_record_for_record(tmp_path: Path, pg_url: str, capsys: Any) -> None:
    sqlite = str(tmp_path / "first.db")
    head = _screened(capsys, sqlite)
    code, out, err = run(capsys, "store", "copy", "--from", sqlite, "--to", pg_url, "--quiet")
    assert code == 0, out + err
    assert f"source: intact: 55 records, chain head {head}" in out
    assert f"target: intact: 55 records, chain head {head}" in out
    assert "copied 55 records, 1 rule archive(s), 1 user(s)" in out
    assert _log(pg_url) == _log(sqlite) and _indexes(pg_url) == _indexes(sqlite)
    code, out, err = run(capsys, "replay", "--db", pg_url)
    assert code == 0 and "62 reproduced, 0 differ" in out, out + err
    code, out, err = run(capsys, "verify", "--db", pg_url, "--expect-head", head)
    assert code == 0, out + err
    assert run(capsys, "report", "--db", pg_url)[1] == run(capsys, "report", "--db", sqlite)[1]

    back = str(tmp_path / "back.db")
    code, out, err = run(capsys, "store", "copy", "--from", pg_url, "--to", back, "--quiet")
    assert code == 0, out + err
    assert _log(back) == _log(sqlite) and _indexes(back) == _indexes(sqlite)


def test_an_interrupted_copy_goes_on_where_it_stopped(
    tmp_path: Path, store_url: str, capsys: Any, monkeypatch: Any
) -> None:
    sqlite = str(tmp_path / "first.db")
    head = _screened(capsys, sqlite)
    monkeypatch.setattr(copying, "BATCH", 20)
    source, target = engine.open_store(sqlite), engine.open_store(store_url, create=True)

    def stop(done: int) -> None:
        if done >= 40:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.copy_store(source, target, progress=stop)
    assert target.count() == 40 and engine.verify(target).intact  # what was committed stays, and is whole
    done = engine.copy_store(source, target)
    assert (done.already, done.records, done.head) == (40, 15, head)
    assert engine.verify(target).intact and target.head() == source.head()
    source.close()
    target.close()


def test_a_copy_into_a_store_with_another_chain_is_refused(tmp_path: Path, store_url: str, capsys: Any) -> None:
    sqlite = str(tmp_path / "first.db")
    _screened(capsys, sqlite)
    code, _, err = run(capsys, "screen", SAMPLES / "purchase-two-deals.yaml", "--db", store_url, "--quiet")
    assert code == 0, err
    code, out, err = run(capsys, "store", "copy", "--from", sqlite, "--to", store_url)
    assert code == 2 and "already holds 1 records that are not the start" in err and "Traceback" not in err, err
    assert query(store_url, "SELECT count(*) FROM records") == [(1,)]


def _tool(name: str) -> str:
    folder = pg_cluster.binaries()
    if folder is None or not (folder / name).exists():
        pytest.skip(f"{name} is not installed")
    return str(folder / name)


def test_pg_dump_and_pg_restore_give_a_store_that_verifies_and_replays(
    tmp_path: Path, pg_url: str, capsys: Any
) -> None:
    head = _screened(capsys, pg_url)  # noted before the backup; the store goes on being written
    code, _, err = run(
        capsys,
        "settle",
        "PY-2024-0207/1",
        "--db",
        pg_url,
        "--outcome",
        "eligible",
        "--reason",
        "已核实",
        "--reviewer",
        "王审核",
    )
    assert code == 0, err
    dump = tmp_path / "store.dump"
    subprocess.run([_tool("pg_dump"), "--format=custom", f"--file={dump}", pg_url], check=True, timeout=120)
    restored = pg_url + "_restored"
    subprocess.run([_tool("createdb"), f"--maintenance-db={pg_url}", restored.rpartition("/")[2]], check=True)
    subprocess.run(
        [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
        check=True,
        timeout=120,
    )
    code, out, err = run(capsys, "verify", "--db", restored, "--expect-head", head)
    assert code == 0 and "intact: 56 records" in out and "(1 record after the head noted earlier)" in out, out + err
    code, out, err = run(capsys, "replay", "--db", restored)
    assert code == 0 and "62 reproduced, 0 differ" in out, out + err
    assert _log(restored) == _log(pg_url) and _indexes(restored) == _indexes(pg_url)
    code, out, err = run(capsys, "show", "--db", restored, f"{SETTLED}/settlement")
    assert code == 0 and SETTLED in out, err


def test_sqlite_backup_while_a_writer_is_busy_gives_a_store_that_verifies_and_replays(
    tmp_path: Path, capsys: Any
) -> None:
    sqlite3_cli = shutil.which("sqlite3")
    if sqlite3_cli is None:
        pytest.skip("the sqlite3 command-line tool is not installed")
    store = str(tmp_path / "store.db")
    head = _screened(capsys, store)
    busy = connect(Path(store))  # another writer, in the middle of its transaction
    busy.execute("BEGIN IMMEDIATE")
    busy.execute("DELETE FROM awards")
    backup = tmp_path / "backup.db"
    try:
        subprocess.run([sqlite3_cli, store, f".backup {backup}"], check=True, timeout=60)
    finally:
        busy.execute("ROLLBACK")
        busy.close()
    code, out, err = run(capsys, "verify", "--db", backup, "--expect-head", head)
    assert code == 0 and f"intact: 55 records, chain head {head}" in out, out + err
    code, out, err = run(capsys, "replay", "--db", backup)
    assert code == 0 and "62 reproduced, 0 differ" in out, out + err
    assert _log(str(backup)) == _log(store) and _indexes(str(backup)) == _indexes(store)
