"""The README's terminal session holds after `make demo`, its first set-up command, as a new
user runs them one after the other in the same folder."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from helpers_store import SAMPLES

from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _subsidy_args(command: str) -> list[str]:
    """A `subsidy …` command line as arguments, its output redirection left out."""
    words = shlex.split(command.split(">")[0])
    return words[words.index("subsidy") + 1 :]


def test_the_readme_screen_example_records_what_it_shows_after_make_demo(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make demo" in readme.split("```")[1]  # the first screen's set-up commands
    demo = re.search(r"^SCREEN_DEMO = (.+)$", make, re.M)
    session = re.search(r"^\$ \.venv/bin/(subsidy screen .+)\n(screened: .+)$", readme, re.M)
    assert demo and session
    os.symlink(SAMPLES, tmp_path / "applications")
    monkeypatch.chdir(tmp_path)
    assert main(_subsidy_args(demo.group(1).replace("$(BIN)/subsidy", "subsidy"))) == 0  # what make demo did
    capsys.readouterr()
    assert main(_subsidy_args(session.group(1))) == 0
    assert capsys.readouterr().err.splitlines()[-1] == session.group(2)
    store = _subsidy_args(session.group(1))[_subsidy_args(session.group(1)).index("--db") + 1]
    for later in re.findall(r"^\$ \.venv/bin/subsidy (?:verify|report) (.+)$", readme, re.M):
        assert f"--db {store}" in later  # the session goes on with the store it made
