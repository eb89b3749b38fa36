"""Settlements, replay and tamper detection: scenarios in features/audit.feature.

Steps are in store_steps.py, shared with the screening scenarios.
"""

from __future__ import annotations

from pytest_bdd import scenarios

from .store_steps import *  # noqa: F403 — the `desk` fixture and the store steps

scenarios("audit.feature")
