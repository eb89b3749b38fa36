"""The policy sandbox: the recorded history decided again under other rules or parameters.

``impact(store, ...)`` takes every recorded decision in chain order — the order the
limits were consumed in — and decides it again: under its archived ruleset version with
what-if parameters (``settings``), or under the rules of another folder (``rulebook``),
routed by submission date. The limits that span applications (once per patent, the cap
per enterprise) are kept anew in memory as the history is replayed, so a change to one
award moves the room left for every later claim of the same enterprise. A reviewer's
settlement still settles its decision when that decision still awaits review; otherwise
it no longer applies. Applications submitted outside ``since``…``until`` are not decided
again: what they were recorded with stands, and counts under the limits.

The store is only read. The result (:class:`ImpactReport`) lists every decision whose
outcome or amount would change, with the criteria (or the award terms) that cause it,
the totals by programme, division and year before and after, and who gains and who
loses. Decisions are compared, not words.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import EngineError, UsageError
from ..evaluation import Evaluator
from ..evaluation.decision import ELIGIBLE, NEEDS_REVIEW, AwardRef, Decision
from ..reading import application_from_data
from ..rulebook import Rulebook, Ruleset
from ..rulebook.overrides import values_json
from ..store import Reader, StoredRecord
from ..yamlio import Located
from .archive import Archive

__all__ = ["Changed", "ImpactReport", "Totals", "impact"]

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Changed:
    """One claim whose decision would change."""

    decision: str
    application: str
    program: str
    applicant: str
    credit_code: str | None
    division: str | None
    submitted_on: str
    before: tuple[str, Decimal | None]  # (outcome, amount) as recorded
    after: tuple[str, Decimal | None]  # (outcome, amount) decided again
    causes: tuple[str, ...]  # criteria whose status changed, or the award terms that did

    @property
    def delta(self) -> Decimal:
        """Awarded cash after minus before (only eligible amounts are awarded)."""
        return _awarded(*self.after) - _awarded(*self.before)


@dataclass
class Totals:
    """Awards (eligible cash, and settlements) and decisions by outcome, before and after."""

    before: Decimal = ZERO
    after: Decimal = ZERO
    outcomes_before: Counter[str] = field(default_factory=Counter)
    outcomes_after: Counter[str] = field(default_factory=Counter)

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


@dataclass
class ImpactReport:
    settings: dict[str, Any]  # what-if parameters, as JSON values
    rules: str | None  # the rules folder decided under; None: each decision's archived version
    since: date | None
    until: date | None
    records: int = 0  # decision records decided again
    decisions: int = 0  # their claims
    kept: int = 0  # decision records outside the window, kept as recorded
    changed: list[Changed] = field(default_factory=list)
    by_program: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    by_division: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    by_year: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    total: Totals = field(default_factory=Totals)
    settlements_moot: list[str] = field(default_factory=list)  # settled decisions that no longer await review
    errors: list[tuple[str, str]] = field(default_factory=list)  # (record, why it could not be decided again)

    def by_applicant(self) -> list[tuple[str, str | None, Decimal]]:
        """(applicant, credit code, change in awarded cash) for everyone whose awards change,
        biggest gain first, biggest loss last."""
        sums: dict[tuple[str, str | None], Decimal] = defaultdict(lambda: ZERO)
        for c in self.changed:
            sums[(c.applicant, c.credit_code)] += c.delta
        rows = [(name, code, delta) for (name, code), delta in sums.items() if delta]
        return sorted(rows, key=lambda r: (-r[2], r[0]))


def _awarded(outcome: str, amount: Decimal | None) -> Decimal:
    return amount if outcome == ELIGIBLE and amount is not None else ZERO


class _Ledger:
    """The limits as the replayed history consumes them: awards and holds by patent and by
    enterprise, per ruleset and programme, in memory (the store's rules, :mod:`engine.store.bodies`)."""

    def __init__(self) -> None:
        self.by_patent: dict[tuple[str, str, str], list[AwardRef]] = defaultdict(list)
        self.by_enterprise: dict[tuple[str, str, str], list[AwardRef]] = defaultdict(list)
        self.holds: dict[str, list[tuple[list[AwardRef], AwardRef]]] = defaultdict(list)

    def patent_awards(self, ruleset_id: str, program: str, patent: str) -> tuple[AwardRef, ...]:
        return tuple(self.by_patent.get((ruleset_id, program, patent), ()))

    def enterprise_awards(self, ruleset_id: str, program: str, credit_code: str) -> tuple[AwardRef, ...]:
        return tuple(self.by_enterprise.get((ruleset_id, program, credit_code), ()))

    def add(self, ruleset_id: str, program: str, patent: str | None, code: str | None, ref: AwardRef) -> None:
        for index, key in ((self.by_patent, patent), (self.by_enterprise, code)):
            if key is not None:
                refs = index[(ruleset_id, program, key)]
                refs.append(ref)
                if ref.pending and ref.decision is not None:
                    self.holds[ref.decision].append((refs, ref))

    def settle(
        self, decision: str, ref: AwardRef | None, ruleset_id: str, program: str, patent: Any, code: Any
    ) -> None:
        """A reviewer's settlement: the decision's hold ends; an award takes its place."""
        for refs, held in self.holds.pop(decision, []):
            refs.remove(held)
        if ref is not None:
            self.add(ruleset_id, program, patent, code, ref)


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def impact(
    store: Reader,
    *,
    settings: Sequence[str] = (),
    rulebook: Rulebook | None = None,
    rules_label: str | None = None,
    since: date | None = None,
    until: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImpactReport:
    """Decide the recorded history again (see the module's notes) and report what changes.

    ``settings``: ``NAME=VALUE`` what-if parameters (read against the archived versions'
    parameters, or ``rulebook``'s); ``rulebook``: decide under these rules instead of each
    decision's archived version. Raises UsageError for a bad setting. Never writes."""
    if rulebook is not None:
        rulebook = rulebook.with_overrides(settings)
        chosen: Evaluator | None = Evaluator(rulebook)
        archive = None
        applied = {k: v for r in rulebook.rulesets for k, v in r.overrides.items()}
    else:
        chosen = None
        archive = Archive(store).with_settings(settings)
        applied = dict(archive.settings)
    report = ImpactReport(values_json(applied), rules_label, since, until)
    ledger = _Ledger()
    seen: dict[str, _Seen] = {}
    total = store.count()
    for done, record in enumerate(store.records(), 1):
        content = json.loads(record.body)
        if record.kind == "settlement":
            _settlement(report, ledger, content, seen)
        else:
            _decision(report, ledger, record, content, archive, chosen, seen)
        if progress is not None and (done % 1000 == 0 or done == total):
            progress(done, total)
    return report


def _in_window(report: ImpactReport, submitted_on: str) -> bool:
    day = date.fromisoformat(submitted_on)
    return (report.since is None or day >= report.since) and (report.until is None or day <= report.until)


def _settlement(report: ImpactReport, ledger: _Ledger, content: dict[str, Any], seen: dict[str, _Seen]) -> None:
    target = content["decision"]
    amount = _money(content.get("amount"))
    one_off = content.get("amount_is") != "research_fund_per_year"
    cash = amount if content["outcome"] == ELIGIBLE and amount is not None and one_off else None
    ref = AwardRef(cash, decision=target, application=content["application"]) if cash is not None else None
    program, rid = content["program"], content["ruleset"]["id"]
    decided = seen.get(target)
    key = _group_keys(decided.division if decided else None, decided.submitted_on if decided else "", program)
    if decided is not None and decided.outcome != NEEDS_REVIEW:  # decided otherwise now: the settlement is moot
        report.settlements_moot.append(target)
        _add_totals(report, key, cash or ZERO, ZERO)
        return
    ledger.settle(target, ref, rid, program, content.get("patent"), content.get("credit_code"))
    _add_totals(report, key, cash or ZERO, cash or ZERO)


@dataclass(frozen=True)
class _Seen:
    """What a replayed decision came to, for the settlement that may follow it."""

    outcome: str
    division: str | None
    submitted_on: str


def _group_keys(division: str | None, submitted_on: str, program: str) -> tuple[str, str, str]:
    return (program, division or "", submitted_on[:4])


def _add_totals(
    report: ImpactReport,
    key: tuple[str, str, str],
    before: Decimal,
    after: Decimal,
    outcomes: tuple[str, str] | None = None,
) -> None:
    program, division, year = key
    for totals in (report.by_program[program], report.by_division[division], report.by_year[year], report.total):
        totals.before += before
        totals.after += after
        if outcomes is not None:
            totals.outcomes_before[outcomes[0]] += 1
            totals.outcomes_after[outcomes[1]] += 1


def _decision(
    report: ImpactReport,
    ledger: _Ledger,
    record: StoredRecord,
    content: dict[str, Any],
    archive: Archive | None,
    chosen: Evaluator | None,
    seen: dict[str, _Seen],
) -> None:
    given = content["input"]
    recorded = content["result"]["decisions"]
    rid = content["ruleset"]["id"]
    applicant = given["applicant"]
    code, division, submitted = applicant.get("credit_code"), applicant.get("division"), given["submitted_on"]
    if not _in_window(report, submitted):
        report.kept += 1
        for d in recorded:
            _keep(ledger, rid, d, code, record.application)
            seen[d["decision"]] = _Seen(d["outcome"], division, submitted)
        return
    try:
        decisions, ruleset = _decide_again(record, content, ledger, archive, chosen)
    except EngineError as exc:
        report.errors.append((record.record_id, str(exc)))
        for d in recorded:
            _keep(ledger, rid, d, code, record.application)
        return
    report.records += 1
    for old, new in zip(recorded, decisions, strict=True):
        report.decisions += 1
        did = old["decision"]
        seen[did] = _Seen(new.outcome, division, submitted)
        if new.amount is not None and new.outcome in (ELIGIBLE, NEEDS_REVIEW):
            ref = AwardRef(new.amount, decision=did, application=record.application, pending=new.outcome != ELIGIBLE)
            ledger.add(ruleset.id, new.program, new.patent, code, ref)
        before = (old["outcome"], _money(old["amount"]))
        now = (new.outcome, new.amount)
        key = _group_keys(division, submitted, new.program)
        _add_totals(report, key, _awarded(*before), _awarded(*now), (before[0], now[0]))
        if before != now:
            causes = _causes(old, new, ruleset)
            name = applicant["name"]
            report.changed.append(
                Changed(did, record.application, new.program, name, code, division, submitted, before, now, causes)
            )


def _keep(ledger: _Ledger, rid: str, d: dict[str, Any], code: str | None, application: str) -> None:
    """A recorded decision that stands as recorded: what it awarded or holds counts."""
    amount = _money(d.get("amount"))
    if amount is not None and d["outcome"] in (ELIGIBLE, NEEDS_REVIEW):
        ref = AwardRef(amount, decision=d["decision"], application=application, pending=d["outcome"] != ELIGIBLE)
        ledger.add(rid, d["program"], d.get("patent"), code, ref)


def _decide_again(
    record: StoredRecord, content: dict[str, Any], ledger: _Ledger, archive: Archive | None, chosen: Evaluator | None
) -> tuple[tuple[Decision, ...], Ruleset]:
    if chosen is not None:
        evaluator = chosen
        app = application_from_data(Located(content["input"], {}, f"record {record.record_id}"), evaluator.rulebook)
        ruleset = evaluator.ruleset_for(app)
    else:
        assert archive is not None
        version = content["ruleset"]["version"]
        ruleset, evaluator = archive.ruleset(version), archive.evaluator(version)
        app = application_from_data(Located(content["input"], {}, f"record {record.record_id}"), evaluator.rulebook)
    decisions = evaluator.evaluate(app, ledger, ruleset).decisions
    if len(decisions) != len(content["result"]["decisions"]):  # pragma: no cover - claims are kept one for one
        raise UsageError(f"record {record.record_id}: the claims do not match the recorded decisions")
    return decisions, ruleset


def _causes(old: dict[str, Any], new: Decision, ruleset: Ruleset) -> tuple[str, ...]:
    """What makes a claim's decision change: the criteria whose status changed; else the
    award terms (the amount's parameters, or the room left under the cap)."""
    was = {c["id"]: c["status"] for c in old["criteria"]}
    causes = [c.id for c in new.criteria if was.get(c.id) != c.status]
    causes += [cid for cid in was if cid not in {c.id for c in new.criteria}]
    if causes:
        return tuple(causes)
    terms = old.get("arithmetic") or {}
    a = new.arithmetic
    if a is not None and terms:
        if terms.get("used") is not None and a.used is not None and Decimal(terms["used"]) != a.used:
            return ("cap room",)
        award = ruleset.programs[new.program].award
        params = [op.param for op in (award.fixed, award.rate, award.cap) if op is not None]
        return tuple(f"award: {p}" for p in params if p in ruleset.overrides) or ("award",)
    return ("award",)


def changed_rows(report: ImpactReport) -> Iterator[list[str]]:
    """The changed decisions as rows of text (for CSV), with a header first."""
    yield [
        "decision",
        "application",
        "program",
        "applicant",
        "credit_code",
        "division",
        "submitted_on",
        "outcome_before",
        "amount_before",
        "outcome_after",
        "amount_after",
        "awarded_change",
        "causes",
    ]
    for c in report.changed:
        yield [
            c.decision,
            c.application,
            c.program,
            c.applicant,
            c.credit_code or "",
            c.division or "",
            c.submitted_on,
            c.before[0],
            "" if c.before[1] is None else str(c.before[1]),
            c.after[0],
            "" if c.after[1] is None else str(c.after[1]),
            str(c.delta),
            " ".join(c.causes),
        ]
