"""`verify` in several processes, each a range of the chain: the same report as one process.

The ranges are checked where they meet — the link from one range's last record to the next
one's first, a settlement releasing a hold recorded in an earlier range, a hold the index lacks
released in a later one, a head noted earlier in any range. The first range is the beginning of
one walk from the genesis: a record it finds altered is named as that walk names it; whatever
else is amiss, one walk from the genesis names the first record altered.
Here every report (records, head, record named, reason, records after a noted head) is compared
with one process's, on intact and altered stores, cut into two to six ranges.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers_store import SAMPLES, execute, query, run, run_proc
from test_verify_reading import sample_store

import engine
from engine.services import VerifyReport

__all__ = ["sample_store"]

RANGES = (2, 3, 4, 6)


def _report(db: str | Path, workers: int, noted: str | None = None) -> VerifyReport:
    store = engine.open_store(db)
    try:
        return engine.verify(store, expect_head=noted, workers=workers)
    finally:
        store.close()


def _same(db: str | Path, noted: str | None = None, ranges: tuple[int, ...] = RANGES) -> VerifyReport:
    """One process's report, after checking that every number of processes gives it."""
    alone = _report(db, 0, noted)
    assert alone.processes == 1
    for workers in ranges:
        report = _report(db, workers, noted)
        assert dataclasses.replace(report, processes=1) == alone, (workers, report, alone)
        if alone.bad_seq is None:  # the chain and its indexes intact (a fault, if any, is past them)
            assert report.processes == workers, (workers, report)
    return alone


def _copy(sample_store: Path, tmp_path: Path, name: str) -> Path:
    return Path(shutil.copy(sample_store, tmp_path / f"{name}.db"))


def test_an_intact_store_is_intact_in_every_number_of_ranges(sample_store: Path) -> None:
    report = _same(sample_store)
    assert report.intact and report.records == query(sample_store, "SELECT count(*) FROM records")[0][0]
    settlement = query(sample_store, "SELECT seq FROM records WHERE kind = 'settlement'")
    assert settlement, "the store holds a settlement, released in a later range than its decision"


@pytest.mark.parametrize("where", ["genesis", "first", "middle", "head"])
def test_a_head_noted_in_any_range_is_found_the_same(where: str, sample_store: Path) -> None:
    hashes = [h for (h,) in query(sample_store, "SELECT hash FROM records ORDER BY seq")]
    noted = {"genesis": "0" * 64, "first": hashes[0], "middle": hashes[len(hashes) // 2], "head": hashes[-1]}[where]
    report = _same(sample_store, noted)
    if where == "genesis":
        assert not report.intact and report.bad_record == "chain head"
    else:
        assert report.intact and report.after_noted == len(hashes) - 1 - hashes.index(noted)


def test_a_record_altered_at_the_edges_of_the_ranges_is_named_the_same(sample_store: Path, tmp_path: Path) -> None:
    """A record's hash altered, at each edge of two and of three ranges and at either end."""
    db = _copy(sample_store, tmp_path, "hash")
    last = query(db, "SELECT max(seq) FROM records")[0][0]
    edges = {last * k // n + d for n in (2, 3) for k in range(n + 1) for d in (0, 1)}
    for seq in sorted(s for s in edges if 1 <= s <= last):
        execute(db, "UPDATE records SET hash = printf('%064d', 7) WHERE seq = ?", (seq,))
        report = _same(db, ranges=(2, 3))
        assert report.bad_seq == seq and "does not match its hash" in (report.reason or ""), report
        in_first = _report(db, 2)
        assert in_first.processes == (2 if seq <= last // 2 else 1), (seq, in_first)  # named in the first range
        shutil.copy(sample_store, db)


def test_a_hold_released_in_a_later_range_and_kept_after_it(sample_store: Path, tmp_path: Path) -> None:
    """A pending hold (seq 30 of 55) settled at the chain's end: intact in every number of
    ranges; the hold put back in the awards index after its settlement: the settlement named."""
    db = _copy(sample_store, tmp_path, "held")
    seq, decision = query(db, "SELECT record_seq, decision_id FROM awards WHERE source = 'pending' LIMIT 1")[0]
    row = query(db, "SELECT * FROM awards WHERE decision_id = ? AND source = 'pending'", (decision,))[0]
    settled = run_proc(
        "settle", decision, "--db", db, "--outcome", "eligible", "--reason", "专利权属已核实", "--reviewer", "审核员"
    )
    assert settled.returncode == 0, settled.stderr
    assert not query(db, "SELECT 1 FROM awards WHERE decision_id = ? AND source = 'pending'", (decision,))
    assert _same(db).intact
    execute(db, f"INSERT INTO awards VALUES ({', '.join('?' * len(row))})", row)
    report = _same(db)
    assert not report.intact and "still holds room" in (report.reason or ""), report
    assert report.bad_record == f"{decision}/settlement" and report.bad_seq > seq, report


def test_a_hold_the_index_lacks_is_named_when_no_later_range_releases_it(sample_store: Path, tmp_path: Path) -> None:
    db = _copy(sample_store, tmp_path, "lacks")
    seq, decision = query(db, "SELECT record_seq, decision_id FROM awards WHERE source = 'pending' LIMIT 1")[0]
    execute(db, "DELETE FROM awards WHERE decision_id = ? AND source = 'pending'", (decision,))
    report = _same(db)
    assert not report.intact and report.bad_seq == seq and "awards index" in (report.reason or ""), report


@pytest.mark.parametrize("seq", ["'x'", "1000000", "0", "-5"], ids=["a text", "past the head", "zero", "below"])
def test_a_stray_index_row_before_or_past_every_range_is_named(seq: str, sample_store: Path, tmp_path: Path) -> None:
    """A decision index row of a record seq no range holds (a text sorts after every number)."""
    db = _copy(sample_store, tmp_path, "stray")
    columns = [c for (_, c, *_) in query(db, "PRAGMA table_info(decisions)")]
    picked = ", ".join({"decision_id": "decision_id || '-x'", "record_seq": seq}.get(c, c) for c in columns)
    execute(db, f"INSERT INTO decisions SELECT {picked} FROM decisions WHERE record_seq = 20")
    report = _same(db)
    assert not report.intact and "not in the log" in (report.reason or ""), report


def test_the_command_prints_the_same_whatever_the_workers(sample_store: Path, capsys: Any) -> None:
    outputs = {run(capsys, "verify", "--db", sample_store, "--workers", n)[:2] for n in ("0", "1", "2", "3")}
    assert len(outputs) == 1 and outputs.pop()[1].startswith("intact: "), outputs


def test_both_backends_walk_in_ranges(store_url: str, tmp_path: Path) -> None:
    """PostgreSQL as SQLite: each process reads its own snapshot of the same head."""
    screened = run_proc("screen", SAMPLES, "--db", store_url, "--quiet")
    assert screened.returncode == 0, screened.stderr
    assert _same(store_url, ranges=(2, 3)).intact
    execute(store_url, "UPDATE decisions SET outcome = 'eligible' WHERE outcome = 'ineligible' AND record_seq > 40")
    report = _same(store_url, ranges=(2, 3))
    assert not report.intact and "decision index" in (report.reason or ""), report
