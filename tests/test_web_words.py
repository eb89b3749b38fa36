"""An application's errors on the Chinese pages: said in Chinese with their useful part (the
right check character, the place meant, which date is before which), worded by the code the
reader gives each problem where it finds it; an uploaded file's errors keep their line and the
did-you-mean the command line gives."""

from __future__ import annotations

import html
import re
import time

from helpers_web import SAMPLES, Web, csrf, visible_text
from test_web_pages import SELF_CHECK
from test_web_polish import PURCHASE

from engine import load_rulebook
from engine.errors import ApplicationError, Problem, quoted
from engine.reading import read_upload
from engine.web.problem_words import APPLICATION_WORDS, problem_line, problem_words


def _error_of(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-err"[^>]*>(.*?)</p>', html, flags=re.S)
    assert found, f"no error beside {field}"
    return visible_text(found.group(1))


def test_a_self_check_form_says_the_useful_part_of_each_error_in_chinese(web: Web) -> None:
    client = web.client()
    wrong = SELF_CHECK | {
        "applicant.credit_code": "91410902MA44P5T29X",
        "applicant.division": "华龙",
        "claims[1].patent.granted_on": "2019-01-01",
        "csrf": csrf(client),
    }
    page = client.post("/check", data=wrong)
    assert page.status_code == 422
    assert _error_of(page.text, "applicant-credit_code").startswith("校验位应为 U，填写的是 X")
    assert _error_of(page.text, "applicant-division") == "没有名为“华龙”的行政区划。您是否要填写“华龙区”？"
    assert _error_of(page.text, "claims-1-patent-granted_on") == "2019-01-01 早于申请日（2020-05-06）。"
    amount = client.post("/check", data=PURCHASE | {"claims[1].transaction_amount": "50万", "csrf": csrf(client)})
    said = _error_of(amount.text, "claims-1-transaction_amount")
    assert said == "金额以元为单位，不用“万”“亿”：“50万”；如 25万 应写作 250000.00。"
    for text in (page.text, amount.text):
        errors = " ".join(re.findall(r'class="error"[^>]*>(.*?)</p>', text, flags=re.S))
        assert not re.search(r"[a-z]{3,} [a-z]{3,}", errors), errors  # no English sentence left


def test_the_english_form_keeps_the_engine_s_words_but_names_fields_in_words(web: Web) -> None:
    client = web.client()
    client.get("/lang/en?next=/check")
    page = client.post("/check", data=SELF_CHECK | {"claims[1].patent.granted_on": "2019-01-01", "csrf": csrf(client)})
    assert _error_of(page.text, "claims-1-patent-granted_on") == "2019-01-01 is before the filing date (2020-05-06)."


def _typos() -> bytes:
    text = (SAMPLES / "p2-eligible-university-assignment.yaml").read_text(encoding="utf-8")
    text = text.replace("type: university", "type: universty").replace("related_party:", "related_praty:")
    return text.replace("PY-2023-0201", "WEB-TYPO").encode()


def test_the_reader_gives_each_problem_a_code_and_the_cli_s_words_stay_the_same() -> None:
    try:
        read_upload(_typos(), "t1.yaml", load_rulebook())
    except ApplicationError as exc:
        problems = exc.problems
    assert [(p.line, p.code, dict(p.params).get("suggestion")) for p in problems] == [
        (21, "one_of", "university"),
        (23, "unknown_field", "related_party"),
    ]
    assert str(problems[1]) == "t1.yaml:23 claims[1].related_praty: unknown field 'related_praty'\n\n" + (
        "  hint: did you mean 'related_party'?"
    )
    assert all(p.code in APPLICATION_WORDS for p in problems)


def test_an_uploaded_file_s_errors_keep_their_line_and_did_you_mean(web: Web) -> None:
    client = web.client()
    page = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": ("t1.yaml", _typos())}).text
    shown = visible_text(page)
    assert (
        "第21行 · 第1个申报项目 · 卖方类型：须为以下之一：university（高等院校）、research_institute（科研机构）、"
        "individual（个人）、enterprise（企业）；填写的是 “universty”。您是否要填写“university”？"
    ) in shown
    assert "第23行 · 第1个申报项目 · related_praty：没有“related_praty”这一项（字段名写错或多余）。" in shown
    assert "您是否要填写“related_party”？" in shown
    client.get("/lang/en?next=/check")
    page = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": ("t1.yaml", _typos())}).text
    shown = html.unescape(visible_text(page))
    assert "line 23 · Claim 1 · related_praty: unknown field 'related_praty'; did you mean 'related_party'?" in shown


def test_a_batch_lists_an_invalid_file_s_errors_with_line_and_hint_and_links_what_was_recorded(web: Web) -> None:
    client = web.client("reviewer")
    recorded = (SAMPLES / "purchase-two-deals.yaml").read_bytes()
    files = [("files", ("t1.yaml", _typos())), ("files", ("again.yaml", recorded))]
    started = client.post("/desk/batch", data={"csrf": csrf(client, "/desk/batch")}, files=files)
    for _ in range(1200):  # a bounded wait for the background batch, not a timing
        fragment = client.get(started.headers["location"], headers={"HX-Request": "true"}).text
        if "完成" in fragment:
            break
        time.sleep(0.1)
    shown = visible_text(fragment)
    assert "第21行 · 第1个申报项目 · 卖方类型：须为以下之一" in shown and "您是否要填写“university”？" in shown
    assert "第23行 · 第1个申报项目 · related_praty：没有“related_praty”这一项" in shown
    assert '<a href="/decision?id=PY-2024-0031">PY-2024-0031</a>' in fragment  # already recorded: linked


def _upload_problems(data: bytes, name: str) -> list[str]:
    try:
        read_upload(data, name, load_rulebook())
    except ApplicationError as exc:
        return [problem_line(p, "zh", name) for p in exc.problems]
    raise AssertionError("read")


def test_a_whole_file_s_problem_is_said_in_chinese_without_a_command_to_run() -> None:
    said = {
        "empty.yaml": _upload_problems(b"", "empty.yaml"),
        "u16.yaml": _upload_problems("id: x".encode("utf-16"), "u16.yaml"),
        "gbk.yaml": _upload_problems("申请".encode("gbk"), "gbk.yaml"),
        "two.jsonl": _upload_problems(b'{"id":"a"}\n{"id":"b"}\n', "two.jsonl"),
        "none.jsonl": _upload_problems(b"", "none.jsonl"),
        "syntax.yaml": _upload_problems(b"id: [x\n", "syntax.yaml"),
        "syntax.json": _upload_problems(b'{"id": "x",\n}', "syntax.json"),
    }
    assert said["empty.yaml"] == ["第1行 · empty.yaml：文件是空的：请上传填写好的申报文件。"]
    assert said["u16.yaml"] == ["u16.yaml：文件以 UTF-16 编码保存：请另存为 UTF-8 编码后重新上传。"]
    assert said["gbk.yaml"][0].startswith("gbk.yaml：文件不是 UTF-8 编码（第 1 个字节为 0xc9）")
    assert said["two.jsonl"] == ["two.jsonl：文件中有不止一份申报，自查一次核验一份：请逐份上传。"]
    assert said["none.jsonl"] == ["none.jsonl：文件中没有申报。"]
    assert said["syntax.yaml"][0].startswith("第2行 · ") and "文件格式有误，无法读取" in said["syntax.yaml"][0]
    assert "JSON 格式有误" in said["syntax.json"][0]
    shown = "".join(line for lines in said.values() for line in lines)
    assert "subsidy" not in shown and "此项" not in shown and "hint" not in shown


def test_a_number_no_decimal_holds_is_said_in_chinese() -> None:
    line = b'{"format": 1e-99999999999999999999, "id": "PY-1"}'
    assert _upload_problems(line, "e.jsonl") == [
        "第1行 · 文件格式版本（format）：数字的指数超出可读范围：“1e-99999999999999999999”；"
        "请用数字完整写出，如 1500000.00。"
    ]


def test_an_application_s_own_fields_are_named_in_words_and_a_batch_line_once() -> None:
    shown = _upload_problems(b"id: PY-2024-1\nsubmitted_on: 2024-01-01\nclaims:\n - {type: x}\n", "m.yaml")
    assert "第1行 · 申请人信息：此项必填。" in shown
    assert "第4行 · 第1个申报项目 · 奖补项目：此项必填。" in shown
    # a batch names a record by its file and line: the line is said once
    line = Problem("x.jsonl", 7, "applicant", "field required", code="required")
    assert problem_line(line, "zh", "x.jsonl:7") == "第7行 · 申请人信息：此项必填。"
    whole = Problem("x.jsonl", 7, "", "malformed JSON at column 3: x", code="json_syntax", params=(("column", "3"),))
    assert problem_line(whole, "zh", "x.jsonl:7").startswith("第7行 · x.jsonl：JSON 格式有误（第 3 列）")


def test_a_long_value_quoted_back_is_in_chinese_quotes() -> None:
    got = quoted("9" * 100_000)
    problem = Problem(
        "f", 1, "claims[1].transaction_amount", "not an amount", code="money_form", params=(("got", got),)
    )
    said = problem_words(problem, "zh")
    assert "“9999" in said and "…”（共 100,002 个字符）" in said and "'" not in said


def test_an_english_upload_of_many_applications_names_no_command(web: Web) -> None:
    client = web.client()
    client.get("/lang/en?next=/check")
    two = b'{"id":"a"}\n{"id":"b"}\n'
    page = client.post("/check/upload", data={"csrf": csrf(client)}, files={"file": ("two.jsonl", two)})
    shown = html.unescape(visible_text(page.text))
    assert page.status_code == 422 and "upload them one by one" in shown and "subsidy screen" not in shown


def test_an_unknown_programme_posted_to_the_self_check_is_said_beside_the_programme_choice(web: Web) -> None:
    client = web.client()
    crafted = SELF_CHECK | {"claims[1].program": "local-industrialisation-award", "csrf": csrf(client)}
    page = client.post("/check", data=crafted)
    assert page.status_code == 422
    assert _error_of(page.text, "claims-1-program") == (
        "没有“local-industrialisation-award”这一奖补项目。您是否要填写“local-industrialization-award”？"
    )
