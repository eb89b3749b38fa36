"""The pages, driven as a person would through the test client: the self-check, the
reviewer's desk, the auditor's view, the enterprise's own page, security."""

from __future__ import annotations

import logging
import re
import time

from helpers_web import APP_A, APP_B, CODE_A, INVENTOR_APP, INVENTOR_ID, SAMPLES, Web, csrf, visible_text

import engine

NAME_A = "濮阳市龙丰新材料有限公司"
SELF_CHECK = {
    "id": "SELF-CHECK",
    "submitted_on": "2024-03-15",
    "applicant.type": "enterprise",
    "applicant.name": "濮阳市一心一意科技有限公司",
    "applicant.credit_code": "91410902MA44P5T29U",
    "applicant.infringement_record": "false",
    "claims[1].program": "local-industrialization-award",
    "claims[1].patent.number": "ZL202010123456.2",
    "claims[1].patent.kind": "invention",
    "claims[1].patent.holder": "濮阳市一心一意科技有限公司",
    "claims[1].patent.filed_on": "2020-05-06",
    "claims[1].patent.granted_on": "2022-11-01",
    "claims[1].patent.in_force": "true",
    "claims[1].patent.abnormal": "false",
    "claims[1].industrialization.started_on": "2023-02-01",
}


def test_a_self_check_names_the_missing_fact_and_what_to_do(web: Web) -> None:
    client = web.client()
    response = client.post("/check", data=SELF_CHECK | {"csrf": csrf(client)})
    assert response.status_code == 200
    page = visible_text(response.text)
    assert "待评审" in page
    assert "您可以怎么做" in page
    assert "缺少信息" in page and "产业化地点" in page
    assert "claims[1]" not in page  # the fact in words; the field path only in the JSON
    assert "“在我市辖区内实施产业化”" in response.text or "在我市辖区内实施产业化" in page
    assert "{" not in page  # no raw JSON on screen


def test_a_self_check_shows_the_smallest_change_that_would_make_the_claim_eligible(web: Web) -> None:
    client = web.client()
    outside = SELF_CHECK | {"claims[1].industrialization.division": "410102"}  # Zhengzhou
    page = visible_text(client.post("/check", data=outside | {"csrf": csrf(client)}).text)
    assert "不予奖励" in page or "不符合条件" in page
    assert "最小改动（可使本项符合条件）" in page
    assert "现为 410102 郑州市中原区" in page and "如 410902 华龙区" in page
    client.get("/lang/en?next=/check")
    page = visible_text(client.post("/check", data=outside | {"csrf": csrf(client)}).text)
    assert "Smallest change (the claim would be eligible)" in page
    assert "now 410102 Zhongyuan District" in page
    eligible = SELF_CHECK | {"claims[1].industrialization.division": "410902"}
    page = visible_text(client.post("/check", data=eligible | {"csrf": csrf(client)}).text)
    assert "Smallest change" not in page


def test_a_self_check_stores_nothing_and_logs_nothing(web: Web, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    head, count = web.store.head(), web.store.count()
    before = web.path.read_bytes()
    client = web.client()
    client.post("/check", data=SELF_CHECK | {"csrf": csrf(client)})
    upload = (SAMPLES / "p3-strategic-emerging-industry.yaml").read_text(encoding="utf-8").replace("张伟", "赵自查")
    upload = upload.replace("PY-2024-0301", "SELF-UPLOAD").encode("utf-8")
    shown = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": ("mine.yaml", upload)})
    assert shown.status_code == 200 and INVENTOR_ID not in shown.text and "410902********4305" in shown.text
    assert (web.store.head(), web.store.count()) == (head, count)
    web.store.close()
    for suffix in ("", "-wal"):
        stored = web.path.with_name(web.path.name + suffix)
        if stored.exists():
            data = stored.read_bytes()
            for secret in ("濮阳市一心一意科技有限公司", "赵自查", "SELF-UPLOAD"):
                assert secret.encode("utf-8") not in data
    assert web.path.read_bytes() == before
    for secret in ("一心一意", "ZL202010123456.2", "赵自查", "SELF-UPLOAD", INVENTOR_ID):
        assert secret not in caplog.text
    assert "一心一意" not in str(client.cookies)


def test_field_errors_are_in_chinese_next_to_the_field(web: Web) -> None:
    client = web.client()
    wrong = SELF_CHECK | {"claims[1].patent.number": "ZL202010123456.7", "csrf": csrf(client)}
    response = client.post("/check", data=wrong)
    assert response.status_code == 422
    html = response.text
    field = html.index('name="claims[1].patent.number"')
    error = html.index("校验位应为", field)
    assert error - field < 600  # the message sits beside its field
    assert 'id="claims-1-patent-number-err"' in html


def test_the_english_switch_on_every_page(web: Web) -> None:
    client = web.client("reviewer")
    for page in ("/", "/check", "/desk/queue", "/desk/report", "/audit/history", f"/decision?id={APP_A}"):
        assert "/lang/en?next=" in client.get(page).text, page
    client.get("/lang/en?next=/check")
    page = visible_text(client.get("/check").text)
    assert "Self-check" in page and "Nothing you type here is stored" in page
    assert client.get("/lang/zh?next=https://elsewhere.example/").headers["location"] == "/"


def test_a_reviewer_settles_from_the_queue_as_subsidy_settle_does(web: Web) -> None:
    client = web.client("reviewer")
    queue = client.get("/desk/queue?program=patent-purchase-reward")
    assert f"{APP_B}/1" in queue.text and "非关联交易" in queue.text  # the open criterion by its label
    assert f"{APP_B}/1" in client.get("/desk/queue?reason=not-related-party").text
    assert f"{APP_B}/1" not in client.get("/desk/queue?reason=significant-benefit").text
    decision = client.get(f"/decision?id={APP_B}/1")
    assert 'action="/decision/settle"' in decision.text
    form = {
        "csrf": csrf(client, "/desk/queue"),
        "decision": f"{APP_B}/1",
        "outcome": "eligible",
        "amount": "",
        "reason": "关联关系已核实",
    }
    done = client.post("/decision/settle", data=form)
    assert done.status_code == 303
    record = web.store.record(f"{APP_B}/1/settlement")
    assert record is not None and record.content["reviewer"] == "rev" and record.content["amount"]
    assert f"{APP_B}/1" not in client.get("/desk/queue").text
    assert "已记录评审结论" in client.get(done.headers["location"]).text


def test_a_batch_upload_screens_with_progress(web: Web) -> None:
    client = web.client("reviewer")
    data = (SAMPLES / "p1-site-outside-puyang.yaml").read_text(encoding="utf-8").replace("PY-", "WEB-")
    files = [("files", ("a.yaml", data.encode("utf-8"))), ("files", ("notes.txt", b"x"))]
    started = client.post("/desk/batch", data={"csrf": csrf(client, "/desk/batch")}, files=files)
    assert started.status_code == 303
    for _ in range(1200):  # a bounded wait for the background batch (a busy machine is slow), not a timing
        fragment = client.get(started.headers["location"], headers={"HX-Request": "true"}).text
        if "完成" in fragment:
            break
        time.sleep(0.1)
    assert "已记录 1 份" in fragment and "hx-trigger" not in fragment


def test_the_report_has_charts_and_a_csv_for_excel(web: Web) -> None:
    client = web.client("auditor")
    page = client.get("/desk/report").text
    assert page.count("<svg") == 3
    csv = client.get("/desk/report.csv")
    assert csv.content.startswith("\ufeff".encode()) and b"\r\n" in csv.content
    assert csv.headers["content-type"].startswith("text/csv")
    assert NAME_A in csv.content.decode("utf-8-sig")


def test_the_auditor_searches_replays_and_verifies(web: Web) -> None:
    client = web.client("auditor")
    for search in (APP_A, CODE_A, "ZL202310397744.0"):
        found = client.get(f"/audit/history?search={search}")
        assert found.status_code == 200
    assert f"{APP_A}/1" in client.get(f"/audit/history?search={CODE_A}").text
    token = csrf(client, "/audit/history")
    replayed = client.post("/audit/replay", data={"csrf": token, "ids": APP_A})
    page = visible_text(replayed.text)
    assert "结果一致" in page and "结论 符合条件 符合条件" in page and "今日重算" in page
    assert "[]" not in page and "False" not in page and "None" not in page  # no raw values on screen
    verified = client.post("/audit/verify", data={"csrf": token})
    assert web.store.head()[1] in verified.text and "完整" in verified.text


def test_the_verify_form_refuses_a_prefix_of_the_head(web: Web) -> None:
    """A short head is a mistake in the form, told by the field; the record is not 'altered'."""
    client = web.client("auditor")
    token = csrf(client, "/audit/verify")
    head = web.store.head()[1]
    short = client.post("/audit/verify", data={"csrf": token, "expect_head": head[:8]})
    page = visible_text(short.text)
    assert short.status_code == 422 and "64 位十六进制数字" in page and "填写了 8 位" in page
    assert "被改动" not in page and head[:8] in short.text  # the value typed stays in the field
    whole = client.post("/audit/verify", data={"csrf": token, "expect_head": head})
    assert whole.status_code == 200 and "完整" in visible_text(whole.text)


def test_an_enterprise_sees_only_its_own(web: Web) -> None:
    client = web.client("enterprise_a")
    mine = client.get("/mine").text
    assert APP_A in mine and APP_B not in mine
    assert client.get(f"/decision?id={APP_B}").status_code == 404
    assert client.get(f"/decision?id={APP_A}").status_code == 200


def test_id_numbers_are_masked_on_every_page(web: Web) -> None:
    client = web.client("auditor")
    for page in (f"/decision?id={INVENTOR_APP}", f"/audit/history?search={INVENTOR_APP}", "/desk/report"):
        assert INVENTOR_ID not in client.get(page).text, page
    assert "410902********4305" in client.get(f"/decision?id={INVENTOR_APP}").text


def test_logins_are_rate_limited(web: Web) -> None:
    client = web.client()
    for _ in range(5):
        assert (
            client.post(
                "/login", data={"csrf": csrf(client, "/login"), "username": "rev", "password": "bad-one"}
            ).status_code
            == 401
        )
    token = csrf(client, "/login")
    locked = client.post("/login", data={"csrf": token, "username": "rev", "password": "reviewer-pass"})
    assert locked.status_code == 429 and "Retry-After" in locked.headers
    other = web.client("auditor")  # another name is not locked out
    assert "aud" in other.get("/").text


def test_the_session_cookie_is_signed_httponly_and_samesite(web: Web) -> None:
    client = web.client()
    response = client.get("/check")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    client.cookies.set("subsidy_session", "forged")
    assert "/login" in client.get("/desk/queue").headers.get("location", "")


def test_signing_in_returns_to_the_page_asked_for(web: Web) -> None:
    client = web.client()
    asked = client.get(f"/decision?id={APP_A}/1")
    assert asked.status_code == 303 and asked.headers["location"] == f"/login?next=/decision%3Fid%3D{APP_A}/1"
    login = client.get(asked.headers["location"]).text
    assert f'value="/decision?id={APP_A}/1"' in login
    done = client.post(
        "/login",
        data={"csrf": csrf(client), "username": "aud", "password": "auditor-pass", "next": f"/decision?id={APP_A}/1"},
    )
    assert done.headers["location"] == f"/decision?id={APP_A}/1"


def test_an_eligible_inventor_grant_of_nothing_is_refused_on_the_settle_form(web: Web) -> None:
    """The form says what a blank fund or housing field means (none of it); both blank is refused
    beside the form in Chinese, as `subsidy settle` and the API refuse it, and nothing is recorded."""
    client = web.client("reviewer")
    decision = "PY-2024-0503/1"  # review-p3-high-value-not-stated.yaml
    page = visible_text(client.get(f"/decision?id={decision}").text)
    assert "科研经费（元/年，不填即不给予）" in page and "住房面积（平方米，不填即不给予）" in page
    assert "结论为“符合条件”时，科研经费和住房面积至少填写一项。" in page
    form = {"csrf": csrf(client), "decision": decision, "outcome": "eligible", "amount": "", "housing_m2": ""}
    refused = client.post("/decision/settle", data=form | {"reason": "效益显著"})
    assert refused.status_code == 422
    assert "符合条件的发明人奖励须写明给予的内容：每年科研经费（元/年）、住房面积（平方米），或两者都填" in refused.text
    assert web.store.record(f"{decision}/settlement") is None
    api = web.api("reviewer").post(
        "/api/v1/settlements", json={"decision": decision, "outcome": "eligible", "reason": "效益显著"}
    )
    assert api.status_code == 422 and api.json()["error"]["message"].startswith(
        "an eligible inventor grant names what it grants"
    )
    assert web.store.record(f"{decision}/settlement") is None


def test_a_self_check_that_only_the_panel_can_take_further_is_not_told_it_awaits_review(web: Web) -> None:
    """Nothing is filed by a self-check: its best outcome is the panel's review once submitted."""
    client = web.client()
    upload = (SAMPLES / "review-p3-pledge-financing-only.yaml").read_bytes()
    shown = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": ("mine.yaml", upload)})
    page = visible_text(shown.text)
    assert "最小改动：无——可达到的最好结果是由评审小组评审：提交申报后，本项即按现状交评审小组评审" in page
    assert "已在待评审" not in page
    client.get("/lang/en?next=/check")
    shown = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": ("mine.yaml", upload)})
    page = visible_text(shown.text)
    assert "submit the application and it goes to the panel as it is" in page and "awaits now" not in page


def test_the_queue_separates_the_open_criteria_as_the_cli_queue_does(web: Web) -> None:
    """Two open criteria of one claim are joined with 、 (with "; " in English), not run together;
    in English the recorded Chinese summary says whose words it is."""
    client = web.client("reviewer")
    row = "PY-2024-0501/1"  # two criteria open: the site and the industrialization by the submission date
    page = visible_text(client.get("/desk/queue").text)
    assert "产业化地点在濮阳市辖区内、提交日已实施产业化" in page, page
    client.get("/lang/en?next=/desk/queue")
    page = visible_text(client.get("/desk/queue").text)
    assert row in page
    assert re.search(r"[a-z]; [A-Z]", page[page.index(row) :]), page
    assert "as the applicant was told: 待评审：" in page


def test_the_report_page_splits_the_claims_awaiting_review_into_settled_and_open(web: Web) -> None:
    """As `subsidy report` does: a settled claim still counts under 待评审 (its recorded outcome),
    and the header says how many of those have a settlement and how many are still open."""
    client = web.client("reviewer")
    form = {"csrf": csrf(client, "/desk/queue"), "decision": f"{APP_B}/1", "outcome": "ineligible", "reason": "关联"}
    assert client.post("/decision/settle", data=form).status_code == 303
    data = engine.report(web.store)
    waiting, still = data.outcomes["needs_review"], len(data.awaiting_review)
    assert (data.settlements, still) == (1, waiting - 1)
    page = visible_text(client.get("/desk/report").text)
    assert f"待评审 {waiting}（已有评审结论 1 项，尚待评审 {still} 项）" in page, page
    client.get("/lang/en?next=/desk/report")
    page = visible_text(client.get("/desk/report").text)
    assert f"({data.settlements} settled, {still} still awaiting review)" in page, page
