"""Alembic migrations of the decision store: one history for every dialect."""
