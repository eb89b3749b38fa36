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

from ..evaluation.decision import INELIGIBLE, MET, Assessment, Decision
from ..money import from_fen
from ..rulebook import Ruleset
from ..rulebook.facts import FACTS, FactSpec, decode_date
from . import sentences
from .contract import applicant_json, maximums_json
from .prepared import Prepared, Wording, criterion_static, wording
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


class _Texts:
    """A prepared criterion's parts (:class:`~engine.explain.prepared.Prepared`: one criterion
    for one status, review flag, language and period) as JSON text, made once."""

    __slots__ = ("full", "stored", "review", "close", "facts")

    def __init__(self, p: Prepared, hint: str) -> None:
        # its object in the contract up to the explanation's value, the status in it
        self.full = to_json(p.head).decode("utf-8")[:-1] + ',"explanation":'
        # the same in the stored decision
        c = p.criterion
        self.stored = (
            '{"id":' + encoded(c.id) + ',"clause":' + encoded(c.clause) + ',"status":' + encoded(p.head["status"])
        ) + ',"explanation":'
        self.review = ',"review":true' if p.review else ""
        self.close = ',"hint":' + encoded(hint) + "}" if p.hint else "}"
        # each fact it reads, once, in order: (path, its value's encoder, '"path":')
        self.facts = tuple((path, _fact_encoder(FACTS[path]), encoded(path) + ":") for path in p.paths)


_MISSING: dict[tuple[str, ...], str] = {}  # a criterion's missing fields as JSON: few lists, said again and again


def _missing(missing: tuple[str, ...]) -> str:
    text = _MISSING.get(missing)
    if text is None:
        if len(_MISSING) >= 4096:
            _MISSING.clear()
        text = _MISSING[missing] = encoded(list(missing))
    return text


def _decision(decision: Decision, decision_id: str, words: Wording, lang: str, line: bool) -> tuple[str, str]:
    """One claim's decision in the contract (when ``line``; else ""), and as stored."""
    full_criteria: list[str] = []
    stored_criteria: list[str] = []
    explained: dict[int, str] = {}
    shown: dict[str, str] = {}  # each fact the claim's criteria read, '"path":value' in the application's terms
    claim_facts: list[str] = []  # those given, in the order first read
    prepared, gap = words.prepared, words.missing
    for c in decision.criteria:
        criterion, status, fact, missing, earlier = c.criterion, c.status, c.fact, c.missing, c.earlier
        p = prepared.get((id(criterion), status, c.review))
        if p is None or p.criterion is not criterion:
            p = words.of(c)
        t = p.texts
        if t is None:
            t = p.texts = _Texts(p, criterion_static(c, lang)[1])
        if earlier and status != MET:
            said = words.said(c, p)
        else:
            said = p.words(fact)
            if missing:
                said += gap(missing)
            elif p.unset:
                said += p.unset
        explained[id(c)] = said
        said = '"' + said + '"' if not _escaped(said) else to_json(said).decode("utf-8")
        missed = _missing(missing) if missing else "[]"
        tail = t.review
        if earlier:
            tail += ',"earlier_awards":' + encoded([r.to_json() for r in earlier])
        if missing:
            stored_criteria.append("".join((t.stored, said, ',"missing":', missed, tail, "}")))
        else:
            stored_criteria.append("".join((t.stored, said, tail, "}")))
        if line:
            facts = []
            for path, spec, key in t.facts:
                text = shown.get(path)
                if text is None:
                    value = fact.get(path)
                    if value is None:
                        text = shown[path] = key + "null"
                    else:
                        text = shown[path] = key + spec(value)
                        claim_facts.append(text)
                facts.append(text)
            full_criteria.append(
                "".join((t.full, said, ',"facts":{', ",".join(facts), '},"missing":', missed, tail, t.close))
            )
        else:
            for path, spec, key in t.facts:
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
