"""A store on a PostgreSQL server: recognised, refused, reached, served as SQLite is.

The scenarios both backends share run on both (``store_url`` in test_store*.py);
these are what only a server brings: a database that is another program's, one that
does not exist, a server that does not answer, ``$SUBSIDY_DB``, a password kept out
of messages, two processes opening a new store at once, and ``subsidy serve``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
import pytest
from helpers_store import ROOT, SAMPLES, execute, proc_env, query, run, run_proc

import engine
from engine.store.migrate import HEAD
from engine.store.postgres import MARK


def _database_exists(url: str) -> bool:
    base, _, name = url.rpartition("/")
    return bool(query(f"{base}/postgres", "SELECT 1 FROM pg_database WHERE datname = ?", (name,)))


def test_screen_creates_the_database_and_marks_it(pg_url: str, capsys: Any) -> None:
    assert not _database_exists(pg_url)
    code, _, err = run(capsys, "screen", SAMPLES / "purchase-two-deals.yaml", "--db", pg_url, "--quiet")
    assert code == 0, err
    assert _database_exists(pg_url)
    assert query(pg_url, "SELECT obj_description(CAST('records' AS regclass), 'pg_class')") == [(MARK,)]
    assert query(pg_url, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    lz4 = query(pg_url, "SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' "
                "AND 'lz4' = ANY(enumvals)") == [(1,)]  # fmt: skip
    if lz4:  # bodies in lz4 where the server offers it; elsewhere the migration leaves the server's default
        assert query(pg_url, "SELECT attcompression FROM pg_attribute WHERE attrelid = CAST('records' AS regclass) "
                     "AND attname = 'body'") == [("l",)]  # fmt: skip
    types = dict(
        query(pg_url, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", ("awards",))
    )
    assert types["amount_fen"] == "bigint" and types["housing_centi_m2"] == "bigint"


def test_a_server_without_lz4_keeps_its_own_compression(pg_url: str, capsys: Any) -> None:
    """A server built without lz4 (or older than 14) is migrated all the same; the bodies keep its default."""
    base, _, name = pg_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
        con.execute(f'ALTER DATABASE "{name}" SET search_path = public, pg_catalog')
    # the settings as such a server lists them: the public view is found before the catalogue's own
    execute(pg_url, "CREATE VIEW pg_settings AS SELECT * FROM pg_catalog.pg_settings "
            "WHERE name <> 'default_toast_compression'")  # fmt: skip
    code, _, err = run(capsys, "screen", SAMPLES / "purchase-two-deals.yaml", "--db", pg_url, "--quiet")
    assert code == 0, err
    assert query(pg_url, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert query(pg_url, "SELECT attcompression FROM pg_attribute WHERE attrelid = CAST('records' AS regclass) "
                 "AND attname = 'body'") == [("",)]  # fmt: skip
    assert run(capsys, "verify", "--db", pg_url)[0] == 0


@pytest.mark.parametrize("command", ["verify", "replay", "report", "show"])
def test_reading_commands_do_not_create_a_database(pg_url: str, capsys: Any, command: str) -> None:
    argv = [command, "--db", pg_url] + (["X-1"] if command == "show" else [])
    code, out, err = run(capsys, *argv)
    assert code == 2 and "no such store" in err and pg_url in err and "Traceback" not in err, err
    assert not _database_exists(pg_url)


def test_an_empty_database_is_a_store_only_for_screen(pg_url: str, capsys: Any) -> None:
    base, _, name = pg_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    code, _, err = run(capsys, "verify", "--db", pg_url)
    assert code == 2 and "no such store" in err, err
    assert query(pg_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_another_programs_database_is_refused_and_left_untouched(pg_url: str, capsys: Any) -> None:
    base, _, name = pg_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("CREATE TABLE customers (id integer PRIMARY KEY, name text)")
        con.execute("CREATE TABLE records (id integer)")  # even a table of our name: not marked as ours
        con.execute("INSERT INTO customers VALUES (1, 'x')")
    for command in (["screen", SAMPLES / "purchase-two-deals.yaml"], ["verify"], ["report"], ["migrate"]):
        code, _, err = run(capsys, *command, "--db", pg_url)
        assert code == 2 and "another program's tables" in err and "Traceback" not in err, (command, err)
    tables = query(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    assert tables == [("customers",), ("records",)]
    assert query(pg_url, "SELECT id, name FROM customers") == [(1, "x")]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_server_that_does_not_answer_is_a_clear_error_and_the_password_stays_secret(capsys: Any) -> None:
    url = f"postgresql://reviewer:s3cret-pw@127.0.0.1:{_closed_port()}/subsidy"
    code, _, err = run(capsys, "verify", "--db", url)
    assert code == 2 and "cannot connect to the store's server" in err and "Traceback" not in err, err
    assert "s3cret-pw" not in err and "reviewer:***@127.0.0.1" in err


def test_an_unknown_scheme_is_refused_with_the_ones_we_know(capsys: Any) -> None:
    code, _, err = run(capsys, "verify", "--db", "mysql://u@h/db")
    assert code == 2 and "no store backend for 'mysql'" in err and "postgresql://" in err


def test_subsidy_db_names_the_store_for_every_command(pg_url: str, tmp_path: Path) -> None:
    env = proc_env() | {"SUBSIDY_DB": pg_url}
    for argv in (
        ["screen", str(SAMPLES / "review-p2-related-party-not-declared.yaml"), "--format", "jsonl"],
        ["verify"],
        ["report", "--format", "csv"],
        ["queue"],
        ["show", "PY-2024-0502"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "engine.cli", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (argv, done.stderr)
    assert query(pg_url, "SELECT record_id FROM records") == [("PY-2024-0502",)]
    done = run_proc("verify")  # neither --db nor $SUBSIDY_DB
    assert done.returncode == 2 and "--db" in done.stderr


def test_two_processes_opening_a_new_store_at_once_migrate_it_once(pg_url: str) -> None:
    engine.open_store(pg_url, create=True).close()  # the database exists; its tables do not yet matter
    base, _, name = pg_url.rpartition("/")
    fresh = f"{base}/{name}_b"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "engine.cli", "screen", str(SAMPLES / sample), "--db", fresh, "--quiet"],
            cwd=ROOT,
            env=proc_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for sample in ("purchase-two-deals.yaml", "review-p2-related-party-not-declared.yaml")
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert [n for (n,) in query(fresh, "SELECT name FROM migrations ORDER BY name")] == [
        "0001_initial",
        "0002_decision_index",
        "0003_users",
        "0004_limits",
        "0005_records_lz4",
        "0006_user_sessions",
        "0007_grants_of_nothing",
    ]
    assert engine.verify(store := engine.open_store(fresh)).intact and store.count() == 2
    store.close()


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_works_on_a_postgresql_store(pg_url: str, capsys: Any) -> None:
    code, _, err = run(capsys, "screen", SAMPLES / "purchase-two-deals.yaml", "--db", pg_url, "--quiet")
    assert code == 0, err
    added = subprocess.run(
        [sys.executable, "-m", "engine.cli", "users", "add", "aud", "--role", "auditor", "--password-stdin"],
        cwd=ROOT,
        env=proc_env() | {"SUBSIDY_DB": pg_url},
        input="auditor-pass-1\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    token = run_proc("users", "token", "aud", "--db", pg_url).stdout.strip()
    port = _closed_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "serve", "--db", pg_url, "--port", str(port)],
        cwd=ROOT,
        env=proc_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/check")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/verify", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = json.load(answer)
        assert body["intact"] is True and body["records"] == 1, body
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert os.environ.get("SUBSIDY_DB") != pg_url
