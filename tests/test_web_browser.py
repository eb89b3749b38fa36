"""The pages in a real browser: Debian's Chromium driven by Playwright, against a real
``subsidy serve`` on loopback with the sample users.

Skipped, with the reason, only where no browser can start (no Chromium, or it fails to
launch). A screenshot of each page is kept under ``artifacts/web/`` (git-ignored), or
``$SUBSIDY_ARTIFACTS``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers_web import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("SUBSIDY_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SHOTS = Path(os.environ.get("SUBSIDY_ARTIFACTS") or ROOT / "artifacts" / "web")
SELF_CHECK_NAME = "濮阳市浏览器自查科技有限公司"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(web_base: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("served")
    db = folder / "store.db"
    shutil.copyfile(web_base[0], db)
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "serve", "--db", str(db), "--port", str(port), "--sample-users"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    info = {"base": base, "log": folder / "server.log", "process": process}
    yield info
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: the browser tests need Debian's chromium package")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True, timeout=60_000)
        except Error as exc:
            pytest.skip(f"Chromium at {CHROMIUM} did not start: {str(exc).splitlines()[0]}")
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=server["base"])
    context.set_default_timeout(30_000)
    made = context.new_page()
    yield made
    context.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, name: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_an_enterprise_self_check_is_told_what_to_add(page: Any, server: dict[str, Any]) -> None:
    page.goto("/")
    shot(page, "01-home")
    page.goto("/check")
    page.get_by_label("申请人名称").fill(SELF_CHECK_NAME)
    page.get_by_label("统一社会信用代码").fill("91410902MA44P5T29U")
    page.locator("#submitted_on").fill("2024-03-15")
    page.get_by_label("专利号").fill("ZL202010123456.2")
    page.get_by_label("专利权人").fill(SELF_CHECK_NAME)
    page.get_by_label("申请日").fill("2020-05-06")
    page.get_by_label("授权日").fill("2022-11-01")
    page.get_by_label("专利有效").select_option("true")
    page.get_by_label("产业化开始日期").fill("2023-02-01")
    shot(page, "02-self-check-form")
    page.get_by_role("button", name="核验", exact=True).click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "待评审" in body and "您可以怎么做" in body and "产业化地点" in body
    shot(page, "03-self-check-result")
    # a mistyped patent number: the error in Chinese beside the field
    page.goto("/check")
    page.get_by_label("申请人名称").fill(SELF_CHECK_NAME)
    page.get_by_label("专利号").fill("ZL202010123456.7")
    page.get_by_role("button", name="核验", exact=True).click()
    page.wait_for_load_state()
    assert "校验位应为" in page.locator("#claims-1-patent-number-err").inner_text()
    shot(page, "04-self-check-field-error")
    # the programme switch swaps the claim's fields in place (htmx)
    page.get_by_label("奖补项目").select_option("patent-purchase-reward")
    page.get_by_label("技术交易额").wait_for()
    time.sleep(0.3)
    logged = server["log"].read_text(encoding="utf-8")
    assert SELF_CHECK_NAME not in logged and "ZL202010123456" not in logged


def test_a_reviewer_settles_a_case_from_the_queue(page: Any) -> None:
    sign_in(page, "reviewer", "reviewer-demo")
    assert "/desk/queue" in page.url
    shot(page, "05-reviewer-queue")
    page.get_by_role("link", name="PY-2024-0502/1").click()
    page.wait_for_load_state()
    shot(page, "06-decision-needs-review")
    page.get_by_label("理由").fill("已核实：交易双方无关联关系（营业执照、股权结构）")
    page.get_by_role("button", name="记录评审结论").click()
    page.wait_for_load_state()
    assert "已记录评审结论" in page.locator("main").inner_text()
    shot(page, "07-decision-settled")
    page.goto("/desk/report")
    assert page.locator("svg.chart").count() == 3
    shot(page, "08-report")
    page.goto("/desk/batch")
    shot(page, "09-batch")


def test_an_enterprise_cannot_open_another_enterprises_decision(page: Any) -> None:
    sign_in(page, "longfeng", "longfeng-demo")
    assert "PY-2024-0031" in page.locator("main").inner_text()
    shot(page, "10-enterprise-mine")
    response = page.goto("/decision?id=PY-2024-0502")
    assert response.status == 404 and "没有找到" in page.locator("main").inner_text()
    shot(page, "11-enterprise-refused")


def test_an_auditor_replays_a_decision_and_verifies_the_chain(page: Any) -> None:
    sign_in(page, "auditor", "auditor-demo")
    page.get_by_label("检索（申请号、信用代码、专利号或申请人名称）").fill("91410902MA44P5T29U")
    page.get_by_role("button", name="筛选", exact=True).click()
    page.wait_for_load_state()
    shot(page, "12-auditor-history")
    page.get_by_role("link", name="PY-2024-0031/1").click()
    page.wait_for_load_state()
    shot(page, "13-auditor-decision")
    page.get_by_role("button", name="重放此决定").click()
    page.wait_for_load_state()
    assert "结果一致" in page.locator("main").inner_text()
    shot(page, "14-auditor-replay")
    page.goto("/audit/verify")
    page.get_by_role("button", name="核验整条记录链").click()
    page.wait_for_load_state()
    head = page.locator("#chain-head").inner_text()
    assert len(head) == 64
    shot(page, "15-auditor-verify")


def test_the_english_switch(page: Any) -> None:
    page.goto("/check")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Self-check").is_visible()
    shot(page, "16-self-check-english")
    page.get_by_role("link", name="中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="政策自查").is_visible()


def test_an_enterprise_reads_its_decision_on_a_phone_without_scrolling_sideways(
    browser: Any, server: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=server["base"])
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        sign_in(page, "longfeng", "longfeng-demo")
        for path in ("/mine", "/decision?id=PY-2024-0031/1"):
            page.goto(path)
            page.wait_for_load_state()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        hash_box = page.locator("dl.meta code.hash").bounding_box()
        assert hash_box is not None and hash_box["x"] + hash_box["width"] <= 390  # the hash wraps, whole
        wide = page.locator(".scroll").first  # a wide table scrolls in its own box
        assert page.evaluate("e => e.scrollWidth >= e.clientWidth && e.clientWidth <= 390", wide.element_handle())
        shot(page, "15-decision-phone")
    finally:
        context.close()


def test_the_pages_run_under_their_content_security_policy(page: Any) -> None:
    """No inline script and no eval (the policy forbids both): htmx swaps a claim's fields and
    the print button prints from the site's own script, with no violation reported."""
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto("/check")
    page.get_by_label("奖补项目").select_option("patent-purchase-reward")
    page.get_by_label("技术交易额").wait_for()  # swapped in by htmx
    sign_in(page, "longfeng", "longfeng-demo")
    page.goto("/decision?id=PY-2024-0031/1")
    page.locator("button[data-print]").click()  # its handler runs within the click
    assert page.evaluate("window.__printed") == 1
    assert refused == []
