"""Loading a ruleset folder: every problem of every file reported at once, with lines.

``load_ruleset(folder)`` reads every ``*.yaml`` file of one policy's folder
(:mod:`~engine.rulebook.files`), builds its parameters
(:mod:`~engine.rulebook.parameters`), parses the conditions
(:mod:`~engine.rulebook.condition_parser`), checks every quote against the
policy's source text and every cross reference (:mod:`~engine.rulebook.checks`),
checks that every programme fits the inference engine, and returns a
:class:`Ruleset` whose ``version`` is the SHA-256 of the folder's files.
``load_ruleset_files`` does the same from archived bytes, which is how an
auditor's replay rebuilds a version that is no longer on disk.

Raises :class:`~engine.errors.RuleFileError` listing every problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ComplexityError, Problem, RuleFileError
from ..model import Claim
from ..model.divisions import gazetteer_from_files
from ..yamlio import Located, format_path
from .checks import (
    check_award,
    check_claim_facts,
    check_computed_facts,
    check_cycles,
    check_ledger_facts,
    check_requires,
    check_templates,
)
from .condition_parser import parse_condition
from .conditions import collect_derived, derived_refs, derived_refs_deep, fact_paths, params_deep
from .files import RuleFiles
from .parameters import build_parameters
from .plan import compile_program
from .ruleset import Criterion, Derived, Parameter, Program, Ruleset
from .schema import CriterionSpec, DerivedSpec, UseSpec
from .suggest import did_you_mean
from .version import ruleset_version

__all__ = ["load_ruleset", "load_ruleset_files", "ruleset_version"]

CLAIM_SECTIONS = frozenset(name for name in Claim.model_fields if name != "program")


def load_ruleset(folder: str | Path) -> Ruleset:
    """Load one ruleset folder. Raises :class:`RuleFileError` with every problem found."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleFileError([Problem(str(folder), None, "", "not a ruleset folder")])
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}
    ruleset = load_ruleset_files(files, label=str(folder))
    ruleset.folder = folder
    return ruleset


class _Build(RuleFiles):
    def __init__(self, files: dict[str, bytes], label: str) -> None:
        super().__init__(files, label)
        self.source_text: str | None = None
        self.locations: dict[str, tuple[Located, tuple[Any, ...]]] = {}
        self.usable_derived: set[str] = set()
        self.raw: dict[str, Any] = {}

    def build(self) -> Ruleset | None:
        self.read()
        by_role: dict[str, list[tuple[str, Located, Any]]] = {}
        for file, (doc, model) in self.docs.items():
            role = type(model).__name__
            by_role.setdefault(role, []).append((file, doc, model))
        policies = by_role.get("PolicyFile", [])
        if len(policies) != 1:
            if not self.problems:
                self.problems.append(
                    Problem(
                        self.label,
                        None,
                        "",
                        f"a ruleset folder needs exactly one policy file, found {len(policies)}",
                    )
                )
            return None
        _, policy_doc, policy_file = policies[0]
        policy = policy_file.policy
        source_text = self._source(policy_doc, policy.source)
        self.source_text = source_text
        self._quote(policy_doc, ("policy", "announced"), policy.announced, "quote")

        places = [(doc, model) for _, doc, model in by_role.get("DivisionsFile", [])]
        divisions, problems = gazetteer_from_files(places, format_path)
        for problem in problems:
            self.add(problem)
        params, param_types = build_parameters(self, by_role.get("ParametersFile", []), self.quoted, divisions)
        commons = by_role.get("CommonFile", [])
        derived_specs: dict[str, tuple[Located, tuple[Any, ...], DerivedSpec]] = {}
        shared: dict[str, tuple[Located, tuple[Any, ...], CriterionSpec]] = {}
        for _, doc, common in commons:
            for i, d in enumerate(common.derived):
                derived_specs[d.id] = (doc, ("derived", i), d)
            for i, c in enumerate(common.criteria):
                shared[c.id] = (doc, ("criteria", i), c)
        derived_names = set(derived_specs)
        derived: dict[str, Derived] = {}
        self.usable_derived = derived_names  # while derived conditions themselves are parsed
        for name, (doc, path, spec) in derived_specs.items():
            cond = self._condition(doc, path + ("condition",), spec.condition, param_types, derived_names)
            if cond is not None:
                derived[name] = Derived(spec.id, spec.label, spec.source, cond, ())
        check_cycles(self, derived, derived_specs)
        # a derived condition naming a broken one is unusable too (without a problem of its own)
        changed = True
        while changed:
            changed = False
            for name in list(derived):
                if any(ref not in derived for ref in derived_refs(derived[name].condition)):
                    del derived[name]
                    changed = True
        raw_derived = {k: v.condition for k, v in derived.items()}
        self.usable_derived = set(derived)
        self.raw = raw_derived
        derived = {
            k: Derived(
                v.id,
                v.label,
                v.source,
                v.condition,
                tuple(fact_paths(v.condition, raw_derived)),
                params_deep(v.condition, raw_derived),
            )
            for k, v in derived.items()
        }

        disqualifiers: list[Criterion] = []
        for _, doc, dfile in by_role.get("DisqualifiersFile", []):
            for i, spec in enumerate(dfile.disqualifiers):
                c = self._criterion(
                    doc,
                    ("disqualifiers", i),
                    spec,
                    "disqualifier",
                    param_types,
                    derived_names,
                    raw_derived,
                    params,
                )
                if c is not None:
                    disqualifiers.append(c)

        programs: dict[str, Program] = {}
        program_docs: dict[str, tuple[Located, tuple[Any, ...]]] = {}
        for _, doc, pfile in by_role.get("ProgramFile", []):
            spec = pfile.program
            base = ("program",)
            program_docs[spec.id] = (doc, base)
            if spec.id in programs:
                self.problem(doc, base + ("id",), f"programme '{spec.id}' is defined twice")
                continue
            self._quote(doc, base, [spec], "quote")
            criteria: list[Criterion] = []
            for i, item in enumerate(spec.criteria):
                where = base + ("criteria", i)
                if isinstance(item, UseSpec):
                    if item.use not in shared:
                        self.follow_on(
                            doc,
                            where + ("use",),
                            f"no shared criterion '{item.use}'",
                            did_you_mean(item.use, list(shared)),
                        )
                        continue
                    sdoc, spath, sspec = shared[item.use]
                    if item.quote is not None:
                        if not self.quoted(item.quote):
                            self.problem(
                                doc,
                                where + ("quote",),
                                f"quote not found verbatim in the policy text: {item.quote}",
                            )
                        sspec = sspec.model_copy(update={"quote": item.quote})
                    if item.clause is not None:
                        sspec = sspec.model_copy(update={"clause": item.clause})
                    c = self._criterion(
                        sdoc, spath, sspec, "criterion", param_types, derived_names, raw_derived, params
                    )
                else:
                    c = self._criterion(doc, where, item, "criterion", param_types, derived_names, raw_derived, params)
                if c is not None:
                    criteria.append(c)
            criteria.extend(disqualifiers)
            ids = [c.id for c in criteria]
            for dup in sorted({x for x in ids if ids.count(x) > 1}):
                self.problem(doc, base + ("criteria",), f"criterion '{dup}' appears twice")
            check_award(self, doc, base + ("award",), spec, params)
            for i, fld in enumerate(spec.claim_fields):
                if fld not in CLAIM_SECTIONS:
                    self.problem(
                        doc,
                        base + ("claim_fields", i),
                        f"'{fld}' is not a claim field",
                        did_you_mean(fld, sorted(CLAIM_SECTIONS)),
                    )
            used: list[str] = []
            for c in criteria:
                if c.condition is not None:
                    collect_derived(c.condition, raw_derived, used)
            programs[spec.id] = Program(
                spec.id,
                spec.code,
                spec.label,
                spec.clause,
                spec.quote,
                spec.applicant,
                tuple(spec.claim_fields),
                spec.award,
                spec.limits.once_per,
                tuple(criteria),
                tuple(used),
                tuple(spec.requires),
                tuple(spec.purpose),
            )
            self._quote(doc, base + ("purpose",), spec.purpose, "quote")
            check_requires(self, doc, base + ("requires",), spec.requires, params)
            check_ledger_facts(self, doc, base, programs[spec.id])
            check_claim_facts(self, doc, base, programs[spec.id])
            check_computed_facts(self, doc, base, programs[spec.id], params)
        # a shared criterion no programme uses is still read and checked
        for name, (sdoc, spath, sspec) in shared.items():
            if not any(c.id == name for p in programs.values() for c in p.criteria):
                self._criterion(sdoc, spath, sspec, "criterion", param_types, derived_names, raw_derived, params)
        if not programs and not self.problems:
            self.problems.append(Problem(self.label, None, "", "no programme files in this ruleset"))
        if self.problems:
            return None
        version = ruleset_version(self.files)
        ruleset = Ruleset(
            policy.id,
            version,
            policy,
            params,
            programs,
            derived,
            source_text or "",
            dict(self.files),
            divisions=divisions,
        )
        self._fits_engine(ruleset, derived_specs, program_docs)
        return None if self.problems else ruleset

    def _fits_engine(self, ruleset: Ruleset, derived_specs: dict[str, Any], program_docs: dict[str, Any]) -> None:
        """Every programme compiles within the inference engine's limits (checked now, not at
        the first application)."""
        for program in ruleset.programs.values():
            try:
                compile_program(ruleset, program)
            except ComplexityError as exc:
                where = self.locations.get(exc.item) if exc.kind == "criterion" else derived_specs.get(exc.item)
                doc, path = (where[0], where[1]) if where else program_docs[program.id]
                self.problem(doc, path + ("condition",), str(exc))

    def quoted(self, quote: str) -> bool:
        """Whether a quote stands verbatim in the source (unchecked when the source is missing,
        which is reported once on its own)."""
        return self.source_text is None or quote in self.source_text

    def _source(self, doc: Located, file: str) -> str | None:
        if file not in self.files:
            self.problem(
                doc,
                ("policy", "source"),
                f"source text '{file}' is not in the folder",
                "keep a verbatim copy of the policy document beside the rule files",
            )
            return None
        return self.files[file].decode("utf-8")

    def _quote(self, doc: Located, base: tuple[Any, ...], items: list[Any], attr: str) -> None:
        for i, item in enumerate(items):
            quote = getattr(item, attr, None)
            if quote and not self.quoted(quote):
                where = base + (i, attr) if base[-1] != "program" else base + (attr,)
                self.problem(
                    doc,
                    where,
                    f"quote not found verbatim in the policy text: {quote}",
                    "copy the words exactly as the document prints them, punctuation included",
                )

    def _condition(
        self, doc: Located, path: tuple[Any, ...], raw: Any, params: dict[str, str], derived: set[str]
    ) -> Any:
        cond, problems = parse_condition(
            raw,
            file=doc.file,
            path=path,
            line_of=doc.line_of,
            params=params,
            derived=derived,
            fmt=format_path,
            report_dangling=not self.unreadable,
        )
        for problem in problems:
            self.add(problem)
        if cond is not None and any(name not in self.usable_derived for name in derived_refs_deep(cond, self.raw)):
            return None  # names a derived condition that is broken: its own problem is reported
        return cond

    def _criterion(
        self,
        doc: Located,
        path: tuple[Any, ...],
        spec: CriterionSpec,
        kind: str,
        params: dict[str, str],
        derived: set[str],
        raw_derived: dict[str, Any],
        parameters: dict[str, Parameter],
    ) -> Criterion | None:
        self.locations.setdefault(spec.id, (doc, path))
        if not self.quoted(spec.quote):
            self.problem(
                doc,
                path + ("quote",),
                f"quote not found verbatim in the policy text: {spec.quote}",
                "copy the words exactly as the document prints them, punctuation included",
            )
        if spec.discretionary == (spec.condition is not None):
            self.problem(doc, path, "a criterion has a condition, or is discretionary: exactly one of the two")
            return None
        if spec.applies_if is not None and spec.applies_if not in params:
            self.follow_on(
                doc,
                path + ("applies_if",),
                f"unknown parameter '{spec.applies_if}'",
                did_you_mean(spec.applies_if, [k for k, t in params.items() if t == "boolean"]),
            )
        elif spec.applies_if is not None and params.get(spec.applies_if) != "boolean":
            self.problem(
                doc,
                path + ("applies_if",),
                f"applies_if names a boolean parameter; "
                f"'{spec.applies_if}' is {params.get(spec.applies_if, 'not defined')}",
                did_you_mean(spec.applies_if, [k for k, t in params.items() if t == "boolean"]),
            )
        cond = None
        if spec.condition is not None:
            cond = self._condition(doc, path + ("condition",), spec.condition, params, derived)
            if cond is None:
                return None
        facts = tuple(fact_paths(cond, raw_derived)) if cond is not None else ()
        shown = check_templates(self, doc, path + ("explain",), spec.explain, params)
        facts += tuple(f for f in shown if f not in facts)
        return Criterion(
            spec.id,
            spec.code,
            kind,
            spec.label,
            spec.clause,
            spec.quote,
            cond,
            spec.discretionary,
            spec.on_fail,
            spec.applies_if,
            spec.interpretation,
            spec.explain,
            spec.hint,
            facts,
            params_deep(cond, self.raw) if cond is not None else (),
        )


def load_ruleset_files(files: dict[str, bytes], label: str = "rules") -> Ruleset:
    """Build a ruleset from a folder's files given as bytes (e.g. from the archive)."""
    build = _Build(files, label)
    ruleset = build.build()
    if ruleset is None:
        raise RuleFileError(build.problems)
    return ruleset
