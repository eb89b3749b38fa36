"""Explanations worded once and memoised read exactly as explanations worded afresh.

The contract's object and the two texts `screen` writes word each criterion from its
prepared words (:mod:`engine.explain.prepared`), memoised by the values its sentence shows,
with the parameters of the period in force written in. Here every object and text is held
to the same object worded afresh, criterion by criterion (``assessment_json(...,
cache=False)``), over generated applications, both languages, a memo warm and cold, a memo
small enough to be emptied and given up on, and parameters that change between periods.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import to_json

from engine import Evaluator, load_rulebook
from engine.explain import assessment_json, decision_json, prepared
from engine.explain.contract_text import decision_texts
from engine.explain.words import value_shower
from engine.generate import generate_many
from engine.reading import application_from_data
from engine.store import decision_id, record_json
from engine.store.bodies import stored_result
from engine.yamlio import Located
from tests.helpers_store import RULESET_DIR, copy_rules, credit_code, enterprise_app, p2_claim, patent_number

RULEBOOK = load_rulebook()


def _assessments(rulebook: Any, n: int, seed: int) -> list[Any]:
    apps = [application_from_data(Located(d, {}, "generated"), rulebook) for d in generate_many(n, seed=seed)]
    name = "濮阳市{applicant.name}{}{{花括号}}公司"  # braces in a shown value are not holes
    claims = [p2_claim(patent_number(2020, 902), name, "1.00"), p2_claim(patent_number(2020, 903), name, "9.99")]
    odd = enterprise_app("BRACES-1", "2024-03-01", name, credit_code(902), claims)
    apps.append(application_from_data(Located(odd, {}, "odd"), rulebook))
    return Evaluator(rulebook).evaluate_many([(app, None, None) for app in apps])


ASSESSMENTS = _assessments(RULEBOOK, 600, 41)


def _same_as_worded_afresh(assessments: list[Any], rulebook: Any, lang: str) -> None:
    for assessment in assessments:
        ruleset = rulebook.by_id(assessment.ruleset_id)
        memoised = assessment_json(assessment, ruleset, lang)
        afresh = assessment_json(assessment, ruleset, lang, cache=False)
        assert memoised == afresh, assessment.application_id
        assert to_json(memoised) == to_json(afresh), assessment.application_id  # the keys in order too
        # what screen writes: the line and the stored decision, from the same memoised words
        ids = [decision_id(assessment.application_id, d.claim) for d in assessment.decisions]
        for decision, ident in zip(afresh["decisions"], ids, strict=True):
            decision["decision"] = ident
        line, stored = decision_texts(assessment, ruleset, ids, lang)
        assert line == to_json(afresh).decode(), assessment.application_id
        assert stored == record_json(stored_result(afresh)), assessment.application_id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_memoised_explanations_read_as_worded_afresh(lang: str) -> None:
    prepared.forget()
    _same_as_worded_afresh(ASSESSMENTS, RULEBOOK, lang)  # memo cold
    _same_as_worded_afresh(ASSESSMENTS, RULEBOOK, lang)  # memo warm
    statuses = {c.status for a in ASSESSMENTS for d in a.decisions for c in d.criteria}
    assert statuses == {"met", "not_met", "unknown"}
    said = [c for a in ASSESSMENTS for d in a.decisions for c in d.criteria]
    assert any(c.missing for c in said) and any(c.earlier for c in said) and any(c.review for c in said)
    kept = [p for w in prepared._WORDINGS.values() for p in w.prepared.values()]
    assert any(p.memo for p in kept), "no criterion's words were memoised"


def test_a_memo_emptied_or_given_up_still_words_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared, "MEMO_SIZE", 4)
    prepared.forget()
    _same_as_worded_afresh(ASSESSMENTS, RULEBOOK, "zh")
    kept = [p for w in prepared._WORDINGS.values() for p in w.prepared.values() if p.constant is None]
    assert any(p.memo is None for p in kept), "no memo was given up"
    assert any(p.memo for p in kept), "every memo was given up"
    prepared.forget()


def test_a_memo_given_up_by_another_thread_meanwhile_still_words_alike() -> None:
    """A thread that chose a criterion's memoised words just before another gave its memo up
    (the web words decisions in several threads) words it without the memo, alike."""
    prepared.forget()
    _same_as_worded_afresh(ASSESSMENTS[:200], RULEBOOK, "zh")
    kept = [p for w in prepared._WORDINGS.values() for p in w.prepared.values() if p.memo is not None]
    assert {p.words.__func__ for p in kept} >= {prepared.Prepared._one_memo, prepared.Prepared._many}
    for p in kept:  # the memo gone, the memoised method still chosen: the moment between
        p.memo = None
    _same_as_worded_afresh(ASSESSMENTS, RULEBOOK, "zh")
    prepared.forget()


def test_a_decision_listing_other_criteria_is_worded_alike() -> None:
    """A wording keeps each criterion's prepared words in one place per criterion the programme
    has in force, in order; a decision made otherwise (its criteria reversed, one fewer, one
    more) is worded as afresh, and the decisions after it still are."""
    prepared.forget()
    for assessment in ASSESSMENTS[:80]:
        ruleset = RULEBOOK.by_id(assessment.ruleset_id)
        when = assessment.submitted_on
        for d in assessment.decisions:
            for criteria in (d.criteria[::-1], d.criteria[1:], d.criteria + d.criteria[:1], d.criteria):
                changed = dataclasses.replace(d, criteria=criteria)
                for _ in range(2):  # places filled by the first, read by the second
                    assert decision_json(changed, ruleset, when, "zh") == decision_json(
                        changed, ruleset, when, "zh", cache=False
                    ), assessment.application_id
    prepared.forget()


def test_wordings_past_the_limit_are_dropped_and_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared, "_WORDINGS_KEPT", 1)
    prepared.forget()
    for lang in ("zh", "en", "zh"):  # each language's wording drops the other's
        _same_as_worded_afresh(ASSESSMENTS[:60], RULEBOOK, lang)
        assert len(prepared._WORDINGS) == 1
        assert set(map(id, prepared._BY_DAY.values())) <= set(map(id, prepared._WORDINGS.values()))
    prepared.forget()


def test_the_parameters_in_force_are_those_of_each_application_s_period(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    params = rules / RULESET_DIR / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    cap = '      - {from: 2022-10-04, value: "200000.00"}\n'
    assert text.count(cap) == 1, "the purchase cap's line of parameters.yaml moved; update this test"
    text = text.replace(cap, cap + '      - {from: 2024-01-01, value: "300000.00"}\n')
    threshold = "    values: []\n\n  require_outside_origin:"
    assert text.count(threshold) == 1, "the pledge threshold's values moved; update this test"
    later = '      - {from: 2022-10-04, value: "1000000.00"}\n      - {from: 2024-07-01, value: "800000.00"}\n'
    text = text.replace(threshold, "    values:\n" + later + "\n  require_outside_origin:")
    params.write_text(text, encoding="utf-8")
    rulebook = load_rulebook(rules)
    assessments = _assessments(rulebook, 300, 43)
    ruleset = rulebook.by_id(assessments[0].ruleset_id)
    assert len(ruleset.periods) >= 3
    assert len({ruleset.period_of(a.submitted_on).index for a in assessments}) >= 3
    for lang in ("zh", "en"):
        _same_as_worded_afresh(assessments, rulebook, lang)
    worded = " ".join(to_json(assessment_json(a, ruleset)).decode() for a in assessments)
    assert "上限 200,000.00 元" in worded and "上限 300,000.00 元" in worded


def _without_a_template(text: str, last: bool) -> str:
    """Rule-file text with, in each ``explain`` of two or more one-line templates, the first
    (or the ``last``) left out: that status is then said by the criterion's label and facts."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        i += 1
        if lines[i - 1].strip() != "explain:":
            continue
        block = []
        while i < len(lines) and re.match(r"\s+(met|not_met|unknown): \{zh:", lines[i]):
            block.append(lines[i])
            i += 1
        out.extend((block[:-1] if last else block[1:]) if len(block) >= 2 else block)
    return "".join(out)


def test_criteria_said_by_their_label_and_facts_read_alike(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    for path in sorted((rules / RULESET_DIR).glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(_without_a_template(text, last=path.name.startswith("p")), encoding="utf-8")
    rulebook = load_rulebook(rules)
    assessments = _assessments(rulebook, 300, 47)
    prepared.forget()
    for lang in ("zh", "en"):
        _same_as_worded_afresh(assessments, rulebook, lang)
    labelled = {
        c.status
        for a in assessments
        for d in a.decisions
        for c in d.criteria
        if getattr(c.criterion.explain, c.status) is None
    }
    assert labelled == {"met", "not_met", "unknown"}


@given(st.text(alphabet=st.sampled_from("ab \t\r\n\u3000\x0b")))
def test_a_text_fact_is_shown_on_one_line(text: str) -> None:
    for lang in ("zh", "en"):
        assert value_shower("applicant.name", lang)(text) == re.sub(r"\s*[\r\n]+\s*", " ", text)


def test_a_what_if_ruleset_is_worded_with_its_own_parameters() -> None:
    """A what-if ruleset keeps the version of the one it changes: the words of each (the
    reference and the memoised) show the parameter values of the ruleset they are given."""
    changed = RULEBOOK.with_overrides(["invention_term_years=25"])
    worded = {}
    for name, rulebook in (("base", RULEBOOK), ("what-if", changed), ("base again", RULEBOOK)):
        ruleset = rulebook.rulesets[0]
        said = [
            " ".join(to_json(assessment_json(a, ruleset, cache=cache)).decode() for a in ASSESSMENTS[:40])
            for cache in (False, True)
        ]
        assert said[0] == said[1], name
        worded[name] = said[0]
    assert changed.rulesets[0].version == RULEBOOK.rulesets[0].version
    assert "保护期 20 年内" in worded["base"] and "保护期 20 年内" not in worded["what-if"]
    assert "保护期 25 年内" in worded["what-if"] and worded["base again"] == worded["base"]
