"""The plan's own text, cut along its numbering: the text of a clause, its sentences, its phrases.

The source text numbers parts ``三、``, sub-parts ``(二)`` and items ``2.``; the
opening paragraph before part one is ``序言``. A sentence ends at ``。`` or ``;``; a
phrase at ``,`` — the plan's own half-width punctuation — and a bracketed aside
such as ``(应属非关联交易)`` is a phrase of its own.
"""

from __future__ import annotations

import re

__all__ = ["clause_texts", "phrases", "sentences"]

_PART = re.compile(r"^([一二三四五六七八九十]+)、")
_SUB = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]")
_ITEM = re.compile(r"^([0-9]+)[.．]")


def clause_texts(source: str) -> dict[str, str]:
    """Each clause's text, keyed by the notation rules use (``三``, ``三(二)``, ``三(二)2``, ``序言``).

    >>> texts = clause_texts("前言。\\n一、总体\\n(一)目标\\n1.第一项。\\n")
    >>> texts["序言"], texts["一(一)1"]
    ('前言。', '第一项。')
    """
    out: dict[str, list[str]] = {}
    part = sub = ""
    key = "序言"
    for raw in source.splitlines():
        line = raw.strip()
        if not line:
            continue
        if m := _PART.match(line):
            part, sub, key = m.group(1), "", m.group(1)
            line = line[m.end() :]
        elif part and (m := _SUB.match(line)):
            sub = m.group(1)
            key = f"{part}({sub})"
            line = line[m.end() :]
        elif part and sub and (m := _ITEM.match(line)):
            key = f"{part}({sub}){m.group(1)}"
            line = line[m.end() :]
        out.setdefault(key, []).append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def sentences(text: str) -> list[str]:
    """The sentences of a text, cut at ``。`` and ``;``.

    >>> sentences("甲,乙;丙。丁")
    ['甲,乙', '丙', '丁']
    """
    return [s.strip() for s in re.split(r"[。;；\n]", text) if s.strip()]


def phrases(sentence: str) -> list[str]:
    """The phrases of a sentence, cut at ``,``; a bracketed aside is a phrase of its own.

    >>> phrases("对企业购买技术并实施转化的(应属非关联交易),依技术交易额给予10%的奖励")
    ['对企业购买技术并实施转化的', '(应属非关联交易)', '依技术交易额给予10%的奖励']
    """
    out: list[str] = []
    for part in re.split(r"[,，]", sentence):
        for piece in re.split(r"(\([^()]*\)|（[^（）]*）)", part):
            if piece.strip():
                out.append(piece.strip())
    return out
