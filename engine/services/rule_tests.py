"""Rule tests in YAML that programme staff write: applications and the decisions expected of them.

A rule-test file::

    cases:
      - name: 两笔交易，第二笔受单个企业上限限制
        application: ../../applications/purchase-two-deals.yaml   # a file, relative to this one,
                                                                   # or the application itself, inline
        expect:
          - claim: 1
            outcome: eligible            # eligible | ineligible | needs_review
            amount: "120000.00"          # or null; optional
            not_met: []                  # the criteria not met, optional
            unknown: []                  # the criteria left open, optional

Each case is decided as a self-check (nothing earlier recorded) under the rules
given, and every expectation is compared; ``subsidy rules test [PATH]`` runs a
file or a folder of them, and the test suite runs the shipped ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, Problem, RuleFileError, validation_message
from ..evaluation import evaluate
from ..reading import application_from_data, read_application
from ..rulebook.rulebook import Rulebook
from ..yamlio import LoadProblem, Located, format_path, load_yaml

__all__ = ["CaseResult", "find_rule_tests", "run_rule_tests"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Expected(_Spec):
    claim: int = Field(ge=1)
    outcome: Literal["eligible", "ineligible", "needs_review"]
    amount: str | None = "unchecked"
    not_met: list[str] | None = None
    unknown: list[str] | None = None


class Case(_Spec):
    name: str = Field(min_length=1)
    application: str | dict[str, Any]
    expect: list[Expected] = Field(min_length=1)


class RuleTestFile(_Spec):
    cases: list[Case] = Field(min_length=1)


@dataclass
class CaseResult:
    file: str
    line: int | None
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def find_rule_tests(path: Path) -> list[Path]:
    """The rule-test files at ``path`` (a file, or every ``*.yaml`` under a folder)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    return [path]


def _read(path: Path) -> tuple[Located, RuleTestFile]:
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except LoadProblem as exc:
        raise RuleFileError([exc.problem]) from None
    except OSError as exc:
        raise RuleFileError([Problem(str(path), None, "", f"cannot read: {exc.strerror}")]) from None
    try:
        return doc, RuleTestFile.model_validate(doc.data)
    except ValidationError as exc:
        problems = [
            Problem(str(path), doc.line_of(tuple(e["loc"])), format_path(tuple(e["loc"])), validation_message(e))
            for e in exc.errors()
        ]
        raise RuleFileError(problems) from None


def run_rule_tests(path: Path, rulebook: Rulebook) -> list[CaseResult]:
    """Run every case of every rule-test file at ``path``. Raises :class:`RuleFileError`
    for a test file that cannot be read (with file:line); a case whose application is
    invalid fails with the application's error."""

    results: list[CaseResult] = []
    for file in find_rule_tests(path):
        doc, spec = _read(file)
        for i, case in enumerate(spec.cases):
            result = CaseResult(str(file), doc.line_of(("cases", i)), case.name)
            results.append(result)
            try:
                if isinstance(case.application, str):
                    app = read_application(file.parent / case.application, rulebook)
                else:
                    prefix = ("cases", i, "application")
                    lines = {p[3:]: n for p, n in doc.lines.items() if p[:3] == prefix}
                    inline = Located(case.application, lines, doc.file)
                    app = application_from_data(inline, rulebook)
            except InputError as exc:
                result.failures.append(f"the application is not valid: {exc}")
                continue
            decisions = {d.claim: d for d in evaluate(app, rulebook).decisions}
            for want in case.expect:
                got = decisions.get(want.claim)
                if got is None:
                    result.failures.append(f"claim {want.claim}: the application has no such claim")
                    continue
                _compare(result, want, got)
    return results


def _compare(result: CaseResult, want: Expected, got: Any) -> None:
    where = f"claim {want.claim}"
    if got.outcome != want.outcome:
        result.failures.append(f"{where} outcome: expected {want.outcome}, got {got.outcome}")
    if want.amount != "unchecked":
        amount = None if got.amount is None else str(got.amount)
        if amount != want.amount:
            result.failures.append(f"{where} amount: expected {want.amount}, got {amount}")
    for status, expected in (("not_met", want.not_met), ("unknown", want.unknown)):
        if expected is None:
            continue
        actual = sorted(c.criterion.id for c in got.criteria if c.status == status)
        if actual != sorted(expected):
            result.failures.append(f"{where} {status}: expected {sorted(expected)}, got {actual}")
