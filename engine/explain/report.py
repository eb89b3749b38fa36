"""The office's report as text: awards by programme, applicant, division and month, and
what still awaits review. Kinds of award are never added together: one-off cash
(元), a research fund per year (元/年), housing (平方米)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..money import format_yuan
from .words import is_zh, missing_words, show_division

__all__ = ["render_report"]


def _label(report: Any, program: str, zh: bool) -> str:
    label = report.labels.get(program)
    return (label.zh if zh else label.en) if label is not None else program


def _money(total: Any, zh: bool) -> str:
    parts = []
    yearly = total.per_year or total.yearly
    if total.one_off or not yearly:
        parts.append(f"{format_yuan(total.one_off)} 元" if zh else f"{format_yuan(total.one_off)} yuan")
    if yearly:
        parts.append(f"{format_yuan(total.per_year)} 元/年" if zh else f"{format_yuan(total.per_year)} yuan a year")
    if total.housing_m2 or (yearly and not total.per_year):  # a grant of nothing says so: 0.00 a year, 0 m²
        area = f"{total.housing_m2.normalize():f}"
        parts.append(f"住房 {area} 平方米" if zh else f"housing {area} m²")
    return ("，" if zh else ", ").join(parts)


def render_report(report: Any, lang: str = "zh") -> str:
    """A :class:`~engine.services.Report` as the text an office reads."""
    zh = is_zh(lang)
    o = report.outcomes
    pending = report.awaiting_review
    if zh:
        lines = [
            f"决定 {report.applications} 份申请 · 符合 {o.get('eligible', 0)} 项 · "
            f"不符合 {o.get('ineligible', 0)} 项 · 待评审 {o.get('needs_review', 0)} 项"
            f"（已有评审结论 {report.settlements} 项，尚待评审 {len(pending)} 项）",
            f"奖励合计 {format_yuan(report.one_off_total)} 元 · "
            f"待评审申报暂占 {format_yuan(report.held_for_review)} 元",
        ]
    else:
        lines = [
            f"{report.applications} applications decided · {o.get('eligible', 0)} eligible · "
            f"{o.get('ineligible', 0)} ineligible · {o.get('needs_review', 0)} need review "
            f"({report.settlements} settled, {len(pending)} still awaiting review)",
            f"Awarded {format_yuan(report.one_off_total)} yuan · held for claims awaiting review "
            f"{format_yuan(report.held_for_review)} yuan",
        ]
    if report.per_year_total or report.housing_total or any(t.yearly for t in report.by_program):
        yearly = format_yuan(report.per_year_total)
        area = f"{Decimal(report.housing_total).normalize():f}"
        lines.append(
            f"另：科研经费补贴每年 {yearly} 元 · 住房 {area} 平方米"
            if zh
            else f"Also: research funds {yearly} yuan a year · housing {area} m²"
        )
    lines += ["", "按项目：" if zh else "By programme:"]
    for t in report.by_program:
        name = _label(report, t.key[0], zh)
        lines.append(f"  {name}：{t.awards} 项，{_money(t, zh)}" if zh else f"  {name}: {t.awards}, {_money(t, zh)}")
    lines += ["", "按申请人：" if zh else "By applicant:"]
    for t in report.by_enterprise:
        program, code, applicant = t.key
        who = f"{applicant}（{code}）" if code and zh else f"{applicant} ({code})" if code else str(applicant)
        unit = "项" if zh else "award(s)"
        lines.append(f"  {who} · {_label(report, str(program), zh)} · {t.awards} {unit} · {_money(t, zh)}")
    lines += ["", "按申请人所在地区：" if zh else "By the applicant's division:"]
    for t in report.by_division:
        program, division = t.key
        where = show_division(str(division), lang, report.places) if division else ("（未知）" if zh else "(unknown)")
        unit = "项" if zh else "award(s)"
        lines.append(f"  {where} · {_label(report, str(program), zh)} · {t.awards} {unit} · {_money(t, zh)}")
    lines += ["", "按提交月份：" if zh else "By month of submission:"]
    for t in report.by_month:
        program, month = t.key
        unit = "项" if zh else "award(s)"
        lines.append(f"  {month} · {_label(report, str(program), zh)} · {t.awards} {unit} · {_money(t, zh)}")
    lines += ["", f"待评审（未结算） {len(pending)} 项：" if zh else f"Awaiting review (not settled): {len(pending)}"]
    for p in pending:
        gap = missing_words(p.missing, lang)
        gap = (f" 缺少：{gap}" if zh else f" missing: {gap}") if gap else ""
        lines.append(f"  {p.decision} · {p.applicant} · {_label(report, p.program, zh)}{gap}\n    {p.summary}")
    return "\n".join(lines) + "\n"
