"""The examples in the docstrings of the pure helpers are run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "engine.model.credit_codes",
    "engine.model.patent_numbers",
    "engine.model.id_numbers",
    "engine.model.divisions",
    "engine.model.countries",
    "engine.model.normalize",
    "engine.money",
    "engine.model.values",
    "engine.yamlio.located",
    "engine.reading.reader",
    "engine.reading.validate",
    "engine.reading.files",
    "engine.errors",
    "engine.privacy",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
