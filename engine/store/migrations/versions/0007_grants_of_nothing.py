"""An eligible settlement that granted nothing is an award in the index too.

An inventor grant could be settled eligible with neither a research fund nor housing
(a blank form); its settlement was left out of ``awards``, so ``report`` named the
inventor nowhere. Such a settlement is refused now; one recorded before is indexed
here as the index rule indexes it today (see ``engine.store.bodies.awards_of``): an
award of a yearly fund of none, no housing. ``verify`` rebuilds the index by the same
rule, so a store migrated here verifies as before. A store indexed by 0002 under
today's rule holds the row already and is left as it is.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

RECORDS = sa.table("records", sa.column("seq", sa.Integer), sa.column("kind", sa.Text), sa.column("body", sa.Text))
AWARDS = sa.table(
    "awards",
    *(
        sa.column(name, sa.Integer if name in ("record_seq", "amount_fen", "housing_centi_m2") else sa.Text)
        for name in (
            "record_seq",
            "decision_id",
            "application",
            "ruleset_id",
            "program",
            "patent",
            "credit_code",
            "applicant",
            "amount_fen",
            "source",
            "amount_kind",
            "housing_centi_m2",
        )
    ),
)


def upgrade() -> None:
    conn = op.get_bind()
    settled = {row[0] for row in conn.execute(sa.select(AWARDS.c.decision_id).where(AWARDS.c.source == "settlement"))}
    rows = []
    for seq, body in conn.execute(sa.select(RECORDS.c.seq, RECORDS.c.body).where(RECORDS.c.kind == "settlement")):
        content = json.loads(body)
        nothing = content.get("amount") is None and content.get("housing_m2") is None
        if content["outcome"] != "eligible" or not nothing or content["decision"] in settled:
            continue
        rows.append(
            {
                "record_seq": seq,
                "decision_id": content["decision"],
                "application": content["application"],
                "ruleset_id": content["ruleset"]["id"],
                "program": content["program"],
                "patent": content.get("patent"),
                "credit_code": content.get("credit_code"),
                "applicant": content["applicant"],
                "amount_fen": None,
                "source": "settlement",
                "amount_kind": "per_year",
                "housing_centi_m2": None,
            }
        )
    if rows:
        conn.execute(AWARDS.insert(), rows)


def downgrade() -> None:
    raise NotImplementedError("a decision store is never migrated backwards")
