"""The tables of a decision store, as SQLAlchemy Core metadata (every dialect alike).

* ``records`` — the log: one row per record, its body the canonical JSON, chained
  by ``prev`` → ``hash``; append-only.
* ``applications`` — which application ids are recorded, with the hash of their
  canonical input (the "already recorded" check).
* ``awards`` — the room the limits have used: one row per award, by programme,
  patent and enterprise; one-off cash, a yearly fund and housing apart. A claim
  awaiting review holds a ``pending`` row until it is settled.
* ``decisions`` — one row per claim's decision: search, the review queue, the report.
* ``ruleset_files`` — the rule files of every ruleset version used, as bytes.
* ``users`` — who may use the web pages and the HTTP API: a role (reviewer, auditor,
  enterprise), the credit code an enterprise account is bound to, the argon2 hash of
  the password, the SHA-256 of the API token and the key its page sessions carry.
  Not part of the log.
* ``migrations`` — each migration applied, by name, with the time it was applied
  (beside Alembic's own ``alembic_version``).
* ``limits`` — one row per limit a writer has used (once per patent, an
  enterprise's cap), by ruleset and programme: what concurrent writers on a database
  server lock before they read and consume a limit. Holds no data; SQLite, whose
  writers are serialised whole, leaves it empty.

Every index table is determined by the log; ``verify`` rebuilds it and compares.
Money is integer fen; housing is integer hundredths of a square metre (64-bit
on every database).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

__all__ = [
    "applications",
    "awards",
    "decisions",
    "limits",
    "metadata",
    "migrations",
    "records",
    "ruleset_files",
    "users",
]

metadata = MetaData()

# SQLite's INTEGER is 64-bit already (and its DDL text is left as the first migrations wrote it)
Fen = Integer().with_variant(BigInteger(), "postgresql")

records = Table(
    "records",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", Text, nullable=False),
    Column("record_id", Text, nullable=False, unique=True),
    Column("application", Text, nullable=False),
    Column("recorded_at", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("prev", Text, nullable=False),
    Column("hash", Text, nullable=False),
    CheckConstraint("kind IN ('decision', 'settlement')", name="records_kind"),
    Index("records_application", "application"),
)

applications = Table(
    "applications",
    metadata,
    Column("id", Text, primary_key=True),
    Column("input_hash", Text, nullable=False),
    Column("record_seq", Integer, ForeignKey("records.seq"), nullable=False),
)

awards = Table(
    "awards",
    metadata,
    Column("record_seq", Integer, ForeignKey("records.seq"), nullable=False),
    Column("decision_id", Text, nullable=False),
    Column("application", Text, nullable=False),
    Column("ruleset_id", Text, nullable=False),
    Column("program", Text, nullable=False),
    Column("patent", Text),
    Column("credit_code", Text),
    Column("applicant", Text, nullable=False),
    Column("amount_fen", Fen),
    Column("source", Text, nullable=False),
    Column("amount_kind", Text, nullable=False, server_default="one_off"),
    Column("housing_centi_m2", Fen),
    CheckConstraint("source IN ('decision', 'pending', 'settlement')", name="awards_source"),
    CheckConstraint("amount_kind IN ('one_off', 'per_year')", name="awards_amount_kind"),
    Index("awards_patent", "ruleset_id", "program", "patent"),
    Index("awards_enterprise", "ruleset_id", "program", "credit_code"),
    Index("awards_decision", "decision_id"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("decision_id", Text, primary_key=True),
    Column("application", Text, nullable=False),
    Column("claim", Integer, nullable=False),
    Column("record_seq", Integer, ForeignKey("records.seq"), nullable=False),
    Column("ruleset_id", Text, nullable=False),
    Column("program", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("amount_fen", Fen),
    Column("award_kind", Text),
    Column("patent", Text),
    Column("credit_code", Text),
    Column("applicant", Text, nullable=False),
    Column("division", Text),
    Column("submitted_on", Text, nullable=False),
    Column("open_criteria", Text, nullable=False, server_default=""),
    Index("decisions_seq", "record_seq"),
    Index("decisions_outcome", "outcome", "record_seq"),
    Index("decisions_application", "application"),
    Index("decisions_credit_code", "credit_code"),
    Index("decisions_patent", "patent"),
)

ruleset_files = Table(
    "ruleset_files",
    metadata,
    Column("version", Text, nullable=False),
    Column("ruleset_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("archived_at", Text, nullable=False),
    PrimaryKeyConstraint("version", "name"),
)

migrations = Table(
    "migrations",
    metadata,
    Column("name", Text, primary_key=True),
    Column("applied_at", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("name", Text, primary_key=True),
    Column("role", Text, nullable=False),
    Column("credit_code", Text),
    Column("password_hash", Text, nullable=False),
    Column("token_hash", Text, unique=True),
    Column("created_at", Text, nullable=False),
    Column("session_key", Text),
    CheckConstraint("role IN ('reviewer', 'auditor', 'enterprise')", name="users_role"),
    CheckConstraint("(role = 'enterprise') = (credit_code IS NOT NULL)", name="users_bound"),
)

limits = Table(
    "limits",
    metadata,
    Column("ruleset_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("program", Text, nullable=False),
    Column("key", Text, nullable=False),
    PrimaryKeyConstraint("ruleset_id", "kind", "program", "key"),
    CheckConstraint("kind IN ('once_per', 'cap')", name="limits_kind"),
)
