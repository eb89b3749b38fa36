"""The SQL statements of the store, built once from :mod:`engine.store.schema`, and the
conversions between the store's rows and the record formats' (money in integer fen,
housing in integer hundredths of a square metre). The same for every dialect."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select

from .dialects import Utf8
from .records import AwardRow, DecisionRow
from .schema import applications, awards, decisions, records

__all__ = [
    "AWARD_COLUMNS",
    "BY_ENTERPRISE",
    "BY_PATENT",
    "CHAIN",
    "DECISION_COLUMNS",
    "HEAD",
    "INPUT_HASHES",
    "ONE_RECORD",
    "RECORD_COLUMNS",
    "RELEASE",
    "award_as_stored",
    "award_of",
    "award_values",
    "decision_of",
    "decision_values",
    "held",
    "m2",
    "stored_decision",
    "yuan",
]

RECORD_COLUMNS = (
    records.c.seq,
    records.c.kind,
    records.c.record_id,
    records.c.application,
    records.c.recorded_at,
    records.c.body,
    records.c.prev,
    records.c.hash,
)
AWARD_COLUMNS = (
    awards.c.record_seq,
    awards.c.decision_id,
    awards.c.application,
    awards.c.ruleset_id,
    awards.c.program,
    awards.c.patent,
    awards.c.credit_code,
    awards.c.applicant,
    awards.c.amount_fen,
    awards.c.source,
    awards.c.amount_kind,
    awards.c.housing_centi_m2,
)
DECISION_COLUMNS = (
    decisions.c.decision_id,
    decisions.c.application,
    decisions.c.claim,
    decisions.c.ruleset_id,
    decisions.c.program,
    decisions.c.outcome,
    decisions.c.amount_fen,
    decisions.c.award_kind,
    decisions.c.patent,
    decisions.c.credit_code,
    decisions.c.applicant,
    decisions.c.division,
    decisions.c.submitted_on,
    decisions.c.open_criteria,
)
# The chain as verify reads it: every record's columns, its body as stored (UTF-8 bytes)
CHAIN = select(*(Utf8(c) if c is records.c.body else c for c in RECORD_COLUMNS)).order_by(records.c.seq)
ONE_RECORD = select(*RECORD_COLUMNS).where(records.c.record_id == bindparam("record_id"))
HEAD = select(records.c.seq, records.c.hash).order_by(records.c.seq.desc()).limit(1)
INPUT_HASHES = select(applications.c.id, applications.c.input_hash).where(
    applications.c.id.in_(bindparam("ids", expanding=True))
)
BY_PATENT = (
    select(*AWARD_COLUMNS)
    .where(
        awards.c.ruleset_id == bindparam("ruleset_id"),
        awards.c.program == bindparam("program"),
        awards.c.patent == bindparam("key"),
    )
    .order_by(awards.c.record_seq, awards.c.decision_id)
)
BY_ENTERPRISE = (
    select(*AWARD_COLUMNS)
    .where(
        awards.c.ruleset_id == bindparam("ruleset_id"),
        awards.c.program == bindparam("program"),
        awards.c.credit_code == bindparam("key"),
        awards.c.amount_kind == "one_off",
        awards.c.amount_fen.is_not(None),
    )
    .order_by(awards.c.record_seq, awards.c.decision_id)
)
PATENTS_HELD = (
    select(awards.c.program, awards.c.patent)
    .distinct()
    .where(awards.c.ruleset_id == bindparam("ruleset_id"), awards.c.patent.in_(bindparam("keys", expanding=True)))
)
ENTERPRISES_HELD = (
    select(awards.c.program, awards.c.credit_code)
    .distinct()
    .where(
        awards.c.ruleset_id == bindparam("ruleset_id"),
        awards.c.credit_code.in_(bindparam("keys", expanding=True)),
        awards.c.amount_kind == "one_off",
        awards.c.amount_fen.is_not(None),
    )
)
RELEASE = awards.delete().where(awards.c.decision_id == bindparam("decision"), awards.c.source == "pending")


def fen(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


def yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


def m2(centi: int | None) -> Decimal | None:
    return None if centi is None else (Decimal(centi) / 100).normalize()


def award_of(row: Sequence[Any]) -> AwardRow:
    _, decision, app, ruleset, program, patent, code, applicant, fen, source, kind, centi = row
    return AwardRow(decision, app, ruleset, program, patent, code, applicant, yuan(fen), source, kind, m2(centi))


def award_as_stored(row: Sequence[Any]) -> AwardRow:
    """An awards row as :func:`award_of` reads it, for ``verify``: except that an amount or an
    area that is not a whole number (an altered cell: a fraction, a text, a blob) is kept as
    read, never rounded or converted: it then equals no amount a record implies."""
    _, decision, app, ruleset, program, patent, code, applicant, fen, source, kind, centi = row
    amount = yuan(fen) if type(fen) in _WHOLE else fen
    housing = m2(centi) if type(centi) in _WHOLE else centi
    return AwardRow(decision, app, ruleset, program, patent, code, applicant, amount, source, kind, housing)


_WHOLE = (int, type(None))


def award_values(seq: int, a: AwardRow) -> dict[str, Any]:
    return {
        "record_seq": seq,
        "decision_id": a.decision_id,
        "application": a.application,
        "ruleset_id": a.ruleset_id,
        "program": a.program,
        "patent": a.patent,
        "credit_code": a.credit_code,
        "applicant": a.applicant,
        "amount_fen": fen(a.amount),
        "source": a.source,
        "amount_kind": a.amount_kind,
        "housing_centi_m2": fen(a.housing_m2),
    }


def decision_of(row: Sequence[Any]) -> DecisionRow:
    decision, app, claim, ruleset, program, outcome, fen, kind, patent, code, applicant, division, day, points = row
    open_points = tuple(filter(None, points.split(",")))
    return DecisionRow(
        decision,
        app,
        claim,
        ruleset,
        program,
        outcome,
        yuan(fen),
        kind,
        patent,
        code,
        applicant,
        division,
        day,
        open_points,
    )


def stored_decision(d: DecisionRow) -> tuple[Any, ...]:
    """A decision index row as the store holds it, in :data:`DECISION_COLUMNS`' order (money
    in integer fen, the open criteria as ``,a,b,``): what :func:`decision_of` reads back."""
    return (
        d.decision_id,
        d.application,
        d.claim,
        d.ruleset_id,
        d.program,
        d.outcome,
        fen(d.amount),
        d.award_kind,
        d.patent,
        d.credit_code,
        d.applicant,
        d.division,
        d.submitted_on,
        f",{','.join(d.open_criteria)}," if d.open_criteria else "",
    )


def decision_values(seq: int, d: DecisionRow) -> dict[str, Any]:
    return {
        "decision_id": d.decision_id,
        "application": d.application,
        "claim": d.claim,
        "record_seq": seq,
        "ruleset_id": d.ruleset_id,
        "program": d.program,
        "outcome": d.outcome,
        "amount_fen": fen(d.amount),
        "award_kind": d.award_kind,
        "patent": d.patent,
        "credit_code": d.credit_code,
        "applicant": d.applicant,
        "division": d.division,
        "submitted_on": d.submitted_on,
        "open_criteria": f",{','.join(d.open_criteria)}," if d.open_criteria else "",
    }


def held(
    execute: Callable[..., Any], ruleset_id: str, limits: Sequence[tuple[str, str, str]]
) -> set[tuple[str, str, str]]:
    """The limits that count something: one query per kind of limit and few hundred keys."""
    found: set[tuple[str, str, str]] = set()
    for limit, statement in (("once_per", PATENTS_HELD), ("cap", ENTERPRISES_HELD)):
        keys = sorted({key for kind, _, key in limits if kind == limit})
        for start in range(0, len(keys), 500):
            for program, key in execute(statement, {"ruleset_id": ruleset_id, "keys": keys[start : start + 500]}):
                found.add((limit, program, key))
    return {item for item in limits if item in found}
