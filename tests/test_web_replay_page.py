"""The auditor's replay page: "重放此决定" replays the decision asked for, as the API does for a
decision id; claims are numbered from 1 as everywhere else, fields named in words, values in
words, and the fields that are the same folded behind their count."""

from __future__ import annotations

import re

from helpers_web import APP_A, Web, csrf, visible_text


def test_replaying_a_decision_from_its_page_replays_that_decision_in_words(web: Web) -> None:
    client = web.client("auditor")
    decision = client.get(f"/decision?id={APP_A}/2").text
    sent = re.search(r'action="/audit/replay".*?name="ids" value="([^"]+)"', decision, flags=re.S)
    assert sent and sent.group(1) == f"{APP_A}/2"
    page = client.post("/audit/replay", data={"csrf": csrf(client, "/audit/replay"), "ids": sent.group(1)}).text
    shown = visible_text(page)
    assert f"申报项目 2 · {APP_A}/2 · 结果一致" in shown and f"{APP_A}/1" not in shown
    assert "1 / 1 结果一致" in shown
    folded = re.search(r"<details><summary>全部 (\d+) 个字段一致</summary>", page)
    assert folded and int(folded.group(1)) > 50
    assert "decisions[" not in shown and "decisions[1]" in page  # the path only as a title
    assert re.search(r"<td[^>]*>结论</td><td>符合条件</td><td>符合条件</td>", page)
    assert re.search(r"<td[^>]*>所用事实 · 卖方类型</td><td>科研机构</td>", page)
    assert re.search(r"<td[^>]*>奖补项目</td><td>专利技术购买奖励</td>", page)
    assert re.search(r"<td[^>]*>计算 · 在先奖励 1 · 金额</td><td>120000.00</td>", page)
    assert "第1项条件（" in shown and " · 状态" in shown and ">met<" not in page and ">eligible<" not in page


def test_replaying_an_application_lists_each_claim_in_order(web: Web) -> None:
    client = web.client("auditor")
    page = visible_text(client.post("/audit/replay", data={"csrf": csrf(client, "/audit/replay"), "ids": APP_A}).text)
    assert page.index(f"申报项目 1 · {APP_A}/1") < page.index(f"申报项目 2 · {APP_A}/2")
    assert "2 / 2 结果一致" in page


def test_an_unknown_id_on_the_replay_form_is_said_beside_the_ids_as_typed(web: Web) -> None:
    client = web.client("auditor")
    typed = f"{APP_A}\nPY-0000-0000"
    response = client.post("/audit/replay", data={"csrf": csrf(client, "/audit/replay"), "ids": typed})
    assert response.status_code == 404
    assert "没有记录为“PY-0000-0000”的决定" in visible_text(response.text)
    assert f">{typed}</textarea>" in response.text
