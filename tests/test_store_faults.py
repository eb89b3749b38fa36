"""Store faults reported as what they are: locked, full, read-only, an archive or a tail gone.

* another writer holds the store: a writer waits a bounded time, then exit 2 with
  "locked by another writer"; readers are never held up;
* the disk fills up mid-batch (a real, tiny filesystem): exit 2 naming the full disk,
  never a rollback error; what was committed before stays and verifies;
* a store on read-only media, or a database that only reads: verify, show, report and
  replay work; screen and settle are refused as "read-only", exit 2;
* a ruleset version the log names without its archive, and a truncated tail against a
  head noted earlier, make verify fail (exit 1) on both backends.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from helpers_store import SAMPLES, execute, is_pg, query, run, write_jsonl

from engine.generate import generate_many
from engine.store import dialects
from engine.store.postgres import CHAIN_LOCK

REVIEW = "PY-2024-0502/1"


def _screen(capsys: Any, db: str | Path, *paths: Path) -> tuple[int, str, str]:
    return run(capsys, "screen", *(paths or (SAMPLES,)), "--db", db, "--quiet", "--format", "csv")


@pytest.fixture
def holder(store_url: str, capsys: Any) -> Iterator[Any]:
    """A store, and a function that holds its writers' lock from another connection."""
    code, _, err = _screen(capsys, store_url)
    assert code == 0, err

    def hold() -> Any:
        if is_pg(store_url):
            con = psycopg.connect(store_url, autocommit=True)
            con.execute("SELECT pg_advisory_lock(%s)", (CHAIN_LOCK,))
            return con
        con = sqlite3.connect(store_url, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        return con

    yield hold


def test_a_writer_waits_a_bounded_time_for_another_then_says_so(
    store_url: str, holder: Any, capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.setattr(dialects, "LOCK_WAIT_SECONDS", 1)
    new = write_jsonl(tmp_path / "new.jsonl", list(generate_many(3, seed=7)))
    before = query(store_url, "SELECT count(*) FROM records")
    other = holder()
    try:
        code, out, err = _screen(capsys, store_url, new)
        assert code == 2, out + err
        assert "the store is locked by another writer (waited 1 s)" in err and "Traceback" not in err, err
        assert "wait for the other screen or settle to finish" in err
        code, out, err = run(capsys, "settle", REVIEW, "--db", store_url, "--outcome", "ineligible",
                             "--reason", "未声明", "--reviewer", "王审核")  # fmt: skip
        assert code == 2 and "locked by another writer" in err, err
        code, out, err = run(capsys, "verify", "--db", store_url)  # a reader is never held up
        assert code == 0 and "intact: 54 records" in out, out + err
    finally:
        other.close()
    assert query(store_url, "SELECT count(*) FROM records") == before
    code, out, err = _screen(capsys, store_url, new)
    assert code in (0, 2) and "locked" not in err, err  # once the other is done, it goes through


def _mount(folder: Path, size: str) -> None:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"a small filesystem cannot be mounted here: {done.stderr.decode(errors='replace').strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "disk"
    _mount(folder, "3m")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_full_disk_is_named_and_what_was_committed_stays(small_disk: Path, tmp_path: Path, capsys: Any) -> None:
    batch = write_jsonl(tmp_path / "big.jsonl", list(generate_many(3000, seed=11)))
    db = small_disk / "store.db"
    code, out, err = run(capsys, "screen", batch, "--db", db, "--quiet", "--format", "csv", "--workers", "0",
                         "--batch", "50")  # fmt: skip
    assert code == 2, err[-2000:]
    assert "the disk is full" in err and "what was committed before stays" in err, err[-2000:]
    assert "cannot rollback" not in err and "Traceback" not in err and "internal error" not in err, err[-2000:]
    recorded = query(db, "SELECT count(*) FROM records")[0][0]
    assert 0 < recorded < 3000 and recorded % 50 == 0  # whole transactions, nothing of the failed one
    printed = [line for line in out.splitlines()[1:] if line.strip()]
    assert len({line.split(",")[0] for line in printed}) == recorded  # only committed decisions were printed
    code, out, err = run(capsys, "verify", "--db", db)
    assert code == 0 and f"intact: {recorded} records" in out, out + err


def test_a_store_on_read_only_media_is_read_and_never_written(tmp_path: Path, capsys: Any) -> None:
    media = tmp_path / "media"
    _mount(media, "64m")
    try:
        db = media / "store.db"
        code, _, err = _screen(capsys, db)
        assert code == 0, err
        done = subprocess.run(["mount", "-o", "remount,ro", str(media)], capture_output=True)
        assert done.returncode == 0, done.stderr
        _reads_work_and_writes_are_refused(db, capsys, tmp_path)
    finally:
        subprocess.run(["umount", "-l", str(media)], capture_output=True)


def test_a_database_that_only_reads_is_read_and_never_written(pg_url: str, capsys: Any, tmp_path: Path) -> None:
    code, _, err = _screen(capsys, pg_url)
    assert code == 0, err
    name = pg_url.rpartition("/")[2]
    execute(pg_url, f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    _reads_work_and_writes_are_refused(pg_url, capsys, tmp_path)


def _reads_work_and_writes_are_refused(db: str | Path, capsys: Any, tmp_path: Path) -> None:
    for argv in (["verify"], ["show", "PY-2024-0031"], ["report"], ["replay"], ["queue"]):
        code, out, err = run(capsys, *argv, "--db", db)
        assert code == 0, (argv, out, err)
    assert "intact: 54 records" in run(capsys, "verify", "--db", db)[1]
    new = write_jsonl(tmp_path / "new.jsonl", list(generate_many(1, seed=5)))
    code, out, err = _screen(capsys, db, new)
    assert code == 2 and "the store is read-only" in err and "Traceback" not in err, err
    assert out.count("\n") <= 1  # nothing printed as decided: nothing was recorded
    code, out, err = run(capsys, "settle", REVIEW, "--db", db, "--outcome", "ineligible", "--reason", "未声明",
                         "--reviewer", "王审核")  # fmt: skip
    assert code == 2 and "the store is read-only" in err and "Traceback" not in err, err


def test_verify_fails_on_a_missing_archive_and_a_truncated_tail(store_url: str, capsys: Any) -> None:
    code, _, err = _screen(capsys, store_url)
    assert code == 0, err
    head = query(store_url, "SELECT hash FROM records ORDER BY seq DESC LIMIT 1")[0][0]
    earlier = query(store_url, "SELECT hash FROM records ORDER BY seq DESC LIMIT 3")[2][0]
    last = query(store_url, "SELECT seq, record_id FROM records ORDER BY seq DESC LIMIT 1")[0]
    code, out, err = run(capsys, "verify", "--db", store_url, "--expect-head", earlier)
    assert code == 0 and "(2 records after the head noted earlier)" in out, out + err  # appending is no fault
    code, out, err = run(capsys, "verify", "--db", store_url, "--expect-head", "0" * 64)
    assert code == 1 and "its tail was removed or rewritten" in out, out + err  # the start is no head of a store
    for sql in (
        "DELETE FROM awards WHERE record_seq = ?",
        "DELETE FROM applications WHERE record_seq = ?",
        "DELETE FROM decisions WHERE record_seq = ?",
        "DELETE FROM records WHERE seq = ?",
    ):
        execute(store_url, sql, (last[0],))
    code, out, err = run(capsys, "verify", "--db", store_url)
    assert code == 0, out + err  # a shorter chain is a whole chain…
    code, out, err = run(capsys, "verify", "--db", store_url, "--expect-head", head)
    assert code == 1 and f"not at {head} as noted earlier" in out, out + err  # …but not the one noted
    code, out, err = run(capsys, "verify", "--db", store_url, "--expect-head", earlier)
    assert code == 0 and "(1 record after the head noted earlier)" in out, out + err  # it still passes an older one
    assert execute(store_url, "DELETE FROM ruleset_files") > 0
    code, out, err = run(capsys, "verify", "--db", store_url)
    assert code == 1 and "not archived in the store" in out, out + err
