"""The self-check: one application evaluated as if nothing had been awarded before.

Nothing is stored and nothing is remembered: the enterprise's or inventor's answers
stay with them. Every face shows the same :class:`Checked`: the contract's decision
object (``json``), the text a reviewer reads (``text``), or the assessment itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..evaluation import Assessment, evaluate
from ..explain import assessment_json, render_text
from ..model import Application
from ..reading import read_application
from ..rulebook import Rulebook, Ruleset
from ..rulebook.overrides import settings_json, settings_line
from .guidance import guidance_notes, with_guidance

__all__ = ["Checked", "check", "check_file"]


@dataclass(frozen=True)
class Checked:
    application: Application
    assessment: Assessment
    ruleset: Ruleset  # the ruleset in force on the submission date

    def json(self, lang: str = "zh") -> dict[str, Any]:
        """The contract's decision object (what ``check --format json`` prints), each decision
        that is not eligible with its minimal-change ``guidance``; under a what-if,
        ``ruleset.what_if`` names the parameters set."""
        out = with_guidance(assessment_json(self.assessment, self.ruleset, lang), self.assessment, self.ruleset, lang)
        if self.ruleset.overrides:
            out["ruleset"]["what_if"] = settings_json(self.ruleset)
        return out

    def text(self, lang: str = "zh") -> str:
        """The decision in words, every criterion with the facts it read, and the smallest
        change that would make each claim that is not eligible so (under a what-if, a line
        after the heading names the parameters set)."""
        text = render_text(self.assessment, self.ruleset, lang, guidance_notes(self.assessment, self.ruleset, lang))
        line = settings_line(self.ruleset, lang)
        if line is None:
            return text
        head, sep, rest = text.partition("\n\n")
        return f"{head}\n{line}{sep}{rest}"


def check(application: Application, rulebook: Rulebook) -> Checked:
    """Evaluate a validated application with no earlier awards; store nothing."""
    assessment = evaluate(application, rulebook)
    return Checked(application, assessment, rulebook.by_id(assessment.ruleset_id))


def check_file(path: str | Path, rulebook: Rulebook) -> Checked:
    """Read one application file (YAML, JSON, a one-line ``.jsonl``) and check it.
    Raises ApplicationError listing every problem of the file."""
    return check(read_application(path, rulebook), rulebook)
