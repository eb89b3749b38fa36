"""Each criterion's words and contract parts, prepared once, its words memoised by what they show.

For one ruleset, language and parameter period (:meth:`~engine.rulebook.Ruleset.period_of`),
a criterion is prepared once for each status it can take (and a failed test sent to review):
its template made into a format string with the parameters in force written in, a way of
showing each fact a hole shows, the note of a parameter not set; and the parts of its object
in the contract that come from the rule file alone (id, clause, label, quote, hint, the facts
it reads). Its words are then memoised by the values its holes show — not by every fact it
reads: a patent number the sentence never shows is not part of the key — so the words an
applicant's criteria say again for every claim, and the few sentences most claims share, are
worded once. A criterion whose shown values rarely repeat (a patent number, a date) stops
memoising after :data:`MEMO_SIZE` misses with fewer than half of its lookups hits.

The words are what :func:`engine.explain.sentences.explanation` says, exactly: the tests hold
the two to the same text over generated applications, in both languages. Words that cite
earlier awards are never memoised (they name other decisions).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from ..evaluation.decision import MET, NOT_MET, UNKNOWN, CriterionResult, Decision
from ..rulebook import Ruleset
from ..rulebook.conditions import UNSET
from ..rulebook.facts import FACTS, FactSpec, plain_value
from . import sentences
from .sentences import _HOLE
from .words import is_zh, missing_words, show_param, value_shower

__all__ = ["MEMO_SIZE", "Prepared", "Wording", "criterion_static", "forget", "plain_of", "wording"]

MEMO_SIZE = 2048
"""Texts a prepared criterion keeps; when full it is emptied, or given up when fewer than
half of its lookups since it was last emptied were hits."""

_WORDINGS_KEPT = 64  # wordings (ruleset, language, period) kept; the oldest is dropped past that


_STATIC: dict[tuple[int, str], tuple[Any, dict[str, Any], str, tuple[tuple[str, Any], ...]]] = {}


def criterion_static(c: CriterionResult, lang: str) -> tuple[dict[str, Any], str, tuple[tuple[str, Any], ...]]:
    """The parts of a criterion's JSON that come from the rule file alone: its object up to
    the status, its hint, each fact it reads with its spec (built once per criterion; the
    cache holds the criterion itself, so an id is never reused under it)."""
    key = (id(c.criterion), lang)
    entry = _STATIC.get(key)
    if entry is not None and entry[0] is c.criterion:
        return entry[1], entry[2], entry[3]
    zh = is_zh(lang)
    item: dict[str, Any] = {
        "id": c.id,
        "clause": c.clause,
        "label": c.label.zh if zh else c.label.en,
        "quote": c.quote,
    }
    if c.code:
        item["code"] = c.code
    if c.kind != "criterion":
        item["kind"] = c.kind
    if c.discretionary:
        item["discretionary"] = True
    if c.interpretation is not None:
        item["interpretation"] = c.interpretation.zh if zh else c.interpretation.en
    specs = tuple((path, FACTS[path]) for path in c.criterion.facts)
    hint = c.hint.zh if zh else c.hint.en
    _STATIC[key] = (c.criterion, item, hint, specs)
    return item, hint, specs


_PLAIN: dict[str, dict[int, str]] = {"date": {}, "money": {}}
"""Each date's and amount's plain form by its encoded value (the same few are read again and
again), for :attr:`Prepared.converts`; a table is emptied past :data:`_PLAIN_KEPT` values."""

_PLAIN_KEPT = 20_000


def plain_of(table: dict[int, str], spec: FactSpec, value: int) -> str:
    """``value`` of the fact ``spec`` in the application's terms, kept in ``table``."""
    if len(table) >= _PLAIN_KEPT:
        table.clear()
    found = table[value] = plain_value(spec, value)
    return found  # type: ignore[no-any-return]


class Prepared:
    """One criterion, for one status (and review), ruleset, language and parameter period.

    The words, ``words(fact)``: ``constant`` when no hole shows a fact, else ``fill`` of the
    values of the facts ``shown`` (one hole: ``prefix``, ``show`` of its value, ``suffix``),
    memoised by them in ``memo``; ``unset``, the note of a parameter not set
    (said when no field is missing). The contract's parts: ``head``, its object up to the
    explanation (with the status); ``item``, the whole object when no earlier award is cited,
    its explanation, facts and missing to be set in a copy; ``paths``, the facts it reads, once each, in order;
    ``converts``, those to convert to the application's terms (dates, money), each with the
    table of its kind's plain forms and its spec (:func:`plain_of`); ``texts``, the same parts
    as JSON text, made by :mod:`engine.explain.contract_text` when it first lays one out."""

    __slots__ = (
        "criterion",
        "constant",
        "words",
        "prefix",
        "show",
        "suffix",
        "shown",
        "first",
        "second",
        "fill",
        "unset",
        "listed",
        "memo",
        "lookups",
        "head",
        "item",
        "review",
        "hint",
        "paths",
        "converts",
        "texts",
    )

    def __init__(self, c: CriterionResult, ruleset: Ruleset, lang: str, when: date) -> None:
        self.criterion = criterion = c.criterion
        zh = is_zh(lang)
        status = c.status
        # the words: a format string and the facts its holes show
        template = getattr(criterion.explain, status)
        if c.review and criterion.explain.not_met is not None:
            template = criterion.explain.not_met
        shown: tuple[str, ...]
        fill: Callable[[tuple[Any, ...]], str]
        if template is not None:
            text, shown, fill, one = _template_words(template.zh if zh else template.en, ruleset, lang, when)
        else:
            text, shown, fill, one = _label_words(c, ruleset, lang)
        self.shown, self.fill = shown, fill
        self.show: Callable[[Any], str]
        self.prefix, self.show, self.suffix = one or ("", str, "")
        self.first = shown[0] if len(shown) in (1, 2) else None  # one or two facts: their values read one by one
        self.second = shown[1] if len(shown) == 2 else None
        self.constant: str | None = text if not shown else None
        # open for want of a parameter, not a fact: said only when nothing is missing
        unset = ""
        if status == UNKNOWN:
            for name in criterion.params:
                param = ruleset.parameters.get(name)
                if param is not None and param.unset is not None and ruleset.param_value(name, when) is UNSET:
                    unset += f"；{param.unset.zh}" if zh else f"; {param.unset.en}"
        self.unset = unset
        self.listed = any(FACTS[path].type == "text_list" for path in shown)
        self.memo: dict[Any, str] | None = {} if shown else None
        self.lookups = 0
        self.words: Callable[[dict[str, Any]], str] = (
            self._constant if not shown else self._one_memo if one is not None else self._many
        )
        # the contract's parts
        static, hint, specs = criterion_static(c, lang)
        self.head = {**static, "status": status}
        self.review = {"review": True} if c.review else {}
        self.hint = {"hint": hint} if status != MET else {}
        # the whole object, in order, the explanation, facts and missing to be set in a copy
        self.item = {**self.head, "explanation": "", "facts": None, "missing": None, **self.review, **self.hint}
        paths = tuple(dict.fromkeys(path for path, _ in specs))
        self.paths = paths
        self.converts = tuple(
            (path, _PLAIN[FACTS[path].type], FACTS[path]) for path in paths if FACTS[path].type in _PLAIN
        )
        self.texts: Any = None

    # words(fact): the criterion's words for the claim's ``fact`` (without the fields missing,
    # nor earlier awards); one of the methods below, chosen by the number of facts shown, and
    # whether they are memoised still (a sentence showing one fact, the most common, is filled
    # and memoised by its value alone, without a tuple of values to make)

    def _constant(self, fact: dict[str, Any]) -> str:
        return self.constant  # type: ignore[return-value]

    def _one(self, fact: dict[str, Any]) -> str:
        return self.prefix + self.show(fact.get(self.first)) + self.suffix  # type: ignore[arg-type]

    def _one_memo(self, fact: dict[str, Any]) -> str:
        value = fact.get(self.first)  # type: ignore[arg-type]
        memo = self.memo
        if memo is None:  # given up by another thread since ``words`` was read (the web words in threads)
            return self.prefix + self.show(value) + self.suffix  # type: ignore[operator]
        key = tuple(value) if type(value) is list else value
        text = memo.get(key)
        self.lookups += 1
        if text is None:
            text = self.prefix + self.show(value) + self.suffix
            self._keep(key, text, self._one)
        return text

    def _many(self, fact: dict[str, Any]) -> str:
        first = self.first
        if first is None:
            values = tuple(map(fact.get, self.shown))
        else:
            values = (fact.get(first), fact.get(self.second))  # type: ignore[arg-type]
        memo = self.memo
        if memo is None:
            return self.fill(values)
        key = tuple(tuple(v) if type(v) is list else v for v in values) if self.listed else values
        text = memo.get(key)
        self.lookups += 1
        if text is None:
            text = self.fill(values)
            self._keep(key, text, self._many)
        return text

    def _keep(self, key: Any, text: str, unmemoised: Callable[[dict[str, Any]], str]) -> None:
        """Keep ``text`` in the memo; a full memo is emptied, or given up (``words`` then
        becomes ``unmemoised``) when fewer than half of its lookups were hits."""
        memo = self.memo
        if memo is None:
            return
        if len(memo) >= MEMO_SIZE:
            if self.lookups < 2 * MEMO_SIZE:  # fewer than half were hits: the values rarely repeat
                self.memo = None
                self.words = unmemoised
                return
            memo.clear()
            self.lookups = 1
        memo[key] = text


_One = tuple[str, Callable[[Any], str], str] | None


def _template_words(
    written: str, ruleset: Ruleset, lang: str, when: date
) -> tuple[str, tuple[str, ...], Callable[[tuple[Any, ...]], str], _One]:
    """A template as a format string with the parameters in force on ``when`` written in, the
    fact paths its holes show, the function filling it from their values, and for one hole,
    the words before it, the way it shows its value and the words after."""
    out: list[str] = []
    shown: list[str] = []
    showers = []
    for i, part in enumerate(_HOLE.split(written)):
        if not i % 2:
            out.append(part.replace("{", "{{").replace("}", "}}"))
        elif part.startswith("param:"):
            out.append(show_param(ruleset, part[6:], when, lang).replace("{", "{{").replace("}", "}}"))
        else:
            out.append("{}")
            shown.append(part)
            showers.append(value_shower(part, lang, ruleset.divisions))
    made = "".join(out)
    if not shown:
        return made.format(), (), str, None
    fmt = made.format
    shows = tuple(showers)

    def fill(values: tuple[Any, ...]) -> str:
        return fmt(*[show(value) for show, value in zip(shows, values, strict=True)])

    one = None
    if len(shown) == 1:
        hole = out.index("{}")
        one = ("".join(out[:hole]).format(), showers[0], "".join(out[hole + 1 :]).format())
    return made, tuple(shown), fill, one


def _label_words(
    c: CriterionResult, ruleset: Ruleset, lang: str
) -> tuple[str, tuple[str, ...], Callable[[tuple[Any, ...]], str], _One]:
    """A criterion with no template for its status: its label and the facts it shows."""
    zh = is_zh(lang)
    label = c.label.zh if zh else c.label.en
    paths = tuple(path for path in c.criterion.facts if FACTS[path].scope != "ledger")
    named = tuple(
        (FACTS[path].zh if zh else FACTS[path].en, value_shower(path, lang, ruleset.divisions)) for path in paths
    )
    joiner = "，" if zh else ", "
    if c.status == MET:
        head, open_, close = label, ("（" if zh else " ("), ("）" if zh else ")")
    elif c.status == NOT_MET:
        head, open_, close = (f"不满足“{label}”" if zh else f"not met: {label}"), ("：" if zh else ": "), ""
    else:
        head, open_, close = (f"“{label}”尚不能确定" if zh else f"cannot tell yet: {label}"), ("：" if zh else ": "), ""
    if not paths:
        return head, (), str, None

    def fill(values: tuple[Any, ...]) -> str:
        shown = joiner.join(f"{name} {show(value)}" for (name, show), value in zip(named, values, strict=True))
        return f"{head}{open_}{shown}{close}"

    one = (f"{head}{open_}{named[0][0]} ", named[0][1], close) if len(paths) == 1 else None
    return head, paths, fill, one


class Wording:
    """Every criterion of one ruleset prepared for one language and parameter period."""

    __slots__ = ("ruleset", "lang", "when", "zh", "prepared", "gaps", "places")

    def __init__(self, ruleset: Ruleset, lang: str, when: date) -> None:
        self.ruleset, self.lang, self.when, self.zh = ruleset, lang, when, is_zh(lang)
        self.prepared: dict[tuple[int, str, bool], Prepared] = {}
        self.gaps: dict[tuple[str, ...], str] = {}
        self.places: dict[str, tuple[dict[str, Prepared], ...]] = {}

    def places_of(self, decision: Decision) -> tuple[dict[str, Prepared], ...]:
        """Per criterion of ``decision``, in order, a place keeping its prepared words by status
        (not sent to review), found there without a key to make and hash: one place per criterion
        the programme has in force in this period, the criteria a decision reports, in that order.
        A place may hold another criterion's words (a decision made otherwise): the caller checks
        the criterion and prepares it then. A decision listing more or fewer criteria gets places
        of its own, dropped after."""
        found = self.places.get(decision.program)
        if found is None:
            if decision.program not in self.ruleset.programs:
                return tuple({} for _ in decision.criteria)
            active = self.ruleset.active_criteria(decision.program, self.ruleset.period_of(self.when))
            found = self.places[decision.program] = tuple({} for _ in active)
        if len(found) != len(decision.criteria):
            return tuple({} for _ in decision.criteria)
        return found

    def of(self, c: CriterionResult) -> Prepared:
        """``c``'s criterion prepared for its status."""
        criterion = c.criterion
        key = (id(criterion), c.status, c.review)
        found = self.prepared.get(key)
        if found is None or found.criterion is not criterion:
            found = self.prepared[key] = Prepared(c, self.ruleset, self.lang, self.when)
        return found

    def missing(self, missing: tuple[str, ...]) -> str:
        """What ends the words of a criterion missing ``missing`` (not empty)."""
        gap = self.gaps.get(missing)
        if gap is None:
            if len(self.gaps) >= MEMO_SIZE:
                self.gaps.clear()
            words = missing_words(missing, self.lang)
            gap = self.gaps[missing] = f"（缺少{words}）" if self.zh else f" (missing {words})"
        return gap

    def base(self, c: CriterionResult, prepared: Prepared | None = None) -> str:
        """``c``'s explanation without the fields missing (a summary names them once)."""
        if c.earlier and c.status != MET:
            return sentences.explanation(c, self.ruleset, self.when, self.lang, with_missing=False)
        p = prepared or self.of(c)
        text = p.words(c.fact)
        return text + p.unset if p.unset and not c.missing else text

    def said(self, c: CriterionResult, prepared: Prepared | None = None) -> str:
        """``c``'s explanation: :func:`engine.explain.sentences.explanation`, memoised."""
        if c.earlier and c.status != MET:
            return sentences.explanation(c, self.ruleset, self.when, self.lang)
        p = prepared or self.of(c)
        text = p.words(c.fact)
        missing = c.missing
        if missing:
            return text + self.missing(missing)
        return text + p.unset if p.unset else text


_WORDINGS: dict[tuple[int, str, int], Wording] = {}
_CHANGING = threading.Lock()  # one thread adds or drops a wording at a time (the web serves in threads)
_BY_DAY: dict[tuple[int, str, date], Wording] = {}  # the wording of each day's period, found once


def forget() -> None:
    """Drop every prepared wording and its memos (the next explanation prepares them again)."""
    _WORDINGS.clear()
    _BY_DAY.clear()


def wording(ruleset: Ruleset, lang: str, when: date) -> Wording:
    """The criteria of ``ruleset`` prepared for ``lang`` and the parameter period of ``when``."""
    day = (id(ruleset), lang, when)
    found = _BY_DAY.get(day)
    if found is not None and found.ruleset is ruleset:
        return found
    key = (id(ruleset), lang, ruleset.period_of(when).index)
    found = _WORDINGS.get(key)
    if found is None or found.ruleset is not ruleset:
        with _CHANGING:  # finding the oldest while another thread adds or drops one would raise
            if len(_WORDINGS) >= _WORDINGS_KEPT:
                _WORDINGS.pop(next(iter(_WORDINGS)), None)  # the oldest
                _BY_DAY.clear()  # which holds no wording dropped
            found = _WORDINGS[key] = Wording(ruleset, lang, when)
    if len(_BY_DAY) >= MEMO_SIZE:
        _BY_DAY.clear()
    _BY_DAY[day] = found
    return found
