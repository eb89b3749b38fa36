"""Users of the web pages and the API, kept in the store: `subsidy users`, passwords, tokens;
and the history service the pages and the API search with."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers_web import APP_A, CODE_A, ROOT

from engine import UsageError, open_store
from engine.services import (
    add_user,
    authenticate,
    end_sessions,
    history,
    issue_token,
    replay,
    session_key,
    user_for_session,
    user_for_token,
)


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Users through the store protocol: SQLite, PostgreSQL and the in-memory backend."""
    if request.param == "memory":
        from memory_store import MemoryStore

        made = MemoryStore()
    elif request.param == "postgresql":
        made = open_store(request.getfixturevalue("pg_url"), create=True)
    else:
        made = open_store(tmp_path / "s.db", create=True)
    yield made
    made.close()


def test_a_password_is_kept_only_as_its_argon2_hash(store) -> None:  # type: ignore[no-untyped-def]
    user = add_user(store, "rev", "reviewer", "a-long-password")
    assert user.password_hash.startswith("$argon2id$") and "a-long-password" not in user.password_hash
    assert authenticate(store, "rev", "a-long-password") == user
    assert authenticate(store, "rev", "wrong-password") is None
    assert authenticate(store, "nobody", "a-long-password") is None


def test_a_name_has_one_spelling_full_width_or_upper_case(store) -> None:  # type: ignore[no-untyped-def]
    add_user(store, "Ｒｅｖ", "reviewer", "a-long-password")
    assert [u.name for u in store.users()] == ["rev"]
    for spelling in ("rev", "REV", "ｒeｖ", " Rev "):
        assert authenticate(store, spelling, "a-long-password") is not None, spelling


def test_sessions_end_on_sign_out_and_on_a_new_password(store) -> None:  # type: ignore[no-untyped-def]
    user = add_user(store, "rev", "reviewer", "a-long-password")
    key = session_key(store, user)
    assert user_for_session(store, "rev", key) == store.user("rev")
    issue_token(store, "rev")  # a token for a system leaves the pages signed in
    assert user_for_session(store, "rev", key) is not None
    end_sessions(store, "rev")
    assert user_for_session(store, "rev", key) is None
    key = session_key(store, store.user("rev"))
    add_user(store, "rev", "reviewer", "another-password")
    assert user_for_session(store, "rev", key) is None
    assert user_for_session(store, "nobody", key) is None and user_for_session(store, "rev", "") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "code", "said"),
    [
        ("a b", "reviewer", "password1", None, "no spaces"),
        ("x", "boss", "password1", None, "a role is one of"),
        ("x", "reviewer", "short", None, "8 to 256"),
        ("x", "enterprise", "password1", None, "bound to one credit code"),
        ("x", "enterprise", "password1", "91410902MA44P5T29W", "credit code"),
        ("x", "auditor", "password1", CODE_A, "bound to no credit code"),
    ],
)
def test_bad_users_are_refused(store, name, role, password, code, said) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=said):
        add_user(store, name, role, password, code)
    assert store.users() == []


def test_a_token_is_shown_once_and_replaced(store) -> None:  # type: ignore[no-untyped-def]
    add_user(store, "ent", "enterprise", "password1", "91410902 ma44p5t29u")
    first = issue_token(store, "ent")
    assert user_for_token(store, first).credit_code == CODE_A
    second = issue_token(store, "ent")
    assert user_for_token(store, first) is None and user_for_token(store, second).name == "ent"
    assert first not in str(store.users())
    with pytest.raises(UsageError):
        issue_token(store, "nobody")


def test_subsidy_users_add_token_and_list(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    run = [sys.executable, "-m", "engine.cli", "users"]
    added = subprocess.run(
        [*run, "add", "--db", db, "ent", "--role", "enterprise", "--credit-code", CODE_A, "--password-stdin"],
        input="password-1\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert added.returncode == 0 and added.stdout == f"user ent: enterprise, bound to {CODE_A}\n"
    token = subprocess.run([*run, "token", "--db", db, "ent"], capture_output=True, text=True, cwd=ROOT)
    assert token.stdout.startswith("sbt_")
    listed = subprocess.run([*run, "list", "--db", db], capture_output=True, text=True, cwd=ROOT)
    assert listed.stdout == f"ent\tenterprise {CODE_A} (API token)\n"
    bad = subprocess.run(
        [*run, "add", "--db", db, "x", "--role", "reviewer", "--password-stdin"],
        input="short\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_history_finds_by_any_identifier_and_holds_to_a_credit_code(web) -> None:  # type: ignore[no-untyped-def]
    store = web.store
    by_id = history(store, search=f"{APP_A}/2")
    assert {d.row.application for d in by_id.decisions} == {APP_A}
    by_code = history(store, search=CODE_A.lower())
    assert {d.row.credit_code for d in by_code.decisions} == {CODE_A}
    patent = by_code.decisions[0].row.patent
    assert patent and {d.row.patent for d in history(store, search=patent).decisions} == {patent}
    assert history(store, search=APP_A, credit_code="91410928MA5M71JF0Y").decisions == []
    page = history(store, limit=5)
    assert len(page.decisions) == 5 and page.more
    with pytest.raises(UsageError):
        history(store, outcome="maybe")


def test_replay_in_detail_lists_every_field_compared(web) -> None:  # type: ignore[no-untyped-def]
    (done,) = replay(web.store, [APP_A], workers=0, detail=True)
    assert done.reproduced and done.differences == []
    compared = {c.path: c for c in done.compared}
    assert compared["decisions[1].amount"].recorded == compared["decisions[1].amount"].now == "80000.00"
    (plain,) = replay(web.store, [APP_A], workers=0)
    assert plain.compared == []


def test_users_list_on_a_store_with_no_users_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    db = tmp_path / "none.db"
    open_store(db, create=True).close()
    assert main(["users", "list", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("no users: add one with")
