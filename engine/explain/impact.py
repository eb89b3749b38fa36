"""The policy sandbox's report as text and as a printable HTML page with charts.

Both show what was changed (the what-if parameters or the rules folder), how many
decisions were decided again and how many would change, the awards by programme,
division and year before and after, who gains and who loses, and every changed
decision with its causes (the HTML page lists the first :data:`HTML_ROWS`; the CSV
has them all). Amounts in yuan, Decimal throughout.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..money import format_yuan
from .charts import before_after_bars, signed_bars

if TYPE_CHECKING:  # the report is made by the impact service; only its shape is read here
    from ..services.impact import ImpactReport, Totals

__all__ = ["HTML_ROWS", "impact_html", "impact_text"]

HTML_ROWS = 500
TOP = 10  # gainers and losers shown

_ENV = Environment(
    loader=PackageLoader("engine.explain", "templates"),
    autoescape=select_autoescape(["j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

WORDS = {
    "zh": {
        "title": "政策沙盘：已记录决定按调整后的规则重新评审",
        "nothing_written": "只读，不写入决定库",
        "settings": "假设参数",
        "rules": "规则目录",
        "archived": "各决定记录时的规则版本",
        "window": "提交日期范围",
        "summary": "重新评审 {records:,} 份申请的 {decisions:,} 项决定；结论或金额变化 {changed:,} 项",
        "kept": "范围外的 {kept:,} 份申请按原记录计入限额",
        "awards": "奖励合计（元）",
        "before": "调整前",
        "after": "调整后",
        "change": "变化",
        "all": "全部",
        "by_program": "按项目",
        "by_division": "按申请人所在地",
        "by_year": "按提交年度",
        "gainers": "受益最多",
        "losers": "受损最多",
        "changed": "变化的决定",
        "decision": "决定",
        "applicant": "申请人",
        "program": "项目",
        "causes": "原因",
        "none": "没有决定会变化",
        "moot": "{n} 项评审结论不再适用（该决定不再待评审）",
        "errors": "{n} 份记录无法重新评审",
        "more": "另有 {n} 项见 CSV（--format csv）",
        "unknown_division": "（未填写）",
        "chart_unit": "万元",
        "eligible": "符合条件",
        "ineligible": "不符合条件",
        "needs_review": "待评审",
    },
    "en": {
        "title": "Policy sandbox: recorded decisions decided again under changed rules",
        "nothing_written": "read only; nothing is written to the store",
        "settings": "what-if",
        "rules": "rules folder",
        "archived": "each decision's recorded ruleset version",
        "window": "submitted",
        "summary": "{records:,} applications with {decisions:,} decisions decided again; {changed:,} would change",
        "kept": "{kept:,} applications outside the window count under the limits as recorded",
        "awards": "Awards (yuan)",
        "before": "before",
        "after": "after",
        "change": "change",
        "all": "all",
        "by_program": "By programme",
        "by_division": "By the applicant's division",
        "by_year": "By year of submission",
        "gainers": "Who gains most",
        "losers": "Who loses most",
        "changed": "Decisions that change",
        "decision": "decision",
        "applicant": "applicant",
        "program": "programme",
        "causes": "because of",
        "none": "no decision would change",
        "moot": "{n} settlement(s) no longer apply (the decision no longer awaits review)",
        "errors": "{n} record(s) could not be decided again",
        "more": "{n} more in the CSV (--format csv)",
        "unknown_division": "(not given)",
        "chart_unit": "10,000 yuan",
        "eligible": "eligible",
        "ineligible": "ineligible",
        "needs_review": "needs review",
    },
}

Names = Callable[[str, str], str]  # (kind: "program" | "division", key) -> what people read


def _head(report: ImpactReport, t: dict[str, str]) -> list[str]:
    lines = []
    if report.settings:
        lines.append(f"{t['settings']}: " + "; ".join(f"{k} = {v}" for k, v in report.settings.items()))
    lines.append(f"{t['rules']}: {report.rules or t['archived']}")
    if report.since or report.until:
        lines.append(f"{t['window']}: {report.since or '…'} … {report.until or '…'}")
    lines.append(t["summary"].format(records=report.records, decisions=report.decisions, changed=len(report.changed)))
    if report.kept:
        lines.append(t["kept"].format(kept=report.kept))
    if report.settlements_moot:
        lines.append(t["moot"].format(n=len(report.settlements_moot)))
    if report.errors:
        lines.append(t["errors"].format(n=len(report.errors)))
    return lines


def _groups(report: ImpactReport, names: Names, t: dict[str, str]) -> list[tuple[str, list[tuple[str, Totals]]]]:
    def division(code: str) -> str:
        return names("division", code) if code else t["unknown_division"]

    return [
        (t["by_program"], [(names("program", k), v) for k, v in sorted(report.by_program.items())]),
        (t["by_division"], [(division(k), v) for k, v in sorted(report.by_division.items())]),
        (t["by_year"], sorted(report.by_year.items())),
    ]


def _pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` columns of a terminal (a Chinese character takes two)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - shown, 1 if right else 0)
    return fill + text if right else text + fill


def _outcome(value: tuple[str, Decimal | None], t: dict[str, str]) -> str:
    outcome, amount = value
    return t[outcome] + (f" {format_yuan(amount)}" if amount is not None else "")


def impact_text(report: ImpactReport, names: Names, lang: str = "zh") -> str:
    """The report as text: the head, the totals, gainers and losers, every changed decision."""
    t = WORDS[lang]
    lines = [t["title"] + f"（{t['nothing_written']}）" if lang == "zh" else f"{t['title']} ({t['nothing_written']})"]
    lines += _head(report, t)
    lines.append("")
    width = 30
    lines.append(_pad(t["awards"], width) + "".join(_pad(t[k], 18, right=True) for k in ("before", "after", "change")))

    def row(label: str, x: Totals, indent: str = "") -> str:
        money = (format_yuan(v) for v in (x.before, x.after, x.delta))
        return _pad(indent + label, width) + "".join(_pad(m, 18, right=True) for m in money)

    lines.append(row(t["all"], report.total))
    for title, items in _groups(report, names, t):
        lines.append(title)
        lines += [row(label, x, "  ") for label, x in items if x.before or x.after]
    people = report.by_applicant()
    gains = [p for p in people if p[2] > 0][:TOP]
    losses = [p for p in reversed(people) if p[2] < 0][:TOP]
    for heading, movers in ((t["gainers"], gains), (t["losers"], losses)):
        if movers:
            lines.append(heading)
            lines += [f"  {name}（{code}） {'+' if d > 0 else ''}{format_yuan(d)}" for name, code, d in movers]
    lines.append("")
    if not report.changed:
        lines.append(t["none"])
    else:
        count = f"{len(report.changed):,}"
        lines.append(f"{t['changed']}（{count}）" if lang == "zh" else f"{t['changed']} ({count})")
        for c in report.changed:
            lines.append(
                f"  {c.decision} {names('program', c.program)} {c.applicant}：{_outcome(c.before, t)} → "
                f"{_outcome(c.after, t)}（{t['causes']}：{', '.join(c.causes)}）"
                if lang == "zh"
                else f"  {c.decision} {names('program', c.program)} {c.applicant}: {_outcome(c.before, t)} → "
                f"{_outcome(c.after, t)} ({t['causes']}: {', '.join(c.causes)})"
            )
    for record, why in report.errors:
        lines.append(f"  {record}: {why}")
    return "\n".join(lines) + "\n"


def impact_html(report: ImpactReport, names: Names, lang: str = "zh") -> str:
    """The report as one printable HTML page, the charts drawn as inline SVG."""
    t = WORDS[lang]
    legend = (t["before"], t["after"])
    charts = []
    for title, items in _groups(report, names, t):
        shown = [(label, x.before, x.after) for label, x in items if x.before or x.after]
        if shown:
            charts.append(before_after_bars(shown, f"{title}（{t['chart_unit']}）", legend))
    people = report.by_applicant()
    movers = [p for p in people if p[2] > 0][:TOP] + [p for p in people if p[2] < 0][-TOP:]
    if movers:
        charts.append(signed_bars([(name, d) for name, _, d in movers], f"{t['gainers']} / {t['losers']}"))
    context: dict[str, Any] = {
        "t": t,
        "lang": lang,
        "head": _head(report, t),
        "report": report,
        "groups": _groups(report, names, t),
        "charts": charts,
        "rows": report.changed[:HTML_ROWS],
        "more": max(len(report.changed) - HTML_ROWS, 0),
        "names": names,
        "money": format_yuan,
        "outcome": lambda v: _outcome(v, t),
    }
    return _ENV.get_template("impact.html.j2").render(**context)
