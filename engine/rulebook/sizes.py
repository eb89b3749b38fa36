"""Enterprise size classes (大型、中型、小型、微型) from thresholds kept as dated data.

The national classification (《中小企业划型标准规定》, 工信部联企业〔2011〕300号) sets,
per industry, a ceiling below which a firm is an SME — it is *large* only when it
reaches every ceiling measure — and floors for the medium and small classes, each
reached only when every floor measure is met (统计上大中小微型企业划分办法: "大型、中型
和小型企业须同时满足所列指标的下限，否则下划一档；微型企业只须满足所列指标中的一项即可").

The thresholds are a parameter of type ``size_classes`` (``sme_size_classes`` in the
shipped rules), so a revision is a new dated value, never code::

    industrial:                                  # 工业
      sme_below: {employees: 1000, revenue: "400000000.00"}   # 从业人员 1000 人或营业收入 4 亿元以下
      medium:    {employees: 300,  revenue: "20000000.00"}
      small:     {employees: 20,   revenue: "3000000.00"}

Measures: ``employees`` (persons, a whole number) and ``revenue`` (yuan, money). A
claim's class is the computed fact ``enterprise_size.sme_class``; it is left out
(*unknown*) when a measure the industry's thresholds name is not given, or when the
table has no row for the industry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..money import MoneyError, parse_money
from .facts import INDUSTRIES

if TYPE_CHECKING:
    from .ruleset import Ruleset

__all__ = ["MEASURES", "SizeBands", "classify", "computed_facts", "read_size_classes"]

MEASURES = ("employees", "revenue")  # the fact enterprise_size.<measure> each threshold compares
LEVELS = ("sme_below", "medium", "small")


@dataclass(frozen=True)
class SizeBands:
    """One industry's thresholds: each level maps a measure to its threshold (revenue in yuan)."""

    sme_below: dict[str, Any]
    medium: dict[str, Any]
    small: dict[str, Any]


def classify(bands: SizeBands, measures: dict[str, Any]) -> str | None:
    """``large``, ``medium``, ``small`` or ``micro``; None when a measure the thresholds
    name is missing. ``measures``: employees as a whole number, revenue in yuan.

    >>> industrial = SizeBands(
    ...     {"employees": 1000, "revenue": Decimal("400000000")},
    ...     {"employees": 300, "revenue": Decimal("20000000")},
    ...     {"employees": 20, "revenue": Decimal("3000000")},
    ... )
    >>> [classify(industrial, {"employees": e, "revenue": Decimal(r)})
    ...  for e, r in [(1200, "300000000"), (299, "500000000"), (1000, "400000000"), (19, "90000000")]]
    ['medium', 'small', 'large', 'micro']
    """
    needed = {*bands.sme_below, *bands.medium, *bands.small}
    if any(measures.get(m) is None for m in needed):
        return None

    def reaches(level: dict[str, Any]) -> bool:
        return all(measures[m] >= threshold for m, threshold in level.items())

    if reaches(bands.sme_below):
        return "large"
    if reaches(bands.medium):
        return "medium"
    return "small" if reaches(bands.small) else "micro"


def read_size_classes(raw: Any) -> dict[str, SizeBands] | str:
    """A ``size_classes`` value as written in a parameter file; a text starting with "!"
    says what is wrong."""
    if not isinstance(raw, dict) or not raw:
        return "!expected a mapping of industries to their thresholds (sme_below, medium, small)"
    out: dict[str, SizeBands] = {}
    for industry, levels in raw.items():
        if industry not in INDUSTRIES:
            return f"!'{industry}' is not an industry of the size classification ({', '.join(INDUSTRIES)})"
        if not isinstance(levels, dict) or set(levels) != set(LEVELS):
            return f"!{industry}: give exactly sme_below, medium and small"
        read: dict[str, dict[str, Any]] = {}
        for level in LEVELS:
            thresholds = levels[level]
            if not isinstance(thresholds, dict) or not thresholds or not set(thresholds) <= set(MEASURES):
                return f"!{industry}.{level}: a mapping of measures ({', '.join(MEASURES)}) to thresholds"
            read[level] = {}
            for measure, value in thresholds.items():
                if measure == "employees":
                    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                        return f"!{industry}.{level}.employees: a whole number of persons, got {value!r}"
                    read[level][measure] = value
                else:
                    try:
                        read[level][measure] = parse_money(value)
                    except MoneyError as exc:
                        return f"!{industry}.{level}.{measure}: {exc.message}"
        for measure in MEASURES:
            medium, small = read["medium"].get(measure), read["small"].get(measure)
            if medium is not None and small is not None and small > medium:
                return f"!{industry}: the small floor of {measure} is above the medium floor"
        out[industry] = SizeBands(read["sme_below"], read["medium"], read["small"])
    return out


def computed_facts(ruleset: Ruleset, fact: dict[str, Any], when: date) -> None:
    """Add the facts computed from others to a claim's fact (in place): the size class of
    ``enterprise_size``, with the thresholds in force on ``when``."""
    if "enterprise_size" not in fact:
        return
    table = ruleset.parameters.get("sme_size_classes")
    industry = fact.get("enterprise_size.industry")
    if table is None or industry is None:
        return
    bands = table.value_at(when)
    if not isinstance(bands, dict) or industry not in bands:
        return
    revenue = fact.get("enterprise_size.revenue")
    measures = {
        "employees": fact.get("enterprise_size.employees"),
        "revenue": None if revenue is None else Decimal(revenue) / 100,
    }
    found = classify(bands[industry], measures)
    if found is not None:
        fact["enterprise_size.sme_class"] = found
