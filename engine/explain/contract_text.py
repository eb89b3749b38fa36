"""A decision serialised once: the contract's object and the stored decision, as JSON text.

Screening prints the contract's decision object (``--format jsonl``) and records the
decision as the store keeps it (:func:`engine.store.bodies.stored_result`): the same
explanations, facts and arithmetic in two arrangements. :func:`decision_texts` words and
encodes each of them once — every criterion's explanation, the facts a claim read, what is
missing, the earlier awards counted — and lays both texts out from those pieces and from
what comes from the rule files alone (ids, clauses, labels, quotes, hints, the facts a
criterion reads), encoded once per criterion. The texts are what serialising
:func:`~engine.explain.contract.assessment_json` (with decision ids) and its stored form
gives, byte for byte: the tests hold them to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from pydantic_core import to_json

from ..evaluation.decision import INELIGIBLE, MET, Assessment, CriterionResult, Decision
from ..money import from_fen
from ..rulebook import Ruleset
from ..rulebook.facts import FACTS, FactSpec, decode_date
from . import sentences
from .contract import applicant_json, maximums_json
from .prepared import Wording, criterion_static, wording
from .words import is_zh

__all__ = ["decision_texts", "encoded"]

# what JSON escapes in a text (and lone surrogates, which UTF-8 cannot carry): else a text is itself, quoted
_ESCAPED = re.compile('[\x00-\x1f"\\\\\ud800-\udfff]')
_escaped = _ESCAPED.search


def encoded(value: Any) -> str:
    """``value`` as compact JSON text, as :func:`pydantic_core.to_json` writes it."""
    kind = type(value)
    if kind is str:
        return '"' + value + '"' if not _ESCAPED.search(value) else to_json(value).decode("utf-8")
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    return to_json(value).decode("utf-8")


_DATES: dict[int, str] = {}  # a date fact's text by its value: few dates, read again and again


def _date(value: int) -> str:
    text = _DATES.get(value)
    if text is None:
        if len(_DATES) > 100_000:
            _DATES.clear()
        text = _DATES[value] = '"' + decode_date(value) + '"'
    return text


def _fact_encoder(spec: FactSpec) -> Callable[[Any], str]:
    """A fact's value (as the engine holds it, not None) in the application's terms, as JSON."""
    if spec.type == "date":
        return _date
    if spec.type == "money":
        return lambda value: '"' + str(from_fen(value)) + '"'
    if spec.type == "bool":
        return lambda value: "true" if value is True else "false" if value is False else encoded(value)
    return encoded


class _Pieces:
    """A criterion's parts from the rule file alone, as JSON text."""

    __slots__ = ("criterion", "full", "stored", "hinted", "facts")

    def __init__(self, c: CriterionResult, lang: str) -> None:
        static, hint, _ = criterion_static(c, lang)
        self.criterion = c.criterion
        # its object in the contract up to the status's opening quote
        self.full = "{" + ",".join(f"{encoded(k)}:{encoded(v)}" for k, v in static.items()) + ',"status":"'
        # the same in the stored decision
        self.stored = '{"id":' + encoded(c.id) + ',"clause":' + encoded(c.clause) + ',"status":"'
        self.hinted = ',"hint":' + encoded(hint) + "}"
        # each fact it reads, once, in order: (path, its value's encoder, '"path":')
        seen = dict.fromkeys(c.criterion.facts)
        self.facts = tuple((p, _fact_encoder(FACTS[p]), encoded(p) + ":") for p in seen)


_PIECES: dict[tuple[int, str], _Pieces] = {}


def _pieces(c: CriterionResult, lang: str) -> _Pieces:
    key = (id(c.criterion), lang)
    found = _PIECES.get(key)
    if found is None or found.criterion is not c.criterion:  # the cache holds the criterion: an id is never reused
        found = _PIECES[key] = _Pieces(c, lang)
    return found


def _decision(decision: Decision, decision_id: str, words: Wording, lang: str, line: bool) -> tuple[str, str]:
    """One claim's decision in the contract (when ``line``; else ""), and as stored."""
    full_criteria: list[str] = []
    stored_criteria: list[str] = []
    explained: dict[int, str] = {}
    shown: dict[str, str] = {}  # each fact the claim's criteria read, in the application's terms, as JSON
    claim_facts: list[str] = []  # those given, '"path":value', in the order first read
    for c in decision.criteria:
        pieces = _pieces(c, lang)
        said = words.said(c)
        explained[id(c)] = said
        said = '"' + said + '"' if not _escaped(said) else to_json(said).decode("utf-8")
        status = c.status
        missing = encoded(list(c.missing)) if c.missing else "[]"
        tail = ',"review":true' if c.review else ""
        if c.earlier:
            tail += ',"earlier_awards":' + encoded([r.to_json() for r in c.earlier])
        stored_criteria.append(
            "".join(
                (
                    pieces.stored,
                    status,
                    '","explanation":',
                    said,
                    ',"missing":' + missing if c.missing else "",
                    tail,
                    "}",
                )
            )
        )
        if line:
            fact = c.fact
            facts = []
            for path, spec, key in pieces.facts:
                text = shown.get(path)
                if text is None:
                    value = fact.get(path)
                    if value is None:
                        text = "null"
                    else:
                        text = spec(value)
                        claim_facts.append(key + text)
                    shown[path] = text
                facts.append(key + text)
            full_criteria.append(
                "".join(
                    (
                        pieces.full,
                        status,
                        '","explanation":',
                        said,
                        ',"facts":{',
                        ",".join(facts),
                        '},"missing":',
                        missing,
                        tail,
                        "}" if status == MET else pieces.hinted,
                    )
                )
            )
        else:
            fact = c.fact
            for path, spec, key in pieces.facts:
                if path not in shown:
                    value = fact.get(path)
                    shown[path] = ""
                    if value is not None:
                        claim_facts.append(key + spec(value))
    amount = decision.amount if decision.amount is not None and decision.outcome != INELIGIBLE else None
    head = (
        '{"claim":'
        + str(decision.claim)
        + ',"program":'
        + encoded(decision.program)
        + ',"outcome":"'
        + decision.outcome
        + '","amount":'
        + (encoded(str(amount)) if amount is not None else "null")
        + ',"maximums":'
        + encoded(maximums_json(decision.maximums))
    )
    rest = (
        ',"missing":'
        + encoded(list(decision.missing))
        + ',"summary":'
        + encoded(sentences.summary(decision, lang, lambda c: explained[id(c)], words.base))
        + ',"clause":'
        + encoded(decision.clause)
    )
    if decision.patent:
        rest += ',"patent":' + encoded(decision.patent)
    if decision.arithmetic is not None:
        rest += ',"arithmetic":' + encoded(decision.arithmetic.to_json())
    derived_full = derived_stored = ""
    if decision.derived:
        zh = is_zh(lang)
        labelled = [
            {"id": d.id, "status": d.status, "label": d.label.zh if zh else d.label.en} for d in decision.derived
        ]
        derived_full = ',"derived":' + encoded(labelled)
        derived_stored = ',"derived":' + encoded({d.id: d.status for d in decision.derived})
    ident = ',"decision":' + encoded(decision_id)
    full_text = (
        "".join((head, ',"criteria":[', ",".join(full_criteria), "]", rest, derived_full, ident, "}")) if line else ""
    )
    stored_text = "".join(
        (
            head,
            rest,
            ident,
            ',"criteria":[',
            ",".join(stored_criteria),
            '],"facts":{',
            ",".join(claim_facts),
            "}",
            derived_stored,
            "}",
        )
    )
    return full_text, stored_text


def decision_texts(
    assessment: Assessment, ruleset: Ruleset, decision_ids: Sequence[str], lang: str = "zh", line: bool = True
) -> tuple[str, str]:
    """The contract's decision object (each claim with its id from ``decision_ids``) and the
    decision as the store keeps it (:func:`~engine.store.bodies.stored_result`), as compact
    JSON text; with ``line=False`` only the second (the first is "")."""
    full: list[str] = []
    stored: list[str] = []
    words = wording(ruleset, lang, assessment.submitted_on)
    for decision, decision_id in zip(assessment.decisions, decision_ids, strict=True):
        one, other = _decision(decision, decision_id, words, lang, line)
        full.append(one)
        stored.append(other)
    opening = (
        '{"application":'
        + encoded(assessment.application_id)
        + ',"ruleset":'
        + encoded({"id": assessment.ruleset_id, "version": assessment.ruleset_version})
    )
    about = (
        ',"submitted_on":"'
        + assessment.submitted_on.isoformat()
        + '","applicant":'
        + encoded(applicant_json(assessment))
    )
    closing = ',"total":' + encoded(str(assessment.total)) + ',"engine":' + encoded(assessment.engine)
    if line:
        title = assessment.title.zh if is_zh(lang) else assessment.title.en
        policy = {"document": assessment.document, "title": title, "in_force": assessment.in_force}
        full_text = "".join(
            (opening, ',"decisions":[', ",".join(full), "]", about, ',"policy":', encoded(policy), closing, "}")
        )
    else:
        full_text = ""
    in_force = ',"policy":{"in_force":' + ("true" if assessment.in_force else "false") + '},"decisions":['
    stored_text = "".join((opening, about, closing, in_force, ",".join(stored), "]}"))
    return full_text, stored_text
