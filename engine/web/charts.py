"""The report's charts, drawn on the server as SVG: bars by programme, division and month.

No script and no library in the page: an SVG is part of the HTML, prints as it
shows, and needs no network. Each bar is labelled with its figure, so the chart
reads without a legend (and a screen reader reads the same figures in the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..money import format_yuan

__all__ = ["Chart", "report_charts"]

WIDTH, ROW, LABEL = 720, 26, 190


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def bar_chart(rows: list[tuple[str, Decimal]], unit: str) -> str:
    """Horizontal bars, one per (label, value), scaled to the largest."""
    top = max((v for _, v in rows), default=Decimal(0)) or Decimal(1)
    height = ROW * max(len(rows), 1) + 10
    span = WIDTH - LABEL - 150
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img">']
    for i, (label, value) in enumerate(rows):
        y = 5 + i * ROW
        width = int(span * (value / top)) if value > 0 else 0
        parts.append(f'<text x="{LABEL - 8}" y="{y + 17}" text-anchor="end">{_escape(label[:24])}</text>')
        parts.append(f'<rect x="{LABEL}" y="{y + 4}" width="{max(width, 1)}" height="{ROW - 8}" rx="2"/>')
        parts.append(f'<text x="{LABEL + width + 6}" y="{y + 17}">{format_yuan(value)} {unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def report_charts(report: Any, lang: str) -> list[Chart]:
    """Awards in one-off yuan by programme, by division and by month of submission; research
    funds granted per year by programme, apart (kinds of award are never added together)."""
    zh = lang != "en"
    unit = "元" if zh else "yuan"

    def name(program: str | None) -> str:
        label = report.labels.get(program)
        return (label.zh if zh else label.en) if label is not None else str(program)

    def place(code: str | None) -> str:
        found = report.places.by_code(code) if report.places is not None and code else None
        if found is None:
            return code or ("未填写" if zh else "not given")
        return found.name_zh if zh else found.name_en

    def summed(totals: list[Any], key: Any, kind: str = "one_off") -> list[tuple[str, Decimal]]:
        out: dict[str, Decimal] = {}
        for t in totals:
            if getattr(t, kind):
                label = key(t.key)
                out[label] = out.get(label, Decimal(0)) + getattr(t, kind)
        return list(out.items())

    charts = [
        Chart(
            "按项目（元）" if zh else "By programme (yuan)",
            bar_chart(summed(report.by_program, lambda k: name(k[0])), unit),
        ),
        Chart(
            "按所在地（元）" if zh else "By division (yuan)",
            bar_chart(summed(report.by_division, lambda k: place(k[1])), unit),
        ),
        Chart(
            "按提交月份（元）" if zh else "By month of submission (yuan)",
            bar_chart(sorted(summed(report.by_month, lambda k: str(k[1]))), unit),
        ),
    ]
    yearly = summed(report.by_program, lambda k: name(k[0]), "per_year")
    if yearly:
        charts.append(
            Chart(
                "科研经费补贴，按项目（元/年）" if zh else "Research funds by programme (yuan a year)",
                bar_chart(yearly, "元/年" if zh else "yuan a year"),
            )
        )
    return charts
