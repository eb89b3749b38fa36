"""Batch screening into the decision store: scenarios in features/screening.feature.

Steps are in store_steps.py, shared with the audit scenarios.
"""

from __future__ import annotations

from pytest_bdd import scenarios

from .store_steps import *  # noqa: F403 — the `desk` fixture and the store steps

scenarios("screening.feature")
