"""Fixtures shared by the web tests (see helpers_web)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


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
