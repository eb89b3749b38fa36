"""The one reader: every command reads a file the same way and says the same about it.

``check`` and ``screen`` (and the Python API, and uploads) go through ``engine.reading``; so a
broken file gets one message whoever reads it, claims are numbered from 1 everywhere, folders
are walked the same way, and a file in a folder that is not an application is reported as
skipped, never silently ignored.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers_store import SAMPLES

from engine import load_rulebook
from engine.cli import main
from engine.errors import ApplicationError
from engine.reading import (
    Source,
    iter_applications,
    iter_sources,
    iter_upload,
    read_application,
    read_record,
    read_upload,
)
from tests.helpers_store import credit_code, enterprise_app, p2_claim, patent_number

BAD = Path(__file__).resolve().parent / "bad_inputs"
RULEBOOK = load_rulebook()


def app(app_id: str, submitted: str = "2024-03-01", serial: int = 1) -> dict[str, Any]:
    code = credit_code(300 + serial)
    name = f"濮阳市读取{serial}号有限公司"
    return enterprise_app(app_id, submitted, name, code, [p2_claim(patent_number(2020, serial), name, "100000.00")])


def run(capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------ the same error, whoever reads


def _bad_files() -> list[Path]:
    return sorted(p for p in BAD.iterdir() if p.is_file() and not p.name.startswith("ok-"))


@pytest.mark.parametrize("path", _bad_files(), ids=lambda p: p.name)
def test_check_and_screen_report_a_bad_file_alike(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err_check = run(capsys, "check", path, "--lang", "en")
    assert code == 2 and out == ""
    assert err_check.startswith("error: ")
    code, out, err_screen = run(capsys, "screen", path, "--db", tmp_path / "s.db", "--quiet")
    assert code == 2 and out == ""
    assert err_screen.startswith(err_check), f"check said:\n{err_check}\nscreen said:\n{err_screen}"
    assert err_screen[len(err_check) :] == "screened: 0 recorded, 0 already recorded, 1 invalid\n"


def test_claims_are_numbered_from_1_in_every_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = app("NUM-1")
    data["claims"].append(dict(data["claims"][0], transaction_amount="-1.00"))
    data["claims"][1]["patent"] = dict(data["claims"][1]["patent"], number=patent_number(2020, 2))
    files = {
        "a.yaml": yaml.safe_dump(data, allow_unicode=True),
        "a.json": json.dumps(data, ensure_ascii=False, indent=2),
        "a.jsonl": json.dumps(data, ensure_ascii=False) + "\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ApplicationError) as info:
            read_application(path, RULEBOOK)
        [problem] = info.value.problems
        assert problem.path == "claims[2].transaction_amount", name
        assert problem.message == "money cannot be negative, got -1.00"
    # a syntax error, too, is located with claims counted from 1
    broken = tmp_path / "broken.json"
    broken.write_text(files["a.json"].replace('"deal": "assignment",', '"deal": "assignment"', 2), encoding="utf-8")
    with pytest.raises(ApplicationError) as info:
        read_application(broken, RULEBOOK)
    assert info.value.problems[0].path.startswith("claims[1]")


# ------------------------------------------------------------------------ folders


def test_folders_read_every_application_suffix_in_any_case_and_report_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    (folder / "deep" / "deeper").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / ".git" / "config.yaml").write_text("not: read", encoding="utf-8")
    (folder / "A.YAML").write_text(yaml.safe_dump(app("CASE-1", serial=1), allow_unicode=True), encoding="utf-8")
    (folder / "b.Yml").write_text(yaml.safe_dump(app("CASE-2", serial=2), allow_unicode=True), encoding="utf-8")
    (folder / "deep" / "c.JSON").write_text(json.dumps(app("CASE-3", serial=3)), encoding="utf-8")
    (folder / "deep" / "deeper" / "d.JsonL").write_text(
        json.dumps(app("CASE-4", serial=4)) + "\n" + json.dumps(app("CASE-5", serial=5)) + "\n", encoding="utf-8"
    )
    (folder / "README.md").write_text("# notes", encoding="utf-8")
    (folder / "deep" / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".DS_Store").write_bytes(b"\0\0")

    records = list(iter_applications([folder], RULEBOOK))
    read = [r.application.id for r in records if r.application is not None]
    assert read == ["CASE-1", "CASE-2", "CASE-3", "CASE-4", "CASE-5"]
    skipped = {Path(r.source).relative_to(folder).as_posix(): r.skipped for r in records if r.skipped}
    assert skipped == {
        ".git": "a hidden folder, not read",
        ".DS_Store": "a hidden file, not read",
        "README.md": "not an application file (only .yaml, .yml, .json and .jsonl files are read)",
        "deep/scan.pdf": "not an application file (only .yaml, .yml, .json and .jsonl files are read)",
    }
    assert all(r.error is None for r in records)

    code, out, err = run(capsys, "screen", folder, "--db", tmp_path / "s.db", "--format", "jsonl", "--quiet")
    assert code == 0, err
    assert [json.loads(line)["application"] for line in out.splitlines()] == read
    for name in (".git", ".DS_Store", "README.md", "deep/scan.pdf"):
        assert f"{folder / name}: skipped: " in err
    assert err.endswith("screened: 5 recorded, 0 already recorded, 0 invalid, 4 other files skipped\n")


def test_a_file_named_outright_must_be_an_application_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "application.txt"
    path.write_text(yaml.safe_dump(app("TXT-1")), encoding="utf-8")
    want = (
        f"error: {path}: not an application file: the name must end in .yaml, .yml, .json or .jsonl\n\n"
        "  hint: name the file after what it holds: YAML, JSON, or JSON Lines (one application per line)\n"
    )
    assert run(capsys, "check", path) == (2, "", want)
    code, _, err = run(capsys, "screen", path, "--db", tmp_path / "s.db")
    assert code == 2 and err.startswith(want)
    assert run(capsys, "check", tmp_path / "missing.yaml")[2] == f"error: {tmp_path / 'missing.yaml'}: no such file\n"
    assert run(capsys, "check", tmp_path)[2] == f"error: {tmp_path}: is a folder, not an application file\n"


def test_a_path_that_does_not_exist_is_missing_before_its_name_is_judged(tmp_path: Path, capsys: Any) -> None:
    """A mistyped folder is "no such file or folder", with the closest name beside it, not a
    file to rename; and a screen whose every input is missing makes no store."""
    (tmp_path / "applications").mkdir()
    typo, db = tmp_path / "applicaitons", tmp_path / "new.db"
    want = f"error: {typo}: no such file or folder\n\n  hint: did you mean '{tmp_path / 'applications'}'?\n"
    assert run(capsys, "check", typo) == (2, "", want)
    assert run(capsys, "check", tmp_path / "nope")[2] == f"error: {tmp_path / 'nope'}: no such file or folder\n"
    code, out, err = run(capsys, "screen", typo, tmp_path / "nope.yaml", "--db", db)
    assert (code, out) == (2, "")
    assert (
        err
        == want
        + f"error: {tmp_path / 'nope.yaml'}: no such file\nscreened: 0 recorded, 0 already recorded, 2 invalid\n"
    )
    assert not db.exists()
    code, out, err = run(capsys, "verify", "--db", db)
    assert code == 2 and "no such store" in err
    shutil.copy(SAMPLES / "p1-utility-model-patent.yaml", tmp_path / "applications")
    code, out, err = run(capsys, "screen", typo, tmp_path / "applications", "--db", db)  # one there: the store is made
    assert code == 2 and err.endswith("screened: 1 recorded, 0 already recorded, 1 invalid\n") and db.exists()


def test_a_missing_file_with_an_application_s_name_gets_the_closest_name_too(tmp_path: Path, capsys: Any) -> None:
    shutil.copy(SAMPLES / "p1-utility-model-patent.yaml", tmp_path / "a.yaml")
    hint = f"\n\n  hint: did you mean '{tmp_path / 'a.yaml'}'?\n"
    assert run(capsys, "check", tmp_path / "aa.yaml") == (2, "", f"error: {tmp_path / 'aa.yaml'}: no such file{hint}")


def test_a_dangling_link_is_named_as_one_and_makes_no_store(tmp_path: Path, capsys: Any) -> None:
    link, db = tmp_path / "gone.yaml", tmp_path / "new.db"
    link.symlink_to(tmp_path / "nowhere.yaml")
    code, out, err = run(capsys, "screen", link, "--db", db)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {link}: a link to a file that does not exist\n")
    assert not db.exists()


# ------------------------------------------------------------------- JSON Lines


def test_jsonl_entries_carry_byte_offsets_that_read_the_record_again(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [json.dumps(app(f"OFF-{i}", serial=i), ensure_ascii=False) for i in range(1, 4)]
    path.write_bytes(("\ufeff" + lines[0] + "\r\n\n   \n" + lines[1] + "\n" + lines[2]).encode("utf-8"))

    entries = list(iter_sources([path], keep_text=False))
    assert [(e.source.line, e.key) for e in entries] == [
        (1, ("2024-03-01", "OFF-1")),
        (4, ("2024-03-01", "OFF-2")),
        (5, ("2024-03-01", "OFF-3")),
    ]
    data = path.read_bytes()
    for entry, line in zip(entries, lines, strict=True):
        assert entry.text is None
        source = entry.source
        assert source.size is not None
        assert data[source.offset : source.offset + source.size].decode("utf-8") == line
        assert read_record(source, RULEBOOK).id == json.loads(line)["id"]
    assert str(entries[1].source) == f"{path}:4"


def test_a_jsonl_with_a_byte_order_mark_is_read_like_a_yaml_with_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = app("BOM-1")
    (tmp_path / "a.yaml").write_bytes(b"\xef\xbb\xbf" + yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    (tmp_path / "a.jsonl").write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode("utf-8") + b"\n")
    (tmp_path / "a.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode("utf-8"))
    outs = []
    for name in ("a.yaml", "a.jsonl", "a.json"):
        code, out, err = run(capsys, "check", tmp_path / name, "--format", "json")
        assert code == 0, err
        outs.append(json.loads(out))
    assert outs[0] == outs[1] == outs[2]
    assert outs[0]["decisions"][0]["outcome"] == "eligible"


def test_check_reads_a_jsonl_only_when_it_holds_one_application(tmp_path: Path) -> None:
    many = tmp_path / "many.jsonl"
    many.write_text(json.dumps(app("M-1")) + "\n" + json.dumps(app("M-2", serial=2)) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n", encoding="utf-8")
    for path, words in ((many, "holds more than one application"), (empty, "holds no application")):
        with pytest.raises(ApplicationError) as info:
            read_application(path, RULEBOOK)
        assert info.value.problems[0].message.startswith(words)


# ------------------------------------------------------------------------ uploads


def test_an_upload_is_read_like_the_file_it_came_from(tmp_path: Path) -> None:
    data = app("UP-1")
    text = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    path = tmp_path / "up.yaml"
    path.write_bytes(text)
    assert read_upload(text, "up.yaml", RULEBOOK) == read_application(path, RULEBOOK)
    assert read_upload(json.dumps(data).encode(), "UP.JSON", RULEBOOK).id == "UP-1"

    bad = text.replace(b"100000.00", b"1500000,00")
    path.write_bytes(bad)
    with pytest.raises(ApplicationError) as from_upload:
        read_upload(bad, str(path), RULEBOOK)
    with pytest.raises(ApplicationError) as from_disk:
        read_application(path, RULEBOOK)
    assert str(from_upload.value) == str(from_disk.value)

    batch = (json.dumps(app("UP-2", serial=2)) + "\n" + '{"format": 1,\n').encode()
    records = list(iter_upload(batch, "batch.jsonl", RULEBOOK))
    assert [r.source for r in records] == ["batch.jsonl:1", "batch.jsonl:2"]
    assert records[0].application is not None and records[0].application.id == "UP-2"
    assert records[1].error is not None and "malformed JSON" in str(records[1].error)

    with pytest.raises(ApplicationError, match="not an application file"):
        read_upload(text, "scan.pdf", RULEBOOK)


def test_the_source_of_a_record_reads_as_file_or_file_and_line() -> None:
    assert str(Source("a.yaml")) == "a.yaml"
    assert str(Source("b.jsonl", 7, 120, 80)) == "b.jsonl:7"


def test_a_folder_that_cannot_be_read_is_reported_not_skipped_in_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.yaml").write_text(yaml.safe_dump(app("LOCK-1"), allow_unicode=True), encoding="utf-8")
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if str(path).endswith("locked"):  # as for a folder without read permission (root reads anything)
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    records = list(iter_applications([folder], RULEBOOK))
    assert [r.application.id for r in records if r.application] == ["LOCK-1"]
    [bad] = [r for r in records if r.error]
    assert str(bad.error) == f"{folder / 'locked'}: a folder that cannot be read: Permission denied"


# ------------------------------------------------------------ files that are not files


def test_a_named_pipe_is_refused_unread_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(app("PIPE-1"), allow_unicode=True), encoding="utf-8")
    for name in ("fifo.yaml", "fifo.jsonl", "fifo.json"):
        os.mkfifo(folder / name)  # no writer: opening it to read would wait for ever
    refused = "not a regular file (a named pipe), not read"
    hint = "  hint: an application is a file saved on disk: copy it into a file and name that\n"
    fifo = folder / "fifo.yaml"
    assert run(capsys, "check", fifo) == (2, "", f"error: {fifo}: {refused}\n\n{hint}")

    code, out, err = run(capsys, "screen", folder, "--db", tmp_path / "s.db", "--format", "jsonl", "--quiet")
    assert code == 2
    assert [json.loads(line)["application"] for line in out.splitlines()] == ["PIPE-1"]
    for name in ("fifo.json", "fifo.jsonl", "fifo.yaml"):
        assert f"error: {folder / name}: {refused}\n" in err
    assert err.endswith("screened: 1 recorded, 0 already recorded, 3 invalid\n")


def test_a_device_is_refused_unread(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(ApplicationError) as info:
        read_application(link, RULEBOOK)
    assert str(info.value).startswith(f"{link}: not a regular file (a device), not read\n")


def test_a_link_to_a_folder_is_reported_as_skipped_never_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.yaml").write_text(yaml.safe_dump(app("LINK-1"), allow_unicode=True), encoding="utf-8")
    (folder / "sub" / "loop").symlink_to("..")
    (folder / "up").symlink_to(tmp_path)
    records = list(iter_applications([folder], RULEBOOK))
    assert [r.application.id for r in records if r.application] == ["LINK-1"]
    not_followed = "a link to a folder, not followed (name the folder itself to read it)"
    skipped = {Path(r.source).relative_to(folder).as_posix(): r.skipped for r in records if r.skipped}
    assert skipped == {"sub/loop": not_followed, "up": not_followed}
    code, _, err = run(capsys, "screen", folder, "--db", tmp_path / "s.db", "--quiet")
    assert code == 0, err
    assert f"{folder / 'up'}: skipped: {not_followed}\n" in err
    assert err.endswith("screened: 1 recorded, 0 already recorded, 0 invalid, 2 other files skipped\n")
