"""How `verify` reads a store quickly, and that it still answers as reading every body whole.

`verify` decodes only the fields of a decision's body that its checks and the index rule
read, hashes the canonical input as stored, and reads the chain and the indexes together,
in batches. Here: the trimmed reading gives the same index rows as the whole
body (sample stores of both body formats); a body of a format it was not written for, an
input stored in another layout and a body with a key given twice are read whole and judged
as before; every kind of tampering is named the same whatever the batch size.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import helpers_store
import pytest
from helpers_store import SAMPLES, execute, query, run
from hypothesis import given, settings
from hypothesis import strategies as st

import engine.services.chain_reading
from engine.store import chain_hash, index_rows_of, input_hash
from engine.store.body_reading import long_digits, read_body

# every verify here runs in one process, then in two (conftest.verify_workers): the same report
pytestmark = pytest.mark.usefixtures("verify_workers")

LEGACY = Path(__file__).parent / "data" / "legacy-store-v1.db"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample folder screened into a store, one review settled (a settlement record)."""
    from helpers_store import run_proc

    db = tmp_path_factory.mktemp("samples") / "store.db"
    screened = run_proc("screen", SAMPLES, "--db", db, "--format", "jsonl")
    assert screened.returncode == 0, screened.stderr
    pending = [
        r for r in map(json.loads, screened.stdout.splitlines()) if r["decisions"][0]["outcome"] == "needs_review"
    ]
    assert pending, "the samples hold a claim awaiting review"
    decision = pending[0]["decisions"][0]["decision"]
    granted = ("--housing-m2", "120") if pending[0]["decisions"][0]["maximums"] else ()  # an inventor grant names one
    settled = run_proc(
        "settle",
        decision,
        "--db",
        db,
        "--outcome",
        "eligible",
        *granted,
        "--reason",
        "专利权属已核实",
        "--reviewer",
        "审核员",
    )
    assert settled.returncode == 0, settled.stderr
    return db


def verify(capsys: Any, db: Path) -> tuple[int, str]:
    code, out, err = run(capsys, "verify", "--db", db, "--workers", helpers_store.VERIFY_WORKERS)
    assert "Traceback" not in out + err
    return code, out + err


def bodies(db: Path) -> list[tuple[str, str]]:
    return [(kind, body) for kind, body in query(db, "SELECT kind, body FROM records ORDER BY seq")]


def rehash(db: Path) -> None:
    """Rewrite the chain's prev and hash columns to agree with the bodies as they are now
    (what someone rewriting the whole log would do; only a noted head would show it)."""
    prev = "0" * 64
    for seq, body in query(db, "SELECT seq, body FROM records ORDER BY seq"):
        digest = chain_hash(prev, body)
        execute(db, "UPDATE records SET prev = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


def rewrite(db: Path, change: Any) -> None:
    """Every decision body replaced by ``change(body text)``, then the chain rehashed."""
    for seq, body in query(db, "SELECT seq, body FROM records WHERE kind = 'decision' ORDER BY seq"):
        execute(db, "UPDATE records SET body = ? WHERE seq = ?", (change(body), seq))
    rehash(db)


# ------------------------------------------------------------------ the trimmed reading


@pytest.mark.parametrize("which", ["samples", "legacy format"])
def test_the_trimmed_reading_implies_the_same_index_rows_as_the_whole_body(
    which: str, sample_store: Path, tmp_path: Path
) -> None:
    db = sample_store if which == "samples" else shutil.copy(LEGACY, tmp_path / "legacy.db")
    read = bodies(db)
    assert {kind for kind, _ in read} == {"decision", "settlement"} or which != "samples"
    for kind, body in read:
        whole = json.loads(body)
        content, given = read_body(body.encode("utf-8"), kind)
        assert index_rows_of(content) == index_rows_of(whole)
        for key in ("type", "application", "recorded_at", "ruleset", "input_sha256", "settlement"):
            assert content.get(key) == whole.get(key)
        if kind == "decision":
            assert given is not None and json.loads(bytes(given)) == whole["input"]
            assert input_hash(bytes(given).decode("utf-8")) == whole["input_sha256"]  # the input as stored hashes to it


def test_a_key_given_twice_is_read_as_json_reads_it() -> None:
    body = b'{"type":"decision","format":2,"type":"settlement","input":{"a":1},"input":{"b":2}}'
    content, given = read_body(body, "decision")
    assert content["type"] == "settlement" and given == b'{"b":2}'


@pytest.mark.parametrize(
    "body",
    [
        b'{"type":"decision","format":3,"input":{"a":1},"result":{"x":[1]}}',  # a later format
        b'{"type":"decision","format":2,"input":{"a":1},"result":null}',  # not the format's shape
        b'{"type":"decision","format":2,"amount":NaN}',  # JSON only Python reads
        b'{"type":"decision","format":2,"name":"\\ud800"}',  # a lone surrogate
    ],
)
def test_a_body_the_trimmed_shape_does_not_fit_is_read_whole(body: bytes) -> None:
    assert read_body(body, "decision") == (json.loads(body), None)


def test_a_body_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValueError):
        read_body(b'{"type":"decision",', "decision")
    with pytest.raises(ValueError):
        read_body(b'{"type":"\xff"}', "settlement")


def test_an_integer_json_cannot_convert_is_refused_in_a_field_the_trimmed_reading_skips() -> None:
    """msgspec steps over the fields verify does not read without converting them: a body
    holding an integer of more digits than Python converts is still not JSON, as json.loads
    finds it (and as every reader of the whole body, ``show`` among them, then fails)."""
    digits = "7" * (sys.get_int_max_str_digits() + 1)
    body = ('{"type":"decision","format":2,"engine":{"n":%s},"input":{"a":1}}' % digits).encode()
    with pytest.raises(ValueError):
        json.loads(body)
    with pytest.raises(ValueError):
        read_body(body, "decision")
    below = body.replace(b"7", b"", 2)  # as many digits as convert: read as before
    assert read_body(below, "decision")[0]["input"] == {"a": 1}


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3 * 4300), st.integers(1, 2 * 4300), st.integers(0, 4300), st.sampled_from([b"", b"-", b'"a":']))
def test_every_run_of_more_digits_than_python_converts_is_seen(
    before: int, extra: int, after: int, lead: bytes
) -> None:
    """Wherever a run of more digits than Python converts stands in a body, and however long,
    :func:`long_digits` sees it (it looks only at blocks of half the limit's length)."""
    limit = sys.get_int_max_str_digits()
    body = b"x" * before + lead + b"7" * (limit + extra) + b"]" * after
    assert long_digits(body) and long_digits(body.decode())
    assert not long_digits(b"x" * before + (b"7" * (limit // 2 - 1) + b",") * 4)


@pytest.mark.parametrize("number", ["1e-99999999999999999999", "1E+8446744073709551616"])
def test_an_input_number_no_decimal_holds_is_read_as_json_reads_it(number: str) -> None:
    """A number of the input whose exponent no Decimal holds (json.loads reads it as a
    float) is no fault of verify: the input is then not canonical, and read as JSON reads it."""
    body = ('{"type":"decision","format":2,"input":{"a":%s},"input_sha256":"x"}' % number).encode()
    content, _ = read_body(body, "decision")
    assert content == json.loads(body)


# ------------------------------------------------------------------ judged as before, through verify


def test_a_store_of_a_later_body_format_is_read_whole_and_verifies(
    sample_store: Path, tmp_path: Path, capsys: Any
) -> None:
    db = Path(shutil.copy(sample_store, tmp_path / "later.db"))
    rewrite(db, lambda body: body.replace('"format":2,', '"format":3,', 1))
    assert all('"format":3' in body for kind, body in bodies(db) if kind == "decision")
    code, output = verify(capsys, db)
    assert code == 0 and output.startswith("intact:"), output


def test_an_input_stored_in_another_layout_is_checked_by_its_canonical_form(
    sample_store: Path, tmp_path: Path, capsys: Any
) -> None:
    """An input written with spaces (as an older writer might have) still matches the hash of
    its canonical form; changed as well, it does not, and its record is named."""
    db = Path(shutil.copy(sample_store, tmp_path / "spaced.db"))

    def spaced(body: str) -> str:
        content = json.loads(body)
        given = json.dumps(content["input"], ensure_ascii=False, indent=1)
        return body.replace(json.dumps(content["input"], ensure_ascii=False, separators=(",", ":")), given, 1)

    rewrite(db, spaced)
    assert all('"input":{\n' in body for kind, body in bodies(db) if kind == "decision")
    code, output = verify(capsys, db)
    assert code == 0 and output.startswith("intact:"), output

    first = query(db, "SELECT record_id FROM records WHERE kind = 'decision' ORDER BY seq LIMIT 1")[0][0]
    execute(
        db,
        'UPDATE records SET body = replace(body, \'"submitted_on": "\', \'"submitted_on": "1\') WHERE record_id = ?',
        (first,),
    )
    rehash(db)
    code, output = verify(capsys, db)
    assert code == 1, output
    assert output.startswith(f"ALTERED: record {first} (#") and "input does not match the input hash" in output, output


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda body: body.replace('"engine":{', '"engine":{"n":%s,' % ("7" * 5000), 1), "not valid JSON"),
        (lambda body: body.replace('"input":{', '"input":{"n":1e-99999999999999999999,', 1), "input does not match"),
    ],
    ids=["an integer of 5000 digits", "an exponent no decimal holds"],
)
def test_a_body_rewritten_with_a_number_python_reads_otherwise_is_named(
    change: Any, reason: str, sample_store: Path, tmp_path: Path, capsys: Any
) -> None:
    """The log rewritten and rehashed, one body holding a number that json.loads refuses or reads
    as a float: the record is named as altered, never passed or failed with a fault of the engine."""
    db = Path(shutil.copy(sample_store, tmp_path / "numbers.db"))
    seq, record, body = query(db, "SELECT seq, record_id, body FROM records WHERE kind = 'decision' ORDER BY seq")[1]
    execute(db, "UPDATE records SET body = ? WHERE seq = ?", (change(body), seq))
    rehash(db)
    code, output = verify(capsys, db)
    assert code == 1, output
    assert output.startswith(f"ALTERED: record {record} (#{seq})") and reason in output, output


# ------------------------------------------------------------------ batches

TAMPERING = {
    "a body": "UPDATE records SET body = json_set(body, '$.result.total', '9.00') WHERE seq = {seq}",
    "a hash": "UPDATE records SET hash = printf('%064d', 7) WHERE seq = {seq}",
    "a record deleted": "DELETE FROM records WHERE seq = {seq}",
    "an applications row": "UPDATE applications SET input_hash = input_hash || '0' WHERE record_seq = {seq}",
    "an applications row deleted": "DELETE FROM applications WHERE record_seq = {seq}",
    "a decision row": "UPDATE decisions SET outcome = outcome || '!' WHERE record_seq = {seq}",
    "a decision row deleted": "DELETE FROM decisions WHERE record_seq = {seq}",
    "a decision row of no record": "UPDATE decisions SET record_seq = 100000 + record_seq WHERE record_seq = {seq}",
    "an awards row of no record": "UPDATE awards SET record_seq = 100000 + record_seq WHERE record_seq = {seq}",
    "an awards row": "UPDATE awards SET amount_fen = amount_fen + 1 WHERE record_seq = {seq}",
}


@pytest.mark.parametrize("what", TAMPERING)
def test_every_tampering_is_named_the_same_whatever_the_batch(
    what: str, sample_store: Path, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind of tampering, at a record at a batch's edge and within one, is named the
    same by batches of one record, of two and of three as by the default."""
    decisions = "SELECT record_seq FROM awards JOIN records ON seq = record_seq WHERE kind = 'decision' ORDER BY seq"
    seqs = [seq for (seq,) in query(sample_store, decisions)]  # a decision's: it has a row in every index
    for seq in sorted({seqs[0], seqs[len(seqs) // 2], seqs[-1]}):
        db = Path(shutil.copy(sample_store, tmp_path / f"{what}-{seq}.db"))
        changed = execute(db, TAMPERING[what].format(seq=seq))
        assert changed, (what, seq)
        answers = set()
        for batch in (engine.services.chain_reading.BATCH, 1, 2, 3):
            monkeypatch.setattr(engine.services.chain_reading, "BATCH", batch)
            answers.add(verify(capsys, db))
        assert len(answers) == 1, answers
        code, output = answers.pop()
        assert code == 1 and output.startswith("ALTERED: record "), output


def test_a_record_appended_while_verify_reads_is_not_an_alteration(
    sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """verify reads the log and its indexes as one snapshot: an application screened by
    another process after the index streams began and before the chain is read is simply not
    in what verify sees (it was reported ALTERED when each stream read a snapshot of its own)."""
    import yaml
    from helpers_store import run_proc

    from engine.services.verification import verify as verify_store
    from engine.store import open_store
    from engine.store import sql as sql_store

    db = Path(shutil.copy(sample_store, tmp_path / "store.db"))
    data = yaml.safe_load((SAMPLES / "p3-national-science-award.yaml").read_text(encoding="utf-8"))
    data["id"] = "PY-2024-9998"
    one = tmp_path / "one.yaml"
    one.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    chain = sql_store._Reads.chain
    appended = []

    def chain_after_an_append(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not appended:
            appended.append(run_proc("screen", one, "--db", db, "--quiet"))
        yield from chain(self, *args, **kwargs)

    monkeypatch.setattr(sql_store._Reads, "chain", chain_after_an_append)
    before = query(db, "SELECT count(*) FROM records")[0][0]
    report = verify_store(open_store(db))
    assert appended and appended[0].returncode == 0, appended and appended[0].stderr
    assert query(db, "SELECT count(*) FROM records")[0][0] == before + 1  # it was appended meanwhile
    assert report.intact, (report.bad_record, report.reason)
    assert report.records == before
