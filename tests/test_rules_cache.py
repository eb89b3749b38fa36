"""The rulebook cached as data by the content of its files (engine/rulebook/cache.py).

A cached ruleset holds exactly what the full load builds and decides every sample the same;
it is used only for files of the hash it was built from; a damaged, altered or foreign entry
is a miss and the full load runs; the cache lives in the user's cache folder (never in
rules/), can be turned off, and a folder that cannot be created or written changes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import platformdirs
import pytest
from helpers_store import RULES, SAMPLES

from engine import Rulebook, load_ruleset
from engine.errors import RuleFileError
from engine.rulebook import cache, cache_folder, loader
from engine.rulebook.cache import CACHE_ENV, cache_dir, load_ruleset_cached
from engine.rulebook.cache_codec import encode_ruleset, same_ruleset
from engine.services import check_file

RULESET = RULES / "puyang-2022-19"


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of the shipped ruleset folder, to change."""
    folder = tmp_path / "rules" / "puyang-2022-19"
    shutil.copytree(RULESET, folder)
    return folder


def no_full_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the full load ran")

    monkeypatch.setattr(loader, "load_ruleset_files", refuse)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def test_a_cached_ruleset_is_the_full_load_and_decides_every_sample_alike(
    where: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = load_ruleset(RULESET)
    written = load_ruleset_cached(RULESET)  # a miss: loaded in full, then written
    assert len(entries(where)) == 1
    no_full_load(monkeypatch)
    cached = load_ruleset_cached(RULESET)
    assert same_ruleset(cached, full) and same_ruleset(written, full)
    assert cached.version == full.version and cached.folder == RULESET
    with_cache, without = Rulebook((cached,)), Rulebook((full,))
    samples = sorted(SAMPLES.glob("*.yaml"))
    assert len(samples) > 40
    for sample in samples:
        try:
            one = check_file(sample, with_cache).json("zh")
        except Exception as exc:  # noqa: BLE001 - a refused sample must be refused alike
            with pytest.raises(type(exc)):
                check_file(sample, without)
            continue
        assert one == check_file(sample, without).json("zh"), sample.name
        assert check_file(sample, with_cache).json("en") == check_file(sample, without).json("en")


def test_a_changed_rule_file_is_a_miss_and_its_new_value_is_used(
    where: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = load_ruleset_cached(rules)
    text = (rules / "parameters.yaml").read_text(encoding="utf-8")
    assert text.count('"500000.00"') >= 1
    (rules / "parameters.yaml").write_text(text.replace('"500000.00"', '"500001.00"', 1), encoding="utf-8")
    after = load_ruleset_cached(rules)
    assert after.version != before.version
    assert same_ruleset(after, load_ruleset(rules))
    assert len(entries(where)) == 2
    assert encode_ruleset(after) != encode_ruleset(before)


@pytest.mark.parametrize(
    "damage",
    [
        "empty",
        "garbage",
        "truncated",
        "body changed, header kept",
        "another version's entry",
        "a name outside the vocabulary",
        "another engine's entry",
    ],
)
def test_a_damaged_or_foreign_entry_is_a_miss_and_is_rewritten(
    where: Path, rules: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    good = load_ruleset_cached(rules)
    (entry,) = entries(where)
    data = entry.read_bytes()
    head, _, body = data.partition(b"\n")
    header = json.loads(head)
    if damage == "empty":
        data = b""
    elif damage == "garbage":
        data = b"\x00\xff not json at all"
    elif damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "body changed, header kept":
        assert b'"500000.00"' in body
        data = head + b"\n" + body.replace(b'"500000.00"', b'"99999.00"', 1)
        assert data != entry.read_bytes()
    elif damage == "another version's entry":
        other = rules.parent / "other"
        shutil.copytree(rules, other)
        (other / "policy.yaml").write_bytes((other / "policy.yaml").read_bytes() + b"\n# another version\n")
        load_ruleset_cached(other)
        (foreign,) = [p for p in entries(where) if p != entry]
        data = foreign.read_bytes()
    elif damage == "a name outside the vocabulary":
        assert b'{"$dc":["Parameter",' in body
        body = body.replace(b'{"$dc":["Parameter",', b'{"$dc":["Popen",', 1)
        header["sha256"] = __import__("hashlib").sha256(body).hexdigest()  # a well-formed entry
        data = json.dumps(header).encode() + b"\n" + body
    elif damage == "another engine's entry":
        header["code"] = "0" * 64
        data = json.dumps(header).encode() + b"\n" + body
    entry.write_bytes(data)
    loaded = load_ruleset_cached(rules)
    assert same_ruleset(loaded, good) and loaded.version == good.version
    assert entry.read_bytes().partition(b"\n")[0] == head  # written again, whole
    no_full_load(monkeypatch)
    assert same_ruleset(load_ruleset_cached(rules), good)


def test_the_cache_lives_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == Path(platformdirs.user_cache_dir("subsidy-engine", appauthor=False))
    assert cache_dir() == tmp_path / "xdg" / "subsidy-engine"
    assert RULES not in cache_dir().parents  # type: ignore[union-attr]
    load_ruleset_cached(RULESET)
    assert len(entries(tmp_path / "xdg" / "subsidy-engine")) == 1
    assert not [p for p in RULESET.rglob("*") if p.suffix == ".json"]


def test_off_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() is None
    assert same_ruleset(load_ruleset_cached(RULESET), load_ruleset(RULESET))
    assert not (tmp_path / "xdg").exists()


def test_a_cache_folder_that_cannot_be_created_changes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    for _ in range(2):
        assert same_ruleset(load_ruleset_cached(RULESET), load_ruleset(RULESET))
    assert blocker.read_text() == "not a folder"


def test_a_read_only_cache_folder_is_read_and_never_written(
    where: Path, rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = load_ruleset_cached(rules)
    listing = entries(where)
    where.chmod(0o555)
    try:
        with monkeypatch.context() as m:
            read_only(m)
            no_full_load(m)
            assert same_ruleset(load_ruleset_cached(rules), good)  # read
        (rules / "policy.yaml").write_bytes((rules / "policy.yaml").read_bytes() + b"\n# changed\n")
        with monkeypatch.context() as m:
            read_only(m)
            changed = load_ruleset_cached(rules)  # a miss that cannot be written
        assert changed.version != good.version and same_ruleset(changed, load_ruleset(rules))
        assert entries(where) == listing and not list(where.glob(".*"))
    finally:
        where.chmod(0o755)


def read_only(m: pytest.MonkeyPatch) -> None:
    """Root writes whatever a folder's mode says: a read-only file system refuses as this does."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(30, "Read-only file system")

    m.setattr(cache_folder.os, "replace", refuse)
    m.setattr(cache_folder.tempfile, "mkstemp", refuse)
    m.setattr(cache_folder.Path, "mkdir", refuse)


def test_a_broken_folder_is_reported_as_by_the_full_load(where: Path, rules: Path) -> None:
    (rules / "parameters.yaml").write_text("parameters: [", encoding="utf-8")
    with pytest.raises(RuleFileError) as cached:
        load_ruleset_cached(rules)
    with pytest.raises(RuleFileError) as full:
        load_ruleset(rules)
    assert cached.value.problems == full.value.problems
    assert entries(where) == []
    with pytest.raises(RuleFileError):
        load_ruleset_cached(rules.parent / "absent")


def test_only_the_newest_entries_are_kept(where: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_folder, "MAX_ENTRIES", 2)
    versions = []
    for i in range(3):
        (rules / "policy.yaml").write_bytes((rules / "policy.yaml").read_bytes() + f"\n# {i}\n".encode())
        versions.append(load_ruleset_cached(rules).version.removeprefix("sha256:")[:40])
        (written,) = where.glob(f"{versions[-1]}-*.json")
        os.utime(written, ns=(i, i))  # written in this order, whatever the clock's resolution
    kept = [p.name.partition("-")[0] for p in entries(where)]
    assert sorted(kept) == sorted(versions[1:])


def test_an_engine_without_its_source_caches_nothing(
    where: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Which code wrote an entry is told by the engine's source; without it, no entry is trusted."""
    monkeypatch.setattr(cache, "_PACKAGE", tmp_path / "installed-without-source")
    monkeypatch.setattr(cache, "_code_digest", None)
    assert cache.code_digest() is None
    assert same_ruleset(load_ruleset_cached(RULESET), load_ruleset(RULESET))
    assert not where.exists()
