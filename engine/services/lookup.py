"""One recorded decision, found from any id that names it, with its settlements.

``show(store, "PY-1")``, ``show(store, "PY-1/2")`` and ``show(store,
"PY-1/2/settlement")`` all give the decision record of application PY-1, the
settlements recorded for it, and the archived ruleset it was decided under.
Unless ``as_recorded``, the decision is also evaluated again (as ``replay`` does) so
that a face can show it in today's wording — or in English; where today's engine
does not reproduce it, only the wording as recorded is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import EngineError, IntegrityError, Problem, UsageError
from ..reading import application_from_data
from ..rulebook import Ruleset
from ..store import Reader, StoredRecord, parse_reference
from ..store.bodies import stored_result
from ..yamlio import Located
from .archive import Archive
from .ledger import RecordedLedger
from .recording import result_json
from .replaying import Replayed, compare

__all__ = ["Shown", "intact", "show"]


@dataclass(frozen=True)
class Shown:
    """A decision record, its settlements and its rules; and the decision in today's words."""

    record: StoredRecord
    content: dict[str, Any]  # the record's body, as stored
    settlements: list[dict[str, Any]]
    ruleset: Ruleset  # archived, the version it was decided under
    today: dict[str, Any] | None = None  # the stored decision in today's words (None: as recorded)
    today_en: dict[str, Any] | None = None  # the same, in English
    wording_changed: bool = False

    def result(self, lang: str = "zh") -> dict[str, Any]:
        """The stored decision in the words asked for: today's (zh or en), else as recorded."""
        chosen = self.today_en if lang == "en" else self.today
        return chosen if chosen is not None else self.content["result"]  # type: ignore[no-any-return]


def show(store: Reader, wanted: str, *, as_recorded: bool = False) -> Shown:
    """The decision ``wanted`` names (see the module's notes). Raises UsageError when
    nothing is recorded under that id; IntegrityError when the record, one of its settlements
    or its rules archive was altered."""
    ref = parse_reference(wanted)
    record = store.record(ref.application)
    if record is None and ref.kind == "application":
        record = store.record(wanted)  # an id the store holds as it is (e.g. a settlement's)
        if record is not None and record.kind == "settlement":
            record = store.record(record.application)
    content = record.content if record is not None and record.kind == "decision" else None
    claims = {d["claim"] for d in content["result"]["decisions"]} if content else set()
    if record is None or content is None or (ref.claim is not None and ref.claim not in claims):
        raise UsageError([Problem(store.location, None, "", f"nothing recorded as '{wanted}'")])
    intact(store, record)
    settlements = []
    for other in store.records_for(record.application):
        if other.kind == "settlement":
            intact(store, other)
            settlements.append(other.content)
    archive = Archive(store)
    ruleset = archive.ruleset(content["ruleset"]["version"])
    if as_recorded:
        return Shown(record, content, settlements, ruleset)
    today = _today(record, content, archive)
    if today is None:
        return Shown(record, content, settlements, ruleset)
    zh, en, changed = today
    return Shown(record, content, settlements, ruleset, zh, en, changed)


def intact(store: Reader, record: StoredRecord) -> None:
    """A record shown or settled is the one written: its body still gives its hash (``verify``
    checks the whole chain). Raises IntegrityError (exit 1) naming it otherwise."""
    if not record.intact:
        raise IntegrityError(
            f"{store.location}: record {record.record_id} (#{record.seq}) was altered: its content does not "
            "match its hash, so it is neither shown nor settled; `subsidy verify` checks the whole chain"
        )


def _today(
    record: StoredRecord, content: dict[str, Any], archive: Archive
) -> tuple[dict[str, Any], dict[str, Any], bool] | None:
    """The decision evaluated again, in today's words (zh and en), if it reproduces."""
    version = content["ruleset"]["version"]
    try:
        ruleset, evaluator = archive.ruleset(version), archive.evaluator(version)
        app = application_from_data(Located(content["input"], {}, f"record {record.record_id}"), evaluator.rulebook)
        assessment = evaluator.evaluate(app, RecordedLedger(content["ledger"]), ruleset)
    except EngineError:
        return None
    zh = stored_result(result_json(assessment, ruleset))
    check = Replayed(record.record_id, ruleset.id, version)
    compare(content["result"], zh, check)
    if not check.reproduced:
        return None
    return zh, stored_result(result_json(assessment, ruleset, "en")), bool(check.wording)
