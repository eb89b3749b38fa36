"""The rule-file schema: what each YAML file of a ruleset folder may say.

A ruleset folder (``rules/<policy-id>/``) holds:

* ``policy.yaml``        — ``policy:`` the document, its dates, its source text, announced programmes
* ``parameters.yaml``    — ``parameters:`` amounts, rates, caps, lists and interpretation
                            switches, each with its citation and dated values
* ``common.yaml``        — ``criteria:`` shared by several programmes, ``derived:`` named conditions
* ``disqualifiers.yaml`` — ``disqualifiers:`` applied to every programme
* one file per programme — ``program:`` with its criteria and award
* the source text the quotes are checked against

Every model forbids unknown keys; conditions are parsed by
:mod:`engine.rulebook.conditions` into a closed, typed tree.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, field_validator

__all__ = [
    "AnnouncedSpec",
    "AwardSpec",
    "CommonFile",
    "CriterionSpec",
    "DerivedSpec",
    "DisqualifiersFile",
    "ExplainSpec",
    "ParameterSpec",
    "ParametersFile",
    "PolicyFile",
    "PolicySpec",
    "ProgramFile",
    "PurposeSpec",
    "Text",
    "UseSpec",
]

ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
# 三(二)2 — part, sub-part, item; 序言 — the plan's opening paragraph
CLAUSE = r"^(序言|[一二三四五六七八九十]+(\([一二三四五六七八九十]+\))?([0-9]+)?)$"


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")


YDate = Annotated[date, BeforeValidator(_date)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(_Spec):
    """A text in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class ExplainSpec(_Spec):
    """One-line explanations per status; ``{fact.path}`` and ``{param:name}`` are filled in."""

    met: Text | None = None
    not_met: Text | None = None
    unknown: Text | None = None


class CriterionSpec(_Spec):
    id: str = Field(pattern=ID)
    code: str | None = None
    label: Text
    clause: str = Field(pattern=CLAUSE)
    quote: str = Field(min_length=2)
    condition: dict[str, Any] | None = None
    discretionary: bool = False
    on_fail: Literal["not_met", "needs_review"] = "not_met"
    applies_if: str | None = None
    interpretation: Text | None = None
    explain: ExplainSpec = ExplainSpec()
    hint: Text


class UseSpec(_Spec):
    """``- use: criterion-id`` takes a shared criterion from ``common.yaml``; ``quote``
    may name the words of this programme's clause that the shared test encodes, and
    ``clause`` that clause, where it is not the shared criterion's."""

    use: str = Field(pattern=ID)
    quote: str | None = None
    clause: str | None = Field(default=None, pattern=CLAUSE)  # this programme's clause, when it differs


class DerivedSpec(_Spec):
    id: str = Field(pattern=ID)
    label: Text
    source: Text
    condition: dict[str, Any]


class AnnouncedSpec(_Spec):
    id: str = Field(pattern=ID)
    label: Text
    clause: str = Field(pattern=CLAUSE)
    quote: str
    status: Text


class Window(_Spec):
    from_: YDate = Field(alias="from")
    to: YDate


class PolicySpec(_Spec):
    id: str = Field(pattern=ID)
    document: str
    title: Text
    issuer: Text
    issued_on: YDate
    in_force: Window
    pilot_period: Text | None = None
    source: str = Field(description="file name of the verbatim source text, in the same folder")
    responsible: Text | None = None
    announced: list[AnnouncedSpec] = []


class PolicyFile(_Spec):
    policy: PolicySpec


ParamType = Literal[
    "money", "rate", "integer", "area_m2", "boolean", "date", "divisions", "text_list", "text", "size_classes"
]


class DatedValue(_Spec):
    from_: YDate = Field(alias="from")
    value: Any
    note: str | None = None


class ParameterSpec(_Spec):
    label: Text
    type: ParamType
    unit: str | None = None
    clause: str = Field(pattern=CLAUSE)
    quote: str | None = None
    source: Text | None = None
    interpretation: Text | None = None
    values: list[DatedValue]
    unset: Text | None = None

    @field_validator("values")
    @classmethod
    def _ordered(cls, values: list[DatedValue]) -> list[DatedValue]:
        dates = [v.from_ for v in values]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("dated values must be in increasing order of 'from', each date once")
        return values


class ParametersFile(_Spec):
    parameters: dict[str, ParameterSpec]

    @field_validator("parameters")
    @classmethod
    def _names(cls, value: dict[str, ParameterSpec]) -> dict[str, ParameterSpec]:
        for name in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"parameter name '{name}' must be snake_case")
        return value


class CommonFile(_Spec):
    criteria: list[CriterionSpec] = []
    derived: list[DerivedSpec] = []


class DisqualifiersFile(_Spec):
    disqualifiers: list[CriterionSpec]


class Operand(_Spec):
    param: str


class AwardSpec(_Spec):
    """How much a met claim is worth. Exactly one shape:

    * ``fixed: {param: NAME}`` — a fixed sum per claim;
    * ``rate: {param: NAME}`` of ``base: FACT``, optionally ``cap: {param: NAME}`` per ``cap_per``;
    * ``maximums: {KEY: {param: NAME}}`` — an up-to grant with no fixed cash sum.
    """

    fixed: Operand | None = None
    rate: Operand | None = None
    base: str | None = None
    cap: Operand | None = None
    cap_per: Literal["applicant.credit_code"] | None = None
    maximums: dict[str, Operand] | None = None


class PurposeSpec(_Spec):
    """Words of a programme's provision that state its aim rather than a condition, and why
    they are read so (the coverage report counts them as read, not as encoded)."""

    quote: str = Field(min_length=2)
    reading: Text


class LimitsSpec(_Spec):
    once_per: Literal["patent.number"] | None = None


def _criterion_shape(value: Any) -> str:
    return "use" if isinstance(value, dict) and "use" in value else "criterion"


ProgramCriterion = Annotated[
    Annotated[CriterionSpec, Tag("criterion")] | Annotated[UseSpec, Tag("use")],
    Discriminator(_criterion_shape),
]


class ProgramSpec(_Spec):
    id: str = Field(pattern=ID)
    code: str = Field(pattern=r"^[A-Z][0-9]+$")
    label: Text
    clause: str = Field(pattern=CLAUSE)
    quote: str
    applicant: Literal["enterprise", "individual"]
    claim_fields: list[str]
    award: AwardSpec
    limits: LimitsSpec = LimitsSpec()
    # parameters the programme office must set before the programme can be applied: until
    # then (on a submission date before each has a value) a claim is refused at intake
    requires: list[str] = []
    purpose: list[PurposeSpec] = []
    criteria: list[ProgramCriterion] = Field(min_length=1)


class ProgramFile(_Spec):
    program: ProgramSpec
