"""A decision is serialised once, and reads exactly as its objects would.

Screening writes the contract's object (the ``--format jsonl`` line) and the stored decision
from the same encoded pieces (:mod:`engine.explain.contract_text`); both must be, byte for
byte, the JSON of :func:`assessment_json` (with decision ids) and of its stored form — for
every kind of decision, in both languages, whatever the texts hold — and a record's index
rows must be what its body implies.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic_core import to_json

from engine import Evaluator, load_rulebook, read_application
from engine.explain.contract_text import decision_texts, encoded
from engine.generate import generate_many
from engine.reading import application_from_data
from engine.services.recording import record_decision, result_json
from engine.store import decision_id, index_rows_of, input_hash, record_json
from engine.store.bodies import stored_result
from engine.yamlio import Located
from tests.helpers_store import SAMPLES, credit_code, enterprise_app, p2_claim, patent_number

RULEBOOK = load_rulebook()
EVALUATOR = Evaluator(RULEBOOK)


def _assessments() -> list[Any]:
    apps = [application_from_data(Located(d, {}, "generated"), RULEBOOK) for d in generate_many(800, seed=31)]
    apps += [read_application(path, RULEBOOK) for path in sorted(SAMPLES.glob("*.yaml"))]
    name = '濮阳市"引号"\\反斜杠公司'  # texts that JSON must escape
    claims = [p2_claim(patent_number(2020, 901), name, "1.00")]
    odd = enterprise_app("ODD-1", "2024-03-01", name, credit_code(901), claims)
    apps.append(application_from_data(Located(odd, {}, "odd"), RULEBOOK))
    return EVALUATOR.evaluate_many([(app, None, None) for app in apps])


ASSESSMENTS = _assessments()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_line_and_the_stored_decision_are_the_objects_serialised(lang: str) -> None:
    kinds = set()
    for assessment in ASSESSMENTS:
        ruleset = RULEBOOK.by_id(assessment.ruleset_id)
        ids = [decision_id(assessment.application_id, d.claim) for d in assessment.decisions]
        line, stored = decision_texts(assessment, ruleset, ids, lang)
        result = result_json(assessment, ruleset, lang)
        assert line == to_json(result).decode(), assessment.application_id
        assert stored == record_json(stored_result(result)), assessment.application_id
        assert decision_texts(assessment, ruleset, ids, lang, line=False) == ("", stored)  # as replay asks
        kinds.update((d.outcome, bool(d.derived), d.arithmetic is not None) for d in assessment.decisions)
    assert {outcome for outcome, _, _ in kinds} == {"eligible", "ineligible", "needs_review"}
    assert any(derived for _, derived, _ in kinds) and any(arithmetic for _, _, arithmetic in kinds)


def test_a_record_holds_the_index_rows_its_body_implies() -> None:
    for assessment in ASSESSMENTS:
        ruleset = RULEBOOK.by_id(assessment.ruleset_id)
        canonical = '{"id":"x"}'
        made = record_decision(
            assessment,
            ruleset,
            source="generated",
            input_json=canonical,
            digest=input_hash(canonical),
            ledger_seen=[],
            division="410902",
        )
        content = json.loads(made.record.body)
        content["input"] = {"applicant": {"division": "410902"}, "submitted_on": assessment.submitted_on.isoformat()}
        assert made.record.index == index_rows_of(content), assessment.application_id
        assert made.line == to_json(result_json(assessment, ruleset)).decode()
        assert made.result == result_json(assessment, ruleset)


@pytest.mark.parametrize(
    "value", ["plain 中文", 'a "quote"', "back\\slash", "tab\there", "\x00\x1f", "\u2028", "", 0, -7, True, None]
)
def test_a_value_is_encoded_as_the_serialiser_writes_it(value: Any) -> None:
    assert encoded(value) == to_json(value).decode()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_contract_json_of_every_face_is_what_pydantic_writes(lang: str) -> None:
    """``check --format json`` and the web API write with msgspec (faster): the same bytes as
    :func:`pydantic_core.to_json`, compact and indented, for every kind of decision."""
    from engine import assessment_json
    from engine.explain.json_bytes import json_bytes

    for assessment in ASSESSMENTS:
        data = assessment_json(assessment, RULEBOOK.by_id(assessment.ruleset_id), lang)
        assert json_bytes(data) == to_json(data), assessment.application_id
        assert json_bytes(data, 2) == to_json(data, indent=2), assessment.application_id


def test_every_code_point_is_written_as_pydantic_writes_it() -> None:
    from engine.explain.json_bytes import json_bytes

    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(points), 4096):
        text = "".join(points[start : start + 4096])
        data = {text: [text, {"k": text}], "n": [1, True, None, "1.50"]}
        assert json_bytes(data) == to_json(data), hex(ord(points[start]))
        assert json_bytes(data, 2) == to_json(data, indent=2)
    with pytest.raises(UnicodeEncodeError):
        json_bytes({"x": "\ud800"})
