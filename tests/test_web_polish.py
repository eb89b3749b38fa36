"""What a new user found wrong in the pages, each kept right: the self-check says what it
cannot see, the form says what a date means and which dates the policy takes, a result goes
back to its form, errors are said in the user's language, batches show their outcomes."""

from __future__ import annotations

import re
import time
from decimal import Decimal

from helpers_web import APP_A, APP_B, CODE_A, INVENTOR_ID, SAMPLES, Web, csrf, rulebook, visible_text
from test_web_pages import SELF_CHECK

from engine.money import format_yuan

ELIGIBLE_P1 = SELF_CHECK | {"claims[1].industrialization.division": "410902"}


def test_a_self_check_says_earlier_awards_are_checked_at_review(web: Web) -> None:
    client = web.client()
    page = visible_text(client.post("/check", data=ELIGIBLE_P1 | {"csrf": csrf(client)}).text)
    once = page.index("该专利未曾获得本项奖励")
    assert "自查按此前未获奖励核验，不查询已有奖励记录，评审时核对" in page[once : once + 200]
    assert "预计合计奖励 500,000.00 元（自查按此前未获奖励核验" in page
    client.get("/lang/en?next=/check")
    page = visible_text(client.post("/check", data=ELIGIBLE_P1 | {"csrf": csrf(client)}).text)
    assert "Estimated total 500,000.00 yuan (a self-check is decided as if nothing had been awarded before" in page


def test_the_form_says_what_a_blank_grant_date_means_and_which_dates_are_taken(web: Web) -> None:
    client = web.client()
    form = client.get("/check").text
    window = "试点时限自2022年7月至2025年6月；受理提交日期为 2022-10-04 至 2025-06-30 的申报"
    assert window in visible_text(form) and window in visible_text(client.get("/").text)
    assert re.search(r'name="submitted_on" type="date" value=""', form)  # no default after the pilot ended
    help_of = {
        m.group(1): visible_text(m.group(2)) for m in re.finditer(r'<p class="help" id="([^"]+)-help">(.*?)</p>', form)
    }
    assert help_of["submitted_on"].split("“")[0].strip().endswith("序言")
    assert "三(二)2" not in help_of["submitted_on"].split("”")[0]
    section = client.get("/check/claim?n=1&program=local-industrialization-award").text
    granted = re.search(r'id="claims-1-patent-granted_on-help">(.*?)</p>', section)
    assert granted and "不填表示专利尚未授权" in granted.group(1)


def form_values(html: str) -> dict[str, str]:
    """The values a form page shows: each input's value, each select's chosen option."""
    shown = {m.group(1): m.group(2) for m in re.finditer(r'<input [^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)}
    for m in re.finditer(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', m.group(2))
        shown[m.group(1)] = chosen.group(1) if chosen else ""
    return shown


def test_edit_returns_to_the_form_with_every_value_kept(web: Web) -> None:
    client = web.client()
    result = client.post("/check", data=ELIGIBLE_P1 | {"csrf": csrf(client)}).text
    assert 'action="/check/edit"' in result and "修改申报" in result
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', result))
    shown = form_values(client.post("/check/edit", data=carried).text)
    assert {name: shown.get(name) for name in ELIGIBLE_P1} == ELIGIBLE_P1


PURCHASE = {
    "id": "SELF-CHECK",
    "submitted_on": "2024-03-15",
    "applicant.type": "enterprise",
    "applicant.name": "濮阳市一心一意科技有限公司",
    "applicant.credit_code": "91410902MA44P5T29U",
    "claims[1].program": "patent-purchase-reward",
    "claims[1].patent.number": "ZL202010123456.2",
    "claims[1].patent.kind": "invention",
    "claims[1].seller.type": "university",
    "claims[1].seller.name": "郑州大学",
    "claims[1].transaction_amount": "1200000.00",
}


def test_a_country_is_taken_by_its_name_and_a_wrong_one_is_explained(web: Web) -> None:
    client = web.client()
    named = client.post("/check", data=PURCHASE | {"claims[1].seller.country": "中国", "csrf": csrf(client)})
    assert named.status_code == 200 and "郑州大学（高等院校，中国）" in visible_text(named.text)
    wrong = client.post("/check", data=PURCHASE | {"claims[1].seller.country": "中华", "csrf": csrf(client)})
    assert wrong.status_code == 422
    said = re.search(r'id="claims-1-seller-country-err"[^>]*>(.*?)</p>', wrong.text)
    assert said and said.group(1).startswith("填写国家或地区的两位代码，如 CN（中国）")
    assert 'placeholder="CN"' in wrong.text


def test_an_uploaded_file_s_errors_name_the_field_in_words_at_the_top(web: Web) -> None:
    client = web.client()
    bad = (SAMPLES / "p1-eligible-hualong-district.yaml").read_text(encoding="utf-8")
    bad = re.sub(r"ZL(\d{12})\.(\w)", lambda m: f"ZL{m.group(1)}.{(int(m.group(2), 36) + 1) % 10}", bad, count=1)
    page = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": ("bad.yaml", bad.encode())}).text
    top = page.index('id="upload-problems"')
    assert top < page.index('<form method="post" action="/check"')
    assert "第1个申报项目 · 专利号：校验位应为" in visible_text(page[top:])
    readme = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": ("README.md", b"# x")}).text
    assert "README.md：不是申报文件" in visible_text(readme)
    assert "claims[1]" not in visible_text(page[top : page.index("</div>", top)])


def test_settle_errors_stay_beside_the_form_with_the_reason_kept(web: Web) -> None:
    client = web.client("reviewer")
    form = {"csrf": csrf(client, "/desk/queue"), "decision": f"{APP_B}/1", "outcome": "eligible"}
    refused = client.post(
        "/decision/settle", data=form | {"amount": "99999999.00", "reason": "关联关系已核实，金额有误"}
    )
    assert refused.status_code == 422
    page = refused.text
    at = page.index('id="settle-1"')
    assert "超过本决定现可给予的" in visible_text(page[at:]) and "元" in visible_text(page[at:])
    assert ">关联关系已核实，金额有误</textarea>" in page and 'value="99999999.00"' in page
    nothing = client.post("/decision/settle", data=form | {"outcome": "ineligible", "amount": "1.00", "reason": "x"})
    assert "结论为“不符合条件”时不予奖励" in visible_text(nothing.text)
    assert web.store.record(f"{APP_B}/1/settlement") is None


def test_role_and_missing_page_errors_are_said_in_the_user_s_language(web: Web) -> None:
    client = web.client("enterprise_a")
    page = visible_text(client.get("/desk/queue").text)
    assert "企业用户不能查看此页面或执行此操作" in page and "may not" not in page
    assert "没有您可以查看的记录" in visible_text(client.get(f"/decision?id={APP_B}").text)
    client.get("/lang/en?next=/")
    assert "An enterprise may not see this page" in visible_text(client.get("/desk/queue").text)
    api = web.api("auditor").post("/api/v1/screen", json={}).json()
    assert api["error"]["message"] == "an auditor may not do this"


def test_a_settled_decision_is_headed_by_its_settlement_with_the_record_hash(web: Web) -> None:
    client = web.client("reviewer")
    form = {"csrf": csrf(client, "/desk/queue"), "decision": f"{APP_B}/1", "outcome": "eligible", "reason": "已核实"}
    done = client.post("/decision/settle", data=form)
    assert done.status_code == 303
    settlement = web.store.record(f"{APP_B}/1/settlement")
    assert settlement is not None
    amount = format_yuan(Decimal(settlement.content["amount"]))
    page = client.get(done.headers["location"]).text
    heading = visible_text(page[page.index("<h2") : page.index("</h2>")])
    assert f"待评审 → 已评审： 符合条件 {amount} 元" in heading
    assert settlement.hash in page
    assert re.search(r"记录时间 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间）", visible_text(page))
    assert "+00:00" not in page


def test_the_auditor_opens_replay_from_the_menu_and_replays_a_filtered_set(web: Web) -> None:
    client = web.client("auditor")
    assert 'href="/audit/replay"' in client.get("/audit/history").text
    form = client.get("/audit/replay")
    assert form.status_code == 200 and 'name="ids"' in form.text and 'name="program"' in form.text
    token = csrf(client, "/audit/replay")
    replayed = client.post("/audit/replay", data={"csrf": token, "ids": "", "search": "龙丰"})
    page = visible_text(replayed.text)
    assert replayed.status_code == 200 and APP_A in page and "结果一致" in page
    assert APP_B not in page
    nothing = client.post("/audit/replay", data={"csrf": token, "ids": ""})
    assert nothing.status_code == 422 and "请填写要重放的申请编号或决定编号" in visible_text(nothing.text)


def test_history_finds_an_applicant_by_part_of_its_name(web: Web) -> None:
    page = visible_text(web.client("auditor").get("/audit/history?search=龙丰").text)
    assert APP_A in page and APP_B not in page and "申请人名称" in page
    mine = visible_text(web.client("enterprise_b").get("/mine").text)
    assert APP_B in mine
    theirs = web.api("enterprise_b").get("/api/v1/decisions", params={"search": "龙丰"}).json()
    assert APP_A not in str(theirs)


def test_replay_shows_yes_and_no_as_words(web: Web) -> None:
    client = web.client("auditor")
    page = client.post("/audit/replay", data={"csrf": csrf(client, "/audit/replay"), "ids": APP_A}).text
    table = visible_text(page[page.index("<table") :])
    assert "✔" not in table and "✘" not in table and (" 否 " in table or " 是 " in table)


def test_a_batch_lists_each_file_as_uploaded_with_its_outcome_and_the_store_names_the_upload(web: Web) -> None:
    client = web.client("reviewer")
    eligible = (SAMPLES / "purchase-two-deals.yaml").read_text(encoding="utf-8").replace("PY-2024-0031", "WEB-0031")
    eligible = eligible.replace("91410902MA44P5T29U", "91410902MA0DTQ4M3Y")  # an enterprise with its cap unused
    broken = eligible.replace("WEB-0031", "WEB-0032").replace("1200000.00", "12,00000.00")
    files = [
        ("files", ("两项购买.yaml", eligible.encode("utf-8"))),
        ("files", ("broken.yaml", broken.encode("utf-8"))),
        ("files", ("notes.txt", b"x")),
    ]
    started = client.post("/desk/batch", data={"csrf": csrf(client, "/desk/batch")}, files=files)
    for _ in range(1200):  # a bounded wait for the background batch (a busy machine is slow), not a timing
        fragment = client.get(started.headers["location"], headers={"HX-Request": "true"}).text
        if "完成" in fragment:
            break
        time.sleep(0.1)
    rows = {
        visible_text(m.group(1)): visible_text(m.group(0))
        for m in re.finditer(r'<tr class="\w+"><td class="name">(.*?)</td>.*?</tr>', fragment, re.S)
    }
    assert set(rows) == {"两项购买.yaml", "broken.yaml", "notes.txt"}
    record = web.store.record("WEB-0031")
    assert record is not None and record.content["source"] == "upload:两项购买.yaml"
    words = {"eligible": "符合条件", "ineligible": "不符合条件", "needs_review": "待评审"}
    shown = [
        words[d["outcome"]] + (f" {format_yuan(Decimal(d['amount']))} 元" if d.get("amount") else "")
        for d in record.content["result"]["decisions"]
    ]
    assert rows["两项购买.yaml"].endswith("WEB-0031 已记录 " + " ".join(shown))
    assert "符合条件 120,000.00 元 符合条件 80,000.00 元" in rows["两项购买.yaml"]
    assert "无效" in rows["broken.yaml"] and "第1个申报项目 · " in rows["broken.yaml"]
    assert "0000-" not in fragment and "/tmp" not in fragment and "subsidy-batch" not in fragment


def test_english_pages_have_no_full_width_punctuation_of_their_own(web: Web) -> None:
    client = web.client("reviewer")
    client.get("/lang/en?next=/")
    for path in ("/", "/check", "/desk/queue", "/audit/history", f"/decision?id={APP_B}/1"):
        html = client.get(path).text
        html = re.sub(r"“[^”]*”", "", html)  # the plan's own words stay as written
        own = re.sub(r"<(datalist|select|option|blockquote|dd|td)[^>]*>.*?</\1>", "", html, flags=re.S)
        shown = visible_text(own)
        assert not re.search(r"[：（）；]", shown.replace("中文", "")), (
            path,
            re.findall(r".{20}[：（）；].{20}", shown),
        )
    report = visible_text(client.get("/desk/report").text)
    assert re.search(r"\d+ applications · ", report) and re.search(r"Held for review [\d,.]+ yuan", report)


def test_the_report_charts_wrap_long_english_labels_instead_of_cutting_them(web: Web) -> None:
    client = web.client("auditor")
    client.get("/lang/en?next=/")
    page = "".join(re.findall(r"<svg.*?</svg>", client.get("/desk/report").text, re.S))
    ruleset = rulebook().rulesets[0]
    names = {p.label.en for p in ruleset.programs.values()} | {d.name_en for d in ruleset.divisions.jurisdiction}
    drawn = [
        " ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", label))
        for label in re.findall(r'<text [^>]*text-anchor="end">(.*?)</text>', page)
    ]
    long = [label for label in drawn if label in names and len(label) > 24]
    assert long, drawn  # the names the page used to cut at 24 characters, drawn whole (on two lines)
    assert all(label in names or re.fullmatch(r"\d{4}-\d\d", label) for label in drawn), drawn


def test_rates_in_percent_amounts_with_their_unit_and_a_favicon(web: Web) -> None:
    client = web.client("reviewer")
    page = client.get(f"/decision?id={APP_A}").text
    arithmetic = visible_text(page[page.index('class="arith"') : page.index("</table>", page.index('class="arith"'))])
    assert "10%" in arithmetic and "0.10" not in arithmetic
    assert re.search(r"[\d,]+\.\d\d 元", arithmetic)
    icon = client.get("/favicon.ico")
    assert (
        icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml") and b"<svg" in icon.content
    )
    assert 'rel="icon"' in page


def test_a_result_carries_no_resident_id_number_back_to_the_form(web: Web) -> None:
    client = web.client()
    person = SELF_CHECK | {
        "applicant.type": "individual",
        "applicant.name": "赵自查",
        "applicant.credit_code": "",
        "applicant.id_number": INVENTOR_ID,
    }
    result = client.post("/check", data=person | {"csrf": csrf(client)}).text
    assert 'action="/check/edit"' in result and INVENTOR_ID not in result


def test_adding_claims_needs_no_script_on_the_page(web: Web) -> None:
    """htmx runs with eval and script tags off; the add button comes back out of band with the
    next claim's number, and no button once the last claim allowed is on the page."""
    client = web.client()
    page = client.get("/check").text
    assert '"allowEval": false' in page and "hx-on" not in page
    assert 'hx-get="/check/claim?n=2&amp;add=1"' in page
    added = client.get("/check/claim?n=2&add=1").text
    assert 'name="claims[2].program"' in added
    assert 'id="add-claim"' in added and 'hx-swap-oob="true"' in added
    assert 'hx-get="/check/claim?n=3&amp;add=1"' in added
    from engine.web.forms import MAX_CLAIMS

    last = client.get(f"/check/claim?n={MAX_CLAIMS}&add=1").text
    assert '<span id="add-claim" hx-swap-oob="true"></span>' in last
    changed = client.get("/check/claim?n=1&program=patent-purchase-reward").text  # a programme changed
    assert "add-claim" not in changed


def test_a_signed_in_enterprise_s_self_check_opens_with_its_own_name_and_credit_code(web: Web) -> None:
    own = form_values(web.client("enterprise_a").get("/check").text)
    assert own["applicant.credit_code"] == CODE_A and own["applicant.name"] == "濮阳市龙丰新材料有限公司"
    assert own["applicant.type"] == "enterprise"
    for role in (None, "reviewer"):
        shown = form_values(web.client(role).get("/check").text)
        assert shown["applicant.credit_code"] == "" and shown["applicant.name"] == ""
    mine = visible_text(web.client("enterprise_a").get("/mine").text)
    assert f"濮阳市龙丰新材料有限公司 · 统一社会信用代码 {CODE_A}" in mine
