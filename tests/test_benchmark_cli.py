"""The benchmark's command line: `make bench` runs it with no section named.

Argparse holds a list default of a ``nargs="*"`` argument to its choices as a whole, and
refused the benchmark's own default: `make bench` exited 2 before measuring anything.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import benchmark  # noqa: E402


def test_no_section_named_runs_the_quick_ones() -> None:
    assert benchmark.parse([]).sections == ["eval", "stages", "cold"]


def test_the_sections_named_are_run_in_the_order_the_benchmark_keeps() -> None:
    args = benchmark.parse(["screen", "eval", "--screen-n", "5000"])
    assert args.sections == ["screen", "eval"] and args.screen_n == 5000


def test_an_unknown_section_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        benchmark.parse(["fast"])
    assert exited.value.code == 2
    assert "invalid choice: 'fast'" in capsys.readouterr().err


def test_the_help_names_every_section_and_the_default() -> None:
    shown = subprocess.run(
        [sys.executable, str(BENCH / "benchmark.py"), "--help"], capture_output=True, text=True, check=True
    ).stdout
    shown = " ".join(shown.split())  # as the help wraps it
    assert "(default: eval stages cold)" in shown
    assert all(name in shown for name in benchmark.SECTIONS)
