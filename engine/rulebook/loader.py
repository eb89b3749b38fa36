"""Reading a ruleset folder: safe YAML, every problem reported at once, with lines.

``load_ruleset(folder)`` reads every ``*.yaml`` file of one policy's folder,
validates it against :mod:`engine.rulebook.schema`, parses the conditions,
checks every quote against the policy's source text, checks every cross
reference, and returns a :class:`Ruleset` whose ``version`` is the SHA-256 of
the folder's files. ``load_ruleset_files`` does the same from archived bytes,
which is how an auditor's replay rebuilds a version that is no longer on disk.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, RuleFileError
from ..model import Claim, identifiers
from ..money import MoneyError, parse_money
from ..yamlio import LoadProblem, Located, format_path, load_yaml
from .conditions import fact_paths, params_used, parse_condition
from .facts import FACTS
from .plan import ComplexityError, compile_program
from .ruleset import Criterion, Derived, Parameter, Program, Ruleset
from .schema import (
    CommonFile,
    CriterionSpec,
    DerivedSpec,
    DisqualifiersFile,
    ParametersFile,
    PolicyFile,
    ProgramFile,
    UseSpec,
)

__all__ = ["load_ruleset", "load_ruleset_files", "ruleset_version"]

ROLES: dict[str, type[BaseModel]] = {
    "policy": PolicyFile,
    "parameters": ParametersFile,
    "criteria": CommonFile,
    "derived": CommonFile,
    "disqualifiers": DisqualifiersFile,
    "program": ProgramFile,
}
POLICY_PARAMS = {"policy_in_force_from": "date", "policy_in_force_to": "date"}
CLAIM_SECTIONS = frozenset(name for name in Claim.model_fields if name != "program")


def ruleset_version(files: dict[str, bytes]) -> str:
    """SHA-256 over every file's name and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return "sha256:" + digest.hexdigest()


def load_ruleset(folder: str | Path) -> Ruleset:
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleFileError([Problem(str(folder), None, "", "not a ruleset folder")])
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}
    ruleset = load_ruleset_files(files, label=str(folder))
    ruleset.folder = folder
    return ruleset


class _Build:
    def __init__(self, files: dict[str, bytes], label: str) -> None:
        self.source_text: str | None = None
        self.locations: dict[str, tuple[Located, tuple[Any, ...]]] = {}
        self.usable_derived: set[str] = set()
        self.raw: dict[str, Any] = {}
        self.unreadable = False  # some file could not be read or validated
        self.files = files
        self.label = label
        self.problems: list[Problem] = []
        self.docs: dict[str, tuple[Located, BaseModel]] = {}

    def name(self, file: str) -> str:
        return f"{self.label}/{file}"

    def problem(self, doc: Located, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        self.add(Problem(doc.file, doc.line_of(path), format_path(path), message, hint))

    def add(self, problem: Problem) -> None:
        """Keep a problem once (a shared criterion is read for every programme using it)."""
        if problem not in self.problems:
            self.problems.append(problem)

    def follow_on(self, doc: Located, path: tuple[Any, ...], message: str, hint: str | None = None) -> None:
        """A dangling reference: reported only when every file could be read, since a
        file that failed to load leaves its names undefined without any fault of the referrer."""
        if not self.unreadable:
            self.problem(doc, path, message, hint)

    # ---------------------------------------------------------------- files

    def read(self) -> None:
        for file, data in sorted(self.files.items()):
            if not file.endswith((".yaml", ".yml")):
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                self.problems.append(Problem(self.name(file), None, "", "not UTF-8 text"))
                continue
            try:
                doc = load_yaml(text, self.name(file))
            except LoadProblem as exc:
                self.add(exc.problem)
                self.unreadable = True
                continue
            if not isinstance(doc.data, dict) or not doc.data:
                self.problem(doc, (), "a rule file is a mapping with one of the keys: " + ", ".join(sorted(set(ROLES))))
                continue
            role = next((k for k in doc.data if k in ROLES), None)
            if role is None:
                first = next(iter(doc.data))
                close = difflib.get_close_matches(str(first), list(ROLES), n=1)
                self.problem(
                    doc,
                    (first,),
                    f"unknown top-level key '{first}'",
                    f"did you mean '{close[0]}'?"
                    if close
                    else "a rule file starts with one of: " + ", ".join(sorted(set(ROLES))),
                )
                continue
            model: type[BaseModel] = ROLES[role]
            try:
                self.docs[file] = (doc, model.model_validate(doc.data))
            except ValidationError as exc:
                self._validation(doc, exc, model)
                self.unreadable = True

    def _validation(self, doc: Located, exc: ValidationError, model: type[BaseModel]) -> None:
        for error in exc.errors():
            raw = tuple(error["loc"])
            # pydantic names the union member in the location; it is not part of the file's path
            loc = tuple(
                p
                for i, p in enumerate(raw)
                if not (p in ("criterion", "use") and i > 0 and isinstance(raw[i - 1], int))
            )
            message = error["msg"]
            hint = None
            if error["type"] == "extra_forbidden":
                key = loc[-1]
                message = f"unknown field '{key}'"
                hint = _did_you_mean(str(key), _fields_at(model, loc[:-1]))
            elif error["type"] == "missing":
                message = f"required field '{loc[-1]}' is missing"
            self.problem(doc, loc, message, hint)

    # -------------------------------------------------------------- ruleset

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

        params, param_types = self._parameters(by_role.get("ParametersFile", []))
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
        self._cycles(derived, derived_specs)
        # a derived condition naming a broken one is unusable too (without a problem of its own)
        changed = True
        while changed:
            changed = False
            for name in list(derived):
                if any(ref not in derived for ref in _refs(derived[name].condition)):
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
                _params_deep(v.condition, raw_derived),
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
                            _did_you_mean(item.use, list(shared)),
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
            self._award(doc, base + ("award",), spec, params)
            for i, fld in enumerate(spec.claim_fields):
                if fld not in CLAIM_SECTIONS:
                    self.problem(
                        doc,
                        base + ("claim_fields", i),
                        f"'{fld}' is not a claim field",
                        _did_you_mean(fld, sorted(CLAIM_SECTIONS)),
                    )
            used: list[str] = []
            for c in criteria:
                if c.condition is not None:
                    _collect_derived(c.condition, raw_derived, used)
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
            )
            self._ledger_facts(doc, base, programs[spec.id])
            self._claim_facts(doc, base, programs[spec.id])
        # a shared criterion no programme uses is still read and checked
        for name, (sdoc, spath, sspec) in shared.items():
            if not any(c.id == name for p in programs.values() for c in p.criteria):
                self._criterion(sdoc, spath, sspec, "criterion", param_types, derived_names, raw_derived, params)
        if not programs and not self.problems:
            self.problems.append(Problem(self.label, None, "", "no programme files in this ruleset"))
        if self.problems:
            return None
        version = ruleset_version(self.files)
        ruleset = Ruleset(policy.id, version, policy, params, programs, derived, source_text or "", dict(self.files))
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

    def _parameters(self, files: list[tuple[str, Located, Any]]) -> tuple[dict[str, Parameter], dict[str, str]]:
        params: dict[str, Parameter] = {}
        for _, doc, pfile in files:
            for name, spec in pfile.parameters.items():
                where = ("parameters", name)
                if spec.quote and not self.quoted(spec.quote):
                    self.problem(doc, where + ("quote",), f"quote not found verbatim in the policy text: {spec.quote}")
                values = []
                for i, dv in enumerate(spec.values):
                    value = _param_value(spec.type, dv.value)
                    if isinstance(value, str) and value.startswith("!"):
                        self.problem(doc, where + ("values", i, "value"), value[1:])
                        continue
                    values.append((dv.from_, value))
                if not spec.values and spec.unset is None:
                    self.problem(doc, where + ("values",), "a parameter without values must say why in 'unset'")
                params[name] = Parameter(
                    name,
                    spec.label,
                    spec.type,
                    spec.clause,
                    spec.quote,
                    spec.source,
                    spec.interpretation,
                    spec.unit,
                    tuple(values),
                    spec.unset,
                )
        types = {name: p.type for name, p in params.items()}
        types.update(POLICY_PARAMS)
        return params, types

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
        if cond is not None and any(name not in self.usable_derived for name in _refs_deep(cond, self.raw)):
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
                _did_you_mean(spec.applies_if, [k for k, t in params.items() if t == "boolean"]),
            )
        elif spec.applies_if is not None and params.get(spec.applies_if) != "boolean":
            self.problem(
                doc,
                path + ("applies_if",),
                f"applies_if names a boolean parameter; "
                f"'{spec.applies_if}' is {params.get(spec.applies_if, 'not defined')}",
                _did_you_mean(spec.applies_if, [k for k, t in params.items() if t == "boolean"]),
            )
        cond = None
        if spec.condition is not None:
            cond = self._condition(doc, path + ("condition",), spec.condition, params, derived)
            if cond is None:
                return None
        facts = tuple(fact_paths(cond, raw_derived)) if cond is not None else ()
        shown = self._templates(doc, path + ("explain",), spec.explain, params)
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
            _params_deep(cond, self.raw) if cond is not None else (),
        )

    def _templates(self, doc: Located, path: tuple[Any, ...], explain: Any, params: dict[str, str]) -> list[str]:
        """Check the holes of explanation templates; return the facts they show."""
        shown: list[str] = []
        for status in ("met", "not_met", "unknown"):
            text = getattr(explain, status)
            if text is None:
                continue
            for lang in ("zh", "en"):
                for name in re.findall(r"\{([^{}]*)\}", getattr(text, lang)):
                    if name.startswith("param:"):
                        ok = name[6:] in params
                    else:
                        ok = name in FACTS
                    if not ok:
                        self.problem(
                            doc,
                            path + (status, lang),
                            f"unknown placeholder {{{name}}}",
                            _did_you_mean(name, list(FACTS)),
                        )
                    elif name in FACTS and name not in shown:
                        shown.append(name)
        return shown

    def _award(self, doc: Located, path: tuple[Any, ...], spec: Any, params: dict[str, Parameter]) -> None:
        award = spec.award
        shapes = [award.fixed is not None, award.rate is not None, award.maximums is not None]
        if sum(shapes) != 1:
            self.problem(doc, path, "an award is exactly one of: fixed, rate (with base), maximums")
            return
        refs: list[tuple[str, str, tuple[str, ...]]] = []
        if award.fixed:
            refs.append(("fixed", award.fixed.param, ("money",)))
        if award.rate:
            refs.append(("rate", award.rate.param, ("rate",)))
            if award.base != "transaction_amount":
                self.problem(doc, path + ("base",), "a rate applies to a money fact: base: transaction_amount")
            if award.cap:
                refs.append(("cap", award.cap.param, ("money",)))
                if award.cap_per is None:
                    self.problem(doc, path + ("cap_per",), "a cap needs cap_per")
        for key, operand in (award.maximums or {}).items():
            refs.append((key, operand.param, ("money", "area_m2")))
        for key, name, types in refs:
            p = params.get(name)
            if p is None:
                self.follow_on(
                    doc,
                    path + (key, "param"),
                    f"unknown parameter '{name}'",
                    _did_you_mean(name, list(params)),
                )
            elif p.type not in types:
                self.problem(
                    doc,
                    path + (key, "param"),
                    f"parameter '{name}' is {p.type}, an award's {key} needs {' or '.join(types)}",
                )

    def _ledger_facts(self, doc: Located, path: tuple[Any, ...], program: Program) -> None:
        for c in program.criteria:
            if "ledger.already_awarded" in c.facts and program.once_per is None:
                self.problem(
                    doc,
                    path + ("limits",),
                    f"criterion '{c.id}' reads ledger.already_awarded, which needs limits: {{once_per: patent.number}}",
                )
            if "ledger.awarded_total" in c.facts and program.award.cap is None:
                self.problem(
                    doc,
                    path + ("award",),
                    f"criterion '{c.id}' reads ledger.awarded_total, which needs an award cap",
                )

    def _claim_facts(self, doc: Located, path: tuple[Any, ...], program: Program) -> None:
        """A programme's criteria read only the claim fields its claims may carry."""
        for criterion in program.criteria:
            for fact in criterion.facts:
                if FACTS[fact].scope != "claim":
                    continue
                section = fact.split(".")[0]
                if section not in program.claim_fields:
                    self.problem(
                        doc,
                        path + ("claim_fields",),
                        f"criterion '{criterion.id}' reads {fact}, but '{section}' is not among "
                        "this programme's claim_fields",
                        f"add {section} to claim_fields",
                    )

    def _cycles(self, derived: dict[str, Derived], specs: dict[str, Any]) -> None:
        def visit(name: str, stack: list[str]) -> None:
            if name in stack:
                doc, path, _ = specs[name]
                self.problem(
                    doc,
                    path,
                    "derived conditions refer to each other in a circle: "
                    + " -> ".join(stack[stack.index(name) :] + [name]),
                )
                raise _Cycle
            if name not in derived:
                return
            for ref in _refs(derived[name].condition):
                visit(ref, stack + [name])

        for name in derived:
            try:
                visit(name, [])
            except _Cycle:
                derived.clear()
                return


class _Cycle(Exception):
    pass


def _refs(cond: Any) -> list[str]:
    from .conditions import All, AnyOf, DerivedRef, Not

    if isinstance(cond, DerivedRef):
        return [cond.name]
    if isinstance(cond, (All, AnyOf)):
        return [r for item in cond.items for r in _refs(item)]
    if isinstance(cond, Not):
        return _refs(cond.item)
    return []


def _refs_deep(cond: Any, raw: dict[str, Any]) -> list[str]:
    """Every derived name a condition reaches (stopping at names that are not defined)."""
    out: list[str] = []
    stack = _refs(cond)
    while stack:
        name = stack.pop()
        if name in out:
            continue
        out.append(name)
        if name in raw:
            stack.extend(_refs(raw[name]))
    return out


def _params_deep(cond: Any, raw: dict[str, Any]) -> tuple[str, ...]:
    """Every parameter a condition reads, through the derived conditions it names."""
    out = list(params_used(cond))
    for name in _refs_deep(cond, raw):
        for param in params_used(raw[name]) if name in raw else ():
            if param not in out:
                out.append(param)
    return tuple(out)


def _collect_derived(cond: Any, raw: dict[str, Any], out: list[str]) -> None:
    for name in _refs(cond):
        if name not in out:
            _collect_derived(raw[name], raw, out)
            out.append(name)


def _param_value(type_: str, raw: Any) -> Any:
    """A parameter value in its plain Python form; a string starting with "!" is a problem."""
    try:
        if type_ == "money":
            return parse_money(raw)
        if type_ in ("rate", "area_m2"):
            if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
                return f"!expected a decimal written as text, got {raw!r}"
            value = Decimal(str(raw))
            if type_ == "rate" and not (0 < value <= 1):
                return f'!a rate is a fraction between 0 and 1 (10% is "0.10"), got {raw}'
            return value
        if type_ == "integer":
            return (
                raw if isinstance(raw, int) and not isinstance(raw, bool) else f"!expected a whole number, got {raw!r}"
            )
        if type_ == "boolean":
            return raw if isinstance(raw, bool) else f"!expected true or false, got {raw!r}"
        if type_ == "date":
            return date.fromisoformat(str(raw))
        if type_ == "divisions":
            if not isinstance(raw, list) or not raw:
                return "!expected a list of division codes or names"
            return [identifiers.resolve_division(x).code for x in raw]
        if type_ == "text_list":
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                return "!expected a list of texts"
            return list(raw)
        if type_ == "text":
            return raw if isinstance(raw, str) else f"!expected text, got {raw!r}"
    except (MoneyError, InvalidOperation, ValueError) as exc:
        return f"!{exc}"
    except identifiers.IdentifierError as exc:
        return f"!{exc.message}"
    return f"!unknown parameter type {type_}"


def _did_you_mean(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at a location of a schema (for did-you-mean)."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if field is None:
            return []
        current = _model_in(field.annotation, typing)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _model_in(annotation: Any, typing: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg, typing)
        if found is not None and found is not type(None):
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
    return None


def load_ruleset_files(files: dict[str, bytes], label: str = "rules") -> Ruleset:
    """Build a ruleset from a folder's files given as bytes (e.g. from the archive)."""
    build = _Build(files, label)
    ruleset = build.build()
    if ruleset is None:
        raise RuleFileError(build.problems)
    return ruleset
