"""Fuzz the reader and the evaluation with mutated applications; report what broke.

Valid applications from ``engine.generate`` are mutated — in their data (a field dropped, a
value of another type, a huge number, a long or full-width text, deep nesting, a duplicated
claim) and in their bytes (a byte flipped or cut, YAML aliases and tags, a byte-order mark,
bytes that are not UTF-8) — and written as YAML, JSON or JSON Lines. Each is read through the
one reader (``read_upload``) and, when it reads, evaluated and explained. An application must be
decided or refused with an input error; anything else is an internal error. A sample also goes
through ``subsidy check`` and ``subsidy screen`` as processes (exit 0 or 2, no traceback).

    .venv/bin/python bench/fuzz.py --count 20000 --seed 1 --processes 60

prints the counts, internal errors (each input saved under ``--out`` to reproduce it), the
slowest record, records over 1 s and the peak memory of the process. Exit 1 if anything broke.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine import ApplicationError, InputError, assessment_json, evaluate, load_rulebook, read_upload, render_text
from engine.generate import generate_many

ROOT = Path(__file__).resolve().parents[1]
SLOW_SECONDS = 1.0

Data = dict[str, Any]


# ------------------------------------------------------------------ mutations of the data


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``data`` (mappings and lists)."""
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, path + (i,))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _nested(rng: random.Random, depth: int) -> Any:
    value: Any = rng.choice(["x", 1, None, True])
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {"k": value}
    return value


FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-,",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ．－，",
)
STRANGE_TEXT = [
    "",
    " ",
    "\u3000",
    "null",
    "NaN",
    "1e26",
    "-0",
    "1,5,0,0.00",
    "1500000,00",
    "USD 250000.00",
    "25万",
    "PY-7/1",
    "PY-7/1/settlement",
    "2024-02-30",
    "２０２４－０３－１５",
    "濮阳开发区",
    "华龙县",
    "\x00",
    "\ud7ff",
    "😀",
    "A；B",
    "${jndi:ldap://x}",
    "<script>",
]


def _odd_value(rng: random.Random) -> Any:
    kind = rng.randrange(12)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1, 2**63, -(2**63), 10**29])
    if kind == 3:
        return int("9" * rng.choice([31, 500, 4000]))  # (Python itself prints no more than 4300 digits)
    if kind == 4:
        return rng.choice([0.1, 1e308, -0.0, 1.5e6])
    if kind == 5:
        return rng.choice(STRANGE_TEXT)
    if kind == 6:
        return "长" * rng.choice([100, 20_000, 20_001])
    if kind == 7:
        return _nested(rng, rng.choice([3, 11, 50]))
    if kind == 8:
        return []
    if kind == 9:
        return {}
    if kind == 10:
        return [rng.choice(STRANGE_TEXT) for _ in range(rng.randint(1, 5))]
    return {"unknown": "field"}


def mutate_data(data: Data, rng: random.Random) -> Data:
    """One to three changes to the data of a valid application."""
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(data) if p]
        path = rng.choice(paths)
        kind = rng.randrange(7)
        parent = _get(data, path[:-1])
        if kind == 0 and isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif kind == 1:
            _set(data, path, _odd_value(rng))
        elif kind == 2:
            value = _get(data, path)
            if isinstance(value, str) and len(value) < 1000:  # (inputs stay a few MB at most)
                _set(data, path, rng.choice([value.translate(FULL_WIDTH), f" {value}\u3000", value.upper(), value * 3]))
        elif kind == 3 and isinstance(data.get("claims"), list) and 0 < len(data["claims"]) <= 3:
            data["claims"] = data["claims"] * rng.choice([2, 40, 101])
        elif kind == 4 and isinstance(parent, dict):
            parent[rng.choice(["holders", "extra", "benefits", "id_number", "country"])] = _odd_value(rng)
        elif kind == 5:
            value = _get(data, path)
            if isinstance(value, str) and len(value) > 2:
                i = rng.randrange(len(value))
                _set(data, path, value[:i] + rng.choice(",.;、 ０X") + value[i + 1 :])
        else:
            _set(data, path, _nested(rng, rng.choice([2, 9, 10, 12])))
    return data


# ------------------------------------------------------------------ mutations of the bytes


def mutate_bytes(text: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(8)
    if not text:
        return text
    i = rng.randrange(len(text))
    if kind == 0:
        return text[:i] + bytes([rng.randrange(256)]) + text[i + 1 :]
    if kind == 1:
        return text[:i]
    if kind == 2:
        return (
            text[:i]
            + rng.choice([b"&a ", b"*a ", b"!!python/object ", b"{", b"[", b"'", b'"', b"\t", b"\n  - "])
            + text[i:]
        )
    if kind == 3:
        return b"\xef\xbb\xbf" + text
    if kind == 4:
        return text[:i] + "濮阳".encode("gbk") + text[i:]
    if kind == 5:
        return text + text if len(text) < 1_000_000 else text
    if kind == 6:
        return text.replace(b"\n", b"\r\n")
    return text[:i] + b"\x00" + text[i:]


def _yaml_lol(data: Data) -> bytes:
    """The data with a benefits statement made of exploding YAML aliases."""
    head = "lol: &l0 [a, a, a, a, a, a, a, a, a, a]\n"
    for n in range(1, 9):
        head += f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]\n"
    return (head + yaml.safe_dump(data, allow_unicode=True)).encode("utf-8")


def serialise(data: Data, rng: random.Random) -> tuple[bytes, str]:
    form = rng.randrange(4)
    if form == 0:
        return yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), "a.yaml"
    if form == 1:
        return json.dumps(data, ensure_ascii=False, default=str, indent=1).encode("utf-8"), "a.json"
    if form == 2:
        return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8") + b"\n", "a.jsonl"
    return _yaml_lol(data), "a.yml"


# ------------------------------------------------------------------ the run


@dataclass
class Report:
    records: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    internal: list[tuple[str, str]] = field(default_factory=list)  # (saved input, error)
    slow: list[tuple[float, str]] = field(default_factory=list)
    slowest: float = 0.0
    processes: int = 0
    process_failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def peak_mb(self) -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def ok(self) -> bool:
        return not self.internal and not self.slow and not self.process_failures

    def text(self) -> str:
        lines = [
            f"fuzzed {self.records:,} mutated applications in {self.seconds:.1f} s",
            "  " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.outcomes.items())),
            f"  internal errors: {len(self.internal)}",
            f"  records over {SLOW_SECONDS:g} s: {len(self.slow)} (slowest {self.slowest * 1000:.0f} ms)",
            f"  peak memory of this process: {self.peak_mb:.0f} MB",
            f"  as processes: {self.processes} runs of subsidy check/screen, {len(self.process_failures)} failed",
        ]
        lines += [f"  INTERNAL {path}: {error}" for path, error in self.internal[:20]]
        lines += [f"  SLOW {seconds:.2f} s {path}" for seconds, path in self.slow[:20]]
        lines += [f"  PROCESS {failure}" for failure in self.process_failures[:20]]
        return "\n".join(lines)


def fuzz_one(data: bytes, name: str, rulebook: Any) -> str:
    """``decided``, ``refused`` — or raises what the engine should never raise."""
    try:
        app = read_upload(data, name, rulebook)
    except ApplicationError:
        return "refused"
    assessment = evaluate(app, rulebook)
    ruleset = rulebook.by_id(assessment.ruleset_id)
    json.dumps(assessment_json(assessment, ruleset, "zh"), ensure_ascii=False)
    render_text(assessment, ruleset, "en")
    return "decided"


def run(
    count: int, seed: int, processes: int = 0, out: Path | None = None, log: Callable[[str], None] = print
) -> Report:
    rulebook = load_rulebook()
    rng = random.Random(seed)
    report = Report()
    out = out or Path(tempfile.mkdtemp(prefix="fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    bases = list(generate_many(max(1, min(count, 2000)), seed=seed))
    sample: list[tuple[bytes, str]] = []
    every = -(-count // processes) if processes else 0  # ``processes`` records, evenly apart
    start = time.perf_counter()
    for n in range(count):
        data = mutate_data(bases[n % len(bases)], rng) if rng.random() < 0.85 else copy.deepcopy(bases[n % len(bases)])
        text, name = serialise(data, rng)
        if rng.random() < 0.3:
            text = mutate_bytes(text, rng)
        began = time.perf_counter()
        try:
            outcome = fuzz_one(text, name, rulebook)
        except InputError:
            outcome = "refused (input)"
        except Exception as exc:  # noqa: BLE001 - the point: anything else is a fault
            saved = out / f"internal-{n}-{name}"
            saved.write_bytes(text)
            report.internal.append((str(saved), f"{type(exc).__name__}: {exc}"[:300]))
            outcome = "internal"
            if len(report.internal) <= 3:
                log(traceback.format_exc())
        took = time.perf_counter() - began
        report.slowest = max(report.slowest, took)
        if took > SLOW_SECONDS:
            saved = out / f"slow-{n}-{name}"
            saved.write_bytes(text)
            report.slow.append((took, str(saved)))
        report.outcomes[outcome] += 1
        report.records += 1
        if every and n % every == 0:
            sample.append((text, name))
    report.seconds = time.perf_counter() - start
    if sample:
        _through_processes(sample, out, report)
    return report


def _through_processes(sample: list[tuple[bytes, str]], out: Path, report: Report) -> None:
    """Each sampled input through ``subsidy check``, and all of them through one ``subsidy screen``."""
    folder = out / "batch"
    folder.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "engine.cli"]
    for i, (text, name) in enumerate(sample):
        path = folder / f"{i:05d}-{name}"
        path.write_bytes(text)
        run = subprocess.run([*command, "check", str(path)], capture_output=True, cwd=ROOT, timeout=120)
        report.processes += 1
        _judge(run, f"check {path}", report)
    db = out / "batch.db"
    run = subprocess.run(
        [*command, "screen", str(folder), "--db", str(db), "--quiet"], capture_output=True, cwd=ROOT, timeout=600
    )
    report.processes += 1
    _judge(run, f"screen {folder}", report)


def _judge(run: subprocess.CompletedProcess[bytes], what: str, report: Report) -> None:
    err = run.stderr.decode("utf-8", errors="replace")
    if run.returncode not in (0, 2) or "Traceback" in err or "internal error" in err:
        report.process_failures.append(f"{what}: exit {run.returncode}: {err.strip()[-300:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=60, help="how many inputs also go through the CLI")
    parser.add_argument("--out", type=Path, default=None, help="where inputs that broke something are saved")
    args = parser.parse_args()
    report = run(args.count, args.seed, args.processes, args.out)
    print(report.text())
    return 0 if report.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
