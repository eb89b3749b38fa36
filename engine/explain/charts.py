"""Charts as SVG text, drawn on the server: bars before and after, and gains and losses.

No script, no external file: each function returns one ``<svg>`` element that prints
as it shows. Values are ``Decimal`` yuan; labels are escaped.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ..money import format_yuan

__all__ = ["before_after_bars", "signed_bars"]

BEFORE, AFTER, GAIN, LOSS = "#9aa5b1", "#2f6db5", "#1a7f37", "#b42318"
ROW, LABEL_W, VALUE_W, BAR_W = 22, 230, 120, 330


def _wan(value: Decimal) -> str:
    """Yuan in 万元, as tables of public money are usually read (1 万元 = 10,000 yuan)."""
    return f"{value / 10000:,.2f}"


def before_after_bars(rows: list[tuple[str, Decimal, Decimal]], title: str, legend: tuple[str, str]) -> str:
    """Two bars per row (before, after), on one scale, the amounts in 万元 beside them."""
    top = max([max(b, a) for _, b, a in rows] + [Decimal(1)])
    height = 34 + len(rows) * (2 * ROW - 4) + 10
    width = LABEL_W + BAR_W + VALUE_W
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" font-size="11" font-family="sans-serif">',
        f'<text x="0" y="13" font-weight="bold">{escape(title)}</text>',
        f'<rect x="{LABEL_W}" y="20" width="10" height="10" fill="{BEFORE}"/>'
        f'<text x="{LABEL_W + 14}" y="29">{escape(legend[0])}</text>',
        f'<rect x="{LABEL_W + 110}" y="20" width="10" height="10" fill="{AFTER}"/>'
        f'<text x="{LABEL_W + 124}" y="29">{escape(legend[1])}</text>',
    ]
    y = 38
    for label, before, after in rows:
        out.append(f'<text x="{LABEL_W - 6}" y="{y + ROW - 6}" text-anchor="end">{escape(label[:28])}</text>')
        for value, colour, dy in ((before, BEFORE, 0), (after, AFTER, ROW - 6)):
            w = int(BAR_W * value / top) if value > 0 else 0
            out.append(f'<rect x="{LABEL_W}" y="{y + dy}" width="{w}" height="{ROW - 8}" fill="{colour}"/>')
            out.append(f'<text x="{LABEL_W + w + 4}" y="{y + dy + ROW - 10}">{_wan(value)}</text>')
        y += 2 * ROW - 4
    out.append("</svg>")
    return "".join(out)


def signed_bars(rows: list[tuple[str, Decimal]], title: str) -> str:
    """One bar per row from a middle line: gains to the right, losses to the left (万元)."""
    top = max([abs(v) for _, v in rows] + [Decimal(1)])
    half = BAR_W // 2
    height = 24 + len(rows) * ROW + 8
    width = LABEL_W + BAR_W + VALUE_W
    middle = LABEL_W + half
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" font-size="11" font-family="sans-serif">',
        f'<text x="0" y="13" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{middle}" y1="20" x2="{middle}" y2="{height - 4}" stroke="#555"/>',
    ]
    y = 24
    for label, value in rows:
        w = int(half * abs(value) / top)
        x = middle if value >= 0 else middle - w
        colour = GAIN if value >= 0 else LOSS
        out.append(f'<text x="{LABEL_W - 6}" y="{y + ROW - 8}" text-anchor="end">{escape(label[:28])}</text>')
        out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{ROW - 6}" fill="{colour}"/>')
        sign = "+" if value > 0 else ""
        out.append(f'<text x="{LABEL_W + BAR_W + 4}" y="{y + ROW - 8}">{sign}{format_yuan(value)}</text>')
        y += ROW
    out.append("</svg>")
    return "".join(out)
