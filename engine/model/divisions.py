"""Divisions: where an applicant is registered and where a patent is put to use, as codes.

Which codes and names a ruleset knows is data in its folder (``divisions.yaml``), not Python:
the jurisdiction's divisions and functional zones, each with its full and short names, the
names people write for it and their sources; and the provinces, prefectures and counties by
which a place outside the jurisdiction is named. A :class:`Gazetteer` is that data, read;
``gazetteer.resolve(value)`` turns a code or a name into a :class:`Division`.

The canonical input stores codes, so a stored application is read again (replayed) without
any names: :func:`division_code` reads a code alone, with no gazetteer.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import Problem, quoted
from .normalize import DIGITS, IdentifierError, compact, plain

__all__ = [
    "Division",
    "DivisionsFile",
    "Gazetteer",
    "division_code",
    "gazetteer_from_files",
]

ZONE_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{2,8}")
"""A zone that has no published code gets one of its own in the data, e.g. ``PY-SFQ``."""


@dataclass(frozen=True)
class Division:
    """A county-level division, the city, a functional zone, or a coarser place elsewhere."""

    code: str
    name_zh: str
    name_en: str
    short_zh: str
    in_jurisdiction: bool
    is_zone: bool


def division_code(value: object) -> str:
    """A division written as a code, read without any list of places: six digits
    (GB/T 2260), or a zone's own code such as ``PY-SFQ``. Names need a :class:`Gazetteer`.

    >>> division_code(410902), division_code(" ４１０９７２ "), division_code("py-sfq")
    ('410902', '410972', 'PY-SFQ')
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise IdentifierError(f"a division is a 6-digit code or a name, got {type(value).__name__} ({quoted(value)})")
    text = compact(str(value)).upper()
    if ZONE_CODE.fullmatch(text):
        return text
    if len(text) == 6 and all(ch in DIGITS for ch in text):
        return text
    if text.isascii() and any(ch in DIGITS for ch in text):
        raise IdentifierError(f"a division code has 6 digits ({quoted(text, bare=True)})")
    raise IdentifierError(f"not a division code ({quoted(value, bare=True)})", "write the 6-digit code")


# --- the data file: divisions.yaml ------------------------------------------------------


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Words(_Spec):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class AliasSpec(_Spec):
    """Another name people write for a place, and where it is used."""

    name: str = Field(min_length=1)
    source: Words


class PlaceSpec(_Spec):
    code: str = Field(pattern=r"^([0-9]{6}|[A-Z]{2}-[A-Z0-9]{2,8})$")
    name: Words
    short: str | None = None
    kind: Literal["city", "district", "county", "zone"]
    aliases: list[AliasSpec] = []
    source: Words


class JurisdictionSpec(_Spec):
    name: Words
    prefix: str = Field(pattern=r"^[0-9]{4}$")
    drop: list[str] = []
    source: Words
    places: list[PlaceSpec] = Field(min_length=1)


class ElsewhereSpec(_Spec):
    source: Words
    provinces: dict[str, tuple[str, str]]
    prefectures: dict[str, tuple[str, str]] = {}
    counties: dict[str, tuple[str, str]] = {}


class DivisionsSpec(_Spec):
    jurisdiction: JurisdictionSpec
    elsewhere: ElsewhereSpec


class DivisionsFile(_Spec):
    """A ruleset's ``divisions.yaml``: the places it knows by code and by name."""

    divisions: DivisionsSpec


# --- the gazetteer ----------------------------------------------------------------------


@dataclass
class Gazetteer:
    """The places one ruleset knows. ``resolve`` a code or name; ``by_code`` for display."""

    jurisdiction: tuple[Division, ...] = ()
    names: dict[str, Division] = field(default_factory=dict)
    english: dict[str, Division] = field(default_factory=dict)
    provinces: dict[str, tuple[str, str]] = field(default_factory=dict)
    prefectures: dict[str, tuple[str, str]] = field(default_factory=dict)
    counties: dict[str, tuple[str, str]] = field(default_factory=dict)
    prefix: str | None = None
    drop: tuple[str, ...] = ()
    label: str = "the jurisdiction"

    def __post_init__(self) -> None:
        self._codes = {d.code: d for d in self.jurisdiction}
        self._resolved: dict[object, Division] = {}

    def resolve(self, value: object) -> Division:
        """The division a code (str or int) or a name (Chinese or English) stands for.

        Raises :class:`IdentifierError` saying what is wrong, with a did-you-mean for a
        misspelt name."""
        key = (type(value), value) if isinstance(value, (str, int)) else None
        if key is not None and key in self._resolved:
            return self._resolved[key]
        division = self._resolve(value)
        if key is not None and len(self._resolved) < 8192:
            self._resolved[key] = division
        return division

    def codes_hint(self) -> str:
        if not self.jurisdiction:
            return "this ruleset lists no places (divisions.yaml): write a 6-digit code"
        return f"{self.label}'s codes: " + ", ".join(f"{d.code} {d.short_zh}" for d in self.jurisdiction)

    def by_code(self, code: str) -> Division | None:
        """The division with this code, or None (never raises: for showing a stored code)."""
        try:
            return self._by_code(code, code)
        except IdentifierError:
            return None

    def _by_code(self, code: str, shown: str) -> Division:
        if code in self._codes:
            return self._codes[code]
        if self.prefix is not None and code.startswith(self.prefix):
            raise IdentifierError(f"{code} is not a division code in use in {self.label} ({shown})", self.codes_hint())
        if not self.provinces or ZONE_CODE.fullmatch(code):
            if ZONE_CODE.fullmatch(code):
                raise IdentifierError(f"{code} is not a zone code of {self.label} ({shown})", self.codes_hint())
            return Division(code, code, code, code, in_jurisdiction=False, is_zone=False)
        if code[:2] not in self.provinces:
            raise IdentifierError(
                f"{code[:2]} is not a province-level code ({shown})",
                "a division code starts with a province: " + ", ".join(sorted(self.provinces)),
            )
        name_zh, name_en = self.provinces[code[:2]]
        short_zh = name_zh
        if code[:4] in self.prefectures:
            pref_zh, pref_en = self.prefectures[code[:4]]
            name_zh, name_en, short_zh = name_zh + pref_zh, f"{pref_en}, {name_en}", pref_zh
            if code in self.counties:
                short_zh, county_en = self.counties[code]
                name_zh, name_en = pref_zh + short_zh, f"{county_en}, {name_en}"
        return Division(code, name_zh, name_en, short_zh, in_jurisdiction=False, is_zone=False)

    def _outside_by_name(self, name: str) -> Division | None:
        """A place outside the jurisdiction named as a county, a prefecture or a province."""
        province_words = [zh for zh, _ in self.provinces.values()]
        bare = name
        for word in province_words:
            if name.startswith(word) and len(name) > len(word):
                bare = name[len(word) :]
                break
        for code, (county_zh, _) in self.counties.items():
            prefecture = self.prefectures.get(code[:4])
            if prefecture is not None and bare == prefecture[0] + county_zh:
                return self._by_code(code, name)
        for prefix, (pref_zh, _) in self.prefectures.items():
            if prefix != self.prefix and bare in (pref_zh, pref_zh[:-1]):
                return self._by_code(prefix + "00", name)
        for prefix, (prov_zh, _) in self.provinces.items():
            if (self.prefix is None or prefix != self.prefix[:2]) and name in (prov_zh, prov_zh[:-1]):
                return self._by_code(prefix + "0000", name)
        return None

    def _candidates(self, name: str) -> list[str]:
        """The name, then without each leading word a name may carry, in turn
        (河南省濮阳市范县, 濮阳市范县, 范县)."""
        out = [name]
        for word in self.drop:
            if name.startswith(word) and len(name) > len(word):
                name = name[len(word) :]
                out.append(name)
        return out

    def _resolve(self, value: object) -> Division:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise IdentifierError(
                f"a division is a 6-digit code or a name, got {type(value).__name__} ({quoted(value)})",
                self.codes_hint(),
            )
        shown = quoted(" ".join(plain(str(value)).split()), bare=True)
        text = compact(str(value))
        if ZONE_CODE.fullmatch(text.upper()):
            return self._by_code(text.upper(), shown)
        if text.isascii() and any(ch in DIGITS for ch in text):
            if len(text) != 6 or any(ch not in DIGITS for ch in text):
                raise IdentifierError(f"a division code has 6 digits ({shown})", self.codes_hint())
            return self._by_code(text, shown)
        candidates = self._candidates(text)
        for candidate in candidates:
            if candidate in self.names:
                return self.names[candidate]
        found = self.english.get(" ".join(plain(str(value)).split()).casefold())
        if found is not None:
            return found
        outside = self._outside_by_name(text)
        if outside is not None:
            return outside
        if not text:
            raise IdentifierError(f"a division code or name is required ({shown})", self.codes_hint())
        known = [*self.names, *(d.name_en for d in self._codes.values())]
        close: list[str] = []
        for candidate in dict.fromkeys((candidates[-1], candidates[0])):  # without 濮阳市…, then as written
            close += [c for c in difflib.get_close_matches(candidate[:50], known, n=3, cutoff=0.5) if c not in close]
        close = close[:3]
        guess = f"; did you mean {' or '.join(close)}?" if close else ""
        example = f"such as {self.jurisdiction[1].short_zh} or " if len(self.jurisdiction) > 1 else ""
        raise IdentifierError(
            f"unknown division name{guess} ({shown})",
            f"give a name {example}a 6-digit code; " + self.codes_hint(),
            code="division_unknown",
            given=shown,
            suggestions="、".join(close),
        )


def _divisions(spec: JurisdictionSpec) -> list[Division]:
    return [
        Division(
            p.code,
            p.name.zh,
            p.name.en,
            p.short or p.name.zh,
            in_jurisdiction=True,
            is_zone=p.kind == "zone",
        )
        for p in spec.places
    ]


Located = Any  # engine.yamlio.Located: a parsed file with the line of every path
Fmt = Callable[[tuple[Any, ...]], str]


def gazetteer_from_files(files: list[tuple[Located, DivisionsFile]], fmt: Fmt) -> tuple[Gazetteer, list[Problem]]:
    """The gazetteer of a ruleset's ``divisions`` file(s) — at most one — and every problem in it:
    a code given twice, a name or alias that would stand for two places. No file: an empty
    gazetteer, which reads codes only."""
    problems: list[Problem] = []
    if not files:
        return Gazetteer(), problems
    if len(files) > 1:
        doc = files[1][0]
        problems.append(Problem(doc.file, doc.line_of(()), "", "a ruleset folder holds one divisions file"))
    doc, spec = files[0]
    area = spec.divisions.jurisdiction
    places = _divisions(area)
    names: dict[str, Division] = {}
    english: dict[str, Division] = {}
    seen_codes: dict[str, int] = {}

    def add(table: dict[str, Division], name: str, division: Division, where: tuple[Any, ...]) -> None:
        key = name if table is names else name.casefold()
        if key in table and table[key].code != division.code:
            problems.append(
                Problem(
                    doc.file,
                    doc.line_of(where),
                    fmt(where),
                    f"'{name}' already names {table[key].code} {table[key].name_zh}",
                    "a name may stand for one place only",
                )
            )
            return
        table[key] = division

    for i, (place, division) in enumerate(zip(area.places, places, strict=True)):
        base = ("divisions", "jurisdiction", "places", i)
        if place.code in seen_codes:
            problems.append(
                Problem(
                    doc.file, doc.line_of(base + ("code",)), fmt(base + ("code",)), f"code {place.code} is given twice"
                )
            )
        seen_codes[place.code] = i
        add(names, compact(place.name.zh), division, base + ("name", "zh"))
        add(english, place.name.en, division, base + ("name", "en"))
        if place.short:
            add(names, compact(place.short), division, base + ("short",))
        for j, alias in enumerate(place.aliases):
            add(names, compact(alias.name), division, base + ("aliases", j, "name"))
    elsewhere = spec.divisions.elsewhere
    gazetteer = Gazetteer(
        jurisdiction=tuple(places),
        names=names,
        english=english,
        provinces=dict(elsewhere.provinces),
        prefectures=dict(elsewhere.prefectures),
        counties=dict(elsewhere.counties),
        prefix=area.prefix,
        drop=tuple(area.drop),
        label=area.name.en,
    )
    return gazetteer, problems
