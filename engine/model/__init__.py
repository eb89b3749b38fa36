"""The application as the contract describes it, and the identifiers in it."""

from .application import (
    Applicant,
    Application,
    Claim,
    HighValue,
    Industrialization,
    Patent,
    Seller,
    canonical_name,
)

__all__ = [
    "Applicant",
    "Application",
    "Claim",
    "HighValue",
    "Industrialization",
    "Patent",
    "Seller",
    "canonical_name",
]
