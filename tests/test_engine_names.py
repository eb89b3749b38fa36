"""The engine reads each fact under a short name: the rules as registered and the claims as
asserted must agree on it, and no two names may hash alike in the engine's C core."""

from __future__ import annotations

import json

from engine import load_rulebook
from engine.rulebook import compiler
from engine.rulebook.compiler import _fnv1, _registered, _renamed, _short_names, compile_ruleset


def test_the_hash_is_the_engines() -> None:
    # fnv1Hash32 of durable_rules' state.c: offset basis 2166136261, prime 16777619, xor then multiply
    assert _fnv1("") == 2166136261
    assert _fnv1("a") == ((2166136261 ^ ord("a")) * 16777619) & 0xFFFFFFFF


def test_every_programme_names_its_facts_apart() -> None:
    for ruleset in load_rulebook().rulesets:
        for program in compile_ruleset(ruleset).programs.values():
            short = program.short
            assert set(ruleset.engine_facts[program.name.rsplit("/", 1)[1]]) <= set(short)
            hashes = [_fnv1(name) for name in (*short.values(), *compiler._OWN)]
            assert len(set(hashes)) == len(hashes)
            text = json.dumps(_registered(program.plan.definition, short), ensure_ascii=False)
            for name in short:  # no rule reads a fact under its long name any more
                assert f'"{name}"' not in text


def test_names_are_renamed_and_values_kept() -> None:
    definition = {
        "r": {
            "all": [
                {
                    "m": {
                        "$and": [
                            {"kind_": "claim"},
                            {"patent.kind": "patent.kind"},  # a value that looks like a name stays
                            {"$gte": {"patent.granted_on": {"$add": {"$l": {"$m": "patent.filed_on"}, "$r": 10000}}}},
                            {"$iany": {"patent.holders": {"$i": {"$m": "applicant.name"}}}},
                            {"$nex": {"derived_.hv": 1}},
                        ]
                    }
                }
            ]
        }
    }
    short = _short_names(definition, ("submitted_on",))
    assert list(short) == [
        "submitted_on",
        "patent.kind",
        "patent.granted_on",
        "patent.filed_on",
        "patent.holders",
        "applicant.name",
        "derived_.hv",
    ]
    pattern = _renamed(definition["r"]["all"][0]["m"], short)
    s = short
    assert pattern == {
        "$and": [
            {"kind_": "claim"},
            {s["patent.kind"]: "patent.kind"},
            {"$gte": {s["patent.granted_on"]: {"$add": {"$l": {"$m": s["patent.filed_on"]}, "$r": 10000}}}},
            {"$iany": {s["patent.holders"]: {"$i": {"$m": s["applicant.name"]}}}},
            {"$nex": {s["derived_.hv"]: 1}},
        ]
    }
    assert _registered(definition, short)["r"]["cap"] == compiler.SESSION_FACTS
