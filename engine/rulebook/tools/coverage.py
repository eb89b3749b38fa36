"""``subsidy rules coverage``: which operative phrases of the plan the rules encode, and which scenarios test them.

The operative text of a ruleset is what its files cite as a provision: the whole
sentence of the plan holding each programme's ``quote`` (so a programme cannot
escape coverage by quoting less of its provision), and the quoted words of each
disqualifier and announced programme. Each piece is cut into phrases at the plan's
own punctuation (:mod:`~engine.rulebook.tools.plan_text`). A phrase is *covered*
when a criterion or a parameter of the same clause quotes words of it (or a quote
contains it), or when its programme reads it as the provision's aim (``purpose:``, with
the reason); *announced* when only an announced programme cites it; otherwise
*uncovered*. The scenarios listed for a phrase are those that exercise one of its
criteria for its clause and programme (:mod:`~engine.rulebook.tools.scenarios`): a scenario
named after another clause, or about another programme only, does not verify it even when it
lists a criterion of the same id as met.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..ruleset import Ruleset
from .plan_text import clause_texts, phrases, sentences
from .scenarios import Scenario, exercising, read_scenarios

__all__ = ["ClauseCoverage", "Coverage", "Encoding", "Phrase", "clause_coverage"]


@dataclass(frozen=True)
class Encoding:
    """One criterion or parameter that encodes a phrase."""

    kind: str  # "criterion" | "disqualifier" | "parameter" | "purpose" | "announced"
    id: str
    label: str
    programs: tuple[str, ...]
    switch: str | None = None  # the interpretation switch it applies under, if any


@dataclass
class Phrase:
    clause: str
    text: str
    encodings: list[Encoding] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)

    @property
    def status(self) -> str:
        if any(e.kind != "announced" for e in self.encodings):
            return "covered"
        return "announced" if self.encodings else "uncovered"


@dataclass
class ClauseCoverage:
    clause: str
    pieces: list[str]  # the operative sentences or quoted words, as the plan prints them
    phrases: list[Phrase]

    @property
    def operative(self) -> list[Phrase]:
        return [p for p in self.phrases if p.status != "announced"]

    @property
    def percent(self) -> int:
        phrases = self.operative
        if not phrases:
            return 100
        return 100 * sum(p.status == "covered" for p in phrases) // len(phrases)


@dataclass
class Coverage:
    ruleset: str
    document: str
    clauses: list[ClauseCoverage]

    @property
    def uncovered(self) -> list[Phrase]:
        return [p for c in self.clauses for p in c.phrases if p.status == "uncovered"]


def _overlaps(quote: str, phrase: str) -> bool:
    return quote in phrase or phrase in quote


def clause_coverage(ruleset: Ruleset, features: Path | None = None, lang: str = "zh") -> Coverage:
    """The coverage of every clause the ruleset cites as a provision. ``features``: the scenarios
    folder (none read when it is None)."""
    scenarios = read_scenarios(features) if features is not None else []
    texts = clause_texts(ruleset.source_text)
    pieces: dict[str, list[str]] = {}

    def piece(clause: str, text: str) -> None:
        if text not in pieces.setdefault(clause, []):
            pieces[clause].append(text)

    for program in ruleset.programs.values():
        found = [s for s in sentences(texts.get(program.clause, "")) if program.quote in s]
        piece(program.clause, found[0] if found else program.quote)
    disqualifiers = {c.id: c for p in ruleset.programs.values() for c in p.criteria if c.kind == "disqualifier"}
    for c in disqualifiers.values():
        piece(c.clause, c.quote)
    for a in ruleset.policy.announced:
        piece(a.clause, a.quote)

    encodings: list[tuple[str, str, Encoding]] = []  # (clause, quote, encoding)
    by_id: dict[str, tuple[str, str, Encoding]] = {}
    for program in ruleset.programs.values():
        for c in program.criteria:
            key = f"{c.id}|{c.quote}"
            if key in by_id:
                old = by_id[key]
                by_id[key] = (old[0], old[1], _with_program(old[2], program.id))
                continue
            kind = "disqualifier" if c.kind == "disqualifier" else "criterion"
            by_id[key] = (c.clause, c.quote, Encoding(kind, c.id, getattr(c.label, lang), (program.id,), c.applies_if))
    encodings += by_id.values()
    for name, p in ruleset.parameters.items():
        if p.quote:
            encodings.append((p.clause, p.quote, Encoding("parameter", name, getattr(p.label, lang), ())))
    for program in ruleset.programs.values():
        for purpose in program.purpose:
            reading = getattr(purpose.reading, lang)
            encodings.append((program.clause, purpose.quote, Encoding("purpose", program.id, reading, (program.id,))))
    for a in ruleset.policy.announced:
        encodings.append((a.clause, a.quote, Encoding("announced", a.id, getattr(a.label, lang), ())))

    cited = frozenset(pieces) | frozenset(cl for cl, _, _ in encodings)
    names = {p.id: (p.id, p.label.zh, p.label.en) for p in ruleset.programs.values()}
    clauses: list[ClauseCoverage] = []
    for clause in sorted(pieces, key=_clause_order):
        out: list[Phrase] = []
        for text in pieces[clause]:
            for words in phrases(text):
                phrase = Phrase(clause, words)
                phrase.encodings = [e for cl, q, e in encodings if cl == clause and _overlaps(q, words)]
                for e in phrase.encodings:
                    if e.kind in ("criterion", "disqualifier"):
                        for s in exercising(e.id, scenarios, clause, cited, e.programs, names):
                            if s not in phrase.scenarios:
                                phrase.scenarios.append(s)
                out.append(phrase)
        clauses.append(ClauseCoverage(clause, pieces[clause], out))
    return Coverage(ruleset.id, ruleset.policy.document, clauses)


def _with_program(e: Encoding, program: str) -> Encoding:
    return Encoding(e.kind, e.id, e.label, (*e.programs, program), e.switch)


def _clause_order(clause: str) -> tuple[int, str]:
    return (0, "") if clause == "序言" else (1, clause)
