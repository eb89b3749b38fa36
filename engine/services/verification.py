"""For auditors: check that the log was not altered — in one streaming pass, flat memory.

Walking the chain from the first record: each record's ``prev`` must be the hash of
the one before, its ``hash`` must be ``sha256(prev + "\\n" + body)`` of its own body,
its columns must agree with its body, a decision's input must match the input hash
it carries. Beside it, the index rows of each record (applications, awards, the
decision index) must be exactly what its body implies (:func:`index_rows_of`); a
claim's hold on the limits must be gone once it is settled, and only then. Every
ruleset version the log names must be archived and its files must still hash to it.
The first record that fails is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem, UsageError, quoted
from ..rulebook import ruleset_version
from ..store import GENESIS, Reader, Store
from .chain_checks import AWARDS_ALTERED, Failed, Span, walk_span
from .chain_ranges import walk_in_ranges
from .chain_reading import ChainAhead

__all__ = ["HEAD_DIGITS", "VerifyReport", "verify"]

# A chain head is a SHA-256 digest: 64 hex digits, compared whole. A prefix is never taken as a
# match: forging a record whose hash begins with 8 given digits takes about 2**32 tries.
HEAD_DIGITS = 64
_HEAD = re.compile(rf"[0-9a-f]{{{HEAD_DIGITS}}}")


@dataclass
class VerifyReport:
    records: int = 0
    head: str = GENESIS
    bad_record: str | None = None
    bad_seq: int | None = None
    reason: str | None = None
    after_noted: int | None = None  # with a noted head: the records appended after it
    processes: int = 1  # the processes whose walks gave this report (one named any record altered)

    @property
    def intact(self) -> bool:
        return self.bad_record is None


def verify(store: Store, *, expect_head: str | None = None, workers: int | None = None) -> VerifyReport:
    """Check the whole store (see the module's notes); ``expect_head``: the chain head an
    auditor noted earlier. The chain must still reach it — be that head, or have it as the
    hash of one of its records, with records appended since (``after_noted`` counts them):
    a tail removed or rewritten from before that record is caught; appending is not a fault.
    The head is 64 hex digits, whole: anything else (a prefix, a typo) raises :class:`UsageError`
    before the store is read — a head that cannot be a head says nothing about the record.

    ``workers``: processes that walk the chain, each a range of it (0 or 1: this process
    alone; None: as many as :func:`~engine.services.chain_ranges.walk_in_ranges` finds worth
    it, one on a machine with fewer than three idle cores). The report is the same whatever
    their number: a record of the first range found altered is named as one walk names it;
    anything else amiss in ranges is named by one walk from the genesis."""
    if expect_head is not None:
        expect_head = _whole_head(expect_head)
    report = VerifyReport()
    walked = walk_in_ranges(store, expect_head, workers)
    with store.reading() as view:
        try:
            if walked is not None and (walked[2] is not None or view.head() == (walked[0].records, walked[0].head)):
                span, report.processes, named = walked
                report.records, report.head = span.records, span.head
                if named is not None:  # a record of the first range found altered
                    raise named
            else:
                span = _walk(view, report, expect_head)
            _finish(view, report, span, expect_head)
        except Failed as failed:
            report.bad_record, report.bad_seq, report.reason = failed.record, failed.seq, failed.reason
    return report


def _walk(view: Reader, report: VerifyReport, noted: str | None) -> Span:
    """The whole chain walked from the genesis in this process."""
    span = Span(noted=noted, noted_at=0 if noted == GENESIS else None)
    try:
        with ChainAhead(view) as ahead:
            walk_span(ahead, span)
        if span.released:
            seq, application = min(span.released.values())
            raise Failed(application, seq, AWARDS_ALTERED)
    finally:
        report.records, report.head = span.records, span.head
    return span


def _finish(view: Reader, report: VerifyReport, span: Span, noted: str | None) -> None:
    """After the chain and its indexes were found intact: the archive, and the head noted earlier."""
    _check_archive(view, span.versions)
    if span.noted_at is not None and (span.noted_at > 0 or report.records == 0):
        report.after_noted = report.records - span.noted_at
    if noted is not None and report.after_noted is None:
        raise Failed(
            "chain head",
            None,
            f"the chain ends at {report.head}, not at {noted} as noted earlier, "
            "and no record of it has that hash (its tail was removed or rewritten)",
        )


def _whole_head(given: str) -> str:
    head = given.strip().lower()
    if _HEAD.fullmatch(head):
        return head
    raise UsageError(
        [
            Problem(
                file="",
                line=None,
                path="",
                message=f"a chain head is {HEAD_DIGITS} hex digits (0-9, a-f), compared whole; got {_shown(given)}",
                hint="verify prints the whole head after 'chain head' each time it finds the record intact "
                "(the web's verify page shows it too): note all 64 digits down, not a prefix",
            )
        ]
    )


def _shown(given: str) -> str:
    shown = quoted(given.strip())
    return shown if shown.endswith("characters)") else f"{shown} ({len(given.strip())} characters)"


def _check_archive(view: Reader, versions: set[str]) -> None:
    archived = {version for version, _ in view.archived_versions()}
    for version in sorted(versions - archived):
        raise Failed(f"archive {version}", None, "a ruleset version the log names is not archived in the store")
    for version in sorted(archived):
        if ruleset_version(view.archived_files(version)) != version:
            raise Failed(
                f"archive {version}",
                None,
                "the archived rule files no longer hash to the version they were archived under",
            )
