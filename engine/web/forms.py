"""The self-check form: its fields, read from the rules, and the application a filled form makes.

The form follows the application format (CONTRACT.md, format 1): the applicant,
then one section per claim with the fields its programme reads. Each field's label
and type come from the facts vocabulary (:data:`engine.rulebook.facts.FACTS`), its
help from the criteria that read it — the clause and the plan's own words. Field
names are the application's field paths (``claims[1].patent.number``), so an
error the reader reports at a path is shown beside the field of that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..explain.words import VALUE_LABELS
from ..model.countries import code_of_name
from ..rulebook import Ruleset
from ..rulebook.facts import FACTS, FactSpec

__all__ = ["MAX_CLAIMS", "FormField", "application_fields", "claim_fields", "form_data", "window_text"]

MAX_CLAIMS = 20  # claims one form may carry
MAX_FIELDS = 400

# The application fields a form asks, in the order people fill them (type from FACTS).
_APPLICANT = (
    "submitted_on",
    "applicant.type",
    "applicant.name",
    "applicant.credit_code",
    "applicant.id_number",
    "applicant.division",
    "applicant.infringement_record",
)
_CLAIM = (
    "patent.number",
    "patent.kind",
    "patent.holder",
    "patent.filed_on",
    "patent.granted_on",
    "patent.in_force",
    "patent.abnormal",
    "patent.inventors",
    "patent.high_value.strategic_emerging_industry",
    "patent.high_value.overseas_family_granted",
    "patent.high_value.pledge_financing",
    "patent.high_value.china_patent_award",
    "patent.high_value.national_science_award",
    "industrialization.division",
    "industrialization.started_on",
    "technology_from_outside_puyang",
    "seller.type",
    "seller.name",
    "seller.country",
    "deal",
    "related_party",
    "transaction_amount",
    "contract_registered",
    "implemented",
    "owns_ip",
    "transformed_in_puyang",
    "benefits",
)
_EXTRA_LABELS = {
    "applicant.credit_code": ("统一社会信用代码", "credit code"),
    "applicant.id_number": ("居民身份证号码（个人，可不填）", "resident ID number (individuals, optional)"),
}
# What a blank or a value means, where the format says more than the field's name (CONTRACT.md).
_NOTES = {
    "patent.granted_on": ("不填表示专利尚未授权", "blank means the patent is not yet granted"),
    "seller.country": (
        "填写国家或地区的两位代码，如 CN（中国）、US（美国）",
        "a two-letter country code, e.g. CN (China)",
    ),
}
_IDENTIFIES = {"patent.number", "patent.kind"}  # the format asks them of every claim with a patent
_DEFAULTED = {"applicant.infringement_record", "patent.abnormal"}  # absent is "no", not "unknown"


@dataclass(frozen=True)
class FormField:
    name: str  # the application path, e.g. claims[1].patent.number
    path: str  # the field within its section, e.g. patent.number
    label: str
    kind: str  # text | date | money | bool | enum | division | list | longtext
    choices: tuple[tuple[str, str], ...] = ()
    help: tuple[tuple[str, str], ...] = ()  # (clause, the plan's words) of the criteria it serves
    required: bool = False
    defaulted: bool = False
    note: str | None = None  # what a blank or a value means, before the clauses


def _facts_of(path: str) -> set[str]:
    """The facts an application field gives: itself, and those read from it (``source``)."""
    return {p for p, spec in FACTS.items() if p == path or spec.source == path}


def _spec(path: str) -> FactSpec | None:
    """The fact that names a field: itself, else the first fact read from it."""
    return FACTS.get(path) or next((spec for spec in FACTS.values() if spec.source == path), None)


def _kind(path: str) -> str:
    spec = FACTS.get(path)  # a field known only through the facts read from it is typed as text
    if spec is None:
        return "text"
    if path == "benefits":
        return "longtext"
    return {"text_list": "list", "category": "text"}.get(spec.type, spec.type)


def _help(ruleset: Ruleset, path: str) -> tuple[tuple[str, str], ...]:
    """The clauses a field serves, those of the criteria that read the fact alone first (the
    submission date: the policy's window before the grant that must precede it)."""
    facts = _facts_of(path)
    reading = [c for p in ruleset.programs.values() for c in p.criteria if facts & set(c.facts)]
    found: dict[str, str] = {}
    for c in sorted(reading, key=lambda c: len(set(c.facts) - facts)):
        found.setdefault(c.clause, c.quote)
    return tuple(found.items())


def _field(ruleset: Ruleset, name: str, path: str, lang: str) -> FormField:
    zh = lang != "en"
    spec = _spec(path)
    label = _EXTRA_LABELS.get(path) or ((spec.zh, spec.en) if spec else (path, path))
    kind = _kind(path)
    choices: tuple[tuple[str, str], ...] = ()
    if spec is not None and spec.values and path in FACTS:
        choices = tuple((v, VALUE_LABELS.get(v, (v, v))[0 if zh else 1]) for v in spec.values)
    required = path in ("submitted_on", "applicant.type", "applicant.name", "patent.number", "patent.kind")
    notes = _NOTES.get(path)
    note = window_text(ruleset, lang) if path == "submitted_on" else notes[0 if zh else 1] if notes else None
    return FormField(
        name, path, label[0 if zh else 1], kind, choices, _help(ruleset, path), required, path in _DEFAULTED, note
    )


def window_text(ruleset: Ruleset, lang: str) -> str:
    """The ruleset's window as an applicant needs it: the pilot's period in the plan's words,
    and the submission dates it takes (from the rule files)."""
    policy = ruleset.policy
    window = policy.in_force
    if lang == "en":
        pilot = f"{policy.pilot_period.en}; " if policy.pilot_period else ""
        return f"{policy.document}: {pilot}applications submitted from {window.from_} to {window.to}"
    pilot = f"{policy.pilot_period.zh}；" if policy.pilot_period else ""
    return f"{policy.document}：{pilot}受理提交日期为 {window.from_} 至 {window.to} 的申报"


def application_fields(ruleset: Ruleset, lang: str) -> list[FormField]:
    return [_field(ruleset, name, name, lang) for name in _APPLICANT]


def claim_fields(ruleset: Ruleset, program_id: str, index: int, lang: str) -> list[FormField]:
    """The fields of claim ``index`` (from 1) for one programme: those its criteria read."""
    program = ruleset.programs[program_id]
    read = {f for c in program.criteria for f in c.facts}
    for name in program.derived:
        read.update(getattr(ruleset.derived[name], "facts", ()))
    return [
        _field(ruleset, f"claims[{index}].{path}", path, lang)
        for path in _CLAIM
        if path.split(".")[0] in program.claim_fields and (path in _IDENTIFIES or _facts_of(path) & read)
    ]


_NAME = re.compile(r"(?:claims\[(\d{1,3})\]\.)?([a-z_]+(?:\.[a-z_]+){0,2})")
_BOOLS = {"true": True, "false": False}


def _value(path: str, raw: str) -> Any:
    if path == "seller.country":
        return code_of_name(raw) or raw  # a country typed by its name, as people do: 中国, China -> CN
    kind = _kind(path)
    if kind == "bool":
        return _BOOLS.get(raw, raw)
    if kind == "list":
        return [part.strip() for part in re.split(r"[,，、;；\n]", raw) if part.strip()]
    return raw


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def form_data(form: dict[str, str]) -> dict[str, Any]:
    """The application a filled form makes: blank fields left out (unknown), booleans and
    lists read, claims in the order of their numbers. Names that are no field are ignored."""
    data: dict[str, Any] = {"format": 1}
    claims: dict[int, dict[str, Any]] = {}
    for name, raw in list(form.items())[:MAX_FIELDS]:
        match = _NAME.fullmatch(name)
        value = raw.strip() if isinstance(raw, str) else ""
        if match is None or not value:
            continue
        index, path = match.groups()
        if index is None:
            if path in ("id", "submitted_on") or path in _APPLICANT:
                _put(data, path, _value(path, value))
            continue
        number = int(index)
        if 1 <= number <= MAX_CLAIMS and (path == "program" or path in _CLAIM):
            _put(claims.setdefault(number, {}), path, _value(path, value))
    data["claims"] = [claims[n] for n in sorted(claims)]
    return data
