"""The services on the store seam, the same scenarios on two backends.

Each scenario runs through the public API (``engine.screen``, ``verify``, ``replay``,
``settle``, ``show``, ``report``, ``review_queue``) against the SQL backend on SQLite
and on PostgreSQL, and against an in-memory store that implements nothing but the store protocol: the
services must not be able to tell them apart. The faults a server brings (a lost
race, a failed commit) are shown on the in-memory store, which can make them happen.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers_store import (
    P2,
    P3,
    SAMPLES,
    credit_code,
    enterprise_app,
    p1_claim,
    p2_claim,
    patent_number,
    write_jsonl,
)
from memory_store import MemoryStore

import engine
from engine import ConflictError, ScreenProgress, ScreenResult, ScreenSummary, StoreError

RULEBOOK = engine.load_rulebook()
NAME = "濮阳市协议测试有限公司"
CODE = credit_code(701)


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryStore()
        return
    db = request.getfixturevalue("pg_url") if request.param == "postgresql" else tmp_path / "store.db"
    opened = engine.open_store(db, create=True)
    yield opened
    opened.close()


def screen(store: Any, paths: list[Path], **options: Any) -> tuple[list[ScreenResult], ScreenSummary]:
    results, summary = [], ScreenSummary()
    for event in engine.screen(paths, store, RULEBOOK, workers=0, **options):
        if isinstance(event, ScreenResult):
            results.append(event)
        elif isinstance(event, ScreenSummary):
            summary = event
    return results, summary


def decisions(results: list[ScreenResult]) -> dict[str, dict[str, Any]]:
    return {d["decision"]: d for r in results if r.status == "recorded" for d in r.output["decisions"]}


def cap_batch(tmp_path: Path, name: str = "cap.jsonl") -> Path:
    return write_jsonl(
        tmp_path / name,
        [
            enterprise_app("PR-1", "2024-03-01", NAME, CODE, [p2_claim(patent_number(2020, 701), NAME, "1200000.00")]),
            enterprise_app("PR-2", "2024-04-01", NAME, CODE, [p2_claim(patent_number(2020, 702), NAME, "1500000.00")]),
            enterprise_app("PR-3", "2024-05-01", NAME, CODE, [p2_claim(patent_number(2020, 703), NAME, "900000.00")]),
        ],
    )


def test_the_sample_folder_screens_verifies_and_replays(store: Any) -> None:
    results, summary = screen(store, [SAMPLES])
    n = len([p for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json")])
    assert (summary.recorded, summary.invalid, summary.failed) == (n, 0, 0)
    assert all(r.record_hash for r in results)
    report = engine.verify(store)
    assert report.intact and report.records == n and report.head == store.head()[1]
    replayed = list(engine.replay(store, workers=0))
    assert len(replayed) == n and all(r.reproduced and not r.wording for r in replayed)


def test_limits_span_applications_and_runs(store: Any, tmp_path: Path) -> None:
    batch = cap_batch(tmp_path)
    first, _ = screen(store, [batch])
    d = decisions(first)
    assert [(d[i]["outcome"], d[i]["amount"]) for i in ("PR-1/1", "PR-2/1", "PR-3/1")] == [
        ("eligible", "120000.00"),
        ("eligible", "80000.00"),
        ("ineligible", None),
    ]
    cap = next(c for c in d["PR-3/1"]["criteria"] if c["id"] == "cap-not-reached")
    assert [e["decision"] for e in cap["earlier_awards"]] == ["PR-1/1", "PR-2/1"]
    number = patent_number(2019, 704)
    again = write_jsonl(
        tmp_path / "again.jsonl",
        [
            enterprise_app("PR-4", "2024-06-01", NAME, CODE, [p1_claim(number, NAME)]),
            enterprise_app("PR-5", "2024-07-01", NAME, CODE, [p1_claim(number, NAME, site="410928")]),
        ],
    )
    second, summary = screen(store, [batch, again])
    assert summary.already_recorded == 3 and summary.recorded == 2
    d = decisions(second)
    assert d["PR-5/1"]["outcome"] == "ineligible"
    once = next(c for c in d["PR-5/1"]["criteria"] if c["id"] == "once-per-patent")
    assert [e["decision"] for e in once["earlier_awards"]] == ["PR-4/1"]
    assert engine.verify(store).intact


def test_the_same_id_with_other_content_is_refused(store: Any, tmp_path: Path) -> None:
    screen(store, [cap_batch(tmp_path)])
    changed = enterprise_app("PR-1", "2024-03-01", NAME, CODE, [p2_claim(patent_number(2020, 701), NAME, "5.00")])
    results, summary = screen(store, [write_jsonl(tmp_path / "changed.jsonl", [changed])])
    assert summary.invalid == 1 and summary.exit_code == 2
    assert "already recorded with different content" in results[0].message
    assert store.count() == 3


def test_settlements_keep_kinds_of_award_apart(store: Any) -> None:
    screen(
        store, [SAMPLES / "review-p3-high-value-not-stated.yaml", SAMPLES / "review-p2-related-party-not-declared.yaml"]
    )
    pending = engine.review_queue(store)
    assert {p.program for p in pending} == {P2, P3}
    p3 = next(p for p in pending if p.program == P3)
    p2 = next(p for p in pending if p.program == P2)
    done = engine.settle(store, p3.decision, "eligible", "核实", "王审核", amount="800000.00", housing_m2="120")
    assert (done.content["amount"], done.content["amount_is"], done.content["housing_m2"]) == (
        "800000.00",
        "research_fund_per_year",
        "120",
    )
    engine.settle(store, p2.decision, "eligible", "已声明无关联关系", "王审核")
    report = engine.report(store)
    by_program = {t.key[0]: t for t in report.by_program}
    assert (by_program[P3].one_off, by_program[P3].per_year, by_program[P3].housing_m2) == (
        Decimal("0.00"),
        Decimal("800000.00"),
        Decimal("120"),
    )
    assert report.one_off_total == by_program[P2].one_off and report.per_year_total == Decimal("800000.00")
    assert report.awaiting_review == []
    shown = engine.show(store, f"{p3.decision}/settlement")
    assert shown.record.record_id == p3.application and shown.settlements[0]["housing_m2"] == "120"
    assert engine.verify(store).intact
    assert all(r.reproduced for r in engine.replay(store, workers=0))


def test_the_review_queue_is_oldest_first_and_filters(store: Any) -> None:
    files = sorted(SAMPLES.glob("review-*.yaml"))
    screen(store, files)
    queue = engine.review_queue(store)
    assert [p.submitted_on for p in queue] == sorted(p.submitted_on for p in queue)
    assert {p.program for p in engine.review_queue(store, program=P2)} == {P2}
    reason = queue[0].open_criteria[0]
    assert all(reason in p.open_criteria for p in engine.review_queue(store, reason=reason))
    division = queue[0].division
    assert all(p.division == division for p in engine.review_queue(store, division=division))
    assert engine.review_queue(store, program="no-such-programme") == []


def test_a_lost_race_is_redone_and_every_application_recorded_once(tmp_path: Path) -> None:
    store = MemoryStore()
    store.fail_commits = [ConflictError("lost a race"), ConflictError("lost again")]
    results, summary = screen(store, [cap_batch(tmp_path)], batch=2)
    assert [r.application for r in results] == ["PR-1", "PR-2", "PR-3"]
    assert summary.recorded == 3 and store.count() == 3 and store.commits == 2
    assert [(d["decision"], d["amount"]) for d in (r.output["decisions"][0] for r in results)] == [
        ("PR-1/1", "120000.00"),
        ("PR-2/1", "80000.00"),
        ("PR-3/1", None),
    ]
    assert engine.verify(store).intact


def test_a_failed_commit_shows_only_what_was_committed(tmp_path: Path) -> None:
    store = MemoryStore()
    seen: list[str] = []
    events = engine.screen([cap_batch(tmp_path)], store, RULEBOOK, workers=0, batch=2)
    with pytest.raises(StoreError, match="disk is full"):
        for event in events:
            if isinstance(event, ScreenResult):
                seen.append(event.application or "")
            if isinstance(event, ScreenProgress) and event.done == 2:
                store.fail_commits = [StoreError("the disk is full")]
    assert seen == ["PR-1", "PR-2"]  # PR-3 was decided, but its transaction never committed
    assert [r.record_id for r in store.records()] == ["PR-1", "PR-2"]


def test_an_internal_fault_skips_that_application_only(store: Any, tmp_path: Path, monkeypatch: Any) -> None:
    evaluate = engine.Evaluator.evaluate

    def faulty(self: Any, app: Any, *args: Any, **kwargs: Any) -> Any:
        if app.id == "PR-2":
            raise RuntimeError("a fault of the engine")
        return evaluate(self, app, *args, **kwargs)

    monkeypatch.setattr(engine.Evaluator, "evaluate", faulty)
    results, summary = screen(store, [cap_batch(tmp_path)])
    assert [(r.application, r.status) for r in results] == [
        ("PR-1", "recorded"),
        ("PR-2", "failed"),
        ("PR-3", "recorded"),
    ]
    assert "a fault of the engine" in results[1].message and "cap.jsonl:2" in results[1].message
    assert summary.exit_code == 3 and [r.record_id for r in store.records()] == ["PR-1", "PR-3"]
    assert engine.verify(store).intact


def test_a_dry_run_evaluates_against_the_store_and_records_nothing(store: Any, tmp_path: Path) -> None:
    screen(store, [cap_batch(tmp_path)])
    head, count = store.head(), store.count()
    later = write_jsonl(
        tmp_path / "later.jsonl",
        [
            enterprise_app("DRY-1", "2024-08-01", NAME, CODE, [p2_claim(patent_number(2020, 711), NAME, "100000.00")]),
            enterprise_app(
                "DRY-2",
                "2024-08-02",
                "濮阳市另一测试有限公司",
                credit_code(712),
                [p2_claim(patent_number(2020, 712), "濮阳市另一测试有限公司", "1000000.00")],
            ),
            enterprise_app(
                "DRY-3",
                "2024-08-03",
                "濮阳市另一测试有限公司",
                credit_code(712),
                [p2_claim(patent_number(2020, 713), "濮阳市另一测试有限公司", "1500000.00")],
            ),
        ],
    )
    results, summary = screen(store, [later], dry_run=True)
    assert summary.dry_run and all(r.dry_run for r in results)
    d = decisions(results)
    assert d["DRY-1/1"]["outcome"] == "ineligible"  # the cap was used up by what the store holds
    assert (d["DRY-3/1"]["outcome"], d["DRY-3/1"]["amount"]) == ("eligible", "100000.00")  # and by the dry run itself
    assert (store.head(), store.count()) == (head, count)
    assert engine.verify(store).intact


def test_show_finds_a_decision_from_any_id_and_refuses_others(store: Any, tmp_path: Path) -> None:
    screen(store, [cap_batch(tmp_path)])
    for wanted in ("PR-2", "PR-2/1"):
        shown = engine.show(store, wanted)
        assert shown.record.record_id == "PR-2" and shown.result()["decisions"][0]["amount"] == "80000.00"
    for wanted in ("PR-9", "PR-2/2", "PR-2/1/settlement/x"):
        with pytest.raises(engine.UsageError):
            engine.show(store, wanted)


def test_verify_names_an_altered_record(store: Any, tmp_path: Path) -> None:
    screen(store, [cap_batch(tmp_path)])
    target = store.record("PR-2")
    altered = target.body.replace('"80000.00"', '"150000.00"')
    assert altered != target.body
    if isinstance(store, MemoryStore):
        store.state.records[1] = type(target)(**{**{f: getattr(target, f) for f in target.__slots__}, "body": altered})
    else:
        from helpers_store import execute

        execute(store.location, "UPDATE records SET body = ? WHERE record_id = 'PR-2'", (altered,))
    report = engine.verify(store)
    assert (report.bad_record, report.bad_seq) == ("PR-2", 2)
    assert "does not match its hash" in (report.reason or "")


def test_decisions_are_found_by_application_credit_code_and_patent(store: Any, tmp_path: Path) -> None:
    screen(store, [cap_batch(tmp_path)])
    assert [f.row.decision_id for f in engine.find_decisions(store, credit_code=CODE)] == ["PR-1/1", "PR-2/1", "PR-3/1"]
    found = engine.find_decisions(store, patent=patent_number(2020, 702))
    assert [(f.row.decision_id, f.row.outcome, f.row.amount, f.settled) for f in found] == [
        ("PR-2/1", "eligible", Decimal("80000.00"), False)
    ]
    assert [f.row.claim for f in engine.find_decisions(store, application="PR-3")] == [1]
    assert [f.row.decision_id for f in engine.find_decisions(store, outcome="ineligible")] == ["PR-3/1"]
    assert [f.row.decision_id for f in engine.find_decisions(store, credit_code=CODE, limit=1, offset=1)] == ["PR-2/1"]


def test_a_settlement_that_lost_a_race_is_redone_once(tmp_path: Path) -> None:
    store = MemoryStore()
    screen(store, [SAMPLES / "review-p2-related-party-not-declared.yaml"])
    decision = engine.review_queue(store)[0].decision
    store.fail_commits = [ConflictError("lost a race")]
    done = engine.settle(store, decision, "eligible", "已声明无关联关系", "王敏")
    assert done.record.record_id == f"{decision}/settlement"
    assert [r.record_id for r in store.records()].count(f"{decision}/settlement") == 1
    assert engine.review_queue(store) == [] and engine.verify(store).intact
