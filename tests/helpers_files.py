"""Application files written for a test: a sample changed in place, as YAML or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


def variant(tmp_path: Path, source: Path, change: Callable[[dict[str, Any]], Any], suffix: str = ".yaml") -> Path:
    """``source`` (a sample application file) read, ``change``d in place and written to
    ``tmp_path/variant{suffix}``: YAML for ``.yaml``, else one JSON line (``.json``, ``.jsonl``)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / f"variant{suffix}"
    if suffix == ".yaml":
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path
