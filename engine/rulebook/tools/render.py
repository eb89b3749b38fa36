"""Rule tools as text, Markdown and printable HTML (Jinja2 templates beside this module)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ...errors import Problem
from .coverage import Coverage, Encoding
from .pages import ProgrammePage

__all__ = ["coverage_text", "html", "lint_text", "page_text"]

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
        "purpose": "目的表述",
        "more": "个",
        "coverage_title": "条款覆盖情况",
        "clause": "条款",
        "in_force": "适用于提交日期",
        "applicant": "申请人",
        "enterprise": "企业",
        "individual": "个人",
        "award": "奖励",
        "criteria": "审核条件",
        "disqualifier": "排除情形",
        "interpretation": "解释性适用",
        "off": "目前不适用",
        "condition": "规则",
        "discretionary": "由评审小组认定，引擎不作判断（待评审）",
        "on_fail_review": "不满足时转评审人员核实，而非直接不符合",
        "parameters": "参数",
        "parameter": "参数",
        "value": "取值",
        "citation": "依据",
        "from": "自",
        "switch": "开关",
        "meets": "满足的例子",
        "fails": "不满足的例子",
        "hint": "如何满足",
        "generated": "本页由规则文件生成，规则版本",
        "awaiting": "尚未施行：待主管部门设定参数",
        "aims": "目的表述（不是申请条件）",
        "no_example": "参数未设定，暂无法给出例子",
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
        "purpose": "states the aim",
        "more": "more",
        "coverage_title": "Clause coverage",
        "clause": "clause",
        "in_force": "for submissions",
        "applicant": "applicant",
        "enterprise": "enterprise",
        "individual": "individual",
        "award": "Award",
        "criteria": "Criteria",
        "disqualifier": "disqualifier",
        "interpretation": "interpretation",
        "off": "switched off",
        "condition": "Rule",
        "discretionary": "for the review panel; the engine does not decide it (needs review)",
        "on_fail_review": "when not met, the claim goes to a reviewer rather than being refused",
        "parameters": "Parameters",
        "parameter": "parameter",
        "value": "value",
        "citation": "source",
        "from": "from",
        "switch": "switch",
        "meets": "Example that meets",
        "fails": "Example that fails",
        "hint": "What the applicant can do",
        "generated": "Generated from the rule files, version",
        "awaiting": "Not operative yet: waiting for the programme office to set",
        "aims": "Words stating the aim (not conditions)",
        "no_example": "no example until the parameter is set",
    },
}


def html(template: str, lang: str, **context: Any) -> str:
    return _ENV.get_template(template).render(lang=lang, t=WORDS[lang], **context)


def lint_text(problems: list[Problem]) -> str:
    return "".join(f"{p}\n" for p in problems)


def _encoding(e: Encoding, t: dict[str, str]) -> str:
    if e.kind == "purpose":
        return f"{t['purpose']} ({e.id}): {e.label}"
    return e.id + (f" [{e.switch}]" if e.switch else "")


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
                lines.append("      " + ", ".join(_encoding(e, t) for e in p.encodings))
            if p.scenarios:
                lines.append(f"      {t['scenarios']}: {len(p.scenarios)} · " + p.scenarios[0].name)
    uncovered = coverage.uncovered
    lines.append("")
    lines.append(f"{t['uncovered']}: {len(uncovered)}")
    return "\n".join(lines) + "\n"


def page_text(pages: list[ProgrammePage], lang: str = "zh", markdown: bool = False) -> str:
    """Rule pages as plain text, or as Markdown."""
    t = WORDS[lang]
    out: list[str] = []
    for pg in pages:
        h1, h2, quote = ("# ", "## ", "> ") if markdown else ("", "", "  ")
        out.append(f"{h1}{pg.code} · {pg.label}")
        out.append(f"{pg.document} {pg.title} · {t['clause']} {pg.clause} · {t['ruleset']} {pg.ruleset} {pg.version}")
        out.append(f"{quote}{pg.clause} “{pg.provision}”")
        if pg.awaiting:
            out.append(
                f"{t['awaiting']} {', '.join(name for name, _ in pg.awaiting)}: " + "; ".join(r for _, r in pg.awaiting)
            )
        for words, reading in pg.purpose:
            out.append(f"- {t['aims']}: “{words}” — {reading}")
        out.append("")
        out.append(f"{h2}{t['award']}")
        out.extend(f"- {line}" for line in pg.award)
        for i, c in enumerate(pg.criteria, 1):
            out.append("")
            tags = [x for x in (c.code, t["disqualifier"] if c.kind == "disqualifier" else None) if x]
            out.append(f"{h2}{i}. {c.label} ({c.id}{', ' + ', '.join(tags) if tags else ''})")
            out.append(f"{quote}{c.clause} “{c.quote}”")
            out.append(f"- {t['condition']}: {t['discretionary'] if c.discretionary else c.condition}")
            if c.on_fail == "needs_review":
                out.append(f"  {t['on_fail_review']}")
            for p in c.parameters:
                values = "; ".join(f"{t['from']} {start}: {v}" for start, v in p.values) or (p.unset or "")
                out.append(f"- {t['parameter']} {p.name} ({p.label}): {values} — {p.clause} {p.citation}")
            if c.interpretation:
                switch = f" ({t['switch']} {c.switch[0]} = {c.switch[1]})" if c.switch else ""
                out.append(f"- {t['interpretation']}: {c.interpretation}{switch}")
            if c.meets:
                out.append(f"- {t['meets']}: " + "; ".join(f"{k} {v}" for k, v in c.meets))
            if c.fails:
                out.append(f"- {t['fails']}: " + "; ".join(f"{k} {v}" for k, v in c.fails))
            if not c.discretionary and c.meets is None and c.fails is None:
                out.append(f"- {t['meets']} / {t['fails']}: {t['no_example']}")
            out.append(f"- {t['hint']}: {c.hint}")
        out.append("")
    return "\n".join(out)
