"""`verify`'s two short ways give what the careful ways give, or step aside.

- **The input's bytes as its canonical form.** An input is taken as canonical when msgspec
  encodes it, decoded, back to the same bytes; its hash is then the hash of those bytes. That is
  only right if those bytes are what ``record_json`` writes: held here for generated JSON values
  with odd text (escapes, non-BMP characters, control characters, large integers, decimal texts)
  written in several ways, and for every input our code stored.
- **The decision index rows laid out as stored from the body** (``stored_decisions_of``) equal
  the rows of ``decision_rows_of`` in their stored form, or are ``None`` and the careful way
  decides: held for every record our code wrote and for records bent in many ways.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from helpers_store import run_proc
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.generate import generate_many
from engine.services.chain_checks import _as_stored
from engine.store import input_hash, record_json
from engine.store.bodies import decision_rows_of
from engine.store.body_reading import read_body, read_record
from engine.store.stored_index import stored_decisions_of


@pytest.fixture(scope="module")
def bodies(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes]]:
    """Every record of 300 generated applications screened into a store, as stored."""
    folder = tmp_path_factory.mktemp("generated")
    batch = folder / "batch.jsonl"
    batch.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in generate_many(300, 7)), "utf-8")
    screened = run_proc("screen", batch, "--db", folder / "store.db", "--format", "jsonl", "--quiet")
    assert screened.returncode == 0, screened.stderr
    with sqlite3.connect(folder / "store.db") as conn:
        return [(k, bytes(b)) for k, b in conn.execute("SELECT kind, CAST(body AS BLOB) FROM records ORDER BY seq")]


# ------------------------------------------------------------------ the input's bytes

_ODD_TEXT = st.sampled_from(
    ["", '"', "\\", "/", "\\u4e2d", "\x00", "\x1f", "\x7f", "\u2028", "\ufeff", "😀", "中文", "1.50", "-0.00", "1e3"]
)
_TEXT = st.one_of(_ODD_TEXT, st.text(st.characters(codec="utf-8"), max_size=12))
_NUMBER = st.one_of(
    st.integers(), st.integers(min_value=-(2**80), max_value=2**80), st.floats(allow_nan=False, allow_infinity=False)
)
_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), _NUMBER, _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=12,
)


def _writings(value: Any) -> list[bytes]:
    """The value written the way records are and in other ways an input might have been stored."""
    return [
        record_json(value).encode("utf-8"),
        msgspec.json.encode(value),
        json.dumps(value, ensure_ascii=False).encode("utf-8"),
        json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        json.dumps(value, separators=(",", ":")).encode("utf-8"),  # non-ASCII escaped
    ]


def _typed(value: Any) -> Any:
    """A value with the type of every part, so that 1 == 1.0 == Decimal(1) do not hide a difference."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _check_input(raw: bytes) -> bool:
    body = b'{"type":"decision","format":2,"input":' + raw + b',"input_sha256":"x"}'
    content, given_bytes, canonical = read_record(body, "decision")
    assert (content, given_bytes) == read_body(body, "decision")
    assert _typed(content["input"]) == _typed(msgspec.json.decode(raw))  # the content as before
    if canonical:
        assert given_bytes is not None and bytes(given_bytes) == raw
        assert "sha256:" + hashlib.sha256(raw).hexdigest() == input_hash(content["input"])
    return canonical


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_TEXT, _VALUE, max_size=6))
def test_an_input_taken_as_canonical_hashes_as_record_json_writes_it(value: dict[str, Any]) -> None:
    for raw in _writings(value):
        _check_input(raw)
    if "float" not in repr(_typed(value)):  # an input our code writes holds no fraction
        assert _check_input(record_json(value).encode("utf-8")), "what record_json writes is taken as canonical"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a":"\\u4e2d"}',  # an escape record_json does not write
        b'{"a":"\\/"}',
        b'{"a":1.0}',
        b'{"a":1e2}',
        b'{"a":1,"a":1}',  # a key twice
        b'{"a": 1}',
        b'"{}"',  # a text: input_hash takes a text as already canonical
        b"[1]",
        b"null",
    ],
)
def test_an_input_in_another_form_is_not_taken_as_canonical(raw: bytes) -> None:
    assert not _check_input(raw)


def test_every_input_our_code_stored_is_taken_as_canonical(bodies: list[tuple[str, bytes]]) -> None:
    decisions = [body for kind, body in bodies if kind == "decision"]
    assert len(decisions) == 300
    for body in decisions:
        content, given_bytes, canonical = read_record(body, "decision")
        assert canonical and given_bytes is not None
        assert "sha256:" + hashlib.sha256(given_bytes).hexdigest() == content["input_sha256"]


# ------------------------------------------------------------------ the decision rows


def _careful(content: dict[str, Any]) -> list[Any] | None:
    """The decision rows as verify compares them the careful way; None when some row must be
    compared as a row (its stored form would not read back as itself). Raises as it raises."""
    rows = sorted(decision_rows_of(content), key=lambda row: row.claim)
    stored = [_as_stored(row) for row in rows]
    return None if None in stored else stored


def _agrees(content: dict[str, Any]) -> bool:
    """The short way gives the careful rows, or None; True when it gave them."""
    fast = stored_decisions_of(content)
    try:
        careful = _careful(content)
    except Exception:
        assert fast is None
        return False
    assert fast is None or fast == careful, (fast, careful)
    return fast is not None


def test_every_record_our_code_wrote_is_laid_out_as_stored(bodies: list[tuple[str, bytes]]) -> None:
    for _, body in bodies:
        content = json.loads(body)
        assert _agrees(content) or content["type"] != "decision"
        assert stored_decisions_of(content) == (_careful(content) or [])
    assert any(len(stored_decisions_of(json.loads(b)) or ()) > 1 for _, b in bodies), "several claims"
    assert any(row[13] for _, b in bodies for row in stored_decisions_of(json.loads(b)) or ()), "open criteria"


_ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**22), 10**22),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(
        [
            "1.00",
            "-0.00",
            "+1.00",
            " 1.00",
            "1_000.00",
            "1.005",
            "١.٠٠",
            "1e3",
            "12345678901234567.89",
            "9" * 18 + ".00",
        ]
    ),
    st.sampled_from(["a,b", "", "unknown", "needs_review", "eligible", "x"]),
    st.text(max_size=4),
    st.lists(st.text(max_size=2), max_size=2),
    st.dictionaries(st.sampled_from(["id", "status"]), st.text(max_size=3), max_size=2),
)
_FIELDS = ["amount", "claim", "outcome", "maximums", "patent", "program", "decision", "criteria"]


def test_a_bent_record_is_laid_out_as_stored_or_left_to_the_careful_way(bodies: list[tuple[str, bytes]]) -> None:
    decisions = [json.loads(body) for kind, body in bodies if kind == "decision"]

    @settings(max_examples=400, deadline=None)
    @given(
        pick=st.integers(0, len(decisions) - 1),
        changes=st.lists(st.tuples(st.sampled_from([*_FIELDS, "criterion id", "criterion status"]), _ODD), max_size=3),
    )
    def bent(pick: int, changes: list[tuple[str, Any]]) -> None:
        content = copy.deepcopy(decisions[pick])
        for n, (field, value) in enumerate(changes):
            claims = content["result"]["decisions"]
            d = claims[n % len(claims)]
            if field in ("criterion id", "criterion status"):
                criteria = d["criteria"]
                if isinstance(criteria, list) and criteria and isinstance(criteria[n % len(criteria)], dict):
                    criteria[n % len(criteria)][field.split()[1]] = value
            else:
                d[field] = value
        _agrees(content)

    bent()


def test_amounts_in_whole_fen_are_laid_out_and_others_left(bodies: list[tuple[str, bytes]]) -> None:
    paid = next(json.loads(b) for k, b in bodies if k == "decision" and '"amount":"' in b.decode("utf-8"))
    claim = next(d for d in paid["result"]["decisions"] if d["amount"] is not None)
    for amount, laid_out in [("1234.50", True), ("-0.05", True), ("1234.5", False), ("1e3", False), (1234, False)]:
        claim["amount"] = amount
        assert _agrees(paid) is laid_out, amount
        if laid_out:
            assert Decimal(amount) * 100 in [row[6] for row in stored_decisions_of(paid) or ()]
