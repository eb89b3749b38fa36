"""Synthetic applications, for differential tests and benchmarks.

``generate(rng)`` builds one valid application (as the dict a YAML or JSON
file would hold) that roams over every programme, every criterion's met /
not-met / unknown side, boundary dates (the policy window, 10 and 20 years
after filing), half-fen rounding and repeated patents. Seeded, so a figure or
a failure can be reproduced: ``generate_many(n, seed)``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from .model.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_char, patent_check_digit

__all__ = ["generate", "generate_many"]

PUYANG = [
    "410902",
    "410922",
    "410923",
    "410926",
    "410927",
    "410928",
    "410971",
    "410972",
    "华龙区",
    "濮阳县",
    "经开区",
    "示范区",
    "工业园区",
    "410900",
]
OUTSIDE = ["410102", "410105", "110105", "310115", "440305"]
COMPANIES = [
    "濮阳市龙丰新材料有限公司",
    "濮阳惠成电子材料股份有限公司",
    "河南天能环保科技有限公司",
    "濮阳市盛源能源科技股份有限公司",
    "中原大化集团有限责任公司",
    "濮阳宏业高新科技发展有限公司",
]
PEOPLE = ["张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄强"]
SELLERS = [
    ("university", "郑州大学"),
    ("university", "河南大学"),
    ("research_institute", "中国科学院过程工程研究所"),
    ("individual", "周建国"),
    ("enterprise", "郑州某某科技有限公司"),
    ("university", "Technische Universität München"),
]
DAYS = [date(2022, 10, 3), date(2022, 10, 4), date(2025, 6, 30), date(2025, 7, 1)]


def _credit_code(rng: random.Random, category: str) -> str:
    body = category + rng.choice(["410902", "410922", "410928", "410900", "410102"])
    body += "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return body + credit_code_check_char(body)


def _patent_number(rng: random.Random, year: int, kind: str) -> str:
    digit = {"invention": rng.choice("11118"), "utility_model": rng.choice("2229"), "design": "3"}[kind]
    if year < 2004:  # the 8-digit form (YY T NNNNN) was used before 2003-10-01
        digit = digit.replace("8", "1").replace("9", "2")
        digits = f"{year % 100:02d}{digit}{rng.randint(1, 99_999):05d}"
    else:
        digits = f"{year}{digit}{rng.randint(1, 9_999_999):07d}"
    return f"ZL{digits}.{patent_check_digit(digits)}"


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _maybe(rng: random.Random, value: Any, p_absent: float = 0.1) -> Any:
    return None if rng.random() < p_absent else value


def _money(rng: random.Random, low: int, high: int) -> str:
    fen = rng.randint(low * 100, high * 100)
    if rng.random() < 0.2:
        fen = fen // 10 * 10 + 5  # ends in 5 fen: 10 % of it needs half-up rounding
    return f"{fen // 100}.{fen % 100:02d}"


def _patent(
    rng: random.Random, submitted: date, kind: str, holder: str | list[str] | None, applicant: str
) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.1:
        filed = date(submitted.year - 10, submitted.month, min(submitted.day, 28)) + timedelta(
            days=rng.choice([-1, 0, 1])
        )
    elif roll < 0.15:
        filed = date(submitted.year - 20, submitted.month, min(submitted.day, 28)) + timedelta(
            days=rng.choice([-1, 0, 1])
        )
    else:
        filed = _day(rng, date(2004, 1, 1), submitted - timedelta(days=200))
    patent: dict[str, Any] = {"number": _patent_number(rng, filed.year, kind), "kind": kind}
    if rng.random() < 0.2:
        del patent["kind"]  # derived from the number
    patent["holders" if isinstance(holder, list) else "holder"] = holder
    patent["filed_on"] = _maybe(rng, filed.isoformat(), 0.05)
    if rng.random() < 0.85:
        granted = filed + timedelta(days=rng.randint(180, 1500))
        patent["granted_on"] = granted.isoformat()
    patent["in_force"] = _maybe(rng, rng.random() < 0.9)
    if rng.random() < 0.08:
        patent["abnormal"] = True
    if rng.random() < 0.5:
        others = rng.sample(PEOPLE, rng.randint(1, 3))
        patent["inventors"] = others + ([applicant] if rng.random() < 0.7 else [])
    if rng.random() < 0.6:
        patent["high_value"] = {
            k: v
            for k, v in {
                "strategic_emerging_industry": rng.random() < 0.2,
                "overseas_family_granted": rng.random() < 0.15,
                "pledge_financing": rng.choice(["0.00", "0.00", _money(rng, 1, 20_000_000)]),
                "china_patent_award": rng.choice(["none", "none", "none", "gold", "silver", "excellence"]),
                "national_science_award": rng.random() < 0.05,
            }.items()
            if rng.random() < 0.8
        }
    return {k: v for k, v in patent.items() if v is not None}


def generate(rng: random.Random, index: int = 0) -> dict[str, Any]:
    """One valid application, as parsed from a file."""
    if rng.random() < 0.1:
        submitted = rng.choice(DAYS)
    else:
        submitted = _day(rng, date(2022, 7, 1), date(2025, 9, 30))
    individual = rng.random() < 0.25
    name = rng.choice(PEOPLE) if individual else rng.choice(COMPANIES)
    applicant: dict[str, Any] = {"type": "individual" if individual else "enterprise", "name": name}
    if not individual:
        applicant["credit_code"] = _credit_code(rng, rng.choice(["91"] * 12 + ["92", "93"]))
    elif rng.random() < 0.3:
        applicant["type"] = "enterprise"
        applicant["credit_code"] = _credit_code(rng, "91")
    if rng.random() < 0.7:
        applicant["division"] = rng.choice(PUYANG + OUTSIDE[:1])
    if rng.random() < 0.07:
        applicant["infringement_record"] = True
    claims = []
    shared_patent: dict[str, Any] | None = None
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        program = rng.choice(["local-industrialization-award", "patent-purchase-reward", "high-value-inventor-grant"])
        holder: Any = rng.choice([name, name, name, rng.choice(COMPANIES), None, "co-owned"])
        if holder == "co-owned":  # the applicant and a university, or two others; a list or one text
            owners = rng.choice([[name, "郑州大学"], ["河南大学", name], [rng.choice(COMPANIES), "郑州大学"]])
            holder = owners if rng.random() < 0.5 else rng.choice(["；", ";", "、"]).join(owners)
        kind = rng.choice(["invention"] * 6 + ["utility_model", "design"])
        patent = _patent(rng, submitted, kind, holder, name)
        if shared_patent is not None and rng.random() < 0.3:
            patent = shared_patent
        shared_patent = patent
        claim: dict[str, Any] = {"program": program, "patent": patent}
        if program == "local-industrialization-award":
            if rng.random() < 0.85:
                site = {
                    "division": _maybe(rng, rng.choice(PUYANG * 3 + OUTSIDE)),
                    "started_on": _maybe(
                        rng,
                        _day(rng, submitted - timedelta(days=900), submitted + timedelta(days=60)).isoformat(),
                    ),
                }
                claim["industrialization"] = {k: v for k, v in site.items() if v is not None}
        elif program == "patent-purchase-reward":
            if rng.random() < 0.9:
                kind_, seller = rng.choice(SELLERS)
                claim["seller"] = {"type": kind_, "name": seller, "country": rng.choice(["CN"] * 4 + ["DE"])}
            claim["deal"] = rng.choice(["assignment", "license"])
            claim["related_party"] = _maybe(rng, rng.random() < 0.1)
            claim["transaction_amount"] = _maybe(rng, _money(rng, 10_000, 3_000_000), 0.05)
            claim["contract_registered"] = _maybe(rng, rng.random() < 0.85)
            claim["implemented"] = _maybe(rng, rng.random() < 0.9)
        else:
            claim["owns_ip"] = _maybe(rng, rng.random() < 0.85)
            claim["transformed_in_puyang"] = _maybe(rng, rng.random() < 0.85)
            claim["benefits"] = _maybe(rng, "年新增产值1.2亿元,新增就业300人", 0.2)
        claims.append({k: v for k, v in claim.items() if v is not None})
    return {
        "format": 1,
        "id": f"GEN-{index:07d}",
        "submitted_on": submitted.isoformat(),
        "applicant": applicant,
        "claims": claims,
    }


def generate_many(n: int, seed: int = 2022) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(n):
        yield generate(rng, i)
