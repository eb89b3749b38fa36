"""The application, exactly as CONTRACT.md format 1 describes it.

Identifiers are validated and made canonical here (credit codes, patent
numbers, ID numbers, divisions); money is ``Decimal``; dates are real dates.
Which programme a claim names, and which claim fields it may carry, depends on
the rules in force, so that is checked by :mod:`engine.reading` against the
rulebook, not here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import identifiers
from .values import (
    ApplicationId,
    Bool,
    Date,
    DivisionCode,
    Money,
    Name,
    PositiveMoney,
    canonical_name,
    fail,
    from_identifier,
    parse_date,
    whole_count,
)

__all__ = [
    "Applicant",
    "Application",
    "Claim",
    "EnterpriseSize",
    "HighValue",
    "Industrialization",
    "Patent",
    "PledgeLoan",
    "Seller",
    "canonical_name",
    "parse_date",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        """``field: null`` reads as the field left out, so a defaulted field takes its default
        (``infringement_record: null`` is false, as when it is absent)."""
        if isinstance(data, dict) and None in data.values():
            defaulted = {name for name, info in cls.model_fields.items() if not info.is_required()}
            return {k: v for k, v in data.items() if v is not None or k not in defaulted}
        return data


class Applicant(_Model):
    type: Literal["enterprise", "individual"]
    name: Name
    credit_code: str | None = None
    division: DivisionCode | None = None
    infringement_record: Bool = False
    id_number: str | None = None

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return identifiers.normalize_credit_code(value)
        except identifiers.IdentifierError as exc:
            raise from_identifier(exc) from None

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return identifiers.normalize_id_number(value)
        except identifiers.IdentifierError as exc:
            raise from_identifier(exc) from None

    @model_validator(mode="after")
    def _enterprise_needs_code(self) -> Applicant:
        if self.type == "enterprise" and self.credit_code is None:
            raise fail(
                "required for an enterprise applicant (统一社会信用代码)",
                "the 18-character code printed on the business licence",
                field="credit_code",
                code="credit_code_required",
            )
        return self

    @property
    def credit_category(self) -> str | None:
        """Positions 1-2 of the credit code (GB 32100-2015): its first two characters, the
        code being canonical once validated (the model is frozen)."""
        return self.credit_code[:2] if self.credit_code else None

    @property
    def legal_form(self) -> str | None:
        """What the applicant is: an individual, or the legal form its credit-code category
        names (an ``enterprise`` of category 92 is an individual business)."""
        if self.type == "individual":
            return "individual"
        category = self.credit_category
        return identifiers.legal_form(category) if category else None


class HighValue(_Model):
    """CNIPA's five categories. Absent fields read as false / 0 / none."""

    strategic_emerging_industry: Bool = False
    overseas_family_granted: Bool = False
    pledge_financing: Money = Decimal("0.00")
    china_patent_award: Literal["none", "gold", "silver", "excellence"] = "none"
    national_science_award: Bool = False


_PATENTEE_SEPARATORS = re.compile(r"[;、]")  # after NFKC, the full-width ； is ;


def _names_keeping(text: str, whole: str) -> list[str]:
    """The names a patentees' text joins with ；, ; or 、, a run of them that makes up ``whole``
    (a name holding a separator) kept as one: ``甲、乙公司、郑州大学`` keeping ``甲、乙公司`` gives
    ``[甲、乙公司, 郑州大学]``; a name only containing ``whole`` is split as any other."""
    parts = _PATENTEE_SEPARATORS.split(text)
    seps = _PATENTEE_SEPARATORS.findall(text)
    names, i = [], 0
    while i < len(parts):
        joined, j = parts[i], i
        while joined.strip() != whole and len(joined.strip()) < len(whole) and j + 1 < len(parts):
            joined += seps[j] + parts[j + 1]
            j += 1
        if joined.strip() == whole:
            names.append(whole)
            i = j + 1
        else:
            names.append(parts[i])
            i += 1
    return [n for n in names if n.strip()]


class Patent(_Model):
    """A patent as claimed. Its patentees of record: one ``holder``, or several ``holders``
    (a ``holder`` text joining names with ；, ; or 、 reads as ``holders``); one patentee is
    always kept as ``holder``, so that the stored input of a sole patentee never changes."""

    number: str
    kind: Literal["invention", "utility_model", "design"] | None = None
    holder: Name | None = None
    holders: list[Name] | None = Field(default=None, min_length=1)
    filed_on: Date | None = None
    granted_on: Date | None = None
    in_force: Bool | None = None
    abnormal: Bool = False
    inventors: list[Name] | None = Field(default=None, min_length=1)
    high_value: HighValue | None = None

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        try:
            return identifiers.parse_patent_number(value).number
        except identifiers.IdentifierError as exc:
            raise from_identifier(exc) from None

    @field_validator("kind")
    @classmethod
    def _kind_agrees(cls, value: str | None, info: ValidationInfo) -> str | None:
        number = info.data.get("number")
        if value is None or number is None:
            return value
        parsed = identifiers.parse_patent_number(number)
        if value != parsed.kind:
            raise fail(
                f"declared {value}, but type digit {parsed.type_digit} of {number} makes it {parsed.kind}",
                "the type digit is the 5th digit of a 12-digit number (3rd of an 8-digit one): "
                "1 or 8 invention, 2 or 9 utility model, 3 design",
                code="kind_mismatch",
                declared=value,
                digit=parsed.type_digit,
                kind=parsed.kind,
            )
        return value

    @field_validator("filed_on")
    @classmethod
    def _filing_year(cls, value: date | None, info: ValidationInfo) -> date | None:
        number = info.data.get("number")
        if value is None or number is None:
            return value
        parsed = identifiers.parse_patent_number(number)
        if not parsed.pct and value.year != parsed.year:
            raise fail(
                f"{value} is in {value.year}, but application number {parsed.application_number} "
                f"was filed in {parsed.year}",
                "the first digits of a Chinese application number are its filing year",
                code="filing_year",
                year=value.year,
                number_year=parsed.year,
            )
        return value

    @field_validator("granted_on")
    @classmethod
    def _granted_after_filing(cls, value: date | None, info: ValidationInfo) -> date | None:
        filed = info.data.get("filed_on")
        if value is not None and filed is not None and value < filed:
            raise fail(
                f"{value} is before filed_on {filed}",
                code="date_before",
                date=value,
                other="patent.filed_on",
                when=filed,
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _patentees(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        holder, holders = data.get("holder"), data.get("holders")
        if holder is not None and holders is not None:
            raise fail(
                "give the patentee as holder, or several patentees as holders, not both",
                "holders: [濮阳市龙丰新材料有限公司, 郑州大学]",
                field="holders",
            )
        if isinstance(holder, str):
            names = [n for n in _PATENTEE_SEPARATORS.split(unicodedata.normalize("NFKC", holder)) if n.strip()]
            if len(names) > 1:
                return {**{k: v for k, v in data.items() if k != "holder"}, "holders": names}
        return data

    @model_validator(mode="after")
    def _one_patentee_is_the_holder(self) -> Patent:
        if self.holders is not None:
            names = list(dict.fromkeys(self.holders))  # a name given twice is one patentee
            if len(names) == 1:
                object.__setattr__(self, "holder", names[0])
                object.__setattr__(self, "holders", None)
            else:
                object.__setattr__(self, "holders", names)
        return self

    @property
    def patentees(self) -> tuple[str, ...]:
        """Every patentee of record, in the order given (empty when not stated)."""
        if self.holders:
            return tuple(self.holders)
        return (self.holder,) if self.holder is not None else ()

    @model_validator(mode="after")
    def _derive_kind(self) -> Patent:
        if self.kind is None:
            object.__setattr__(self, "kind", identifiers.parse_patent_number(self.number).kind)
        return self

    @property
    def type_digit(self) -> int:
        return identifiers.parse_patent_number(self.number).type_digit


class Industrialization(_Model):
    division: DivisionCode | None = None
    started_on: Date | None = None


class Seller(_Model):
    type: Literal["university", "research_institute", "individual", "enterprise"] | None = None
    name: Name | None = None
    country: str = "CN"

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> str:
        if isinstance(value, bool):
            raise fail(
                f"YAML read this as {str(value).lower()}",
                'quote two-letter codes that YAML takes for yes/no, e.g. country: "NO"',
            )
        try:
            return identifiers.normalize_country(value)
        except identifiers.IdentifierError as exc:
            raise from_identifier(exc) from None


class EnterpriseSize(_Model):
    """What the size class (大中小微) is computed from: the industry and last year's figures."""

    industry: Literal["industrial", "wholesale", "retail", "software_it", "information_transmission", "other"]
    employees: Annotated[int, BeforeValidator(whole_count)] | None = None
    revenue: Money | None = None


class PledgeLoan(_Model):
    """A bank loan secured by a pledge of intellectual property (知识产权质押贷款)."""

    lender: Name | None = None
    amount: PositiveMoney | None = None
    pledge_registered: Bool | None = None


class Claim(_Model):
    """One claim. Which fields a programme needs is declared in its rule file."""

    program: str
    patent: Patent | None = None
    industrialization: Industrialization | None = None
    technology_from_outside_puyang: Bool | None = None
    seller: Seller | None = None
    deal: Literal["assignment", "license"] | None = None
    related_party: Bool | None = None
    transaction_amount: PositiveMoney | None = None
    contract_registered: Bool | None = None
    implemented: Bool | None = None
    owns_ip: Bool | None = None
    transformed_in_puyang: Bool | None = None
    benefits: str | None = None
    enterprise_size: EnterpriseSize | None = None
    pledge_loan: PledgeLoan | None = None
    interest_paid: PositiveMoney | None = None


class Application(_Model):
    format: Literal[1]
    id: ApplicationId
    submitted_on: Date
    applicant: Applicant
    claims: list[Claim] = Field(min_length=1)

    @field_validator("format", mode="before")
    @classmethod
    def _format(cls, value: Any) -> Any:
        """The whole number 1: not true (a yes/no) nor 1.0, which Python would take for it."""
        if isinstance(value, bool) or (isinstance(value, Decimal) and value == 1):
            raise fail(
                f"this engine reads application format 1, got {str(value).lower()}",
                "write format: 1, a whole number",
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _the_applicant_is_one_patentee(cls, data: Any) -> Any:
        """An applicant whose own name holds ；, ; or 、 (濮阳市甲、乙联合有限公司) is one patentee
        where a ``holder`` text names it: only the rest of that text is split into names."""
        applicant = data.get("applicant") if isinstance(data, dict) else None
        name = applicant.get("name") if isinstance(applicant, dict) else None
        claims = data.get("claims") if isinstance(name, str) else None
        if not isinstance(claims, list):
            return data
        whole = canonical_name(name)  # type: ignore[arg-type]
        if not _PATENTEE_SEPARATORS.search(whole):  # nearly every applicant: nothing to do
            return data
        read = []
        for claim in claims:
            patent = claim.get("patent") if isinstance(claim, dict) else None
            holder = patent.get("holder") if isinstance(patent, dict) else None
            if isinstance(holder, str) and "holders" not in patent and whole in canonical_name(holder):  # type: ignore[operator]
                names = _names_keeping(canonical_name(holder), whole)
                rest = {k: v for k, v in patent.items() if k != "holder"}  # type: ignore[union-attr]
                claim = {**claim, "patent": {**rest, "holders": names}}
            read.append(claim)
        return {**data, "claims": read}

    def canonical(self) -> dict[str, Any]:
        """The canonical input: what is stored, hashed and replayed."""
        return self.model_dump(mode="json", exclude_none=True)

    def canonical_json(self) -> str:
        """The canonical input as stored and hashed: :meth:`canonical` as compact JSON text,
        written in one step."""
        return self.model_dump_json(exclude_none=True)
