"""Text that no output can encode, and invisible characters in what the API and the command
line are given: each is refused, naming where it stood written out (``\\udc00``, ``\\xff``,
``\\u202e``); never an internal error, never a record.

* the HTTP API quotes field paths and messages with their control and invisible characters
  written out: a lone surrogate in a field name is a 422, not a 500;
* a command-line argument of bytes that are not UTF-8 (Python reads them as lone surrogates)
  is a usage error naming the argument, exit 2, before anything is done;
* a user name holds no control or invisible character.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers_store import SAMPLES, run
from helpers_web import APP_A, APP_B, Web

P2 = SAMPLES / "p2-eligible-individual-seller.yaml"


def _body(key: str) -> str:
    """The application P2 as JSON, its applicant's ``name`` key spelt ``key`` (JSON escapes)."""
    return json.dumps(yaml.safe_load(P2.read_text(encoding="utf-8")), default=str).replace('"name"', f'"{key}"', 1)


@pytest.mark.parametrize(
    ("key", "written"),
    [("\\udc00", "\\udc00"), ("na\\ud83dme", "na\\ud83dme"), ("na\\u202eme", "na\\u202eme")],
    ids=["lone-low-half", "lone-high-half", "right-to-left-override"],
)
def test_a_field_name_no_output_can_hold_is_refused_by_the_api_naming_it(web: Web, key: str, written: str) -> None:
    checked = web.api().post("/api/v1/check", content=_body(key).encode())
    assert checked.status_code == 422, checked.text
    error = checked.json()["error"]
    assert error["field"] == f"applicant.{written}" and error["problems"][0]["field"] == f"applicant.{written}"
    assert "\u202e" not in checked.text
    screened = web.api("reviewer").post("/api/v1/screen", content=(_body(key) + "\n").encode())
    assert screened.status_code == 200, screened.text
    found = screened.json()
    assert found["summary"]["invalid"] == 1 and found["summary"]["recorded"] == 0
    assert found["results"][0]["problems"][0]["field"] == f"applicant.{written}"


def test_an_id_no_output_can_hold_is_refused_by_replay_and_settle_naming_it(web: Web) -> None:
    body = b'{"ids": ["PY-\\ud800", "' + APP_A.encode() + b'"]}'
    response = web.api("auditor").post("/api/v1/replay", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == "ids[0]" and "PY-\\ud800" in error["message"]
    body = b'{"decision": "PY-\\udc00/1", "outcome": "eligible", "reason": "ok"}'
    json_type = {"content-type": "application/json"}
    settled = web.api("reviewer").post("/api/v1/settlements", content=body, headers=json_type)
    assert settled.status_code == 422, settled.text
    assert settled.json()["error"]["field"] in ("decision", "body.decision")  # the model's own check may come first


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "s.db"
    assert run(capsys, "screen", SAMPLES / "review-p2-related-party-not-declared.yaml", "--db", path, "--quiet")[0] == 0
    return path


BYTES = "\udcff"  # the byte FF of a command line, as Python reads it
SETTLE = ("settle", f"{APP_B}/1", "--outcome", "eligible")
HALF = "\ud800"  # the bytes ED A0 80 (a surrogate's encoding, which UTF-8 forbids), as Python reads them


def _usage(argument: str, given: str) -> tuple[int, str, str]:
    return (
        2,
        "",
        f"error: argument {argument}: '{given}' is not UTF-8 text; give it in UTF-8 "
        "(a byte of another encoding, or a broken character, was given)\n",
    )


@pytest.mark.parametrize(
    ("argv", "argument", "given"),
    [
        (("show", BYTES), "ID", "\\xff"),
        (("show", f"PY-{HALF}"), "ID", "PY-\\ud800"),
        (("replay", BYTES), "DECISION_ID", "\\xff"),
        (("queue", "--reason", BYTES), "--reason", "\\xff"),
        (("queue", "--program", f"p{BYTES}"), "--program", "p\\xff"),
        ((*SETTLE, "--reason", f"ok{BYTES}", "--reviewer", "王审"), "--reason", "ok\\xff"),
        ((*SETTLE, "--reason", "核实", "--reviewer", f"王{HALF}"), "--reviewer", "王\\ud800"),
        (("users", "add", f"rev{BYTES}", "--role", "reviewer", "--password-stdin"), "NAME", "rev\\xff"),
    ],
    ids=["show", "show-half", "replay", "queue-reason", "queue-program", "settle-reason", "settle-reviewer", "users"],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error_naming_it(
    capsys: pytest.CaptureFixture[str], db: Path, argv: tuple[str, ...], argument: str, given: str
) -> None:
    assert run(capsys, *argv, "--db", db) == _usage(argument, given)
    code, out, _ = run(capsys, "show", f"{APP_B}/1", "--format", "json", "--db", db)
    assert (code, json.loads(out)["settlements"]) == (0, [])  # nothing recorded


def test_a_file_named_with_bytes_that_are_not_utf8_is_still_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    named = tmp_path / f"n{BYTES}.yaml"
    assert run(capsys, "check", named) == (2, "", f"error: {tmp_path}/n\\udcff.yaml: no such file\n")


def test_a_settlement_reason_holds_no_half_of_a_surrogate_pair(db: Path) -> None:
    from engine.errors import UsageError
    from engine.services import settle
    from engine.store import open_store

    store = open_store(str(db))
    try:
        with pytest.raises(UsageError, match="holds the half of a surrogate pair U\\+DCFF"):
            settle(store, f"{APP_B}/1", "eligible", f"ok{BYTES}", "王审")
    finally:
        store.close()


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("rev\u202eiew", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("rev\u200biew", "U+200B (ZERO WIDTH SPACE)"),
        ("rev\ufe0fiew", "U+FE0F (VARIATION SELECTOR-16)"),
        ("rev\x1b[2Jiew", "U+001B"),
    ],
    ids=["RLO", "ZWSP", "VS16", "ESC"],
)
def test_a_user_name_holds_no_control_or_invisible_character(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, said: str
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("longpassword123\n"))
    argv = ("users", "add", name, "--role", "reviewer", "--password-stdin", "--db", tmp_path / "u.db")
    assert run(capsys, *argv) == (
        2,
        "",
        f"error: a user name may hold no control or invisible character; it holds {said}\n\n"
        "  hint: type the name again: unseen, such a character makes it another name than it shows\n",
    )
    code, out, _ = run(capsys, "users", "list", "--db", tmp_path / "u.db")
    assert code == 0 and "rev" not in out


def test_a_file_named_with_bytes_that_are_not_utf8_is_screened_and_its_name_recorded_written_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    named = tmp_path / f"n{BYTES}.yaml"
    named.write_bytes(P2.read_bytes())
    code, _, err = run(capsys, "screen", named, "--db", tmp_path / "s.db", "--quiet")
    assert code == 0, err
    application = yaml.safe_load(P2.read_text(encoding="utf-8"))["id"]
    code, out, _ = run(capsys, "show", application, "--format", "json", "--db", tmp_path / "s.db")
    assert code == 0 and json.loads(out)["content"]["source"] == f"{tmp_path}/n\\udcff.yaml"


def test_a_yaml_escape_of_half_a_surrogate_pair_gets_a_hint_about_escapes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('format: 1\nid: "PY-\\ud800"\n', encoding="utf-8")
    assert run(capsys, "check", path) == (
        2,
        "",
        f"error: {path}:2 id: malformed YAML: while parsing a quoted scalar, found invalid Unicode character "
        "escape code\n\n  hint: write the character itself, or an escape YAML knows: one beyond U+FFFF as "
        "\\U0001F600, never as two \\u halves\n",
    )
