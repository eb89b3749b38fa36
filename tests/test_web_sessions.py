"""Signing in and out of the pages, attacked: the login limit across spellings of a name and
forged client addresses, sessions that end on the server, and ID numbers a page must not echo."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from helpers_web import APP_A, ROOT, USERS, Web, csrf, rulebook
from test_web_pages import SELF_CHECK

from engine import open_store
from engine.services import add_user
from engine.web import create_app

REV_NAME, REV_PASSWORD, _ = USERS["reviewer"]  # "rev"
SPELLINGS = ("ｒev", "REV", "Ｒｅｖ", " rev", "ｒｅｖ")  # full-width, upper case, both, a space: one account
BAD_ID = "410902196905177254"  # a resident ID number whose check character is wrong


def _login(client: TestClient, name: str, password: str) -> int:
    response = client.post("/login", data={"csrf": csrf(client, "/login"), "username": name, "password": password})
    return response.status_code


def _signed_in(client: TestClient) -> bool:
    return client.get("/desk/queue").status_code == 200


def test_every_spelling_of_a_name_counts_against_one_lockout(web: Web) -> None:
    client = web.client()
    assert [_login(client, name, "bad-one") for name in SPELLINGS] == [401] * 5
    for name in (REV_NAME, *SPELLINGS):  # locked: the right password is refused in every spelling
        assert _login(client, name, REV_PASSWORD) == 429, name
    assert not _signed_in(client)


def test_any_spelling_of_a_name_signs_in_to_the_one_account(web: Web) -> None:
    client = web.client()
    assert _login(client, "ＲＥＶ", REV_PASSWORD) == 303
    assert _signed_in(client) and "rev" in client.get("/").text


def _cookie(client: TestClient) -> str:
    value = client.cookies.get("subsidy_session")
    assert value
    return value


def _with_cookie(web: Web, cookie: str) -> TestClient:
    client = TestClient(web.app, raise_server_exceptions=False, follow_redirects=False)
    client.cookies.set("subsidy_session", cookie)
    return client


def test_a_cookie_kept_from_before_signing_out_is_refused(web: Web) -> None:
    client = web.client("reviewer")
    kept = _cookie(client)
    assert _signed_in(_with_cookie(web, kept))  # a copy works while the session lasts
    assert client.post("/logout", data={"csrf": csrf(client)}).status_code == 303
    replayed = _with_cookie(web, kept).get("/desk/queue")
    assert replayed.status_code == 303 and replayed.headers["location"].startswith("/login")
    again = web.client("reviewer")  # signing in again makes a new session, which works
    assert _signed_in(again) and not _signed_in(_with_cookie(web, kept))


def test_a_new_password_ends_the_sessions_made_with_the_old_one(web: Web) -> None:
    client = web.client("reviewer")
    add_user(web.store, REV_NAME, "reviewer", "a-new-password")
    assert not _signed_in(client)
    assert _login(client, REV_NAME, "a-new-password") == 303 and _signed_in(client)


def test_signing_out_on_one_server_ends_the_session_on_another(web: Web) -> None:
    """Two servers (each its own application and connection) on one store, as behind a balancer."""
    other_store = open_store(web.path)
    try:
        other = create_app(other_store, rulebook(), secret="test-secret")
        here = web.client("reviewer")
        there = TestClient(other, raise_server_exceptions=False, follow_redirects=False)
        there.cookies.set("subsidy_session", _cookie(here))
        assert there.get("/desk/queue").status_code == 200
        assert there.post("/logout", data={"csrf": csrf(there)}).status_code == 303
        assert not _signed_in(here)
    finally:
        other_store.close()


def test_a_refused_id_number_comes_back_empty_with_its_error(web: Web) -> None:
    client = web.client()
    response = client.post("/check", data=SELF_CHECK | {"applicant.id_number": BAD_ID, "csrf": csrf(client)})
    assert response.status_code == 422
    html = response.text
    assert BAD_ID not in html
    field = html.index('name="applicant.id_number"')
    assert 'value=""' in html[field : field + 200]
    assert 'id="applicant-id_number-err"' in html  # the error stays beside the emptied field
    assert 'value="濮阳市一心一意科技有限公司"' in html  # the other answers are kept


def test_the_language_switch_carries_no_form_values(web: Web) -> None:
    client = web.client("reviewer")
    page = client.get(f"/check?applicant.id_number={BAD_ID[:-1]}3&applicant.name=x").text
    assert BAD_ID[:-1] not in page and 'href="/lang/en?next=/check"' in page
    decision = client.get(f"/decision?id={APP_A}/1&applicant.id_number=410902196905177253").text
    assert "410902196905177253" not in decision
    assert f'/lang/en?next=/decision%3Fid%3D{APP_A}/1"' in decision  # which page it is, kept
    queue = client.get("/desk/queue?program=patent-purchase-reward&note=secret").text
    assert "next=/desk/queue%3Fprogram%3Dpatent-purchase-reward" in queue and "secret" not in queue


# ------------------------------------------------------------------ a real server, addresses forged


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, web_base: tuple[Path, dict[str, str]], request: pytest.FixtureRequest) -> Iterator[str]:
    """``subsidy serve`` on loopback with the sample users and the options the test gives."""
    db = tmp_path / "store.db"
    shutil.copyfile(web_base[0], db)
    port = _free_port()
    command = [sys.executable, "-m", "engine.cli", "serve", "--db", str(db), "--port", str(port), "--sample-users"]
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(command + list(request.param), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _tries_from_forged_addresses(base: str) -> list[int]:
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        statuses = []
        for n in range(6):
            token = csrf(client, "/login")  # type: ignore[arg-type]
            sent = {"csrf": token, "username": "reviewer", "password": "wrong-password"}
            statuses.append(client.post("/login", data=sent, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code)
        return statuses


@pytest.mark.parametrize("served", [()], indirect=True)
def test_a_forged_forwarded_for_is_ignored_by_default(served: str) -> None:
    assert _tries_from_forged_addresses(served) == [401] * 5 + [429]


@pytest.mark.parametrize("served", [("--forwarded-allow-ips", "127.0.0.1")], indirect=True)
def test_a_named_proxy_is_believed(served: str) -> None:
    assert _tries_from_forged_addresses(served) == [401] * 6  # each address its own count, as the proxy says
