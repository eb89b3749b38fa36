"""The decision index; awards of one-off cash, yearly funds and housing kept apart.

Adds ``decisions`` (one row per claim's decision: search, the review queue, the
report) and rebuilds ``awards`` with the kind of money an award grants and the
housing it grants in m². Both are built from the log, as ``verify`` checks them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from engine.store.bodies import index_rows_of

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    op.drop_table("awards")
    awards = op.create_table(
        "awards",
        sa.Column("record_seq", sa.Integer, sa.ForeignKey("records.seq"), nullable=False),
        sa.Column("decision_id", sa.Text, nullable=False),
        sa.Column("application", sa.Text, nullable=False),
        sa.Column("ruleset_id", sa.Text, nullable=False),
        sa.Column("program", sa.Text, nullable=False),
        sa.Column("patent", sa.Text),
        sa.Column("credit_code", sa.Text),
        sa.Column("applicant", sa.Text, nullable=False),
        sa.Column("amount_fen", sa.Integer),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("amount_kind", sa.Text, nullable=False, server_default="one_off"),
        sa.Column("housing_centi_m2", sa.Integer),
        sa.CheckConstraint("source IN ('decision', 'pending', 'settlement')", name="awards_source"),
        sa.CheckConstraint("amount_kind IN ('one_off', 'per_year')", name="awards_amount_kind"),
    )
    op.create_index("awards_patent", "awards", ["ruleset_id", "program", "patent"])
    op.create_index("awards_enterprise", "awards", ["ruleset_id", "program", "credit_code"])
    op.create_index("awards_decision", "awards", ["decision_id"])
    decisions = op.create_table(
        "decisions",
        sa.Column("decision_id", sa.Text, primary_key=True),
        sa.Column("application", sa.Text, nullable=False),
        sa.Column("claim", sa.Integer, nullable=False),
        sa.Column("record_seq", sa.Integer, sa.ForeignKey("records.seq"), nullable=False),
        sa.Column("ruleset_id", sa.Text, nullable=False),
        sa.Column("program", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("amount_fen", sa.Integer),
        sa.Column("award_kind", sa.Text),
        sa.Column("patent", sa.Text),
        sa.Column("credit_code", sa.Text),
        sa.Column("applicant", sa.Text, nullable=False),
        sa.Column("division", sa.Text),
        sa.Column("submitted_on", sa.Text, nullable=False),
        sa.Column("open_criteria", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("decisions_seq", "decisions", ["record_seq"])
    op.create_index("decisions_outcome", "decisions", ["outcome", "record_seq"])
    op.create_index("decisions_application", "decisions", ["application"])
    op.create_index("decisions_credit_code", "decisions", ["credit_code"])
    op.create_index("decisions_patent", "decisions", ["patent"])
    _index_the_log(awards, decisions)


def _index_the_log(awards: sa.Table, decisions: sa.Table) -> None:
    """Every award and decision row the log implies, holds released by later settlements left out."""
    conn = op.get_bind()
    held: dict[str, tuple[int, dict[str, object]]] = {}  # decision id -> its pending award row, until settled
    award_rows: list[dict[str, object]] = []
    decision_rows: list[dict[str, object]] = []
    for seq, body in conn.execute(sa.text("SELECT seq, body FROM records ORDER BY seq")):
        index = index_rows_of(json.loads(body))
        for released in index.releases:
            held.pop(released, None)
        for award in index.awards:
            row = {
                "record_seq": seq,
                "decision_id": award.decision_id,
                "application": award.application,
                "ruleset_id": award.ruleset_id,
                "program": award.program,
                "patent": award.patent,
                "credit_code": award.credit_code,
                "applicant": award.applicant,
                "amount_fen": None if award.amount is None else int(award.amount * 100),
                "source": award.source,
                "amount_kind": award.amount_kind,
                "housing_centi_m2": None if award.housing_m2 is None else int(award.housing_m2 * 100),
            }
            if award.source == "pending":
                held[award.decision_id] = (seq, row)
            else:
                award_rows.append(row)
        for d in index.decisions:
            decision_rows.append(
                {
                    "decision_id": d.decision_id,
                    "application": d.application,
                    "claim": d.claim,
                    "record_seq": seq,
                    "ruleset_id": d.ruleset_id,
                    "program": d.program,
                    "outcome": d.outcome,
                    "amount_fen": None if d.amount is None else int(d.amount * 100),
                    "award_kind": d.award_kind,
                    "patent": d.patent,
                    "credit_code": d.credit_code,
                    "applicant": d.applicant,
                    "division": d.division,
                    "submitted_on": d.submitted_on,
                    "open_criteria": "".join(f",{c}" for c in d.open_criteria) + ("," if d.open_criteria else ""),
                }
            )
        if len(award_rows) >= BATCH:
            op.bulk_insert(awards, award_rows)
            award_rows.clear()
        if len(decision_rows) >= BATCH:
            op.bulk_insert(decisions, decision_rows)
            decision_rows.clear()
    award_rows.extend(row for _, row in sorted(held.values(), key=lambda item: item[0]))
    if award_rows:
        op.bulk_insert(awards, award_rows)
    if decision_rows:
        op.bulk_insert(decisions, decision_rows)


def downgrade() -> None:
    raise NotImplementedError("a decision store is never migrated backwards")
