"""Reviewers settle what the engine could not: `subsidy settle`, `show`, `report`.

A settlement is a new record in the chain; the decision it settles is never modified. Only a
decision that needs review is settled, and only once. An eligible settlement is an award like
any other: it counts towards once-per-patent and the per-enterprise cap from then on, and it
can never grant more than the programme allows at that moment. `report` totals what was
awarded (settlements included) and lists what still awaits review.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from helpers_store import (
    P1,
    P2,
    P3,
    SAMPLES,
    award_rows,
    credit_code,
    criterion,
    decisions_by_id,
    enterprise_app,
    execute,
    jsonl,
    p1_claim,
    p2_claim,
    patent_number,
    query,
    record_body,
    record_hash,
    record_ids,
    run,
    show_json,
    write_jsonl,
)

import engine

NAME_A = "濮阳市远东管业有限公司"
NAME_B = "濮阳市汇源生物科技有限公司"
NAME_C = "濮阳市明珠化工有限公司"
CODE_A = credit_code(601)
CODE_B = credit_code(602)
CODE_C = credit_code(603)
PATENT_X = patent_number(2019, 601)
P3_APP = "PY-2024-0503"  # review-p3-high-value-not-stated.yaml
REVIEWER = ["--reason", "技术合同登记证明已补交并核验", "--reviewer", "王审核"]


def _apps() -> list[dict[str, Any]]:
    return [
        # P2 awaiting review: contract registration not stated; would pay 150,000.00
        enterprise_app(
            "RV2-1",
            "2024-03-01",
            NAME_A,
            CODE_A,
            [p2_claim(patent_number(2020, 611), NAME_A, "1500000.00", contract_registered=None)],
        ),
        # P1 awaiting review: industrialization site not stated; would pay 500,000.00
        enterprise_app("RV1-1", "2024-03-02", NAME_B, CODE_B, [p1_claim(PATENT_X, NAME_B, site=None)]),
        # eligible and ineligible decisions, which are not for reviewers
        enterprise_app(
            "EL-1", "2024-03-03", NAME_C, CODE_C, [p2_claim(patent_number(2020, 613), NAME_C, "1000000.00")]
        ),
        enterprise_app(
            "IN-1",
            "2024-03-04",
            NAME_C,
            CODE_C,
            [
                p2_claim(
                    patent_number(2020, 614),
                    NAME_C,
                    "1000000.00",
                    seller={"type": "enterprise", "name": "郑州某某科技有限公司", "country": "CN"},
                )
            ],
        ),
    ]


@pytest.fixture
def store(tmp_path: Path, capsys: Any) -> Path:
    db = tmp_path / "store.db"
    code, out, err = run(
        capsys,
        "screen",
        write_jsonl(tmp_path / "batch.jsonl", _apps()),
        SAMPLES / "review-p3-high-value-not-stated.yaml",
        "--db",
        db,
        "--format",
        "jsonl",
    )
    assert code == 0, err
    d = decisions_by_id(jsonl(out))
    assert (d["RV2-1/1"]["outcome"], d["RV2-1/1"]["amount"]) == ("needs_review", "150000.00")
    assert (d["RV1-1/1"]["outcome"], d["RV1-1/1"]["amount"]) == ("needs_review", "500000.00")
    assert (d["EL-1/1"]["outcome"], d["EL-1/1"]["amount"]) == ("eligible", "100000.00")
    assert d["IN-1/1"]["outcome"] == "ineligible"
    assert d[f"{P3_APP}/1"]["outcome"] == "needs_review"
    return db


def settle(capsys: Any, db: Path, decision: str, outcome: str, *extra: str) -> tuple[int, str, str]:
    code, out, err = run(capsys, "settle", "--db", db, decision, "--outcome", outcome, *extra, *REVIEWER)
    assert "Traceback" not in out + err
    return code, out, err


def verify_ok(capsys: Any, db: Path) -> None:
    code, out, err = run(capsys, "verify", "--db", db)
    assert code == 0, out + err


def screen_more(capsys: Any, db: Path, tmp_path: Path, name: str, apps: list[dict[str, Any]]) -> dict[str, Any]:
    code, out, err = run(capsys, "screen", write_jsonl(tmp_path / name, apps), "--db", db, "--format", "jsonl")
    assert code == 0, err
    return decisions_by_id(jsonl(out))


# ------------------------------------------------------------------ what may be settled


def test_a_decision_awaiting_review_is_settled_by_a_new_record(store: Path, capsys: Any) -> None:
    body_before, hash_before = record_body(store, "RV1-1"), record_hash(store, "RV1-1")
    code, out, err = settle(capsys, store, "RV1-1/1", "eligible")
    assert code == 0, err
    assert "RV1-1/1: eligible, amount 500,000.00 yuan (record RV1-1/1/settlement" in out, out

    assert record_ids(store)[-1] == "RV1-1/1/settlement"
    settlement = record_body(store, "RV1-1/1/settlement")
    assert settlement["type"] == "settlement"
    assert settlement["decision"] == "RV1-1/1" and settlement["application"] == "RV1-1"
    assert settlement["outcome"] == "eligible" and settlement["amount"] == "500000.00"
    assert settlement["reviewer"] == "王审核" and settlement["reason"] == "技术合同登记证明已补交并核验"
    assert settlement["recorded_at"]
    assert settlement["ruleset"] == body_before["ruleset"]
    assert query(store, "SELECT hash FROM records WHERE record_id = 'RV1-1/1/settlement'")[0][0] in out

    # the decision itself is untouched, the chain intact, and it still replays
    assert record_body(store, "RV1-1") == body_before and record_hash(store, "RV1-1") == hash_before
    verify_ok(capsys, store)
    code, out, err = run(capsys, "replay", "--db", store)
    assert code == 0, out + err


@pytest.mark.parametrize("decision", ["EL-1/1", "IN-1/1"])
@pytest.mark.parametrize("outcome", ["eligible", "ineligible"])
def test_decisions_that_need_no_review_cannot_be_settled(store: Path, capsys: Any, decision: str, outcome: str) -> None:
    before = query(store, "SELECT * FROM records ORDER BY seq")
    code, out, err = settle(capsys, store, decision, outcome)
    assert code == 2
    assert decision in err and "review" in err
    assert ("eligible" if decision.startswith("EL") else "ineligible") in err
    assert query(store, "SELECT * FROM records ORDER BY seq") == before


@pytest.mark.parametrize("second", ["eligible", "ineligible"])
def test_a_decision_is_settled_only_once(store: Path, capsys: Any, second: str) -> None:
    assert settle(capsys, store, "RV1-1/1", "ineligible")[0] == 0
    before = query(store, "SELECT * FROM records ORDER BY seq")
    code, out, err = settle(capsys, store, "RV1-1/1", second)
    assert code == 2
    assert "already settled" in err and "王审核" in err
    assert query(store, "SELECT * FROM records ORDER BY seq") == before
    verify_ok(capsys, store)


def test_a_decision_whose_record_was_altered_is_not_settled(store: Path, capsys: Any) -> None:
    """A reviewer concludes only on the record as written: one altered behind the engine's
    back is named (exit 1, as `show` and `verify` name it) and nothing is appended."""
    body = query(store, "SELECT body FROM records WHERE record_id = 'RV1-1'")[0][0]
    assert execute(store, "UPDATE records SET body = ? WHERE record_id = 'RV1-1'", (body.replace("濮阳", "滑县", 1),))
    before = query(store, "SELECT * FROM records ORDER BY seq")
    code, out, err = settle(capsys, store, "RV1-1/1", "eligible")
    assert (code, out) == (1, "")
    assert "record RV1-1 (#" in err and "was altered" in err
    assert query(store, "SELECT * FROM records ORDER BY seq") == before


@pytest.mark.parametrize("decision", ["NOPE-1/1", "RV1-1/2", "RV1-1", "RV1-1/1/settlement"])
def test_an_unknown_decision_cannot_be_settled(store: Path, capsys: Any, decision: str) -> None:
    code, out, err = settle(capsys, store, decision, "ineligible")
    assert code == 2
    assert decision.split("/")[0] in err


def test_a_settlement_needs_a_reason_and_a_reviewer(store: Path, capsys: Any) -> None:
    code, out, err = run(
        capsys,
        "settle",
        "--db",
        store,
        "RV1-1/1",
        "--outcome",
        "eligible",
        "--reason",
        "  ",
        "--reviewer",
        "王审核",
    )
    assert code == 2 and "reason" in err
    assert record_ids(store)[-1] != "RV1-1/1/settlement"


def test_an_ineligible_settlement_grants_no_amount(store: Path, capsys: Any) -> None:
    code, out, err = settle(capsys, store, "RV1-1/1", "ineligible", "--amount", "1.00")
    assert code == 2
    assert "RV1-1/1/settlement" not in record_ids(store)


# ------------------------------------------------------------------ ceilings


@pytest.mark.parametrize(
    "decision, extra",
    [
        ("RV1-1/1", ["--amount", "500000.01"]),  # P1 pays 500,000.00 per patent
        ("RV2-1/1", ["--amount", "150000.01"]),  # 10 % of 1,500,000.00
        (f"{P3_APP}/1", ["--amount", "1000000.01"]),  # research fund at most 1,000,000.00 a year
        (f"{P3_APP}/1", ["--housing-m2", "160.5"]),  # housing at most 160 m²
        (f"{P3_APP}/1", ["--housing-m2", "0"]),
        ("RV1-1/1", ["--amount", "0.00"]),
        ("RV1-1/1", ["--amount", "-5.00"]),
        ("RV1-1/1", ["--amount", "100.001"]),
        ("RV1-1/1", ["--housing-m2", "100"]),  # P1 grants no housing
    ],
    ids=[
        "p1-above-award",
        "p2-above-rate",
        "p3-above-fund",
        "p3-above-housing",
        "p3-no-housing",
        "zero",
        "negative",
        "three-decimals",
        "p1-housing",
    ],
)
def test_amounts_above_what_the_programme_allows_are_refused(
    store: Path, capsys: Any, decision: str, extra: list[str]
) -> None:
    before = query(store, "SELECT * FROM records ORDER BY seq")
    awards = award_rows(store)
    code, out, err = settle(capsys, store, decision, "eligible", *extra)
    assert code == 2, out
    assert err.startswith("error:")
    assert query(store, "SELECT * FROM records ORDER BY seq") == before
    assert award_rows(store) == awards


def test_amounts_up_to_the_ceiling_are_accepted(store: Path, capsys: Any) -> None:
    code, out, err = settle(capsys, store, f"{P3_APP}/1", "eligible", "--amount", "1000000.00", "--housing-m2", "160")
    assert code == 0, err
    body = record_body(store, f"{P3_APP}/1/settlement")
    assert body["amount"] == "1000000.00" and body["housing_m2"] == "160"
    code, out, err = settle(capsys, store, "RV1-1/1", "eligible", "--amount", "300000.00")
    assert code == 0, err
    assert record_body(store, "RV1-1/1/settlement")["amount"] == "300000.00"
    verify_ok(capsys, store)


def test_a_p2_claim_awaiting_review_can_be_settled_at_its_full_amount(store: Path, capsys: Any) -> None:
    code, out, err = settle(capsys, store, "RV2-1/1", "eligible", "--amount", "150000.00")
    assert code == 0, err
    assert record_body(store, "RV2-1/1/settlement")["amount"] == "150000.00"


def test_queue_names_programmes_amounts_and_reasons_in_words(store: Path, capsys: Any) -> None:
    """The queue reads as the reviewer's language: the programme's name, money with separators and
    its unit, the open criteria by their labels — never an id or 150000.00 in a Chinese line."""
    code, out, err = run(capsys, "queue", "--db", store)
    assert code == 0, err
    line = next(x for x in out.splitlines() if x.startswith("RV2-1/1 "))
    assert "专利技术购买奖励 · 暂占 150,000.00 元 · 待定：技术交易额经技术合同认定登记" in line, line
    assert "patent-purchase-reward" not in out and "contract-registered" not in out and "150000.00" not in out
    assert err.strip() == "3 项待评审"
    code, out, err = run(capsys, "queue", "--db", store, "--lang", "en")
    line = next(x for x in out.splitlines() if x.startswith("RV2-1/1 "))
    assert "Patent purchase reward · holds 150,000.00 yuan · open: " in line and "contract-registered" not in line
    assert err.strip() == "3 decision(s) awaiting review"


def test_subsidy_version(capsys: Any) -> None:
    with pytest.raises(SystemExit) as done:
        run(capsys, "--version")
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"subsidy {engine.__version__}"


def test_a_p2_settlement_defaults_to_the_provisional_amount(store: Path, capsys: Any) -> None:
    code, out, err = settle(capsys, store, "RV2-1/1", "eligible")
    assert code == 0, err
    assert record_body(store, "RV2-1/1/settlement")["amount"] == "150000.00"


def test_a_p2_settlement_is_held_to_the_room_left(tmp_path: Path, capsys: Any) -> None:
    """An eligible award to the same enterprise after the claim was screened leaves less room."""
    db = tmp_path / "store.db"
    apps = [
        enterprise_app(
            "ROOM-1",
            "2024-03-01",
            NAME_A,
            CODE_A,
            [p2_claim(patent_number(2020, 621), NAME_A, "500000.00", contract_registered=None)],
        ),
        enterprise_app(
            "ROOM-2", "2024-03-02", NAME_A, CODE_A, [p2_claim(patent_number(2020, 622), NAME_A, "1800000.00")]
        ),
    ]
    d = screen_more(capsys, db, tmp_path, "batch.jsonl", apps)
    assert (d["ROOM-1/1"]["outcome"], d["ROOM-1/1"]["amount"]) == ("needs_review", "50000.00")
    assert (d["ROOM-2/1"]["outcome"], d["ROOM-2/1"]["amount"]) == ("eligible", "150000.00")
    code, out, err = settle(capsys, db, "ROOM-1/1", "eligible", "--amount", "50000.01")
    assert code == 2
    assert "ROOM-1/1/settlement" not in record_ids(db)
    assert sum(r["amount_fen"] for r in award_rows(db) if r["source"] != "pending") == 15_000_000


def test_a_p2_settlement_may_use_exactly_the_room_left(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    apps = [
        enterprise_app(
            "ROOM-1",
            "2024-03-01",
            NAME_A,
            CODE_A,
            [p2_claim(patent_number(2020, 621), NAME_A, "500000.00", contract_registered=None)],
        ),
        enterprise_app(
            "ROOM-2", "2024-03-02", NAME_A, CODE_A, [p2_claim(patent_number(2020, 622), NAME_A, "1800000.00")]
        ),
    ]
    screen_more(capsys, db, tmp_path, "batch.jsonl", apps)
    code, out, err = settle(capsys, db, "ROOM-1/1", "eligible", "--amount", "50000.01")
    assert code == 2 and "50,000.00" in err, err  # the refusal names the room left
    code, out, err = settle(capsys, db, "ROOM-1/1", "eligible")
    assert code == 0, err
    assert record_body(db, "ROOM-1/1/settlement")["amount"] == "50000.00"
    assert sum(r["amount_fen"] for r in award_rows(db) if r["source"] != "pending") == 20_000_000


def test_a_p2_settlement_is_refused_once_the_cap_is_used_by_others(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    apps = [
        enterprise_app(
            "FULL-1", "2024-03-01", NAME_A, CODE_A, [p2_claim(patent_number(2020, 631), NAME_A, "2500000.00")]
        )
    ]
    screen_more(capsys, db, tmp_path, "first.jsonl", apps)
    later = [
        enterprise_app(
            "FULL-2",
            "2024-03-02",
            NAME_A,
            CODE_A,
            [p2_claim(patent_number(2020, 632), NAME_A, "300000.00", contract_registered=None)],
        )
    ]
    d = screen_more(capsys, db, tmp_path, "later.jsonl", later)
    # the cap is used up: the claim is refused outright rather than sent to review
    assert d["FULL-2/1"]["outcome"] == "ineligible"
    code, out, err = settle(capsys, db, "FULL-2/1", "eligible")
    assert code == 2


# ------------------------------------------------------------------ settlements and the limits


def test_a_settled_p1_award_blocks_the_patent_for_later_applications(store: Path, capsys: Any, tmp_path: Path) -> None:
    assert settle(capsys, store, "RV1-1/1", "eligible")[0] == 0
    assert [
        (r["decision_id"], r["patent"], r["amount_fen"], r["source"]) for r in award_rows(store) if r["program"] == P1
    ] == [("RV1-1/1", PATENT_X, 50_000_000, "settlement")]
    again = [enterprise_app("RV1-2", "2024-09-01", NAME_B, CODE_B, [p1_claim(PATENT_X, NAME_B)])]
    d = screen_more(capsys, store, tmp_path, "again.jsonl", again)
    assert (d["RV1-2/1"]["outcome"], d["RV1-2/1"]["amount"]) == ("ineligible", None)
    once = criterion(d["RV1-2/1"], "once-per-patent")
    assert once["status"] == "not_met"
    assert [(e["decision"], e["amount"]) for e in once["earlier_awards"]] == [("RV1-1/1", "500000.00")]
    assert not once["earlier_awards"][0].get("pending")
    verify_ok(capsys, store)


def test_an_ineligible_p1_settlement_frees_the_patent(store: Path, capsys: Any, tmp_path: Path) -> None:
    assert settle(capsys, store, "RV1-1/1", "ineligible")[0] == 0
    assert [r for r in award_rows(store) if r["program"] == P1] == []
    again = [enterprise_app("RV1-3", "2024-09-01", NAME_B, CODE_B, [p1_claim(PATENT_X, NAME_B)])]
    d = screen_more(capsys, store, tmp_path, "again.jsonl", again)
    assert (d["RV1-3/1"]["outcome"], d["RV1-3/1"]["amount"]) == ("eligible", "500000.00")
    verify_ok(capsys, store)


def test_a_settled_p2_award_reduces_the_enterprise_room(store: Path, capsys: Any, tmp_path: Path) -> None:
    # settled below the provisional amount: the settled sum, not the provisional one, is what counts
    code, out, err = settle(capsys, store, "RV2-1/1", "eligible", "--amount", "30000.00")
    assert code == 0, err
    assert [
        (r["decision_id"], r["amount_fen"], r["source"])
        for r in award_rows(store)
        if r["program"] == P2 and r["credit_code"] == CODE_A
    ] == [("RV2-1/1", 3_000_000, "settlement")]
    more = [
        enterprise_app(
            "RV2-2", "2024-09-01", NAME_A, CODE_A, [p2_claim(patent_number(2020, 641), NAME_A, "2500000.00")]
        )
    ]
    d = screen_more(capsys, store, tmp_path, "more.jsonl", more)
    decision = d["RV2-2/1"]
    assert (decision["outcome"], decision["amount"]) == ("eligible", "170000.00")
    assert decision["arithmetic"]["used"] == "30000.00" and decision["arithmetic"]["room"] == "170000.00"
    assert [(e["decision"], e["amount"]) for e in decision["arithmetic"]["earlier"]] == [("RV2-1/1", "30000.00")]
    assert [e["decision"] for e in criterion(decision, "cap-not-reached")["earlier_awards"]] == ["RV2-1/1"]
    verify_ok(capsys, store)


def test_an_ineligible_p2_settlement_frees_the_room(store: Path, capsys: Any, tmp_path: Path) -> None:
    assert settle(capsys, store, "RV2-1/1", "ineligible")[0] == 0
    assert [r for r in award_rows(store) if r["credit_code"] == CODE_A] == []
    more = [
        enterprise_app(
            "RV2-3", "2024-09-01", NAME_A, CODE_A, [p2_claim(patent_number(2020, 642), NAME_A, "2500000.00")]
        )
    ]
    d = screen_more(capsys, store, tmp_path, "more.jsonl", more)
    assert (d["RV2-3/1"]["outcome"], d["RV2-3/1"]["amount"]) == ("eligible", "200000.00")


def test_settlements_replay_and_verify_with_later_decisions(store: Path, capsys: Any, tmp_path: Path) -> None:
    assert settle(capsys, store, "RV1-1/1", "eligible")[0] == 0
    assert settle(capsys, store, "RV2-1/1", "ineligible")[0] == 0
    screen_more(
        capsys,
        store,
        tmp_path,
        "more.jsonl",
        [
            enterprise_app(
                "LATE-1",
                "2024-10-01",
                NAME_A,
                CODE_A,
                [p2_claim(patent_number(2020, 651), NAME_A, "900000.00")],
            )
        ],
    )
    verify_ok(capsys, store)
    code, out, err = run(capsys, "replay", "--db", store)
    assert code == 0, out + err
    assert "0 differ" in out


def test_verify_names_an_altered_settlement(store: Path, capsys: Any) -> None:
    assert settle(capsys, store, "RV1-1/1", "eligible", "--amount", "300000.00")[0] == 0
    execute(
        store,
        "UPDATE records SET body = json_set(body, '$.amount', '500000.00') WHERE record_id = 'RV1-1/1/settlement'",
    )
    code, out, err = run(capsys, "verify", "--db", store)
    assert code == 1
    assert "RV1-1/1/settlement" in out


def test_verify_names_a_settlement_whose_award_row_was_altered(store: Path, capsys: Any) -> None:
    assert settle(capsys, store, "RV1-1/1", "eligible", "--amount", "300000.00")[0] == 0
    execute(
        store,
        "UPDATE awards SET amount_fen = 50000000 WHERE decision_id = 'RV1-1/1' AND source = 'settlement'",
    )
    code, out, err = run(capsys, "verify", "--db", store)
    assert code == 1
    assert "RV1-1" in out


def test_an_altered_archive_cannot_raise_what_a_settlement_grants(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    screen_more(
        capsys,
        db,
        tmp_path,
        "big.jsonl",
        [
            enterprise_app(
                "BIG-1",
                "2024-03-01",
                NAME_A,
                CODE_A,
                [p2_claim(patent_number(2020, 661), NAME_A, "3000000.00", contract_registered=None)],
            )
        ],
    )
    changed = execute(
        db,
        "UPDATE ruleset_files SET content = CAST(replace(CAST(content AS TEXT), "
        "'value: \"200000.00\"', 'value: \"900000.00\"') AS BLOB) WHERE name = 'parameters.yaml'",
    )
    assert changed == 1
    code, out, err = settle(capsys, db, "BIG-1/1", "eligible", "--amount", "300000.00")
    granted = sum(r["amount_fen"] for r in award_rows(db) if r["program"] == P2 and r["source"] != "pending")
    verified = run(capsys, "verify", "--db", db)[0]
    # refused as what it is, an altered record (exit 1), not an input error; nothing granted
    assert code == 1 and "altered" in err and granted <= 20_000_000, f"granted {granted / 100:.2f}; verify {verified}"


# ------------------------------------------------------------------ show and report


def test_show_prints_the_settlement(store: Path, capsys: Any) -> None:
    assert settle(capsys, store, "RV1-1/1", "eligible", "--amount", "300000.00")[0] == 0
    code, out, err = run(capsys, "show", "--db", store, "RV1-1/1")
    assert code == 0, err
    assert "王审核" in out and "技术合同登记证明已补交并核验" in out and "300,000.00" in out
    shown = show_json(capsys, store, "RV1-1")
    assert [(s["settlement"], s["outcome"], s["amount"], s["reviewer"]) for s in shown["settlements"]] == [
        ("RV1-1/1/settlement", "eligible", "300000.00", "王审核")
    ]
    assert shown["record"] == "RV1-1"  # the decision record itself, unchanged
    assert shown["content"]["result"]["decisions"][0]["outcome"] == "needs_review"
    assert show_json(capsys, store, "RV1-1/1/settlement") == shown


def test_show_of_an_unsettled_decision_lists_no_settlement(store: Path, capsys: Any) -> None:
    assert show_json(capsys, store, "RV2-1/1")["settlements"] == []


def _report_csv(capsys: Any, db: Path) -> list[dict[str, str]]:
    code, out, err = run(capsys, "report", "--db", db, "--format", "csv")
    assert code == 0, err
    assert out.startswith("\ufeffsection,program,")  # a byte-order mark: Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))


def test_report_totals_awards_and_lists_what_awaits_review(store: Path, capsys: Any) -> None:
    rows = _report_csv(capsys, store)
    programs = {r["program"]: (r["awards"], r["total"]) for r in rows if r["section"] == "program"}
    assert programs == {P2: ("1", "100000.00")}  # EL-1 only: claims awaiting review award nothing yet
    review = [r["decision"] for r in rows if r["section"] == "needs_review"]
    assert sorted(review) == sorted(["RV2-1/1", "RV1-1/1", f"{P3_APP}/1"])

    assert settle(capsys, store, "RV1-1/1", "eligible")[0] == 0
    assert settle(capsys, store, "RV2-1/1", "eligible", "--amount", "40000.00")[0] == 0
    assert settle(capsys, store, f"{P3_APP}/1", "ineligible")[0] == 0
    rows = _report_csv(capsys, store)
    programs = {r["program"]: (r["awards"], r["total"]) for r in rows if r["section"] == "program"}
    assert programs == {P1: ("1", "500000.00"), P2: ("2", "140000.00")}
    enterprises = {
        (r["credit_code"], r["program"]): (r["applicant"], r["awards"], r["total"])
        for r in rows
        if r["section"] == "enterprise"
    }
    assert enterprises == {
        (CODE_B, P1): (NAME_B, "1", "500000.00"),
        (CODE_A, P2): (NAME_A, "1", "40000.00"),
        (CODE_C, P2): (NAME_C, "1", "100000.00"),
    }
    assert [r for r in rows if r["section"] == "needs_review"] == []


def test_report_text_shows_totals_and_open_reviews(store: Path, capsys: Any) -> None:
    assert settle(capsys, store, "RV1-1/1", "eligible")[0] == 0
    code, out, err = run(capsys, "report", "--db", store)
    assert code == 0, err
    assert "600,000.00" in out  # 500,000.00 settled under P1 + 100,000.00 decided under P2
    assert NAME_B in out and CODE_B in out and "500,000.00" in out
    assert "RV2-1/1" in out and f"{P3_APP}/1" in out
    assert "RV1-1/1" not in out  # settled: no longer awaiting review


def test_report_counts_a_p3_research_fund_settlement(store: Path, capsys: Any) -> None:
    assert settle(capsys, store, f"{P3_APP}/1", "eligible", "--amount", "800000.00", "--housing-m2", "120")[0] == 0
    rows = _report_csv(capsys, store)
    programs = {r["program"]: (r["awards"], r["total"]) for r in rows if r["section"] == "program"}
    assert programs[P3] == ("1", "800000.00")
    assert [r for r in rows if r["section"] == "needs_review" and r["decision"] == f"{P3_APP}/1"] == []


def test_settle_from_a_separate_process_sees_the_screened_store(store: Path) -> None:
    from helpers_store import run_proc

    done = run_proc("settle", "--db", store, "RV1-1/1", "--outcome", "ineligible", *REVIEWER)
    assert done.returncode == 0, done.stderr
    shown = run_proc("show", "--db", store, "RV1-1", "--format", "json")
    assert json.loads(shown.stdout)["settlements"][0]["outcome"] == "ineligible"


def test_an_inventor_grant_keeps_its_kinds_apart_in_show_report_and_csv(store: Path, capsys: Any) -> None:
    """Housing in m², a research fund *per year*, one-off cash: never added together."""
    code, out, err = settle(capsys, store, f"{P3_APP}/1", "eligible", "--amount", "800000.00", "--housing-m2", "120")
    assert code == 0, err
    assert "research fund 800,000.00 yuan a year, housing 120 m²" in out
    code, shown, err = run(capsys, "show", "--db", store, P3_APP)
    assert code == 0, err
    assert "⇒ 评审结论：符合条件，科研经费每年 800,000.00 元，住房 120 平方米（王审核，" in shown
    assert shown.endswith("\n\n科研经费补贴每年 800,000.00 元\n另：住房 120 平方米\n")  # no cash: no total of 0.00
    code, text, err = run(capsys, "report", "--db", store)
    assert code == 0, err
    assert "奖励合计 100,000.00 元" in text  # one-off cash only (EL-1); the yearly fund is not added in
    assert "另：科研经费补贴每年 800,000.00 元 · 住房 120 平方米" in text
    assert "  高价值专利发明人奖励：1 项，800,000.00 元/年，住房 120 平方米" in text.splitlines()
    rows = _report_csv(capsys, store)
    p3 = [r for r in rows if r["section"] == "program" and r["program"] == P3]
    assert [(r["awards"], r["total"], r["unit"], r["housing_m2"]) for r in p3] == [
        ("1", "800000.00", "yuan_per_year", "120")
    ]
    p2 = [r for r in rows if r["section"] == "program" and r["program"] == P2]
    assert [(r["total"], r["unit"], r["housing_m2"]) for r in p2] == [("100000.00", "yuan", "")]
    assert {r["section"] for r in rows} >= {"program", "enterprise", "division", "month", "needs_review"}


# ------------------------------------------------------------------ an inventor grant of nothing


def test_an_eligible_inventor_grant_names_what_it_grants(store: Path, capsys: Any) -> None:
    """Blank is not "the most" for an up-to grant: eligible with neither a research fund nor
    housing would be a grant of nothing, recorded as an award no total shows. Refused, as a
    slip of the form, with what to give."""
    before = query(store, "SELECT * FROM records ORDER BY seq")
    code, out, err = settle(capsys, store, f"{P3_APP}/1", "eligible")
    assert code == 2 and out == ""
    assert err.startswith(
        "error: an eligible inventor grant names what it grants: the research fund per year, the housing area, or both"
    )
    assert "hint: give the research fund in yuan a year, the housing in m², or both" in err
    assert query(store, "SELECT * FROM records ORDER BY seq") == before
    assert settle(capsys, store, f"{P3_APP}/1", "eligible", "--housing-m2", "120")[0] == 0  # either one will do


def test_an_inventor_granted_nothing_before_it_was_refused_is_counted(
    store: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store may hold such a settlement from before: the store's next opening indexes it
    (migration 0007), the report counts it at 0.00 a year and 0 m², and it verifies."""
    from engine.services import settlement

    monkeypatch.setattr(settlement, "_up_to", lambda maximums, amount, housing_m2: {})  # the engine of before
    assert settle(capsys, store, f"{P3_APP}/1", "eligible")[0] == 0
    monkeypatch.undo()
    assert record_body(store, f"{P3_APP}/1/settlement")["amount"] is None
    # indexed as it was then: no award row; the schema of before
    execute(store, "DELETE FROM awards WHERE decision_id = ?", (f"{P3_APP}/1",))
    execute(store, "DELETE FROM migrations WHERE name = '0007_grants_of_nothing'")
    execute(store, "UPDATE alembic_version SET version_num = '0006'")
    code, text, err = run(capsys, "report", "--db", store)
    assert code == 0, err
    assert "  高价值专利发明人奖励：1 项，0.00 元/年，住房 0 平方米" in text.splitlines()
    assert "另：科研经费补贴每年 0.00 元 · 住房 0 平方米" in text
    assert "李国栋 · 高价值专利发明人奖励 · 1 项 · 0.00 元/年，住房 0 平方米" in text
    code, en, err = run(capsys, "report", "--db", store, "--lang", "en")
    assert "  High-value inventor grant: 1, 0.00 yuan a year, housing 0 m²" in en.splitlines()
    rows = _report_csv(capsys, store)
    p3 = [(r["section"], r["awards"], r["total"], r["unit"]) for r in rows if r["program"] == P3]
    assert p3 == [(s, "1", "0.00", "yuan_per_year") for s in ("program", "enterprise", "division", "month")]
    verify_ok(capsys, store)
