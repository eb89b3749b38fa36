"""Common disqualifiers D1–D3: scenarios in features/disqualifiers.feature."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("disqualifiers.feature")
