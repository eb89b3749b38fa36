"""Ruleset versions rebuilt from the files a store archived — never from the files on disk.

A decision is replayed, shown and settled under the rules it was decided under: the
files archived in the store under its recorded version, which must still hash to
that version (else the archive was altered: :class:`~engine.errors.IntegrityError`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from ..errors import IntegrityError
from ..evaluation import Evaluator
from ..rulebook import Rulebook, Ruleset, load_ruleset_files, ruleset_version
from ..rulebook.overrides import Settings, override_ruleset, parse_settings
from ..store import Reader

__all__ = ["Archive", "archived_ruleset"]

# the places an archived ruleset knew when its folder listed none (see the file's own notes)
EARLIER_PLACES = Path(__file__).resolve().parent / "data" / "places-before-divisions-data.yaml"


def archived_ruleset(store: Reader, version: str) -> Ruleset:
    """The ruleset ``version`` rebuilt from the store's archive.

    Raises IntegrityError (exit 1) when the version is not archived or its files no
    longer hash to it."""
    files = store.archived_files(version)
    if not files:
        raise IntegrityError(f"{store.location}: ruleset version {version} is recorded but not archived in the store")
    found = ruleset_version(files)
    if found != version:
        raise IntegrityError(
            f"{store.location}: archive {version}: the archived files hash to {found}: the archive was altered"
        )
    label = f"archive:{version[:19]}"
    if any(b"\ndivisions:" in b"\n" + content for content in files.values()):
        return load_ruleset_files(files, label=label)
    ruleset = load_ruleset_files({**files, EARLIER_PLACES.name: EARLIER_PLACES.read_bytes()}, label=label)
    return dataclasses.replace(ruleset, version=version, files=dict(files))


class Archive:
    """Archived ruleset versions and an evaluator for each, rebuilt once each; with
    ``settings``, each with those what-if parameters set (:mod:`engine.rulebook.overrides`)."""

    def __init__(self, store: Reader, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or {}
        self.rulesets: dict[str, Ruleset] = {}
        self.evaluators: dict[str, Evaluator] = {}
        self.failures: dict[str, IntegrityError] = {}
        self.sealed = False  # every archived version loaded: the store is not read again

    def ruleset(self, version: str) -> Ruleset:
        if version in self.failures:
            raise self.failures[version]
        if version not in self.rulesets:
            if self.sealed:
                raise IntegrityError(f"{self.store.location}: ruleset version {version} is not archived in the store")
            self.rulesets[version] = override_ruleset(archived_ruleset(self.store, version), self.settings)
        return self.rulesets[version]

    def evaluator(self, version: str) -> Evaluator:
        if version not in self.evaluators:
            self.evaluators[version] = Evaluator(Rulebook((self.ruleset(version),)))
        return self.evaluators[version]

    def parameter_types(self) -> dict[str, str]:
        """Every parameter of every archived version, with its type."""
        out: dict[str, str] = {}
        for version, _ in self.store.archived_versions():
            try:
                out.update({name: p.type for name, p in self.ruleset(version).parameters.items()})
            except IntegrityError:
                continue  # reported where a decision needs it
        return out

    def with_settings(self, texts: Sequence[str]) -> Archive:
        """An archive whose versions have these what-if parameters set (``NAME=VALUE`` texts,
        read against the archived parameters' types; UsageError for anything else)."""
        if not texts:
            return self
        places = [r.divisions for r in self.rulesets.values()]
        return Archive(self.store, parse_settings(texts, self.parameter_types(), places[-1] if places else None))

    def seal(self) -> None:
        """Rebuild every archived version now (before worker processes are forked, which
        must not read the store), remembering the ones that fail."""
        for version, _ in self.store.archived_versions():
            try:
                self.ruleset(version)
            except IntegrityError as exc:
                self.failures[version] = exc
        self.sealed = True
