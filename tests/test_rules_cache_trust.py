"""The rulebook cache is trusted as the installed engine is, and never decides what is recorded.

A reviewer's findings on the cache (engine/rulebook/cache.py, cache_folder.py): an entry edited
with its checksum recomputed changed what `screen` recorded; a planted link was followed on
writing; eviction removed a user's own JSON files; no home directory failed every command; a
cache folder inside the rule files changed the ruleset version; a FIFO or /dev/zero as an entry
hung or exhausted memory; only `off` turned the cache off. Each case is held here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_store import RULES, SAMPLES

from engine import load_rulebook
from engine.cli import main
from engine.rulebook import cache, cache_folder, loader
from engine.rulebook.cache import CACHE_ENV, OFF_VALUES, cache_dir, load_ruleset_cached
from engine.services import check_file

RULESET = RULES / "puyang-2022-19"
APPLICATION = SAMPLES / "p1-eligible-hualong-district.yaml"
GENUINE, FORGED = b'{"$dec":"500000.00"}', b'{"$dec":"9999999.00"}'


@pytest.fixture
def full_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of the full loads that run."""
    runs: list[str] = []
    real = loader.load_ruleset_files

    def counted(files: dict[str, bytes], label: str = "rules") -> object:
        runs.append(label)
        return real(files, label)

    monkeypatch.setattr(loader, "load_ruleset_files", counted)
    return runs


@pytest.fixture
def alarm() -> Iterator[None]:
    """A read that blocks fails the test in 10 s instead of hanging the suite."""

    def late(*args: object) -> None:
        raise TimeoutError("the cache read blocked")

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if cache_folder.ENTRY_NAME.fullmatch(p.name))


def forge(entry: Path) -> None:
    """The reviewer's edit: an award raised in the body and the header's checksum recomputed."""
    head, _, body = entry.read_bytes().partition(b"\n")
    assert GENUINE in body
    body = body.replace(GENUINE, FORGED)
    header = json.loads(head)
    header["sha256"] = hashlib.sha256(body).hexdigest()
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)


def total_of_check(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["check", str(APPLICATION), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["total"]


def test_a_forged_entry_never_reaches_a_recorded_decision(
    where: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert total_of_check(capsys) == "500000.00"  # writes the entry
    (entry,) = entries(where)
    forge(entry)
    assert total_of_check(capsys) == "9999999.00"  # the self-check reads the cache: the forgery is live
    db = tmp_path / "decisions.db"
    assert main(["screen", str(APPLICATION), "--db", str(db), "--format", "csv", "--quiet"]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["outcome"] == "eligible" and row["amount"] == "500000.00"
    assert main(["replay", "--db", str(db)]) == 0  # recorded as the rule files decide
    capsys.readouterr()
    full = check_file(APPLICATION, load_rulebook(RULES))  # the public API (serve, settle, impact) loads in full
    assert full.json("zh")["total"] == "500000.00"


@pytest.mark.parametrize("mode", [0o775, 0o757, 0o777])
def test_a_folder_others_can_write_is_no_cache(
    where: Path, mode: int, full_loads: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    load_ruleset_cached(RULESET)
    (entry,) = entries(where)
    forge(entry)
    where.chmod(mode)
    try:
        load_ruleset_cached(RULESET)
        assert len(full_loads) == 2
        assert entry.read_bytes().count(FORGED) > 0  # neither read nor written
        assert total_of_check(capsys) == "500000.00"
    finally:
        where.chmod(0o700)


def test_a_folder_of_another_user_is_no_cache(
    where: Path, full_loads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_ruleset_cached(RULESET)
    monkeypatch.setattr(cache_folder.os, "geteuid", lambda: os.getuid() + 4242)
    load_ruleset_cached(RULESET)
    assert len(full_loads) == 2


@pytest.mark.parametrize("kind", ["group-writable", "other-writable", "another user's", "a link", "too large"])
def test_an_entry_not_the_users_own_file_is_a_miss_and_is_replaced(
    where: Path, tmp_path: Path, kind: str, full_loads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_ruleset_cached(RULESET)
    (entry,) = entries(where)
    good = entry.read_bytes()
    with monkeypatch.context() as m:
        if kind == "group-writable":
            entry.chmod(0o620)
        elif kind == "other-writable":
            entry.chmod(0o602)
        elif kind == "another user's":  # the entry alone (the folder is the user's)
            m.setattr(cache_folder, "_owned_and_private", lambda st: not stat.S_ISREG(st.st_mode))
        elif kind == "a link":
            elsewhere = tmp_path / "elsewhere.json"
            elsewhere.write_bytes(good)
            entry.unlink()
            entry.symlink_to(elsewhere)
        elif kind == "too large":
            m.setattr(cache_folder, "MAX_ENTRY_BYTES", len(good) - 1)
        load_ruleset_cached(RULESET)
        assert len(full_loads) == 2
    assert not entry.is_symlink() and entry.read_bytes() == good  # replaced by the user's own file
    assert entry.stat().st_mode & 0o077 == 0  # written private
    load_ruleset_cached(RULESET)  # and read
    assert len(full_loads) == 2


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "directory"])
def test_a_fifo_a_device_or_a_folder_as_the_entry_is_a_miss_without_waiting(
    where: Path, kind: str, full_loads: list[str], alarm: None
) -> None:
    load_ruleset_cached(RULESET)
    (entry,) = entries(where)
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "link to /dev/zero":
        entry.symlink_to("/dev/zero")
    else:
        entry.mkdir()
    assert cache_folder.read_entry(entry) is None
    load_ruleset_cached(RULESET)
    assert len(full_loads) == 2
    assert entry.is_dir() or (entry.is_file() and not entry.is_symlink())  # replaced where it can be


def test_writing_follows_no_planted_link(where: Path, tmp_path: Path) -> None:
    load_ruleset_cached(RULESET)
    (entry,) = entries(where)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data")
    entry.unlink()
    entry.symlink_to(victim)  # at the entry's own name
    for pid in range(os.getpid() - 2, os.getpid() + 3):  # and at the old, predictable partial names
        (where / f".{entry.name}.{pid}").symlink_to(victim)
    load_ruleset_cached(RULESET)
    assert victim.read_text() == "precious data"
    assert entry.is_file() and not entry.is_symlink()


def test_partial_files_are_of_random_names_and_stale_ones_are_removed(
    where: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = cache_folder.tempfile.mkstemp

    def watched(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)  # type: ignore[call-overload]
        made.append(name)
        return fd, name

    monkeypatch.setattr(cache_folder.tempfile, "mkstemp", watched)
    where.mkdir(mode=0o700)
    stale, fresh = where / ".entry-abcd1234.partial", where / ".entry-wxyz9876.partial"
    mine = [where / ".entry-notes", where / "abcd.partial", where / "notes.json"]
    for path in (stale, fresh, *mine):
        path.write_text("x")
    old = 10**9
    os.utime(stale, ns=(old, old))
    load_ruleset_cached(RULESET)
    (name,) = made
    assert cache_folder.PARTIAL_NAME.fullmatch(Path(name).name) and Path(name).parent == where
    assert not Path(name).exists() and not stale.exists()
    assert fresh.exists() and all(p.exists() for p in mine)


def test_eviction_removes_only_entries(where: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where.mkdir(mode=0o700)
    reports = [where / f"report-{i}.json" for i in range(40)]
    for i, report in enumerate(reports):
        report.write_text(json.dumps({"important": i}))
        os.utime(report, ns=(i, i))
    look_alike = where / ("0" * 40 + "-" + "0" * 16 + ".json")
    look_alike.mkdir()  # an entry's name, but a folder
    monkeypatch.setattr(cache_folder, "MAX_ENTRIES", 1)
    rules = tmp_path / "rules" / "puyang-2022-19"
    shutil.copytree(RULESET, rules)
    for i in range(3):
        (rules / "policy.yaml").write_bytes((rules / "policy.yaml").read_bytes() + f"\n# {i}\n".encode())
        load_ruleset_cached(rules)
    assert all(json.loads(r.read_text()) == {"important": i} for i, r in enumerate(reports))
    assert look_alike.is_dir()
    assert len([e for e in entries(where) if e.is_file()]) == 1


@pytest.mark.parametrize("failure", [RuntimeError("could not determine the home directory"), None])
def test_no_user_cache_folder_is_no_cache_and_every_command_works(
    monkeypatch: pytest.MonkeyPatch, failure: Exception | None, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(CACHE_ENV)
    if failure is None:
        monkeypatch.setitem(sys.modules, "platformdirs", None)  # not installed: importing it fails
    else:
        import platformdirs

        def fails(*args: object, **kwargs: object) -> str:
            raise failure

        monkeypatch.setattr(platformdirs, "user_cache_dir", fails)
    assert cache_dir() is None
    assert total_of_check(capsys) == "500000.00"
    assert main(["programmes"]) == 0 and capsys.readouterr().out


def test_with_no_home_a_command_works(tmp_path: Path) -> None:
    """As under `env -i` in cron or a container's arbitrary user: HOME and XDG unset."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "HOME", CACHE_ENV))}
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli", "check", str(APPLICATION)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "500,000.00" in done.stdout


@pytest.mark.parametrize("inside", ["the ruleset folder", "under the ruleset folder", "the rules folder"])
def test_a_cache_folder_inside_the_rule_files_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inside: str
) -> None:
    root = tmp_path / "rules"
    shutil.copytree(RULESET, root / "puyang-2022-19")
    folder = {
        "the ruleset folder": root / "puyang-2022-19",
        "under the ruleset folder": root / "puyang-2022-19" / "cache",
        "the rules folder": root,
    }[inside]
    monkeypatch.setenv(CACHE_ENV, str(folder))
    genuine = load_rulebook(RULES).rulesets[0].version
    for _ in range(2):
        assert load_rulebook(root, cached=True).rulesets[0].version == genuine
    assert not [p for p in root.rglob("*") if p.suffix == ".json" or p.name.startswith(".entry-")]


@pytest.mark.parametrize("value", sorted(OFF_VALUES) + ["OFF", "Off", " off ", "False", "NO"])
def test_the_spellings_of_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(CACHE_ENV, value)
    assert cache_dir() is None
    load_ruleset_cached(RULESET)
    assert list(tmp_path.iterdir()) == []


def test_the_key_takes_in_python_and_the_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    import pydantic
    import yaml

    releases = cache._library_releases()
    assert f"pydantic-{pydantic.VERSION}.dist-info" in releases
    assert f"-{yaml.__version__}.dist-info" in releases and "durable_rules-" in releases
    before = cache.code_digest()
    for change in ("version", "libraries"):
        with monkeypatch.context() as m:
            m.setattr(cache, "_code_digest", None)
            if change == "version":
                m.setattr(cache.sys, "version", sys.version + " (another build)")
            else:
                m.setattr(cache, "_library_releases", lambda: releases.replace("pydantic-", "pydantic-9"))
            assert cache.code_digest() not in (None, before)
    assert cache.code_digest() == before
