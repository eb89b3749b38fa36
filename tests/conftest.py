"""Fixtures shared by the tests: the web's stores (see helpers_web) and the stores of both backends.

``store_url`` is a new, empty store's ``--db`` value, once for each backend: an SQLite
file, and a new database on a PostgreSQL server — the one ``$SUBSIDY_TEST_PG`` names
(CI starts one), else a throwaway cluster started here from the installed PostgreSQL
binaries. Where neither is possible the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

_databases = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _rules_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The run's own rulebook cache (engine/rulebook/cache.py), not the user's: the first load
    of each rule folder is a full one, every later one reads the cache."""
    os.environ.setdefault("SUBSIDY_CACHE_DIR", str(tmp_path_factory.mktemp("rules-cache")))


@pytest.fixture(params=["0", "2"], ids=["one process", "two processes"])
def verify_workers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """``verify --workers`` in the tests that take this fixture (helpers_store.VERIFY_WORKERS):
    each runs with the chain walked by one process, then by two, each a range of it. Every
    report must be the same: an intact store intact, an altered one named at the same record."""
    import helpers_store

    monkeypatch.setattr(helpers_store, "VERIFY_WORKERS", request.param)
    return str(request.param)


@pytest.fixture
def where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A rulebook cache folder of this test's own (``$SUBSIDY_CACHE_DIR``)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SUBSIDY_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def web_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from helpers_web import build_store

    path = tmp_path_factory.mktemp("web") / "base.db"
    return path, build_store(path)


@pytest.fixture
def web(web_base: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[object]:
    from helpers_web import Web

    made = Web(web_base[0], web_base[1], tmp_path)
    yield made
    made.close()


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a PostgreSQL server's ``postgres`` database, for tests only."""
    given = os.environ.get("SUBSIDY_TEST_PG")
    if given:
        yield given
        return
    import pg_cluster

    if pg_cluster.binaries() is None:
        pytest.skip("no PostgreSQL server: $SUBSIDY_TEST_PG is not set and PostgreSQL is not installed")
    folder = tmp_path_factory.mktemp("postgres")
    try:
        url = pg_cluster.start(folder)
    except Exception as exc:  # the reason is shown on every skipped case
        pytest.skip(f"no PostgreSQL server: one could not be started here ({exc})")
    yield url
    pg_cluster.stop(folder)


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A new database's URL on the test server (created by the engine on first use)."""
    base, _, _ = pg_server.rpartition("/")
    return f"{base}/t{os.getpid()}_{next(_databases)}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store's ``--db`` value, once per backend."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("pg_url"))
