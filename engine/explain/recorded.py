"""A recorded decision as text: the record, its settlements, the rules it was decided under.

The words are either the ones the applicant was given, as recorded (Chinese), or
today's wording of the same decision (Chinese or English) — the caller chooses and
this page says which. Labels come from the archived rules of the recorded version.
Kinds of award stay apart: one-off cash, a research fund per year, housing in m².
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..evaluation.decision import ELIGIBLE, NEEDS_REVIEW
from ..money import format_yuan
from ..privacy import mask_id_number
from ..rulebook import Ruleset
from .words import MARK, OUTCOME, is_zh, missing_words

__all__ = ["render_recorded", "settlement_terms"]

WORDING = {
    "recorded": ("措辞：记录时的原文", "Wording: as recorded (Chinese)"),
    "today": ("措辞：今日措辞，与记录原文一致", "Wording: today's, the same decision as recorded"),
    "changed": (
        "措辞：今日措辞，与记录原文不同（原文：subsidy show --as-recorded）",
        "Wording: today's; the recorded wording differs (see show --as-recorded)",
    ),
}


def settlement_terms(settlement: dict[str, Any], lang: str = "zh") -> str:
    """What an eligible settlement grants, each kind in its own unit ("" for none)."""
    zh = is_zh(lang)
    parts = []
    if settlement.get("amount"):
        value = format_yuan(Decimal(settlement["amount"]))
        if settlement.get("amount_is") == "research_fund_per_year":
            parts.append(f"科研经费每年 {value} 元" if zh else f"research fund {value} yuan a year")
        else:
            parts.append(f"金额 {value} 元" if zh else f"amount {value} yuan")
    if settlement.get("housing_m2"):
        parts.append(f"住房 {settlement['housing_m2']} 平方米" if zh else f"housing {settlement['housing_m2']} m²")
    return "".join(f"，{p}" if zh else f", {p}" for p in parts)


def render_recorded(
    content: dict[str, Any],
    settlements: list[dict[str, Any]],
    record_hash: str,
    ruleset: Ruleset,
    *,
    result: dict[str, Any] | None = None,
    lang: str = "zh",
    wording: str = "recorded",
) -> str:
    """The decision record ``content`` (with ``result``, its decision in the words to
    show; default: as recorded), its settlements and its record hash."""
    zh = is_zh(lang)
    result = result or content["result"]
    applicant = result["applicant"]
    code = applicant.get("credit_code") or (
        mask_id_number(applicant["id_number"]) if applicant.get("id_number") else None
    )
    who = applicant["name"] + ((f"（{code}）" if zh else f" ({code})") if code else "")
    title = ruleset.policy.title.zh if zh else ruleset.policy.title.en
    version, recorded_at, source = content["ruleset"]["version"], content["recorded_at"], content["source"]
    if zh:
        lines = [
            f"申请 {result['application']} · {who} · 提交日期 {result['submitted_on']}",
            f"适用政策：{ruleset.policy.document} {title}",
            f"规则版本 {version} · 记录于 {recorded_at} · 来源 {source}",
            f"记录哈希 {record_hash}",
        ]
    else:
        lines = [
            f"Application {result['application']} · {who} · submitted {result['submitted_on']}",
            f"Policy: {ruleset.policy.document} {title}",
            f"Rules {version} · recorded {recorded_at} · from {source}",
            f"Record hash {record_hash}",
        ]
    lines.append(WORDING[wording][0 if zh else 1])
    settled = {s["decision"]: s for s in settlements}
    for d in result["decisions"]:
        lines += ["", *_claim_lines(d, ruleset, settled.get(d["decision"]), zh)]
    lines += ["", *_totals(result, settlements, zh)]
    return "\n".join(lines) + "\n"


def _claim_lines(d: dict[str, Any], ruleset: Ruleset, settlement: dict[str, Any] | None, zh: bool) -> list[str]:
    outcome = OUTCOME[d["outcome"]][0 if zh else 1]
    program = ruleset.programs.get(d["program"])
    name = (program.label.zh if zh else program.label.en) if program is not None else d["program"]
    criteria = {c.id: c for c in program.criteria} if program is not None else {}
    head = (
        f"第{d['claim']}项 [{d['decision']}] {name} · {d['clause']} · {outcome}"
        if zh
        else f"Claim {d['claim']} [{d['decision']}] {name} · {d['clause']} · {outcome}"
    )
    if d["amount"] is not None:
        amount = format_yuan(Decimal(d["amount"]))
        if zh:
            head += f" · {'奖励' if d['outcome'] == ELIGIBLE else '拟奖励'} {amount} 元"
        else:
            head += f" · {amount} yuan" + ("" if d["outcome"] == ELIGIBLE else " once settled")
    lines = [head, "  " + d["summary"]]
    for c in d["criteria"]:
        known = criteria.get(c["id"])
        label = (known.label.zh if zh else known.label.en) if known else c["id"]
        line = f"  {MARK[c['status']]} {label}{'：' if zh else ': '}{c['explanation']}"
        if c["clause"] != d["clause"]:
            line += f" · {c['clause']}"
        if known is not None and known.interpretation is not None:
            line += "（解释性适用）" if zh else " (interpretation)"
        lines.append(line)
    if d.get("missing"):
        lines.append(("  缺少信息：" if zh else "  Missing: ") + missing_words(d["missing"], "zh" if zh else "en"))
    if settlement is not None:
        s = settlement
        outcome = OUTCOME[s["outcome"]][0 if zh else 1]
        terms = settlement_terms(s, "zh" if zh else "en")
        # one line, even for a record kept from before reasons were held to one
        who, why = (" ".join(str(s[k]).splitlines()) for k in ("reviewer", "reason"))
        lines.append(
            f"  ⇒ 评审结论：{outcome}{terms}（{who}，{s['recorded_at']}）：{why}"
            if zh
            else f"  ⇒ Settled: {outcome}{terms} ({who}, {s['recorded_at']}): {why}"
        )
    return lines


def _totals(result: dict[str, Any], settlements: list[dict[str, Any]], zh: bool) -> list[str]:
    """Each kind of award on its own line — cash once, a research fund a year, housing —, what
    still awaits review; "no award" when there is nothing (never a total of 0.00)."""
    granted = [s for s in settlements if s["outcome"] == ELIGIBLE]
    yearly_fund = [s for s in granted if s.get("amount") and s.get("amount_is") == "research_fund_per_year"]
    one_off = sum((Decimal(s["amount"]) for s in granted if s.get("amount") and s not in yearly_fund), Decimal("0.00"))
    yearly = sum((Decimal(s["amount"]) for s in yearly_fund), Decimal("0.00"))
    housing = sum((Decimal(s["housing_m2"]) for s in granted if s.get("housing_m2")), Decimal(0))
    total = Decimal(result["total"]) + one_off
    settled = {s["decision"] for s in settlements}
    pending = sum(d["outcome"] == NEEDS_REVIEW and d["decision"] not in settled for d in result["decisions"])
    lines = []
    if total:
        lines.append(
            f"合计奖励 {format_yuan(total)} 元" + (f"（其中评审结论 {format_yuan(one_off)} 元）" if one_off else "")
            if zh
            else f"Total award {format_yuan(total)} yuan"
            + (f" (of which settled {format_yuan(one_off)} yuan)" if one_off else "")
        )
    kinds = []
    if yearly:
        kinds.append((f"科研经费补贴每年 {format_yuan(yearly)} 元", f"research fund {format_yuan(yearly)} yuan a year"))
    if housing:
        area = f"{housing.normalize():f}"
        kinds.append((f"住房 {area} 平方米", f"housing {area} m²"))
    for zh_words, en_words in kinds:
        if zh:
            lines.append(("另：" if lines else "") + zh_words)
        else:
            lines.append(f"Also: {en_words}" if lines else en_words[0].upper() + en_words[1:])
    if pending:
        more = bool(lines)
        lines.append(
            (f"另有 {pending} 项待评审" if more else f"{pending} 项待评审，奖励待评审后确定")
            if zh
            else (f"{pending} claim(s) await review" + ("" if more else "; any award is settled then"))
        )
    if not lines and not any(d["outcome"] == ELIGIBLE for d in result["decisions"]) and not granted:
        lines.append("不予奖励" if zh else "No award")
    return lines
