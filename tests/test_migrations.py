"""Migrations: named, recorded with the time applied, run on open; a store of the first format adopted.

``tests/data/legacy-store-v1.db`` was made by the engine before migrations had names
(``PRAGMA user_version`` 1, decision bodies of the first format): six applications
screened from ``applications/`` and an inventor grant settled with a research fund of
800,000.00 a year and 120 m² of housing. It must open, be migrated, verify, replay,
and report the yearly fund apart from one-off cash.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers_store import execute, is_pg, query, run

import engine
from engine.store.migrate import HEAD, MIGRATIONS

LEGACY = Path(__file__).parent / "data" / "legacy-store-v1.db"


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    db = tmp_path / "legacy.db"
    shutil.copy(LEGACY, db)
    return db


def test_a_store_of_the_first_format_is_adopted_and_migrated(legacy: Path, capsys: Any) -> None:
    log_before = query(legacy, "SELECT * FROM records ORDER BY seq")
    assert query(legacy, "PRAGMA user_version") == [(1,)]
    code, out, err = run(capsys, "migrate", "--db", legacy)
    assert code == 0, err
    assert out.splitlines()[:7] == [
        "applied 0001_initial",
        "applied 0002_decision_index",
        "applied 0003_users",
        "applied 0004_limits",
        "applied 0005_records_lz4",
        "applied 0006_user_sessions",
        "applied 0007_grants_of_nothing",
    ]
    assert [name for name, _ in query(legacy, "SELECT name, applied_at FROM migrations ORDER BY name")] == [
        "0001_initial",
        "0002_decision_index",
        "0003_users",
        "0004_limits",
        "0005_records_lz4",
        "0006_user_sessions",
        "0007_grants_of_nothing",
    ]
    assert all(at.endswith("+00:00") for (at,) in query(legacy, "SELECT applied_at FROM migrations"))
    assert query(legacy, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert query(legacy, "SELECT * FROM records ORDER BY seq") == log_before  # the log itself is never rewritten
    # and again: nothing more to apply
    code, out, err = run(capsys, "migrate", "--db", legacy)
    assert code == 0 and not out.startswith("applied"), out


def test_a_migrated_store_verifies_replays_and_keeps_kinds_of_award_apart(legacy: Path, capsys: Any) -> None:
    code, out, err = run(capsys, "verify", "--db", legacy)  # migrated on open
    assert code == 0 and "intact: 7 records" in out, out + err
    code, out, err = run(capsys, "replay", "--db", legacy)
    assert code == 0 and "9 reproduced, 0 differ" in out, out + err  # 6 applications, 9 decisions
    assert query(legacy, "SELECT count(*) FROM decisions") == [(9,)]
    assert query(
        legacy, "SELECT amount_fen, amount_kind, housing_centi_m2 FROM awards WHERE source = 'settlement'"
    ) == [(80_000_000, "per_year", 12_000)]
    code, out, err = run(capsys, "report", "--db", legacy)
    assert code == 0, err
    assert "奖励合计 900,000.00 元" in out  # one-off cash only: 500,000.00 (P1) + 400,000.00 (P2)
    assert "高价值专利发明人奖励：1 项，800,000.00 元/年，住房 120 平方米" in out
    store = engine.open_store(legacy)
    queue = engine.review_queue(store)
    store.close()
    assert [p.decision for p in queue] == ["PY-2024-0501/1", "PY-2024-0502/1"]


def test_a_record_of_the_first_format_shows_as_recorded_and_in_todays_words(legacy: Path, capsys: Any) -> None:
    for extra in ([], ["--as-recorded"], ["--lang", "en"]):
        code, out, err = run(capsys, "show", "--db", legacy, "PY-2024-0503/1", *extra)
        assert code == 0, err
        assert "PY-2024-0503/1" in out
    assert "科研经费每年 800,000.00 元，住房 120 平方米" in run(capsys, "show", "--db", legacy, "PY-2024-0503")[1]


def test_the_head_revision_is_alembics() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_the_migrations_build_exactly_the_schema(store_url: str) -> None:
    """A new store, migrated from nothing, holds the tables of engine.store.schema, no more, no less,
    on every database (one migration history)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from engine.store.schema import metadata

    store = engine.open_store(store_url, create=True)
    assert [m.name for m in store.migrations()] == [
        "0001_initial",
        "0002_decision_index",
        "0003_users",
        "0004_limits",
        "0005_records_lz4",
        "0006_user_sessions",
        "0007_grants_of_nothing",
    ]
    store.close()
    url = store_url.replace("postgresql://", "postgresql+psycopg://") if is_pg(store_url) else f"sqlite:///{store_url}"
    sql = create_engine(url)
    with sql.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    sql.dispose()
    ours = {("remove_table", "alembic_version"), ("remove_table_comment", "records")}  # Alembic's table; the mark
    assert [d for d in differences if not (isinstance(d, tuple) and (d[0], d[1].name) in ours)] == []


def test_a_store_before_sessions_gets_session_keys_and_names_of_one_spelling(store_url: str) -> None:
    """0006 on a store of revision 0005 holding users named in mixed spellings: each name is
    respelt as a login looks it up, unless another account already holds that spelling."""
    engine.open_store(store_url, create=True).close()
    execute(store_url, "ALTER TABLE users DROP COLUMN session_key")  # back to 0005, as it was
    execute(store_url, "DELETE FROM migrations WHERE name IN ('0006_user_sessions', '0007_grants_of_nothing')")
    execute(store_url, "UPDATE alembic_version SET version_num = '0005'")
    for name in ("Ｒeviewer", "Auditor", "auditor"):
        execute(
            store_url,
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, 'reviewer', 'h', 't')",
            (name,),
        )
    store = engine.open_store(store_url)
    names = [user.name for user in store.users()]
    keys = {user.session_key for user in store.users()}
    store.close()
    assert names == ["Auditor", "auditor", "reviewer"]  # "Auditor" would clash: left as it was
    assert keys == {None}  # made on the first sign-in


def test_a_store_of_a_newer_schema_is_refused(legacy: Path, capsys: Any) -> None:
    engine.open_store(legacy).close()
    execute(legacy, "UPDATE alembic_version SET version_num = '9999'")
    code, out, err = run(capsys, "verify", "--db", legacy)
    assert code == 2 and "9999" in err and "newer than this program" in err and "Traceback" not in err


# Every place name the engine itself knew before divisions became rule data, and its code then.
NAMES_BEFORE = {
    "华龙区": "410902", "濮阳县": "410928", "清丰县": "410922", "南乐县": "410923", "范县": "410926",
    "台前县": "410927", "濮阳经济技术开发区": "410972", "经开区": "410972", "开发区": "410972",
    "濮阳经开区": "410972", "河南濮阳工业园区": "410971", "工业园区": "410971", "濮阳工业园区": "410971",
    "濮阳市城乡一体化示范区": "PY-SFQ", "示范区": "PY-SFQ", "城乡一体化示范区": "PY-SFQ", "濮阳市": "410900",
}  # fmt: skip


def test_an_archive_from_before_divisions_data_reads_its_place_names_as_it_did_then() -> None:
    from engine.model.divisions import DivisionsFile, gazetteer_from_files
    from engine.services.archive import EARLIER_PLACES
    from engine.yamlio import format_path, load_yaml

    doc = load_yaml(EARLIER_PLACES.read_text(encoding="utf-8"), EARLIER_PLACES.name)
    places, problems = gazetteer_from_files([(doc, DivisionsFile.model_validate(doc.data))], format_path)
    assert problems == []
    assert {name: places.resolve(name).code for name in NAMES_BEFORE} == NAMES_BEFORE


def test_a_new_database_made_by_another_process_meanwhile_is_taken_as_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two screens into one new PostgreSQL database at once: the one that finds the database
    missing, then present (the other made it), goes on instead of saying there is no store."""
    from engine.errors import Problem, StoreError
    from engine.store import migrate

    answers: list[Any] = [StoreError([Problem("db", None, "", "no such store")]), ("ours", HEAD)]
    made: list[bool] = []

    def state(engine_: Any, dialect: Any) -> Any:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    class Dialect:
        def create_database(self) -> None:
            made.append(True)

        def after_open(self, engine_: Any) -> None:
            pass

    monkeypatch.setattr(migrate, "_state", state)
    monkeypatch.setattr(migrate, "_database_missing", lambda engine_, dialect: False)  # made meanwhile
    assert migrate.upgrade(None, Dialect(), create=True) == []  # type: ignore[arg-type]
    assert made == [] and answers == []
    answers[:] = [StoreError([Problem("db", None, "", "no such store")])]
    with pytest.raises(StoreError):
        migrate.upgrade(None, Dialect(), create=False)  # type: ignore[arg-type]
