"""`verify` on stores tampered below the text the store writes: bytes that are not UTF-8, an
input stored in a non-canonical form with a hash of those bytes, cells of another kind than
the column holds, bodies that are JSON but not a record. Each is an alteration of the record
it is in: ``ALTERED`` naming that record (exit 1), never "intact", never an internal error.

The forger rewrites the chain after the change (every ``prev``/``hash`` recomputed over the
stored bytes), so that what is tested is the reading of the content, not the hashes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers_store import execute, query
from test_verify_reading import sample_store, verify

from engine.store import record_json

# every verify here runs in one process, then in two (conftest.verify_workers): the same report
pytestmark = pytest.mark.usefixtures("verify_workers")

__all__ = ["sample_store"]  # the fixture, shared with the trimmed-reading tests


def _rehash(db: Path) -> None:
    """Every ``prev``/``hash`` recomputed over the bodies' stored bytes (text or blob)."""
    with sqlite3.connect(db) as connection:
        prev = "0" * 64
        rows = connection.execute("SELECT seq, CAST(body AS BLOB) FROM records ORDER BY seq").fetchall()
        for seq, body in rows:
            digest = hashlib.sha256(prev.encode() + b"\n" + body).hexdigest()
            connection.execute("UPDATE records SET prev = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
            prev = digest


def _decision(db: Path, which: int = 1) -> tuple[int, str, bytes]:
    """The ``which``-th decision record with an award: (seq, record id, body bytes)."""
    seq, record_id = query(
        db,
        "SELECT seq, record_id FROM records WHERE kind = 'decision' AND seq IN (SELECT record_seq FROM awards) "
        "ORDER BY seq LIMIT 1 OFFSET ?",
        (which,),
    )[0]
    return seq, record_id, _body(db, seq)


def _body(db: Path, seq: int) -> bytes:
    with sqlite3.connect(db) as connection:
        return bytes(connection.execute("SELECT CAST(body AS BLOB) FROM records WHERE seq = ?", (seq,)).fetchone()[0])


def _store_body(db: Path, seq: int, body: bytes) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE records SET body = CAST(? AS TEXT) WHERE seq = ?", (body, seq))
    _rehash(db)


def _copy(sample_store: Path, tmp_path: Path, name: str) -> Path:
    return Path(shutil.copy(sample_store, tmp_path / f"{name}.db"))


def _altered(capsys: Any, db: Path, record_id: str, seq: int, reason: str = "") -> None:
    code, output = verify(capsys, db)
    assert code == 1, output
    assert output.startswith(f"ALTERED: record {record_id} (#{seq})"), output
    assert reason in output, output


# ------------------------------------------------------------------ bytes that are not UTF-8

NOT_UTF8: dict[str, Callable[[bytes], bytes]] = {
    "in the source": lambda b: b.replace(b'"source":"', b'"source":"\xff\xfe', 1),
    "in an extra key": lambda b: b[:-1] + b',"zz":"\xc3\x28"}',
    "an overlong encoding": lambda b: b[:-1] + b',"zz":"\xc0\xaf"}',
    "an encoded surrogate": lambda b: b[:-1] + b',"zz":"\xed\xa0\x80"}',
    "in the input": lambda b: b.replace(b'"input":{', b'"input":{"zz":"\xc3\x28",', 1),
}


@pytest.mark.parametrize("where", NOT_UTF8)
def test_a_body_that_is_not_utf8_is_altered(where: str, sample_store: Path, tmp_path: Path, capsys: Any) -> None:
    db = _copy(sample_store, tmp_path, "bytes")
    seq, record_id, body = _decision(db)
    changed = NOT_UTF8[where](body)
    assert changed != body
    _store_body(db, seq, changed)
    _altered(capsys, db, record_id, seq, "its content is not valid JSON")


# ------------------------------------------------------------------ an input stored non-canonically

NON_CANONICAL: dict[str, Callable[[str], str]] = {
    "a space": lambda given: "{ " + given[1:],
    "an escaped character": lambda given: given.replace(
        next(c for c in given if ord(c) > 127), f"\\u{ord(next(c for c in given if ord(c) > 127)):04x}"
    ),
    "a key given twice": lambda given: given.replace(
        '"submitted_on":', '"submitted_on":"2099-01-01","submitted_on":', 1
    ),
}


@pytest.mark.parametrize("edit", NON_CANONICAL)
def test_an_input_stored_non_canonically_with_a_hash_of_its_bytes_is_altered(
    edit: str, sample_store: Path, tmp_path: Path, capsys: Any
) -> None:
    """The carried hash (in the body and the applications index) is the hash of the stored
    bytes, not of the input's canonical form: the record is named, as before the fast path."""
    db = _copy(sample_store, tmp_path, "input")
    seq, record_id, body = _decision(db)
    text = body.decode("utf-8")
    content = json.loads(text)
    given = record_json(content["input"])
    assert given in text
    changed = NON_CANONICAL[edit](given)
    assert changed != given and json.loads(changed) == content["input"] or edit == "a key given twice"
    digest = "sha256:" + hashlib.sha256(changed.encode("utf-8")).hexdigest()
    text = text.replace(given, changed, 1).replace(content["input_sha256"], digest, 1)
    execute(db, "UPDATE applications SET input_hash = ? WHERE record_seq = ?", (digest, seq))
    _store_body(db, seq, text.encode("utf-8"))
    _altered(capsys, db, record_id, seq, "its input does not match the input hash it carries")


@pytest.mark.parametrize("depth", [300, 900])
def test_an_input_nested_deeper_than_the_store_writes_is_altered(
    depth: int, sample_store: Path, tmp_path: Path, capsys: Any
) -> None:
    """An input nested past what ``record_json`` can write (about 254 levels), with a hash of
    its bytes: msgspec writes such a value back byte for byte, so the fast path must not take
    it as canonical; the record is named, as before the fast path (show and the API could not
    serialise it)."""
    db = _copy(sample_store, tmp_path, "deep")
    seq, record_id, body = _decision(db)
    text = body.decode("utf-8")
    content = json.loads(text)
    given = record_json(content["input"])
    changed = given[:-1] + ',"x":' + "[" * depth + "]" * depth + "}"
    digest = "sha256:" + hashlib.sha256(changed.encode("utf-8")).hexdigest()
    text = text.replace(given, changed, 1).replace(content["input_sha256"], digest, 1)
    execute(db, "UPDATE applications SET input_hash = ? WHERE record_seq = ?", (digest, seq))
    _store_body(db, seq, text.encode("utf-8"))
    _altered(capsys, db, record_id, seq)


# ------------------------------------------------------------------ cells of another kind


def test_a_prev_stored_as_a_blob_names_its_record(sample_store: Path, tmp_path: Path, capsys: Any) -> None:
    db = _copy(sample_store, tmp_path, "prev")
    seq, record_id, _ = _decision(db)
    execute(db, "UPDATE records SET prev = CAST(prev AS BLOB) WHERE seq = ?", (seq,))
    _altered(capsys, db, record_id, seq)


def test_an_odd_cell_later_in_the_batch_does_not_hide_an_earlier_alteration(
    sample_store: Path, tmp_path: Path, capsys: Any
) -> None:
    db = _copy(sample_store, tmp_path, "first")
    first, first_id, _ = _decision(db, 0)
    later, _, _ = _decision(db, 3)
    execute(db, "UPDATE records SET body = replace(body, '\"type\":', '\"type\" :') WHERE seq = ?", (first,))
    for column in ("prev", "hash", "body"):
        execute(db, f"UPDATE records SET {column} = CAST({column} AS BLOB) WHERE seq = ?", (later,))
    execute(db, "UPDATE awards SET amount_fen = CAST('1' AS BLOB) WHERE record_seq = ?", (later,))
    _altered(capsys, db, first_id, first, "does not match its hash")


INDEX_CELLS = {
    "an award amount not a number": "UPDATE awards SET amount_fen = amount_fen || 'x' WHERE record_seq = {seq}",
    "an award amount as a blob": "UPDATE awards SET amount_fen = CAST(amount_fen AS BLOB) WHERE record_seq = {seq}",
    "a fraction of a fen in an award": "UPDATE awards SET amount_fen = amount_fen + 0.5 WHERE record_seq = {seq}",
    "a decision amount not a number": "UPDATE decisions SET amount_fen = amount_fen || 'x' WHERE record_seq = {seq}",
    "a decision amount as a blob": "UPDATE decisions SET amount_fen = CAST(amount_fen AS BLOB) "
    "WHERE record_seq = {seq}",
    "a fraction of a fen in a decision": "UPDATE decisions SET amount_fen = amount_fen + 0.4 WHERE record_seq = {seq}",
    "open criteria as a blob": "UPDATE decisions SET open_criteria = CAST(',x,' AS BLOB) WHERE record_seq = {seq}",
}


@pytest.mark.parametrize("what", INDEX_CELLS)
def test_an_odd_cell_in_an_index_names_its_record(what: str, sample_store: Path, tmp_path: Path, capsys: Any) -> None:
    db = _copy(sample_store, tmp_path, "index")
    seq, record_id, _ = _decision(db)
    assert execute(db, INDEX_CELLS[what].format(seq=seq))
    _altered(capsys, db, record_id, seq)


def test_an_index_row_whose_record_seq_is_not_a_number_is_a_stray(
    sample_store: Path, tmp_path: Path, capsys: Any
) -> None:
    db = _copy(sample_store, tmp_path, "seq")
    seq, record_id, _ = _decision(db)
    execute(db, "UPDATE decisions SET record_seq = CAST(record_seq AS BLOB) WHERE record_seq = ?", (seq,))
    code, output = verify(capsys, db)
    assert code == 1 and output.startswith("ALTERED: record "), output


# ------------------------------------------------------------------ bodies JSON but not records

ODD_BODIES: dict[str, Callable[[bytes], bytes]] = {
    "a list": lambda b: b"[1]",
    "a text": lambda b: b'"x"',
    "null": lambda b: b"null",
    "a number": lambda b: b"12345",
    "a lone surrogate in the input": lambda b: b.replace(b'"input":{', b'"input":{"zz":"\\ud800",', 1),
    "deep nesting": lambda b: b[:-1] + b',"zz":' + b"[" * 5000 + b"]" * 5000 + b"}",
    "a list for the ruleset": lambda b: b[:-1] + b',"ruleset":[1]}',
    "a text for the decisions": lambda b: b.replace(b'"decisions":[', b'"decisions":"x","zz":[', 1),
}


DECISION_ONLY = ("a lone surrogate in the input", "a text for the decisions")  # a settlement has neither


@pytest.mark.parametrize(
    ("kind", "what"),
    [(kind, what) for what in ODD_BODIES for kind in ("decision", "settlement")[: 1 if what in DECISION_ONLY else 2]],
)
def test_a_body_that_is_not_a_record_is_altered(
    kind: str, what: str, sample_store: Path, tmp_path: Path, capsys: Any
) -> None:
    db = _copy(sample_store, tmp_path, "odd")
    seq, record_id = query(db, "SELECT seq, record_id FROM records WHERE kind = ? ORDER BY seq LIMIT 1", (kind,))[0]
    body = _body(db, seq)
    changed = ODD_BODIES[what](body)
    assert changed != body
    _store_body(db, seq, changed)
    _altered(capsys, db, record_id, seq)
