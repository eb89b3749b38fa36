"""A loaded ruleset as JSON and back: a closed vocabulary of data, nothing executed.

JSON holds ``null``, booleans, whole numbers, texts, lists and objects of text keys; every
other value of a ruleset is an object with one key, its tag:

=============================  ==========================================================
``{"$t": [...]}``              a tuple
``{"$fs": [...]}``             a frozenset
``{"$kv": [[key, value]...]}`` a dict whose keys are not all texts (or start with ``$``)
``{"$date": "2022-07-01"}``    a date
``{"$dec": "0.10"}``           a Decimal, written as it was (exponent kept)
``{"$unset": 0}``              the value of a parameter that has none
``{"$dc": [NAME, {...}]}``     a dataclass of :data:`DATACLASSES`, by its init fields
``{"$m": [NAME, {...}, [...]]}`` a rule-file model of :mod:`~engine.rulebook.schema` by its
                               fields and the fields that were set, built without validation
=============================  ==========================================================

Anything else (a float, an unknown class) raises :class:`TypeError` when encoding: such a
ruleset is not cached. Decoding an unknown tag or name raises :class:`ValueError`.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..model.divisions import Division, Gazetteer
from . import conditions, schema
from .ruleset import Criterion, Derived, Parameter, Program, Ruleset
from .sizes import SizeBands

__all__ = ["DATACLASSES", "MODELS", "decode_ruleset", "encode_ruleset", "same_ruleset"]

DATACLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Parameter,
        Criterion,
        Derived,
        Program,
        Division,
        Gazetteer,
        SizeBands,
        conditions.ParamRef,
        conditions.FactRef,
        conditions.Compare,
        conditions.Present,
        conditions.All,
        conditions.AnyOf,
        conditions.Not,
        conditions.DerivedRef,
    )
}
MODELS: dict[str, type[BaseModel]] = {
    name: value
    for name, value in vars(schema).items()
    if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == schema.__name__
}
# what a ruleset is made of, in this order; its files are read from the folder, not cached
_FIELDS = ("id", "version", "policy", "parameters", "programs", "derived", "divisions")


def encode_ruleset(ruleset: Ruleset) -> bytes:
    """The ruleset's data as compact JSON bytes (its files and source text left out).
    Raises TypeError for a value outside the vocabulary."""
    data = {name: _encode(getattr(ruleset, name)) for name in _FIELDS}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def decode_ruleset(body: bytes, files: dict[str, bytes]) -> Ruleset:
    """The ruleset ``body`` holds, with the ``files`` it was built from.
    Raises ValueError (or KeyError, TypeError) for a body that is not one."""
    data = json.loads(body, object_hook=_decode)
    if not isinstance(data, dict) or set(data) != set(_FIELDS):
        raise ValueError("not a cached ruleset")
    source = files[data["policy"].source].decode("utf-8")
    return Ruleset(**{name: data[name] for name in _FIELDS}, source_text=source, files=dict(files))


def same_ruleset(one: Ruleset, other: Ruleset) -> bool:
    """Whether two rulesets hold the same data (their caches and folder aside)."""
    return all(getattr(one, name) == getattr(other, name) for name in (*_FIELDS, "source_text", "files"))


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)) and type(value) in (bool, int, str):
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, dict):
        if all(type(k) is str and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$kv": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, frozenset):
        return {"$fs": [_encode(v) for v in value]}
    if type(value) is date:
        return {"$date": value.isoformat()}
    if type(value) is Decimal:
        return {"$dec": str(value)}
    if value is conditions.UNSET:
        return {"$unset": 0}
    name = type(value).__name__
    if isinstance(value, BaseModel) and MODELS.get(name) is type(value):
        fields = {k: _encode(getattr(value, k)) for k in type(value).model_fields}
        return {"$m": [name, fields, sorted(value.model_fields_set)]}
    if dataclasses.is_dataclass(value) and DATACLASSES.get(name) is type(value):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"$dc": [name, fields]}
    raise TypeError(f"a {name} is not in the cached vocabulary")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) != 1:
        return obj
    tag, value = next(iter(obj.items()))
    if not tag.startswith("$"):
        return obj
    if tag == "$t":
        return tuple(value)
    if tag == "$dc":
        name, fields = value
        return DATACLASSES[name](**fields)
    if tag == "$m":
        name, fields, fields_set = value
        return MODELS[name].model_construct(set(fields_set), **fields)
    if tag == "$dec":
        return Decimal(value)
    if tag == "$date":
        return date.fromisoformat(value)
    if tag == "$kv":
        return {k: v for k, v in value}
    if tag == "$fs":
        return frozenset(value)
    if tag == "$unset":
        return conditions.UNSET
    raise ValueError(f"unknown tag {tag!r} in a cached ruleset")
