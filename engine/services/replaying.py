"""For auditors: evaluate recorded decisions again and compare decisions, not words.

Each recorded decision is evaluated again from its recorded input, under the ruleset
version recorded with it — rebuilt from the files archived in the store, never the
files on disk — and with the ledger state it recorded. It *reproduces* when, claim
by claim, the outcome, the amount, the maximums and the arithmetic, every
criterion's status, the facts each read, what was missing and the earlier awards it
counted are equal. The text the applicant was given is kept as issued: where
today's wording differs from it, that is reported apart, as a wording change, and
the decision still reproduces.

The recorded input is validated again from its bytes in the body, as screening validated
it; where the decision evaluated again is stored as the very bytes recorded, every claim
reproduces in its words and nothing is decoded to compare — only a record that differs in
any byte is compared field by field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from ..errors import EngineError, Problem, StoreError
from ..evaluation import Assessment
from ..explain.contract_text import decision_texts
from ..reading import application_from_data
from ..reading.plain import plain_application
from ..rulebook import Ruleset
from ..store import Reader, StoredRecord, decision_id, parse_reference
from ..store.body_reading import long_digits
from ..yamlio import Located
from .archive import Archive
from .ledger import RecordedLedger
from .pipeline import pipelined, worker_count

__all__ = ["DECIDED", "Difference", "Replayed", "decision_essence", "decision_wording", "replay"]


@dataclass(frozen=True)
class Difference:
    path: str  # e.g. decisions[0].amount
    recorded: Any
    now: Any


@dataclass
class Replayed:
    """One recorded decision evaluated again."""

    record: str  # the record id (the application id)
    ruleset: str
    version: str
    decisions: int = 0  # claims' decisions compared
    differing: int = 0  # of those, how many differ in substance
    changed: int = 0  # of the differing, how many in what was decided: outcome, amount or maximums
    differences: list[Difference] = field(default_factory=list)
    wording: list[Difference] = field(default_factory=list)  # same decision, other words today
    error: str | None = None
    compared: list[Difference] = field(default_factory=list)  # with ``detail``: every field compared

    @property
    def reproduced(self) -> bool:
        return not self.differences and self.error is None

    @property
    def reworded(self) -> int:
        """How many of its decisions reproduce in substance with words changed since."""
        if self.error is not None:
            return 0
        differing = {_decision_of(d.path) for d in self.differences}
        return len({_decision_of(d.path) for d in self.wording} - differing)


def _decision_of(path: str) -> str:
    """The decision a compared field belongs to: ``decisions[2].summary`` -> ``decisions[2]``."""
    return path.split(".", 1)[0]


def decision_essence(decision: dict[str, Any]) -> dict[str, Any]:
    """What a claim's recorded decision decided (any body format), without its words."""
    derived = decision.get("derived") or {}
    if isinstance(derived, list):  # the first body format kept labels beside the statuses
        derived = {x["id"]: x["status"] for x in derived}
    return {
        "program": decision["program"],
        "outcome": decision["outcome"],
        "amount": decision["amount"],
        "maximums": decision.get("maximums"),
        "patent": decision.get("patent"),
        "arithmetic": decision.get("arithmetic"),
        "missing": decision.get("missing") or [],
        "facts": {path: value for path, value in (decision.get("facts") or {}).items() if value is not None},
        "derived": derived,
        "criteria": [
            {
                "id": c["id"],
                "status": c["status"],
                "review": bool(c.get("review")),
                "missing": c.get("missing") or [],
                "earlier_awards": c.get("earlier_awards") or [],
            }
            for c in decision["criteria"]
        ],
    }


def decision_wording(decision: dict[str, Any]) -> dict[str, Any]:
    """The words a claim's decision was given in: its summary, each criterion's explanation."""
    return {
        "summary": decision.get("summary"),
        "criteria": [{"id": c["id"], "explanation": c.get("explanation")} for c in decision["criteria"]],
    }


def _diff(recorded: Any, now: Any, path: str, every: list[Difference] | None = None) -> Iterator[Difference]:
    """The fields that differ; ``every`` also collects each field compared, alike or not."""
    if isinstance(recorded, dict) and isinstance(now, dict):
        for key in list(recorded) + [k for k in now if k not in recorded]:
            yield from _diff(recorded.get(key), now.get(key), f"{path}.{key}" if path else str(key), every)
    elif isinstance(recorded, list) and isinstance(now, list) and len(recorded) == len(now) and recorded:
        for i, (a, b) in enumerate(zip(recorded, now, strict=True)):
            yield from _diff(a, b, f"{path}[{i}]", every)
    else:
        if every is not None:
            every.append(Difference(path, recorded, now))
        if recorded != now:
            yield Difference(path, recorded, now)


# What a decision decides; a difference elsewhere (the arithmetic, a fact, a criterion) is in its details only.
DECIDED = ("outcome", "amount", "maximums")


def compare(
    recorded: dict[str, Any], now: dict[str, Any], out: Replayed, claims: Sequence[int] = (), detail: bool = False
) -> None:
    """Compare two stored results claim by claim (only ``claims``, when given); ``detail``
    keeps every field compared in ``out.compared``."""
    mine, theirs = recorded["decisions"], now["decisions"]
    if len(mine) != len(theirs):
        out.decisions += len(mine)
        out.differing += len(mine)
        out.differences.append(Difference("decisions", [d["decision"] for d in mine], [d["decision"] for d in theirs]))
        return
    for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if claims and a["claim"] not in claims:
            continue
        out.decisions += 1
        every = out.compared if detail else None
        was, now_is = decision_essence(a), decision_essence(b)
        # equal as a whole: nothing differs (walked field by field only to list the fields, or where not)
        found = [] if every is None and was == now_is else list(_diff(was, now_is, f"decisions[{i}]", every))
        out.differences += found
        out.differing += bool(found)
        out.changed += bool(found) and any(was[key] != now_is[key] for key in DECIDED)
        said, now_said = decision_wording(a), decision_wording(b)
        if said != now_said:
            out.wording += _diff(said, now_said, f"decisions[{i}]")


def replay_record(record: StoredRecord, archive: Archive, claims: Sequence[int] = (), detail: bool = False) -> Replayed:
    """One decision record evaluated again and compared (see the module's notes)."""
    return replay_records([(record, tuple(claims))], archive, detail)[0]


def replay_records(
    items: Sequence[tuple[StoredRecord, Sequence[int]]], archive: Archive, detail: bool = False
) -> list[Replayed]:
    """Decision records evaluated again — those of one version together — and compared,
    each only for the claims given with it (all when none are)."""
    done: list[Replayed] = []
    todo: dict[str, list[tuple[Replayed, _Recorded, Any, Sequence[int]]]] = {}
    for record, claims in items:
        try:
            recorded = _Recorded.of(record.body)
            out = Replayed(record.record_id, str(recorded.ruleset["id"]), str(recorded.ruleset["version"]))
        except (ValueError, LookupError, TypeError, RecursionError):
            done.append(_unreadable(record, claims))
            continue
        done.append(out)
        try:
            evaluator = archive.evaluator(out.version)
            app = recorded.application(evaluator.rulebook, f"record {record.record_id}")
        except EngineError as exc:
            _failed(out, recorded, claims, exc)
            continue
        todo.setdefault(out.version, []).append((out, recorded, app, claims))
    for version, group in todo.items():
        ruleset, evaluator = archive.ruleset(version), archive.evaluator(version)
        asked = [(app, RecordedLedger(recorded.ledger), ruleset) for _, recorded, app, _ in group]
        try:
            assessments: list[Any] = evaluator.evaluate_many(asked)
        except EngineError:  # each alone, so that only the faulty ones fail
            assessments = [None] * len(group)
        for (out, recorded, app, claims), assessment in zip(group, assessments, strict=True):
            try:
                if assessment is None:
                    assessment = evaluator.evaluate(app, RecordedLedger(recorded.ledger), ruleset)
                text = stored_text(assessment, ruleset)
            except EngineError as exc:
                _failed(out, recorded, claims, exc)
                continue
            if not detail and recorded.result_text == text.encode():
                # the very bytes recorded: every claim reproduces, in the words it was given
                out.decisions += sum(1 for d in assessment.decisions if not claims or d.claim in claims)
                continue
            compare(recorded.result, json.loads(text), out, claims, detail)
    return done


class _Body(msgspec.Struct):
    """What replay reads of a decision body: the input and the stored decision as their bytes."""

    input: msgspec.Raw
    ruleset: dict[str, Any]
    ledger: Any
    result: msgspec.Raw


_BODY = msgspec.json.Decoder(_Body)


@dataclass
class _Recorded:
    """A decision record's body as replay reads it: the input and the stored decision kept
    as their bytes in the body, decoded only where needed (a body in any other shape is
    decoded whole, as :func:`json.loads` reads it)."""

    ruleset: dict[str, Any]
    ledger: Any
    input_text: bytes | None  # None: decoded whole into ``whole``
    result_text: bytes | None
    whole: dict[str, Any] | None = None

    @classmethod
    def of(cls, body: str) -> _Recorded:
        try:
            if not long_digits(body):  # else json.loads refuses what msgspec would step over unread
                part = _BODY.decode(body)
                if isinstance(part.ruleset.get("id"), str) and isinstance(part.ruleset.get("version"), str):
                    return cls(part.ruleset, part.ledger, bytes(part.input), bytes(part.result))
        except (msgspec.DecodeError, msgspec.ValidationError, UnicodeEncodeError):  # a lone surrogate
            pass
        content = json.loads(body)
        return cls(content["ruleset"], content["ledger"], None, None, content)

    @property
    def result(self) -> dict[str, Any]:
        if self.whole is not None:
            return self.whole["result"]  # type: ignore[no-any-return]
        assert self.result_text is not None
        return json.loads(self.result_text)  # type: ignore[no-any-return]

    def application(self, rulebook: Any, file: str) -> Any:
        """The recorded input validated again under ``rulebook`` — from its bytes when they are
        plain (:func:`~engine.reading.plain.plain_application`), else as screening's careful way
        reads it. Raises ApplicationError."""
        if self.input_text is not None:
            app = plain_application(self.input_text, rulebook, file, 1)
            if app is not None:
                return app
            given = json.loads(self.input_text)
        else:
            assert self.whole is not None
            given = self.whole["input"]
        return application_from_data(Located(given, {}, file), rulebook)


def stored_text(assessment: Assessment, ruleset: Ruleset) -> str:
    """The decision as a record of today would store it (compact JSON)."""
    ids = [decision_id(assessment.application_id, d.claim) for d in assessment.decisions]
    return decision_texts(assessment, ruleset, ids, line=False)[1]


def _unreadable(record: StoredRecord, claims: Sequence[int]) -> Replayed:
    """A record whose body is not a decision body (not JSON, or without its ruleset): it cannot
    be evaluated again, and counts as its claims chosen, or as one decision, that differ."""
    out = Replayed(record.record_id, "", "")
    out.decisions = out.differing = out.changed = len(claims) or 1
    out.error = "its body is not a decision record this engine reads (not JSON, or a field missing); verify names it"
    return out


def _failed(out: Replayed, recorded: _Recorded, claims: Sequence[int], exc: EngineError) -> None:
    try:
        found = len(recorded.result["decisions"])
    except (ValueError, LookupError, TypeError, RecursionError):
        found = 1
    out.decisions = len(claims) or found
    out.differing = out.changed = out.decisions
    out.error = str(exc)


def _selected(store: Reader, ids: Sequence[str]) -> list[tuple[StoredRecord, tuple[int, ...]]]:
    chosen: dict[str, tuple[StoredRecord, list[int]]] = {}
    for wanted in ids:
        ref = parse_reference(wanted)
        record = chosen[ref.application][0] if ref.application in chosen else store.record(ref.application)
        claims = [d["claim"] for d in json.loads(record.body)["result"]["decisions"]] if record else []
        if record is None or record.kind != "decision" or (ref.claim is not None and ref.claim not in claims):
            raise StoreError(
                [
                    Problem(
                        store.location,
                        None,
                        "",
                        f"no decision recorded as '{wanted}'",
                        "ids are application ids or decision ids such as PY-2024-0001/1",
                        code="no_decision",
                        params=(("id", wanted),),
                    )
                ]
            )
        entry = chosen.setdefault(ref.application, (record, []))
        if ref.claim is None:
            entry[1].extend(claims)
        elif ref.claim not in entry[1]:
            entry[1].append(ref.claim)
    return [(record, tuple(sorted(set(claims)))) for record, claims in chosen.values()]


def replay(
    store: Reader,
    ids: Sequence[str] = (),
    *,
    workers: int | None = None,
    settings: Sequence[str] = (),
    detail: bool = False,
) -> Iterator[Replayed]:
    """Evaluate recorded decisions again — all of them in chain order, or those ``ids``
    name (application or decision ids) — and compare. Raises StoreError for an id
    that names no recorded decision. ``settings`` (``NAME=VALUE``): what-if parameters
    set in every archived version, so that the differences are what they would change
    (each decision with the ledger state it recorded; UsageError for a bad setting).
    ``detail``: each result also lists every field compared (``Replayed.compared``)."""
    archive = Archive(store).with_settings(settings)
    if ids:
        chosen = _selected(store, ids)
        total = len(chosen)
        items: Any = iter(chosen)
    else:
        total = store.count("decision")
        items = ((record, ()) for record in store.records("decision"))
    count = worker_count(total) if workers is None else workers
    if count:
        archive.seal()  # the workers read no store: every archived version is rebuilt here first

    def again(batch: list[tuple[StoredRecord, tuple[int, ...]]]) -> list[Replayed]:
        return replay_records(batch, archive, detail)

    yield from pipelined(items, again, workers=count)
