"""A claim as the inference engine sees it: one flat, small fact.

The application's facts, the claim's facts and the ledger's, encoded the way
the inference engine compares them exactly (see :mod:`engine.rulebook.facts`
for the vocabulary): dates as ``YYYYMMDD`` integers, money as integer fen,
divisions as canonical codes. An absent value is left out: it is *unknown*.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import Application, Claim
from ..model.identifiers import legal_form
from ..money import to_fen
from ..rulebook.facts import encode_date

__all__ = ["LedgerView", "application_part", "build_fact", "claim_fact"]


@dataclass(frozen=True)
class LedgerView:
    """What the limits already hold for this claim, when the claim is evaluated."""

    already_awarded: bool = False
    awarded_total: Decimal = Decimal("0.00")


# Sections of a claim: when a section is given at all, its name is a key of the
# fact (value True), so that "the whole block is missing" can be told apart.
SECTIONS = ("patent", "patent.high_value", "industrialization", "seller", "enterprise_size", "pledge_loan")


def application_part(app: Application) -> dict[str, Any]:
    """The application-wide part of every claim's fact (computed once)."""
    a = app.applicant
    when = app.submitted_on
    out: dict[str, Any] = {
        "submitted_on": when.year * 10000 + when.month * 100 + when.day,
        "applicant": True,
        "applicant.type": a.type,
        "applicant.name": a.name,
    }
    category = a.credit_category
    if category is not None:
        out["applicant.category"] = category
    form = "individual" if a.type == "individual" else legal_form(category) if category else None
    if form is not None:
        out["applicant.form"] = form
    if a.division is not None:
        out["applicant.division"] = a.division
    out["applicant.infringement_record"] = a.infringement_record
    return out


def build_fact(app_part: dict[str, Any], claim: Claim, ledger: LedgerView) -> dict[str, Any]:
    """One claim as a flat fact ``{dotted.path: encoded value}``; absent facts are left out."""
    return claim_fact(app_part, claim, ledger.already_awarded, to_fen(ledger.awarded_total))


def claim_fact(app_part: dict[str, Any], claim: Claim, already_awarded: bool, awarded_fen: int) -> dict[str, Any]:
    """:func:`build_fact` given the ledger's two facts as they are encoded (``awarded_fen``:
    integer fen)."""
    fact: dict[str, Any] = app_part.copy()
    fact["program"] = claim.program
    p = claim.patent
    if p is not None:
        fact["patent"] = True
        fact["patent.number"] = p.number
        fact["patent.kind"] = p.kind
        fact["patent.abnormal"] = p.abnormal
        patentees = p.patentees
        if patentees:
            fact["patent.holder"] = "；".join(patentees)  # as rule files before co-owned patents read it
            fact["patent.holders"] = list(patentees)
            fact["patent.co_owned"] = len(patentees) > 1
            if len(patentees) > 1:
                fact["patent.co_owners"] = [h for h in patentees if h != app_part.get("applicant.name")]
        if p.filed_on is not None:
            fact["patent.filed_on"] = encode_date(p.filed_on)
        if p.granted_on is not None:
            fact["patent.granted_on"] = encode_date(p.granted_on)
        if p.in_force is not None:
            fact["patent.in_force"] = p.in_force
        if p.inventors:
            fact["patent.inventors"] = list(p.inventors)
        hv = p.high_value
        if hv is not None:
            fact["patent.high_value"] = True
            fact["patent.high_value.strategic_emerging_industry"] = hv.strategic_emerging_industry
            fact["patent.high_value.overseas_family_granted"] = hv.overseas_family_granted
            fact["patent.high_value.pledge_financing"] = to_fen(hv.pledge_financing)
            fact["patent.high_value.china_patent_award"] = hv.china_patent_award
            fact["patent.high_value.national_science_award"] = hv.national_science_award
    site = claim.industrialization
    if site is not None:
        fact["industrialization"] = True
        if site.division is not None:
            fact["industrialization.division"] = site.division
        if site.started_on is not None:
            fact["industrialization.started_on"] = encode_date(site.started_on)
    seller = claim.seller
    if seller is not None:  # a section's fields as they are, money as integer fen (none is a date)
        fact["seller"] = True
        if seller.type is not None:
            fact["seller.type"] = seller.type
        if seller.name is not None:
            fact["seller.name"] = seller.name
        if seller.country is not None:
            fact["seller.country"] = seller.country
    size = claim.enterprise_size
    if size is not None:
        fact["enterprise_size"] = True
        fact["enterprise_size.industry"] = size.industry
        if size.employees is not None:
            fact["enterprise_size.employees"] = size.employees
        if size.revenue is not None:
            fact["enterprise_size.revenue"] = to_fen(size.revenue)
    loan = claim.pledge_loan
    if loan is not None:
        fact["pledge_loan"] = True
        if loan.lender is not None:
            fact["pledge_loan.lender"] = loan.lender
        if loan.amount is not None:
            fact["pledge_loan.amount"] = to_fen(loan.amount)
        if loan.pledge_registered is not None:
            fact["pledge_loan.pledge_registered"] = loan.pledge_registered
    given = claim.__dict__  # the claim's own fields, read without the attribute lookup through the model's classes
    for key, money in _CLAIM_FACTS:
        value = given[key]
        if value is not None:
            fact[key] = to_fen(value) if money else value
    fact["ledger.already_awarded"] = already_awarded
    fact["ledger.awarded_total"] = awarded_fen
    return fact


_CLAIM_FACTS = (  # the claim's own facts, each with whether it is money (encoded as integer fen)
    ("technology_from_outside_puyang", False),
    ("deal", False),
    ("related_party", False),
    ("transaction_amount", True),
    ("contract_registered", False),
    ("implemented", False),
    ("owns_ip", False),
    ("transformed_in_puyang", False),
    ("benefits", False),
    ("interest_paid", True),
)
