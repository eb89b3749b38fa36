"""Every limit of engine.reading.limits, at the limit (read) and one past it (refused, saying which).

A record at a limit is read as usual (what is then wrong with it, if anything, is another
problem); one past it is refused with a message naming the limit, at its file, line and field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import evaluate, load_rulebook
from engine.errors import SHOWN_CHARS, ApplicationError, quoted
from engine.reading import read_application, read_upload
from engine.reading.limits import (
    MAX_CLAIMS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NUMBER_DIGITS,
    MAX_PROBLEMS,
    MAX_RECORD_BYTES,
    MAX_SHOWN_CHARS,
    MAX_TEXT_CHARS,
    MAX_VALUES,
)
from engine.yamlio import load_yaml
from tests.helpers_store import credit_code, enterprise_app, p2_claim, patent_number

ROOT = Path(__file__).resolve().parents[1]
RULEBOOK = load_rulebook()
P3_SAMPLE = ROOT / "applications" / "p3-strategic-emerging-industry.yaml"


def p2_app(claims: int = 1) -> dict[str, Any]:
    name = "濮阳市限度测试有限公司"
    return enterprise_app(
        "LIMIT-1",
        "2024-03-01",
        name,
        credit_code(900),
        [p2_claim(patent_number(2020, n + 1), name, "1000.00") for n in range(claims)],
    )


def p3_app() -> dict[str, Any]:
    data = load_yaml(P3_SAMPLE.read_text(encoding="utf-8"), str(P3_SAMPLE)).data
    return json.loads(json.dumps(data, default=str))


def problems(data: bytes, name: str = "a.json") -> list[str]:
    try:
        read_upload(data, name, RULEBOOK)
    except ApplicationError as exc:
        return [f"{p.location()}: {p.message}" for p in exc.problems]
    return []


def as_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def values_in(data: Any) -> int:
    if isinstance(data, dict):
        return 1 + sum(values_in(v) for v in data.values())
    if isinstance(data, list):
        return 1 + sum(values_in(v) for v in data)
    return 1


def test_the_documented_limits() -> None:
    assert (MAX_FILE_BYTES, MAX_RECORD_BYTES) == (1_048_576, 1_048_576)
    assert (MAX_CLAIMS, MAX_DEPTH, MAX_VALUES) == (100, 10, 10_000)
    assert (MAX_TEXT_CHARS, MAX_NUMBER_DIGITS, MAX_PROBLEMS, MAX_SHOWN_CHARS) == (20_000, 30, 20, SHOWN_CHARS)


def test_file_size(tmp_path: Path) -> None:
    text = yaml.safe_dump(p2_app(), allow_unicode=True).encode("utf-8")
    padding = MAX_FILE_BYTES - len(text) - 3
    at_limit = text + b"# " + b"x" * padding + b"\n"
    assert len(at_limit) == MAX_FILE_BYTES
    path = tmp_path / "a.yaml"
    path.write_bytes(at_limit)
    assert read_application(path, RULEBOOK).id == "LIMIT-1"
    path.write_bytes(at_limit + b"\n")
    with pytest.raises(ApplicationError) as info:
        read_application(path, RULEBOOK)
    assert str(info.value) == (
        f"{path}: larger than 1,048,576 bytes, the most one application file may hold\n\n"
        "  hint: put a batch in a .jsonl file, one application per line"
    )


def test_jsonl_line_size(tmp_path: Path) -> None:
    line = as_json(p2_app())
    at_limit = line[:-1] + b" " * (MAX_RECORD_BYTES - len(line)) + b"}"
    assert len(at_limit) == MAX_RECORD_BYTES
    path = tmp_path / "batch.jsonl"
    path.write_bytes(at_limit + b"\n" + at_limit[:-1] + b" }\n" + line + b"\n")
    from engine import iter_applications

    records = list(iter_applications([path], RULEBOOK))
    assert [r.application.id if r.application else None for r in records] == ["LIMIT-1", None, "LIMIT-1"]
    assert str(records[1].error) == f"{path}:2: a line longer than 1,048,576 bytes, the most one application may hold"


def test_claims_per_application() -> None:
    at_limit = p2_app(MAX_CLAIMS)
    app = read_upload(as_json(at_limit), "a.json", RULEBOOK)
    decisions = evaluate(app, RULEBOOK).decisions
    assert len(decisions) == MAX_CLAIMS and all(d.outcome == "eligible" for d in decisions)
    assert problems(as_json(p2_app(MAX_CLAIMS + 1))) == [
        "a.json:1 claims: 101 claims; one application holds at most 100"
    ]


def nested(depth: int) -> Any:
    """A value with ``depth`` lists, one inside the other."""
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("name", ["a.json", "a.jsonl", "a.yaml"])
def test_nesting_depth(name: str) -> None:
    data = p3_app()
    # the application, its claims and a claim are 3 levels: benefits may hold 7 more
    data["claims"][0]["benefits"] = nested(MAX_DEPTH - 3)
    at_limit = problems(as_json(data), name)
    assert at_limit == [f"{name}:1 claims[1].benefits: expected text, got [[[[[[['x']]]]]]]"]
    data["claims"][0]["benefits"] = nested(MAX_DEPTH - 2)
    [past] = problems(as_json(data), name)
    assert past == f"{name}:1 claims[1].benefits[0][0][0][0][0][0][0]: nested deeper than 10 levels"


def test_values_per_application() -> None:
    data = p3_app()
    inventors = data["claims"][0]["patent"]["inventors"]
    data["claims"][0]["patent"]["inventors"] = inventors + ["张三"] * (MAX_VALUES - values_in(data))
    assert values_in(data) == MAX_VALUES
    app = read_upload(as_json(data), "a.json", RULEBOOK)
    assert len(app.claims[0].patent.inventors) == MAX_VALUES - values_in(p3_app()) + len(inventors)
    data["claims"][0]["patent"]["inventors"].append("李四")
    # counted in file order: the value past the limit is the claim's last, its benefits
    assert list(data["claims"][0])[-1] == "benefits"
    assert problems(as_json(data)) == [
        "a.json:1 claims[1].benefits: more than 10,000 values in one application (an alias counts as all it repeats)"
    ]


@pytest.mark.parametrize("name", ["a.json", "a.yaml"])
def test_text_length(name: str) -> None:
    data = p3_app()
    data["claims"][0]["benefits"] = "效" * MAX_TEXT_CHARS
    app = read_upload(as_json(data), name, RULEBOOK)
    assert app.claims[0].benefits == "效" * MAX_TEXT_CHARS
    data["claims"][0]["benefits"] += "益"
    [line] = problems(as_json(data), name)
    assert line.endswith("claims[1].benefits: a text of 20,001 characters; at most 20,000 are read")


@pytest.mark.parametrize("name", ["a.json", "a.jsonl", "a.yaml"])
def test_number_length(name: str) -> None:
    data = p2_app()
    text = as_json(data).decode()
    at_limit = text.replace('"format": 1', '"format": ' + "1" * MAX_NUMBER_DIGITS)
    assert problems(at_limit.encode(), name) == [
        f"{name}:1 format: this engine reads application format 1, got {quoted(int('1' * 30))}"
    ]
    past = text.replace('"format": 1', '"format": ' + "1" * (MAX_NUMBER_DIGITS + 1))
    assert problems(past.encode(), name) == [f"{name}:1 format: a number of 31 digits; at most 30 are read"]


def test_problems_per_record() -> None:
    data = p2_app(MAX_PROBLEMS)
    for claim in data["claims"]:
        claim["deal"] = "sale"
    shown = problems(as_json(data))
    assert len(shown) == MAX_PROBLEMS and not any("more" in p for p in shown)
    data = p2_app(MAX_PROBLEMS + 1)
    for claim in data["claims"]:
        claim["deal"] = "sale"
    shown = problems(as_json(data))
    assert len(shown) == MAX_PROBLEMS + 1
    assert shown[-1] == "a.json: … and 1 more problem not shown"
    assert shown[0] == "a.json:1 claims[1].deal: must be one of 'assignment' or 'license', got 'sale'"


def test_values_quoted_in_messages_are_cut() -> None:
    data = p2_app()
    data["claims"][0]["deal"] = "d" * (MAX_SHOWN_CHARS - 2)  # with its quotes: exactly the limit
    assert problems(as_json(data)) == [
        f"a.json:1 claims[1].deal: must be one of 'assignment' or 'license', got '{'d' * 58}'"
    ]
    data["claims"][0]["deal"] += "d"
    assert problems(as_json(data)) == [
        f"a.json:1 claims[1].deal: must be one of 'assignment' or 'license', got '{'d' * 59}… (61 characters)"
    ]
