"""A bad option value is a usage error (exit 2) that states the bounds, never an internal
fault: --batch and --workers are held to documented constants, and `users add` without a
terminal asks for --password-stdin instead of failing on an empty read."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_store import SAMPLES

from engine.cli import main
from engine.cli.common import MAX_BATCH, MAX_WORKERS

GOOD = SAMPLES / "p2-eligible-individual-seller.yaml"


def test_the_documented_bounds() -> None:
    assert (MAX_WORKERS, MAX_BATCH) == (64, 1_000_000)


@pytest.mark.parametrize(
    ("argv", "option", "bounds", "given"),
    [
        (
            ["screen", str(GOOD), "--batch", "99999999999999999999"],
            "--batch",
            "0 to 1,000,000",
            "'99999999999999999999'",
        ),
        (["screen", str(GOOD), "--batch", "-1"], "--batch", "0 to 1,000,000", "'-1'"),
        (["screen", str(GOOD), "--batch", str(MAX_BATCH + 1)], "--batch", "0 to 1,000,000", "'1000001'"),
        (["screen", str(GOOD), "--workers", "-5"], "--workers", "0 to 64", "'-5'"),
        (["screen", str(GOOD), "--workers", "65"], "--workers", "0 to 64", "'65'"),
        (["replay", "--workers", "100000"], "--workers", "0 to 64", "'100000'"),
        (["replay", "--workers", "two"], "--workers", "0 to 64", "'two'"),
        (["serve", "--workers", "0"], "--workers", "1 to 64", "'0'"),
    ],
)
def test_an_option_out_of_bounds_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], option: str, bounds: str, given: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--db", str(tmp_path / "s.db")])
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    assert err.splitlines()[-1].endswith(f": error: argument {option}: a whole number from {bounds}, got {given}")
    assert not (tmp_path / "s.db").exists()


def test_the_bounds_themselves_are_accepted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert main(["screen", str(GOOD), "--db", db, "--batch", str(MAX_BATCH), "--workers", "0", "--quiet"]) == 0
    assert main(["replay", "--db", db, "--workers", "0"]) == 0
    capsys.readouterr()


def test_users_add_without_a_terminal_asks_for_password_stdin(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            "users",
            "add",
            "alice",
            "--role",
            "reviewer",
            "--db",
            str(tmp_path / "s.db"),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        start_new_session=True,  # no controlling terminal, as under cron or a pipe
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.endswith(
        "error: no terminal to ask for the password on: give it on the first line of stdin with --password-stdin\n"
    )


def test_every_option_of_every_command_says_what_it_is_for() -> None:
    """`subsidy COMMAND --help` explains each option and argument (a new user read bare
    `--format {text,json}` lines and had to guess)."""
    import argparse

    from engine.cli.parser import build_parser

    def commands(parser: argparse.ArgumentParser, name: str) -> Iterator[tuple[str, argparse.ArgumentParser]]:
        yield name, parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub, child in action.choices.items():
                    yield from commands(child, f"{name} {sub}")

    bare = [
        f"{name}: {action.option_strings or action.dest}"
        for name, parser in commands(build_parser(), "subsidy")
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction | argparse._VersionAction)
        and not action.help
    ]
    assert bare == []


@pytest.mark.parametrize("command", [["verify"], ["replay"], ["report"], ["settle", "PY-2024-0001/1"]])
def test_a_store_not_named_says_the_variable_that_names_it_too(
    command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUBSIDY_DB", raising=False)
    with pytest.raises(SystemExit) as exited:
        main(command)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "the following arguments are required: --db" in err
    assert "the store may be named by SUBSIDY_DB instead of --db" in err


def test_another_missing_argument_says_nothing_of_the_store(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUBSIDY_DB", "somewhere.db")
    with pytest.raises(SystemExit):
        main(["settle", "PY-2024-0001/1"])
    err = capsys.readouterr().err
    assert "required: --outcome" in err and "SUBSIDY_DB" not in err
