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
LABEL_MAX = 330  # the widest label column; a longer label wraps onto a second line


def _width(text: str) -> int:
    """About how wide ``text`` is drawn at the chart's size: CJK characters twice a letter."""
    return sum(13 if ord(ch) > 0x2E80 else 7 for ch in text)


def _lines(label: str, room: int) -> list[str]:
    """``label`` in at most two lines that fit ``room`` pixels, broken at a space if it has one
    (the second line ends in … only when even two lines cannot hold it)."""
    if _width(label) <= room:
        return [label]
    words, first = label.split(" "), ""
    while words and _width((first + " " + words[0]).strip()) <= room:
        first = (first + " " + words.pop(0)).strip()
    if not first:  # no space to break at (Chinese): break by width
        cut = next(i for i in range(len(label), 0, -1) if _width(label[:i]) <= room)
        first, rest = label[:cut], label[cut:]
    else:
        rest = " ".join(words)
    while _width(rest) > room:
        rest = rest[:-2] + "…"
    return [first, rest]


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def bar_chart(rows: list[tuple[str, Decimal]], unit: str) -> str:
    """Horizontal bars, one per (label, value), scaled to the largest."""
    top = max((v for _, v in rows), default=Decimal(0)) or Decimal(1)
    label_x = min(max(LABEL, max((_width(label) for label, _ in rows), default=0) + 16), LABEL_MAX)
    lines = [_lines(label, label_x - 12) for label, _ in rows]
    row = ROW + 12 if any(len(parts) > 1 for parts in lines) else ROW
    height = row * max(len(rows), 1) + 10
    span = WIDTH - label_x - 150
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img">']
    for i, ((label, value), shown) in enumerate(zip(rows, lines, strict=True)):
        y = 5 + i * row
        mid = y + row // 2
        width = int(span * (value / top)) if value > 0 else 0
        text = "".join(
            f'<tspan x="{label_x - 8}" dy="{0 if n == 0 else 14}">{_escape(part)}</tspan>'
            for n, part in enumerate(shown)
        )
        first = mid + 4 - 7 * (len(shown) - 1)
        tip = f"<title>{_escape(label)}</title>" if shown[-1].endswith("…") else ""  # cut short: whole on hover
        parts.append(f'<text x="{label_x - 8}" y="{first}" text-anchor="end">{tip}{text}</text>')
        parts.append(
            f'<rect x="{label_x}" y="{mid - (ROW - 8) // 2}" width="{max(width, 1)}" height="{ROW - 8}" rx="2"/>'
        )
        parts.append(f'<text x="{label_x + width + 6}" y="{mid + 4}">{format_yuan(value)} {unit}</text>')
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
