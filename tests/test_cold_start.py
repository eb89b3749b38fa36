"""A cold `subsidy check` imports only what checking needs: the command line builds the named
command's group alone, and a cached rulebook spares the rule-file reading and checking."""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from helpers_store import ROOT, SAMPLES

from engine.cli import main
from engine.cli.parser import COMMAND_GROUPS, COMMANDS, build_parser, command_named

SAMPLE = SAMPLES / "purchase-two-deals.yaml"


def test_every_command_is_listed_with_the_group_that_adds_it() -> None:
    added = {}
    for group in COMMAND_GROUPS:
        sub = argparse.ArgumentParser().add_subparsers()
        import_module(f"engine.cli.{group}").add_parser(sub)
        added.update({command: group for command in sub.choices})
    assert added == COMMANDS
    everything = build_parser()
    (sub,) = [a for a in everything._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(sub.choices) == list(COMMANDS)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["check", "a.yaml"], "check"),
        (["--rules", "r", "check", "a.yaml"], "check"),
        (["--rules=r", "screen", "x"], "screen"),
        (["--ru", "check", "replay"], "replay"),  # a prefix of --rules takes the next word
        (["--rul=check", "verify"], "verify"),
        (["--help"], None),
        (["--version"], None),
        (["-h", "check"], None),
        (["--", "check"], None),
        (["chek", "a.yaml"], None),
        ([], None),
        (["--rules"], None),
    ],
)
def test_the_command_a_line_names(argv: list[str], command: str | None) -> None:
    assert command_named(argv) == command


def test_a_command_line_is_read_alike_with_one_group_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["check", str(SAMPLE), "--format", "json"], ["--rules", str(ROOT / "rules"), "check", str(SAMPLE)]):
        assert main(argv) == 0
        one = capsys.readouterr()
        args = build_parser().parse_args(argv)  # every group
        assert args.func(args) == 0
        assert capsys.readouterr() == one and one.err == "" and one.out
    with pytest.raises(SystemExit) as exit_:
        main(["chek", str(SAMPLE)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'chek'" in err and "'serve'" in err  # every command offered


def test_a_cold_check_imports_neither_the_store_nor_the_web_nor_the_rule_file_reader(tmp_path: Path) -> None:
    first = _modules_after_check(tmp_path)
    second = _modules_after_check(tmp_path)  # the rules cache written by the first
    for modules in (first, second):
        assert "engine.services.checking" in modules
        assert not [m for m in modules if m.startswith(("engine.store", "engine.web", "sqlalchemy", "fastapi"))]
        assert not [m for m in modules if m.startswith(("engine.cli.web", "engine.cli.screen", "jinja2", "rich"))]
    assert "engine.rulebook.loader" in first
    assert not [m for m in second if m in ("engine.rulebook.loader", "engine.rulebook.files", "engine.rulebook.checks")]


def _modules_after_check(cache: Path) -> set[str]:
    code = (
        "import sys, io, contextlib\n"
        "from engine.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    code = main(['check', {str(SAMPLE)!r}, '--format', 'json'])\n"
        "assert code == 0 and out.getvalue().startswith('{'), code\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    env = dict(os.environ, SUBSIDY_CACHE_DIR=str(cache))
    env.pop("SUBSIDY_RULES", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_a_check_prints_the_same_json_from_the_cache_as_from_the_rule_files(tmp_path: Path) -> None:
    runs = []
    for cache in ("off", str(tmp_path), str(tmp_path)):
        env = dict(os.environ, SUBSIDY_CACHE_DIR=cache)
        env.pop("SUBSIDY_RULES", None)
        done = subprocess.run(
            [sys.executable, "-m", "engine.cli", "check", str(SAMPLE), "--format", "json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1] == runs[2]


def test_a_check_in_a_running_program_leaves_its_collector_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    """Only a process that ends with the command freezes what it made out of the collector."""
    frozen = gc.get_freeze_count()
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            assert main(["check", str(SAMPLE)]) == 0
            assert gc.isenabled() is enabled and gc.get_freeze_count() == frozen
        finally:
            gc.enable()
    assert capsys.readouterr().out
