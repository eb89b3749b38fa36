"""`subsidy screen PATH... --db DB`: batch screening into the decision store.

What a programme office relies on when it screens a pile of applications:

* files, folders and ``.jsonl`` batches are all read; every decision is recorded;
* applications are taken in (submitted_on, id) order, whatever the order on the
  command line or inside a batch — that order decides who gets the room under a limit;
* an id the store already holds is skipped (stderr says so, stdout prints nothing for
  it); the same id with other content is an error for that file only;
* an invalid file or ``.jsonl`` line is reported as ``file:line`` and skipped, the rest
  are still evaluated and recorded, and the run ends with exit 2;
* the limits that span applications — once per patent under P1, 200,000.00 per
  enterprise under P2 — hold against everything the store holds, whether the
  applications come in one run or in several, and each decision names the ids of the
  earlier decisions that used the room.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from helpers_store import (
    CAP,
    P1,
    P2,
    SAMPLES,
    award_rows,
    credit_code,
    criterion,
    decisions_by_id,
    enterprise_app,
    jsonl,
    p1_claim,
    p2_claim,
    patent_number,
    query,
    record_body,
    record_hash,
    record_ids,
    run,
    write_json,
    write_jsonl,
    write_yaml,
)

from engine.generate import generate_many

NAME_A = "濮阳市恒通新材料有限公司"
NAME_B = "濮阳市华信精细化工有限公司"
CODE_A = credit_code(101)
CODE_B = credit_code(102)


def count_records(db: Path) -> int:
    return int(query(db, "SELECT count(*) FROM records")[0][0])


def app_p2(
    app_id: str,
    submitted: str,
    amount: str,
    serial: int,
    *,
    name: str = NAME_A,
    code: str = CODE_A,
    **fields: Any,
) -> dict[str, Any]:
    return enterprise_app(
        app_id, submitted, name, code, [p2_claim(patent_number(2020, serial), name, amount, **fields)]
    )


def app_p1(
    app_id: str, submitted: str, number: str, *, name: str = NAME_A, code: str = CODE_A, **kw: Any
) -> dict[str, Any]:
    return enterprise_app(app_id, submitted, name, code, [p1_claim(number, name, **kw)])


# ---------------------------------------------------------------- inputs and order


def test_files_folders_and_jsonl_are_all_screened_and_recorded(tmp_path: Path, capsys: Any) -> None:
    folder = tmp_path / "intake"
    write_yaml(folder / "a.yaml", app_p2("S-001", "2024-03-01", "100000.00", 1))
    write_json(folder / "sub" / "b.json", app_p2("S-002", "2024-03-02", "100000.00", 2, name=NAME_B, code=CODE_B))
    (folder / "notes.txt").write_text("not an application", encoding="utf-8")  # folders: application files only…
    single = write_yaml(
        tmp_path / "c.yml",
        app_p2("S-003", "2024-03-03", "100000.00", 3, name="濮阳市三号有限公司", code=credit_code(103)),
    )
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            app_p2("S-004", "2024-03-04", "100000.00", 4, name="濮阳市四号有限公司", code=credit_code(104)),
            app_p2("S-005", "2024-03-05", "100000.00", 5, name="濮阳市五号有限公司", code=credit_code(105)),
        ],
    )
    db = tmp_path / "store.db"

    code, out, err = run(capsys, "screen", folder, single, batch, "--db", db, "--format", "jsonl")

    assert code == 0, err
    results = jsonl(out)
    assert [r["application"] for r in results] == ["S-001", "S-002", "S-003", "S-004", "S-005"]
    assert all(d["outcome"] == "eligible" and d["amount"] == "10000.00" for r in results for d in r["decisions"])
    assert record_ids(db) == ["S-001", "S-002", "S-003", "S-004", "S-005"]
    # … and anything else is reported as skipped, never silently ignored
    assert f"{folder / 'notes.txt'}: skipped: not an application file" in err
    assert "1 other file skipped" in err


def test_the_sample_folder_screens_whole(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", SAMPLES, "--db", db, "--format", "jsonl", "--quiet")
    assert code == 0, err
    n = len([p for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json")])
    assert len(jsonl(out)) == n
    assert count_records(db) == n
    assert f"{n} recorded" in err


def test_shuffled_jsonl_comes_out_in_submission_order_then_id(tmp_path: Path, capsys: Any) -> None:
    apps = list(generate_many(120, seed=11))
    # ties on the submission date, broken by id
    for i, app in enumerate(apps[:12]):
        app["submitted_on"] = "2024-05-20"
        app["id"] = f"TIE-{11 - i:03d}"
    random.Random(5).shuffle(apps)
    batch = write_jsonl(tmp_path / "shuffled.jsonl", apps)
    db = tmp_path / "store.db"

    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")

    assert code == 0, err
    got = [(r["submitted_on"], r["application"]) for r in jsonl(out)]
    expected = sorted((a["submitted_on"], a["id"]) for a in apps)
    assert got == expected
    assert got != [(a["submitted_on"], a["id"]) for a in apps]  # the input really was out of order
    # and the log holds them in the same order
    assert record_ids(db) == [i for _, i in expected]


def test_order_across_files_decides_who_gets_the_room(tmp_path: Path, capsys: Any) -> None:
    # given on the command line latest first; the earliest submission must still come first
    late = write_yaml(tmp_path / "late.yaml", app_p2("ORD-3", "2024-05-01", "900000.00", 13))
    mid = write_yaml(tmp_path / "mid.yaml", app_p2("ORD-2", "2024-04-01", "1500000.00", 12))
    early = write_yaml(tmp_path / "early.yaml", app_p2("ORD-1", "2024-03-01", "1200000.00", 11))
    db = tmp_path / "store.db"

    code, out, err = run(capsys, "screen", late, mid, early, "--db", db, "--format", "jsonl")

    assert code == 0, err
    decisions = decisions_by_id(jsonl(out))
    assert [r["application"] for r in jsonl(out)] == ["ORD-1", "ORD-2", "ORD-3"]
    assert (decisions["ORD-1/1"]["outcome"], decisions["ORD-1/1"]["amount"]) == ("eligible", "120000.00")
    assert (decisions["ORD-2/1"]["outcome"], decisions["ORD-2/1"]["amount"]) == ("eligible", "80000.00")
    assert (decisions["ORD-3/1"]["outcome"], decisions["ORD-3/1"]["amount"]) == ("ineligible", None)


def test_csv_has_one_row_per_claim_with_its_decision_id(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", SAMPLES / "multi-p2-cap-reached.yaml", "--db", db, "--format", "csv")
    assert code == 0, err
    assert out.startswith("\ufeffapplication,claim,decision,")  # a byte-order mark: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [(r["decision"], r["outcome"], r["amount"]) for r in rows] == [
        ("PY-2024-0601/1", "eligible", "120000.00"),
        ("PY-2024-0601/2", "eligible", "80000.00"),
        ("PY-2024-0601/3", "ineligible", ""),
    ]
    assert {r["application"] for r in rows} == {"PY-2024-0601"}
    assert all(r["ruleset_version"].startswith("sha256:") for r in rows)


def test_text_format_names_each_decision(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", SAMPLES / "purchase-two-deals.yaml", "--db", db)
    assert code == 0, err
    assert "PY-2024-0031" in out
    assert "120,000.00" in out and "80,000.00" in out


def test_a_long_run_shows_progress_on_stderr(tmp_path: Path, capsys: Any) -> None:
    batch = write_jsonl(tmp_path / "batch.jsonl", generate_many(250, seed=3))
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    assert "250 of 250" in err
    assert "progress" not in out and len(jsonl(out)) == 250
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl", "--quiet")
    assert code == 0 and "of 250" not in err


# ---------------------------------------------------------------- already recorded


def test_an_id_already_recorded_is_skipped_and_prints_nothing(tmp_path: Path, capsys: Any) -> None:
    a = write_yaml(tmp_path / "a.yaml", app_p2("DUP-1", "2024-03-01", "100000.00", 21))
    b = write_yaml(tmp_path / "b.yaml", app_p2("DUP-2", "2024-03-02", "100000.00", 22))
    db = tmp_path / "store.db"
    assert run(capsys, "screen", a, b, "--db", db, "--format", "jsonl")[0] == 0
    hashes = {i: record_hash(db, i) for i in ("DUP-1", "DUP-2")}

    for fmt in ("jsonl", "csv", "text"):
        code, out, err = run(capsys, "screen", a, b, "--db", db, "--format", fmt)
        assert code == 0, err
        assert "DUP-1" not in out and "DUP-2" not in out
        if fmt == "csv":
            assert out.strip() == out.strip().splitlines()[0]  # the header alone
        elif fmt == "jsonl":
            assert out == ""
        for app_id in ("DUP-1", "DUP-2"):
            line = next(x for x in err.splitlines() if app_id in x)
            assert "already recorded" in line
    assert count_records(db) == 2
    assert {i: record_hash(db, i) for i in hashes} == hashes


def test_the_same_application_in_another_format_is_recognised_as_recorded(tmp_path: Path, capsys: Any) -> None:
    """The store compares canonical inputs: YAML vs JSON, key order and layout do not matter."""
    app = app_p2("CAN-1", "2024-03-01", "100000.00", 23)
    db = tmp_path / "store.db"
    assert run(capsys, "screen", write_yaml(tmp_path / "a.yaml", app), "--db", db)[0] == 0
    reordered = {k: app[k] for k in reversed(list(app))}
    reordered["applicant"] = {k: app["applicant"][k] for k in reversed(list(app["applicant"]))}
    for name, path in (
        ("json", write_json(tmp_path / "a.json", reordered)),
        ("jsonl", write_jsonl(tmp_path / "a.jsonl", [reordered])),
    ):
        code, out, err = run(capsys, "screen", path, "--db", db, "--format", "jsonl")
        assert code == 0, (name, err)
        assert out == "" and "already recorded" in err, name
    assert count_records(db) == 1


def test_the_same_id_twice_in_one_run_is_recorded_once(tmp_path: Path, capsys: Any) -> None:
    app = app_p2("TWICE-1", "2024-03-01", "100000.00", 24)
    a = write_yaml(tmp_path / "a.yaml", app)
    b = write_json(tmp_path / "b.json", app)
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", a, b, "--db", db, "--format", "jsonl")
    assert code == 0, err
    assert [r["application"] for r in jsonl(out)] == ["TWICE-1"]
    assert "already recorded" in err
    assert count_records(db) == 1


def test_same_id_with_other_content_is_an_error_for_that_file_only(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    original = write_yaml(tmp_path / "orig.yaml", app_p2("CLASH-1", "2024-03-01", "100000.00", 31))
    assert run(capsys, "screen", original, "--db", db)[0] == 0
    body_before, hash_before = record_body(db, "CLASH-1"), record_hash(db, "CLASH-1")

    changed = write_yaml(tmp_path / "changed.yaml", app_p2("CLASH-1", "2024-03-01", "150000.00", 31))
    other = write_yaml(
        tmp_path / "other.yaml", app_p2("CLASH-2", "2024-03-05", "100000.00", 32, name=NAME_B, code=CODE_B)
    )
    code, out, err = run(capsys, "screen", changed, other, "--db", db, "--format", "jsonl")

    assert code == 2
    assert [r["application"] for r in jsonl(out)] == ["CLASH-2"]
    problem = next(x for x in err.splitlines() if "CLASH-1" in x)
    assert "changed.yaml" in problem
    assert "different content" in problem
    assert "Traceback" not in err
    assert record_ids(db) == ["CLASH-1", "CLASH-2"]
    assert record_body(db, "CLASH-1") == body_before and record_hash(db, "CLASH-1") == hash_before


def test_same_id_with_other_content_inside_one_run(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            app_p2("IN-RUN-1", "2024-03-01", "100000.00", 33),
            app_p2("IN-RUN-1", "2024-03-01", "200000.00", 33),
            app_p2("IN-RUN-2", "2024-03-02", "100000.00", 34, name=NAME_B, code=CODE_B),
        ],
    )
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 2
    assert [r["application"] for r in jsonl(out)] == ["IN-RUN-1", "IN-RUN-2"]
    assert jsonl(out)[0]["decisions"][0]["amount"] == "10000.00"  # the first line, not the second
    assert "batch.jsonl:2" in err and "different content" in err
    assert record_ids(db) == ["IN-RUN-1", "IN-RUN-2"]


# ---------------------------------------------------------------- invalid input


def test_invalid_lines_and_files_are_reported_and_the_rest_recorded(tmp_path: Path, capsys: Any) -> None:
    good = [
        app_p2(
            f"OK-{i}",
            f"2024-03-0{i}",
            "100000.00",
            40 + i,
            name=f"濮阳市{i}号有限公司",
            code=credit_code(200 + i),
        )
        for i in range(1, 6)
    ]
    bad_check = app_p2("BAD-CC", "2024-03-01", "100000.00", 49)
    bad_check["applicant"]["credit_code"] = CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1")
    negative = app_p2("BAD-NEG", "2024-03-01", "-5.00", 48)
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            good[0],
            '{"format": 1, "id": "BROKEN", ',  # line 2: not JSON
            good[1],
            bad_check,  # line 4: bad check character
            good[2],
            negative,  # line 6: negative money
            '["not", "an", "object"]',  # line 7: not an application at all
        ],
    )
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("format: 1\nid: BROKEN-Y\n  submitted_on: [2024\n", encoding="utf-8")
    unknown = dict(good[3])
    unknown["claims"] = [dict(good[3]["claims"][0], program="no-such-programme")]
    unknown_file = write_yaml(tmp_path / "unknown-programme.yaml", unknown)
    fine = write_yaml(tmp_path / "fine.yaml", good[4])
    db = tmp_path / "store.db"

    code, out, err = run(capsys, "screen", batch, broken_yaml, unknown_file, fine, "--db", db, "--format", "jsonl")

    assert code == 2
    assert "Traceback" not in err
    for where in (
        "batch.jsonl:2",
        "batch.jsonl:4",
        "batch.jsonl:6",
        "batch.jsonl:7",
        "broken.yaml",
        "unknown-programme.yaml",
    ):
        assert where in err, where
    assert "credit_code" in err  # the field path of the bad check character
    assert "transaction_amount" in err
    assert "no-such-programme" in err
    recorded = ["OK-1", "OK-2", "OK-3", "OK-5"]
    assert [r["application"] for r in jsonl(out)] == recorded
    assert record_ids(db) == recorded
    assert "4 recorded" in err and "6 invalid" in err


def test_a_fixed_invalid_file_is_recorded_on_the_next_run(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    app = app_p2("FIX-1", "2024-03-01", "-1.00", 50)
    path = write_yaml(tmp_path / "fix.yaml", app)
    assert run(capsys, "screen", path, "--db", db)[0] == 2
    assert count_records(db) == 0
    write_yaml(path, app_p2("FIX-1", "2024-03-01", "100000.00", 50))
    code, out, err = run(capsys, "screen", path, "--db", db, "--format", "jsonl")
    assert code == 0, err
    assert record_ids(db) == ["FIX-1"]


def test_missing_path_is_reported_and_the_rest_recorded(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    ok = write_yaml(tmp_path / "ok.yaml", app_p2("MISS-1", "2024-03-01", "100000.00", 51))
    code, out, err = run(capsys, "screen", tmp_path / "nowhere.yaml", ok, "--db", db, "--format", "jsonl")
    assert code == 2
    assert "nowhere.yaml" in err and "Traceback" not in err
    assert record_ids(db) == ["MISS-1"]


# ---------------------------------------------------------------- P2: per-enterprise cap


def _cap_apps(tmp_path: Path) -> tuple[Path, Path, Path]:
    a = write_yaml(tmp_path / "a.yaml", app_p2("CAP-A", "2024-03-01", "1200000.00", 61))
    b = write_yaml(tmp_path / "b.yaml", app_p2("CAP-B", "2024-04-01", "1500000.00", 62))
    c = write_json(tmp_path / "c.json", app_p2("CAP-C", "2024-05-01", "900000.00", 63))
    return a, b, c


def _check_cap_decisions(decisions: dict[str, dict[str, Any]]) -> None:
    a, b, c = decisions["CAP-A/1"], decisions["CAP-B/1"], decisions["CAP-C/1"]
    assert (a["outcome"], a["amount"]) == ("eligible", "120000.00")
    assert (b["outcome"], b["amount"]) == ("eligible", "80000.00")
    assert (c["outcome"], c["amount"]) == ("ineligible", None)

    # B is limited by the cap, and says which earlier decision used the room
    assert b["arithmetic"]["gross"] == "150000.00"
    assert b["arithmetic"]["cap"] == CAP
    assert b["arithmetic"]["used"] == "120000.00" and b["arithmetic"]["room"] == "80000.00"
    assert [e["decision"] for e in b["arithmetic"]["earlier"]] == ["CAP-A/1"]
    assert [e["decision"] for e in criterion(b, "cap-not-reached")["earlier_awards"]] == ["CAP-A/1"]
    assert criterion(b, "cap-not-reached")["status"] == "met"

    # C finds the cap used up, by A and B
    cap = criterion(c, "cap-not-reached")
    assert cap["status"] == "not_met"
    assert [(e["decision"], e["amount"]) for e in cap["earlier_awards"]] == [
        ("CAP-A/1", "120000.00"),
        ("CAP-B/1", "80000.00"),
    ]
    assert [x["id"] for x in c["criteria"] if x["status"] == "not_met"] == ["cap-not-reached"]
    assert "200,000.00" in cap["explanation"]
    assert "CAP-A/1" in cap["explanation"] and "CAP-B/1" in cap["explanation"]


def test_cap_spans_separate_files_in_one_run(tmp_path: Path, capsys: Any) -> None:
    a, b, c = _cap_apps(tmp_path)
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", c, b, a, "--db", db, "--format", "jsonl")
    assert code == 0, err
    _check_cap_decisions(decisions_by_id(jsonl(out)))
    assert sum(r["amount_fen"] for r in award_rows(db) if r["program"] == P2) == 20_000_000


def test_cap_spans_separate_runs(tmp_path: Path, capsys: Any) -> None:
    a, b, c = _cap_apps(tmp_path)
    db = tmp_path / "store.db"
    results = []
    for path in (a, b, c):
        code, out, err = run(capsys, "screen", path, "--db", db, "--format", "jsonl")
        assert code == 0, err
        results += jsonl(out)
    _check_cap_decisions(decisions_by_id(results))


def test_the_english_text_names_the_cap_and_the_decisions_that_used_it(tmp_path: Path, capsys: Any) -> None:
    a, b, c = _cap_apps(tmp_path)
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", a, b, c, "--db", db, "--lang", "en")
    assert code == 0, err
    refusal = out[out.index("CAP-C") :]
    assert "per-enterprise cap reached" in refusal
    assert "CAP-A/1" in refusal and "CAP-B/1" in refusal


def test_cap_counts_earlier_claims_of_the_same_application_and_earlier_applications(
    tmp_path: Path, capsys: Any
) -> None:
    db = tmp_path / "store.db"
    first = write_yaml(tmp_path / "first.yaml", app_p2("MIX-1", "2024-01-10", "500000.00", 71))
    second = enterprise_app(
        "MIX-2",
        "2024-02-10",
        NAME_A,
        CODE_A,
        [
            p2_claim(patent_number(2020, 72), NAME_A, "700000.00"),
            p2_claim(patent_number(2020, 73), NAME_A, "1000000.00"),
            p2_claim(patent_number(2020, 74), NAME_A, "100000.00"),
        ],
    )
    assert run(capsys, "screen", first, "--db", db)[0] == 0
    code, out, err = run(
        capsys, "screen", write_yaml(tmp_path / "second.yaml", second), "--db", db, "--format", "jsonl"
    )
    assert code == 0, err
    d = decisions_by_id(jsonl(out))
    assert [(d[f"MIX-2/{i}"]["outcome"], d[f"MIX-2/{i}"]["amount"]) for i in (1, 2, 3)] == [
        ("eligible", "70000.00"),
        ("eligible", "80000.00"),
        ("ineligible", None),
    ]
    earlier = criterion(d["MIX-2/3"], "cap-not-reached")["earlier_awards"]
    assert {e.get("decision") or f"claim {e.get('claim')}" for e in earlier} >= {"MIX-1/1"}
    assert sum(r["amount_fen"] for r in award_rows(db) if r["credit_code"] == CODE_A) == 20_000_000


def test_cap_is_per_enterprise(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            app_p2("ENT-A", "2024-03-01", "2500000.00", 81),
            app_p2("ENT-B", "2024-03-02", "1500000.00", 82, name=NAME_B, code=CODE_B),
            app_p2("ENT-A2", "2024-03-03", "100000.00", 83),
        ],
    )
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    d = decisions_by_id(jsonl(out))
    assert (d["ENT-A/1"]["outcome"], d["ENT-A/1"]["amount"]) == ("eligible", "200000.00")
    assert (d["ENT-B/1"]["outcome"], d["ENT-B/1"]["amount"]) == ("eligible", "150000.00")
    assert criterion(d["ENT-B/1"], "cap-not-reached").get("earlier_awards", []) == []
    assert d["ENT-A2/1"]["outcome"] == "ineligible"


def test_a_claim_awaiting_review_holds_its_provisional_amount(tmp_path: Path, capsys: Any) -> None:
    """Until a reviewer settles it, a needs_review claim holds the room it would use."""
    db = tmp_path / "store.db"
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            app_p2("NR-1", "2024-03-01", "1500000.00", 84, contract_registered=None),
            app_p2("NR-2", "2024-03-02", "1900000.00", 85),
        ],
    )
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    d = decisions_by_id(jsonl(out))
    assert (d["NR-1/1"]["outcome"], d["NR-1/1"]["amount"]) == ("needs_review", "150000.00")
    assert (d["NR-2/1"]["outcome"], d["NR-2/1"]["amount"]) == ("eligible", "50000.00")
    held = d["NR-2/1"]["arithmetic"]["earlier"]
    assert [(e["decision"], e["amount"], e.get("pending")) for e in held] == [("NR-1/1", "150000.00", True)]
    assert [(r["decision_id"], r["source"]) for r in award_rows(db)] == [
        ("NR-1/1", "pending"),
        ("NR-2/1", "decision"),
    ]


def test_a_claim_awaiting_review_holds_its_patent(tmp_path: Path, capsys: Any) -> None:
    number = patent_number(2019, 86)
    db = tmp_path / "store.db"
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            app_p1("HOLD-1", "2024-03-01", number, site=None),  # site not stated: needs review
            app_p1("HOLD-2", "2024-03-02", number),
        ],
    )
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    d = decisions_by_id(jsonl(out))
    assert d["HOLD-1/1"]["outcome"] == "needs_review"
    assert d["HOLD-2/1"]["outcome"] == "ineligible"
    once = criterion(d["HOLD-2/1"], "once-per-patent")
    assert [(e["decision"], e.get("pending")) for e in once["earlier_awards"]] == [("HOLD-1/1", True)]


# ---------------------------------------------------------------- P1: once per patent


def _patent_apps(tmp_path: Path) -> tuple[Path, Path, str]:
    number = patent_number(2019, 91)
    first = write_yaml(tmp_path / "first.yaml", app_p1("PAT-1", "2024-03-01", number))
    # the same patent, claimed again (another site, later) by the same patentee
    second = write_yaml(tmp_path / "second.yaml", app_p1("PAT-2", "2024-06-01", number, site="410928"))
    return first, second, number


def _check_patent_decisions(decisions: dict[str, dict[str, Any]], number: str) -> None:
    first, second = decisions["PAT-1/1"], decisions["PAT-2/1"]
    assert (first["outcome"], first["amount"]) == ("eligible", "500000.00")
    assert (second["outcome"], second["amount"]) == ("ineligible", None)
    once = criterion(second, "once-per-patent")
    assert once["status"] == "not_met"
    assert [(e["decision"], e["amount"]) for e in once["earlier_awards"]] == [("PAT-1/1", "500000.00")]
    assert number in once["explanation"] and "PAT-1/1" in once["explanation"]
    assert [x["id"] for x in second["criteria"] if x["status"] == "not_met"] == ["once-per-patent"]


def test_once_per_patent_spans_applications_in_one_run(tmp_path: Path, capsys: Any) -> None:
    first, second, number = _patent_apps(tmp_path)
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", second, first, "--db", db, "--format", "jsonl")
    assert code == 0, err
    _check_patent_decisions(decisions_by_id(jsonl(out)), number)
    assert [r["decision_id"] for r in award_rows(db) if r["patent"] == number] == ["PAT-1/1"]


def test_once_per_patent_spans_runs(tmp_path: Path, capsys: Any) -> None:
    first, second, number = _patent_apps(tmp_path)
    db = tmp_path / "store.db"
    results = []
    for path in (first, second):
        code, out, err = run(capsys, "screen", path, "--db", db, "--format", "jsonl")
        assert code == 0, err
        results += jsonl(out)
    _check_patent_decisions(decisions_by_id(results), number)


def test_once_per_patent_across_enterprises(tmp_path: Path, capsys: Any) -> None:
    """The patent, not the enterprise, is the unit: a buyer of an awarded patent gets no second award."""
    number = patent_number(2019, 92)
    db = tmp_path / "store.db"
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            app_p1("PX-1", "2024-03-01", number),
            app_p1("PX-2", "2024-08-01", number, name=NAME_B, code=CODE_B),
        ],
    )
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    d = decisions_by_id(jsonl(out))
    assert d["PX-1/1"]["outcome"] == "eligible"
    assert d["PX-2/1"]["outcome"] == "ineligible"
    assert [e["decision"] for e in criterion(d["PX-2/1"], "once-per-patent")["earlier_awards"]] == ["PX-1/1"]


def test_other_patents_of_the_same_enterprise_are_not_limited(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            app_p1("PY-1", "2024-03-01", patent_number(2019, 93)),
            app_p1("PY-2", "2024-03-02", patent_number(2019, 94)),
        ],
    )
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    assert [d["amount"] for r in jsonl(out) for d in r["decisions"]] == ["500000.00", "500000.00"]


def test_p1_award_does_not_use_p2_room(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "store.db"
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            app_p1("PROG-1", "2024-03-01", patent_number(2019, 95)),
            app_p2("PROG-2", "2024-03-02", "2000000.00", 96),
        ],
    )
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl")
    assert code == 0, err
    d = decisions_by_id(jsonl(out))
    assert d["PROG-2/1"]["amount"] == CAP
    assert P1 in {r["program"] for r in award_rows(db)}


def test_ledger_state_seen_is_recorded_with_the_decision(tmp_path: Path, capsys: Any) -> None:
    a, b, c = _cap_apps(tmp_path)
    db = tmp_path / "store.db"
    assert run(capsys, "screen", a, b, c, "--db", db)[0] == 0
    ledger = record_body(db, "CAP-C")["ledger"]
    caps = [entry for entry in ledger if entry["program"] == P2]
    assert caps, ledger
    assert caps[0]["key"] == CODE_A
    assert [(x["decision"], x["amount"]) for x in caps[0]["awards"]] == [
        ("CAP-A/1", "120000.00"),
        ("CAP-B/1", "80000.00"),
    ]
    first = [entry for entry in record_body(db, "CAP-A")["ledger"] if entry["program"] == P2]
    assert first and first[0]["awards"] == []


def test_decisions_screened_match_the_self_check_when_nothing_is_shared(tmp_path: Path, capsys: Any) -> None:
    """`screen` and `check` agree on applications that share no patent and no enterprise."""
    db = tmp_path / "store.db"
    path = SAMPLES / "purchase-two-deals.yaml"
    code, out, err = run(capsys, "check", path, "--format", "json")
    assert code == 0, err
    checked = json.loads(out)
    code, out, err = run(capsys, "screen", path, "--db", db, "--format", "jsonl")
    assert code == 0, err
    screened = jsonl(out)[0]
    assert [(d["outcome"], d["amount"]) for d in screened["decisions"]] == [
        (d["outcome"], d["amount"]) for d in checked["decisions"]
    ]
    assert screened["ruleset"] == checked["ruleset"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "text"])
def test_every_format_records_the_same(tmp_path: Path, capsys: Any, fmt: str) -> None:
    db = tmp_path / "store.db"
    code, _, err = run(capsys, "screen", SAMPLES / "multi-p2-cap-reached.yaml", "--db", db, "--format", fmt)
    assert code == 0, err
    body = record_body(db, "PY-2024-0601")
    assert [d["amount"] for d in body["result"]["decisions"]] == ["120000.00", "80000.00", None]


def test_an_application_that_hits_an_internal_fault_is_skipped_and_the_batch_goes_on(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import engine

    evaluate_many = engine.Evaluator.evaluate_many

    def faulty(self: Any, items: Any) -> Any:
        if any(app.id == "FAULT-2" for app, *_ in items):
            raise ZeroDivisionError("division by zero")
        return evaluate_many(self, items)

    monkeypatch.setattr(engine.Evaluator, "evaluate_many", faulty)
    batch = write_jsonl(
        tmp_path / "batch.jsonl",
        [app_p2(f"FAULT-{i}", f"2024-03-0{i}", "100000.00", 140 + i, code=credit_code(140 + i)) for i in (1, 2, 3)],
    )
    db = tmp_path / "store.db"
    code, out, err = run(capsys, "screen", batch, "--db", db, "--format", "jsonl", "--workers", "0")
    assert code == 3
    assert [r["application"] for r in jsonl(out)] == ["FAULT-1", "FAULT-3"]
    assert record_ids(db) == ["FAULT-1", "FAULT-3"]
    line = next(x for x in err.splitlines() if "FAULT" in x or "batch.jsonl:2" in x)
    assert "batch.jsonl:2" in line and "ZeroDivisionError" in line and "skipped" in line
    assert "2 recorded, 0 already recorded, 0 invalid, 1 failed" in err and "Traceback" not in err
