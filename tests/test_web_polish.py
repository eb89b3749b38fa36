"""What a new user found wrong in the pages, each kept right: the self-check says what it
cannot see, the form says what a date means and which dates the policy takes, a result goes
back to its form, errors are said in the user's language, batches show their outcomes."""

from __future__ import annotations

import re

from helpers_web import Web, csrf, visible_text
from test_web_pages import SELF_CHECK

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
