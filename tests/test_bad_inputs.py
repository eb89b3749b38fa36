"""Bad application files: each is refused with exit code 2 and a message people can act on.

Every file in ``tests/bad_inputs/`` carries exactly one kind of defect (``several-problems*``
carry several on purpose) and is listed in ``CASES`` with every problem the engine must
report for it: the line, the field path (claims numbered from 1), the key words of the
message and of the hint. A problem reads ``file:line field.path: what is wrong``, with the
hint after a blank line, and nothing else is printed: no traceback, nothing on stdout.

"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).resolve().parent / "bad_inputs"


@dataclass(frozen=True)
class Expected:
    """One problem the engine must report."""

    line: int | None  # None: the problem concerns the file, not a line of it
    path: str  # the field path, claims numbered from 1; "" when the problem concerns the whole file
    words: tuple[str, ...]  # every one appears in the message
    hint: tuple[str, ...] = ()  # every one appears in the hint after the blank line
    path_is_prefix: bool = False  # a syntax error: any field path under `path` will do


def E(line: int | None, path: str, *words: str, hint: tuple[str, ...] = (), prefix: bool = False) -> Expected:
    return Expected(line, path, words, hint, prefix)


# file name -> (expected problems, marks). Line numbers refer to the files as they are.
CASES: dict[str, tuple[list[Expected], list[pytest.MarkDecorator]]] = {
    # --- the file cannot be read as YAML / JSON at all
    "malformed-indentation.yaml": (
        [E(6, "applicant", "malformed YAML", hint=("indentation",), prefix=True)],
        [],
    ),
    "malformed-unclosed-quote.yaml": (
        [E(15, "claims[1].transaction_amount", "malformed YAML", "quot")],
        [],
    ),
    "malformed-unclosed-bracket.yaml": (
        [E(12, "claims[1]", "malformed YAML", "'}'", hint=("before",), prefix=True)],
        [],
    ),
    "json-syntax-error.json": (
        [E(16, "claims[1]", "malformed JSON", "','", prefix=True)],
        [],
    ),
    "jsonl-syntax-error.jsonl": ([E(1, "", "malformed JSON", "column", "','")], []),
    "empty.yaml": ([E(1, "", "empty")], []),
    "duplicate-key.yaml": (
        [E(4, "id", "duplicate key 'id'", "first given on line 2", hint=("once",))],
        [],
    ),
    "duplicate-key-in-claim.yaml": (
        [E(22, "claims[2].deal", "duplicate key 'deal'", "first given on line 21", hint=("once",))],
        [],
    ),
    "yaml-tag-on-value.yaml": (
        [E(21, "claims[2].deal", "YAML tag", "python/name:os.system", "not allowed")],
        [],
    ),
    "yaml-tag-on-list.yaml": (
        [E(21, "claims[2].deal", "YAML tag", "python/object/apply:os.getcwd", "not allowed")],
        [],
    ),
    # --- the application's shape
    "format-2.yaml": ([E(1, "format", "1", "got 2")], []),
    "missing-id.yaml": ([E(1, "id", "required field is missing")], []),
    "missing-submitted-on.yaml": ([E(1, "submitted_on", "required field is missing")], []),
    "missing-applicant.yaml": ([E(1, "applicant", "required field is missing")], []),
    "claims-empty.yaml": ([E(9, "claims", "at least one claim")], []),
    "unknown-top-level-field.yaml": (
        [
            E(3, "submited_on", "unknown field 'submited_on'", hint=("did you mean 'submitted_on'?",)),
            E(1, "submitted_on", "required field is missing"),
        ],
        [],
    ),
    "unknown-claim-field.yaml": (
        [
            E(
                16,
                "claims[1].contract_registerd",
                "unknown field 'contract_registerd'",
                hint=("did you mean 'contract_registered'?",),
            )
        ],
        [],
    ),
    "unknown-programme.yaml": (
        [
            E(
                10,
                "claims[1].program",
                "unknown programme 'patent-purchase-rewards'",
                hint=("did you mean 'patent-purchase-reward'?",),
            )
        ],
        [],
    ),
    "announced-programme.yaml": (
        [
            E(
                10,
                "claims[1].program",
                "'puyang-patent-award'",
                "announced",
                "三(一)1",
                "cannot be evaluated",
                hint=("Puyang Patent Award",),
            )
        ],
        [],
    ),
    "field-not-in-programme.yaml": (
        [
            E(
                21,
                "claims[1].seller",
                "'seller' is not a field of local-industrialization-award claims",
                hint=("patent, industrialization, technology_from_outside_puyang",),
            )
        ],
        [],
    ),
    "boolean-as-string.yaml": ([E(17, "claims[1].implemented", "true or false", "'yes'")], []),
    # --- identifiers
    "credit-code-check-character.yaml": (
        [
            E(
                7,
                "applicant.credit_code",
                "check character should be U, got W",
                "91410902MA44P5T29W",
                hint=("business licence",),
            )
        ],
        [],
    ),
    "credit-code-letter-i.yaml": (
        [E(7, "applicant.credit_code", "letter I", "position 16", hint=("except I, O, S, V and Z",))],
        [],
    ),
    "credit-code-missing.yaml": (
        [E(4, "applicant.credit_code", "required", "enterprise", hint=("18-character",))],
        [],
    ),
    "id-number-check-character.yaml": (
        [E(7, "applicant.id_number", "check character should be 1, got 2", hint=("ID card",))],
        [],
    ),
    "division-unknown.yaml": (
        [
            E(
                8,
                "applicant.division",
                "unknown division",
                "华龙县",
                "did you mean 华龙区?",
                hint=("410902 华龙区",),
            )
        ],
        [],
    ),
    "patent-check-digit.yaml": (
        [
            E(
                11,
                "claims[1].patent.number",
                "check digit should be 2, got 7",
                "ZL202010123456.7",
                hint=("certificate",),
            )
        ],
        [],
    ),
    "patent-type-digit.yaml": (
        [
            E(
                19,
                "claims[2].patent.number",
                "type digit 4",
                "ZL202040123456.1",
                hint=("1 invention, 2 utility model, 3 design",),
            )
        ],
        [],
    ),
    "patent-kind-mismatch.yaml": (
        [
            E(
                19,
                "claims[2].patent.kind",
                "declared utility_model",
                "type digit 1",
                "invention",
                hint=("type digit",),
            )
        ],
        [],
    ),
    "patent-filed-year.yaml": (
        [
            E(
                11,
                "claims[1].patent.filed_on",
                "2019-05-06",
                "filed in 2020",
                hint=("filing year",),
            )
        ],
        [],
    ),
    "patent-granted-before-filed.yaml": (
        [E(19, "claims[2].patent.granted_on", "2021-02-01", "before", "2021-03-01")],
        [],
    ),
    # --- money and dates
    "money-negative.yaml": (
        [E(23, "claims[2].transaction_amount", "cannot be negative", "-1500000.00")],
        [],
    ),
    "money-three-decimals.yaml": (
        [E(23, "claims[2].transaction_amount", "two decimal places", "1500000.125")],
        [],
    ),
    "money-unquoted-three-decimals.yaml": (
        [E(23, "claims[2].transaction_amount", "never a float", "1500000.125", hint=('"1500000.125"',))],
        [],
    ),
    "money-unquoted-fraction.yaml": (
        [E(15, "claims[1].transaction_amount", "never a float", "1234567.89", hint=('"1234567.89"',))],
        [],
    ),
    "money-zero.yaml": ([E(15, "claims[1].transaction_amount", "greater than 0", "0.00")], []),
    "date-impossible.yaml": ([E(3, "submitted_on", "2024-02-30", "not a real date")], []),
    "date-wrong-format.yaml": ([E(3, "submitted_on", "YYYY-MM-DD", "2024/03/15")], []),
    # --- JSON Lines: the line of the record stands for the line of the field
    "jsonl-bad-field.jsonl": (
        [E(1, "claims[1].patent.number", "check digit should be 2, got 7", hint=("certificate",))],
        [],
    ),
    # --- several problems: every one is reported
    "several-problems.yaml": (
        [
            E(7, "applicant.credit_code", "check character should be U, got W"),
            E(11, "claims[1].patent.number", "check digit should be 2, got 7"),
            E(23, "claims[2].transaction_amount", "cannot be negative"),
        ],
        [],
    ),
    "several-problems-across-checks.yaml": (
        [
            E(7, "applicant.credit_code", "check character should be U, got W"),
            E(10, "claims[1].program", "unknown programme 'patent-purchase-rewards'"),
        ],
        [],
    ),
    "several-problems-in-one-patent.yaml": (
        [
            E(19, "claims[2].patent.kind", "declared utility_model"),
            E(19, "claims[2].patent.granted_on", "before"),
        ],
        [],
    ),
    # --- money only in the contract's form: a separator in the wrong place is refused, never stripped
    "money-comma-as-decimal-point.yaml": (
        [E(15, "claims[1].transaction_amount", "a comma may only separate thousands", "'1500000,00'")],
        [],
    ),
    "money-commas-misplaced.yaml": (
        [E(15, "claims[1].transaction_amount", "a comma may only separate thousands", "'1,5,0,0.00'")],
        [],
    ),
    "money-exponent.yaml": ([E(15, "claims[1].transaction_amount", "not as an exponent", "'1e26'")], []),
    "money-exponent-unquoted.yaml": ([E(15, "claims[1].transaction_amount", "not as an exponent")], []),
    "money-currency-prefix.yaml": (
        [
            E(
                15,
                "claims[1].transaction_amount",
                "without currency or unit",
                "'USD 250000.00'",
                hint=("amounts are in yuan",),
            )
        ],
        [],
    ),
    "money-in-wan.yaml": (
        [E(15, "claims[1].transaction_amount", "not in 万", hint=('25万 is "250000.00"',))],
        [],
    ),
    "money-nan.yaml": ([E(15, "claims[1].transaction_amount", "not an amount of money", "'.nan'")], []),
    "money-too-large.yaml": (
        [E(15, "claims[1].transaction_amount", "too large: at most 999,999,999,999.99 yuan")],
        [],
    ),
    # --- ids cannot be taken for decision or settlement ids
    "id-with-slash.yaml": ([E(2, "id", "letters, digits, '-', '_' and '.'", "'PY-7/1'", hint=("'/'",))], []),
    "id-shaped-like-a-settlement.yaml": ([E(2, "id", "letters, digits", "'PY-7/1/settlement'")], []),
    "country-not-iso.yaml": (
        [
            E(12, "claims[1].seller.country", "XX is not an ISO 3166 country code"),
            E(20, "claims[2].seller.country", "XX is not an ISO 3166 country code"),
        ],
        [],
    ),
    # --- hostile input: refused quickly, with the place, never a crash
    "integer-thousands-of-digits.yaml": ([E(1, "format", "a number of 5,000 digits; at most 30")], []),
    "yaml-alias-to-itself.yaml": ([E(12, "claims[1].seller.also", "alias *s stands inside the value it names")], []),
    "yaml-aliases-exploding.yaml": (
        [E(22, "claims[1].benefits", "more than 10,000 values", "alias counts as all it repeats", prefix=True)],
        [],
    ),
    "json-nested-1000-deep.json": ([E(1, "applicant", "nested deeper than 10 levels", prefix=True)], []),
    "jsonl-nested-1000-deep.jsonl": ([E(1, "", "nested deeper than 10 levels")], []),
    "jsonl-not-utf8.jsonl": ([E(1, "", "not UTF-8 text", "byte 0xe5", hint=("GBK",))], []),
    # a number whose exponent no decimal holds (1e-99999999999999999999): refused, never a fault of the engine
    "json-number-exponent-out-of-range.json": (
        [E(1, "claims[1].transaction_amount", "1E+8446744073709551616", "exponent out of range", hint=("in digits",))],
        [],
    ),
    "jsonl-number-exponent-out-of-range.jsonl": (
        [E(1, "claims[1].transaction_amount", "1e-99999999999999999999", "exponent out of range", hint=("in digits",))],
        [],
    ),
    "claims-hundreds-deeply-nested.jsonl": (
        [E(1, "claims[1].benefits", "nested deeper than 10 levels", prefix=True)],
        [],
    ),
    "claims-each-with-a-nested-value.json": (
        [E(n + 1, f"claims[{n}].transaction_amount", "money must be a decimal string, got dict") for n in range(1, 21)]
        + [E(None, "", "… and 80 more problems not shown")],
        [],
    ),
    "value-very-long.yaml": (
        [E(13, "claims[1].deal", "must be one of 'assignment' or 'license'", "aaaa… (10,002 characters)")],
        [],
    ),
}

ACCEPTED = {"ok-money-unquoted.yaml"}


def _params() -> list[object]:
    return [pytest.param(name, expected, id=name, marks=marks) for name, (expected, marks) in CASES.items()]


def _blocks(stderr: str, file: str) -> list[tuple[str, str]]:
    """The problems printed for ``file``: (``location: message``, hint)."""
    text = stderr[len("error: ") :] if stderr.startswith("error: ") else stderr
    starts = [m.start() for m in re.finditer(rf"^{re.escape(file)}[: ]", text, flags=re.M)]
    blocks = []
    for a, b in zip(starts, starts[1:] + [len(text)], strict=True):
        head, _, hint = text[a:b].strip("\n").partition("\n\n  hint: ")
        blocks.append((head, hint))
    return blocks


def _matches(block: tuple[str, str], file: str, want: Expected) -> bool:
    head, hint = block
    if want.path_is_prefix:
        where = rf"{re.escape(file)}:{want.line} {re.escape(want.path)}[^\s:]*: "
    elif want.line is None:
        where = rf"{re.escape(file)}: "
    elif want.path:
        where = rf"{re.escape(file)}:{want.line} {re.escape(want.path)}: "
    else:
        where = rf"{re.escape(file)}:{want.line}: "
    if not re.match(where, head):
        return False
    message = head[head.index(": ") + 2 :]
    return all(w in message for w in want.words) and all(h in hint for h in want.hint)


def test_every_file_has_its_expectation() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.is_file()}
    assert on_disk == set(CASES) | ACCEPTED


@pytest.mark.parametrize(("name", "expected"), _params())
def test_bad_input_is_refused_with_its_problems(
    name: str, expected: list[Expected], capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / name
    code = main(["check", str(path), "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith("error: "), err
    blocks = _blocks(err, str(path))
    for want in expected:
        found = [b for b in blocks if _matches(b, str(path), want)]
        assert len(found) == 1, f"expected one problem like {want}, got:\n{err}"
    assert len(blocks) == len(expected), f"expected {len(expected)} problem(s), got:\n{err}"


def test_id_number_is_masked_in_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(BAD / "id-number-check-character.yaml")])
    err = capsys.readouterr().err
    assert "410902198506123012" not in err
    assert "410902********3012" in err


def test_unquoted_money_is_read_exactly_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    """Money written as a whole number unquoted (1500000) is exact, and read as it is
    (a fraction unquoted is a float, refused: money-unquoted-fraction.yaml)."""
    code = main(["check", str(BAD / "ok-money-unquoted.yaml"), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    decisions = json.loads(out)["decisions"]
    assert [d["outcome"] for d in decisions] == ["eligible", "eligible"]
    assert [d["amount"] for d in decisions] == ["123456.79", "76543.21"]


def test_no_traceback_escapes_the_real_command() -> None:
    path = BAD / "patent-check-digit.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "engine.cli", "check", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    where = f"{path}:11 claims[1].patent.number"
    assert f"{where}: check digit should be 2, got 7 (ZL202010123456.7)" in run.stderr
    assert "\n\n  hint: re-copy the number from the certificate" in run.stderr
