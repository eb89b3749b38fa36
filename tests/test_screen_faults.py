"""A batch survives its worst record, as a user sees it: `subsidy screen` run as a real process
over a folder and a JSON Lines file holding valid applications beside an invalid file and
records that make the engine fault — while its key is read, while it is validated, while it is
decided — in this process and in worker processes. Every valid application is decided and
recorded, each bad one is named with its file (and line) and skipped, and the exit code says so.

The faults are put into the engine by a small launcher (``_LAUNCHER``) that patches it before
the command runs, as a bug would: worker processes are forked from it and inherit the patches.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers_store import (
    P2,
    ROOT,
    credit_code,
    jsonl,
    p2_claim,
    patent_number,
    proc_env,
    record_ids,
    write_jsonl,
    write_yaml,
)

# Faults by application id (or file name): where each one strikes.
_LAUNCHER = """
import sys

import engine.evaluation
import engine.reading.reader as reader
from engine.cli import main

parse, validate, evaluate = reader._parse, reader.application_from_data, engine.evaluation.Evaluator.evaluate_many


def faulty_parse(data, source, kind):
    if source.file.endswith("fault-parse.yaml"):
        raise RuntimeError("a fault of the parser")
    return parse(data, source, kind)


def faulty_validate(doc, rulebook):
    if isinstance(doc.data, dict) and doc.data.get("id") == "FAULT-VALIDATE":
        raise KeyError("a fault of validation")
    return validate(doc, rulebook)


def faulty_evaluate(self, items):  # applications are evaluated together, or one by one
    if any(app.id == "FAULT-EVALUATE" for app, *_ in items):
        raise ZeroDivisionError("a fault of evaluation")
    return evaluate(self, items)


reader._parse, reader.application_from_data = faulty_parse, faulty_validate
engine.evaluation.Evaluator.evaluate_many = faulty_evaluate
sys.exit(main(sys.argv[1:]))
"""


def _app(app_id: str, day: int, serial: int) -> dict[str, object]:
    name = f"濮阳市批次{serial}号有限公司"
    return {
        "format": 1,
        "id": app_id,
        "submitted_on": f"2024-04-{day:02d}",
        "applicant": {"type": "enterprise", "name": name, "credit_code": credit_code(600 + serial)},
        "claims": [p2_claim(patent_number(2021, 600 + serial), name, "100000.00")],
    }


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    write_yaml(folder / "a-good.yaml", _app("GOOD-1", 1, 1))
    write_yaml(folder / "fault-parse.yaml", _app("FAULT-PARSE", 2, 2))
    write_yaml(folder / "fault-validate.yaml", _app("FAULT-VALIDATE", 3, 3))
    (folder / "invalid.yaml").write_text("format: 1\nid: INVALID\nsubmitted_on: [2024\n", encoding="utf-8")
    write_jsonl(
        folder / "lines.jsonl",
        [_app("GOOD-2", 4, 4), _app("FAULT-EVALUATE", 5, 5), _app("GOOD-3", 6, 6), _app("GOOD-4", 7, 7)],
    )
    write_yaml(folder / "z-good.yaml", _app("GOOD-5", 8, 8))
    return folder


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_batch_records_every_valid_application_beside_faults_and_invalid_files(
    batch: Path, tmp_path: Path, workers: str
) -> None:
    db = tmp_path / "store.db"
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, "screen", str(batch), "--db", str(db), "--format", "jsonl"]
        + ["--workers", workers],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=proc_env(),
    )
    good = ["GOOD-1", "GOOD-2", "GOOD-3", "GOOD-4", "GOOD-5"]
    assert done.returncode == 3, done.stderr
    assert [r["application"] for r in jsonl(done.stdout)] == good
    assert all(d["program"] == P2 and d["outcome"] == "eligible" for r in jsonl(done.stdout) for d in r["decisions"])
    assert record_ids(db) == good
    err = done.stderr.splitlines()
    assert "Traceback" not in done.stderr

    def line_of(where: str) -> str:
        found = [x for x in err if where in x]
        assert len(found) == 1, (where, done.stderr)
        return found[0]

    skipped = "skipped (a fault of the engine: please report it)"
    assert line_of("fault-parse.yaml") == (
        f"internal error: {batch / 'fault-parse.yaml'}: RuntimeError: a fault of the parser; {skipped}"
    )
    assert line_of("fault-validate.yaml") == (
        f"internal error: {batch / 'fault-validate.yaml'}: KeyError: 'a fault of validation'; {skipped}"
    )
    assert line_of("lines.jsonl:2") == (
        f"internal error: {batch / 'lines.jsonl'}:2: ZeroDivisionError: a fault of evaluation; {skipped}"
    )
    assert line_of("invalid.yaml").startswith("error: ")
    assert err[-1] == "screened: 5 recorded, 0 already recorded, 1 invalid, 3 failed"
