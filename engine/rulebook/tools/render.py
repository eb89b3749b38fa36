"""Rule tools as text, Markdown and printable HTML (Jinja2 templates beside this module)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ...errors import Problem
from .coverage import Coverage

__all__ = ["coverage_text", "html", "lint_text"]

_ENV = Environment(
    loader=PackageLoader("engine.rulebook.tools", "templates"),
    autoescape=select_autoescape(["j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

WORDS = {
    "zh": {
        "ruleset": "规则集",
        "phrase": "方案原文（操作性短语）",
        "status": "状态",
        "encoded_by": "由哪些条件、参数编码",
        "scenarios": "验证场景",
        "covered": "已覆盖",
        "uncovered": "未覆盖",
        "announced": "已公布、未生效",
        "more": "个",
        "coverage_title": "条款覆盖情况",
    },
    "en": {
        "ruleset": "ruleset",
        "phrase": "the plan's words (operative phrase)",
        "status": "status",
        "encoded_by": "encoded by",
        "scenarios": "scenarios",
        "covered": "covered",
        "uncovered": "uncovered",
        "announced": "announced, not operative",
        "more": "more",
        "coverage_title": "Clause coverage",
    },
}


def html(template: str, lang: str, **context: Any) -> str:
    return _ENV.get_template(template).render(lang=lang, t=WORDS[lang], **context)


def lint_text(problems: list[Problem]) -> str:
    return "".join(f"{p}\n" for p in problems)


def coverage_text(coverage: Coverage, lang: str = "zh") -> str:
    t = WORDS[lang]
    lines = [f"{t['coverage_title']} · {coverage.document} · {t['ruleset']} {coverage.ruleset}"]
    for c in coverage.clauses:
        lines.append("")
        lines.append(f"{c.clause}  {c.percent}%")
        for p in c.phrases:
            mark = {"covered": "✔", "uncovered": "✘", "announced": "·"}[p.status]
            lines.append(f"  {mark} “{p.text}” — {t[p.status]}")
            if p.encodings:
                lines.append("      " + ", ".join(e.id + (f" [{e.switch}]" if e.switch else "") for e in p.encodings))
            if p.scenarios:
                lines.append(f"      {t['scenarios']}: {len(p.scenarios)} · " + p.scenarios[0].name)
    uncovered = coverage.uncovered
    lines.append("")
    lines.append(f"{t['uncovered']}: {len(uncovered)}")
    return "\n".join(lines) + "\n"
