"""The proof under load: 4 real `subsidy screen` processes and 2 real settle loops on one store.

    python bench/concurrency.py                       # 20 runs on a PostgreSQL cluster started here
    python bench/concurrency.py --server URL          # on that server (a new database per run)
    python bench/concurrency.py --sqlite --runs 5     # the same on an SQLite file
    python bench/concurrency.py --runs 1 --enterprises 4 --json   # what the test suite runs

Each run screens applications engineered to collide into one new store from four
processes at once, while two loops settle whatever awaits review, each settlement a
real `subsidy settle` process:

* every enterprise has four purchase claims of 90,000.00 each (10 % of 900,000.00), one in
  each screening file, under a 200,000.00 cap: whoever comes first takes the room;
* every enterprise claims the local-industrialisation award for one patent twice, from two
  files: it is awarded once;
* every enterprise has one purchase claim that needs review (the related-party
  declaration is missing): it holds room until a settle loop settles it, eligible for what
  the cap still allows, else ineligible;
* a quarter of the applications are in two files: each must be recorded exactly once.

After the run, from the store: no enterprise's awards and holds pass the cap, no patent
is awarded twice, every application is recorded once, `verify` is intact and `replay`
reproduces every decision. Prints one line per run and the figures; exits 1 if any run
broke anything. Figures are wall-clock and depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from engine.model.credit_codes import credit_code_check_char  # noqa: E402
from engine.model.patent_numbers import patent_check_digit  # noqa: E402

P1 = "local-industrialization-award"
P2 = "patent-purchase-reward"
CAP = Decimal("200000.00")
SCREENS, SETTLERS = 4, 2


def _code(serial: int) -> str:
    body = "91410902" + "MA" + f"{serial:07d}"
    return body + credit_code_check_char(body)


def _patent(serial: int) -> str:
    digits = f"20201{serial + 1:07d}"  # serials start at 1
    return f"ZL{digits}.{patent_check_digit(digits)}"


def _app(app_id: str, day: str, name: str, code: str, claims: list[dict[str, Any]]) -> dict[str, Any]:
    applicant = {"type": "enterprise", "name": name, "credit_code": code, "division": "410902"}
    applicant["infringement_record"] = False
    return {"format": 1, "id": app_id, "submitted_on": day, "applicant": applicant, "claims": claims}


def _p2(number: str, holder: str, amount: str, related: bool | None = False) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "program": P2,
        "patent": {"number": number, "kind": "invention", "holder": holder, "filed_on": "2020-05-06"},
        "seller": {"type": "university", "name": "郑州大学", "country": "CN"},
        "deal": "assignment",
        "transaction_amount": amount,
        "contract_registered": True,
        "implemented": True,
    }
    claim["patent"].update({"granted_on": "2022-08-09", "in_force": True, "abnormal": False})
    if related is not None:
        claim["related_party"] = related
    return claim


def _p1(number: str, holder: str) -> dict[str, Any]:
    return {
        "program": P1,
        "patent": {
            "number": number,
            "kind": "invention",
            "holder": holder,
            "filed_on": "2020-05-06",
            "granted_on": "2022-08-09",
            "in_force": True,
            "abnormal": False,
        },
        "industrialization": {"division": "410902", "started_on": "2023-06-01"},
    }


def workload(folder: Path, enterprises: int, seed: int) -> tuple[list[Path], set[str], int]:
    """Four .jsonl files that collide on caps, patents and ids; every application id; the
    number of lines in all four."""
    rng = random.Random(seed)
    files: list[list[dict[str, Any]]] = [[] for _ in range(SCREENS)]
    ids: set[str] = set()
    for e in range(enterprises):
        name, code = f"濮阳市并发测试{e:03d}有限公司", _code(1000 + e)
        apps = []
        for k in range(SCREENS):  # four purchases of 90,000.00 under a 200,000.00 cap
            number = _patent(e * 100 + k)
            apps.append(
                _app(
                    f"C{e:03d}-P2-{k}", f"2024-0{rng.randint(1, 9)}-1{k}", name, code, [_p2(number, name, "900000.00")]
                )
            )
        shared = _patent(e * 100 + 50)  # one patent, two claims for the once-per-patent award
        apps += [
            _app(f"C{e:03d}-P1-{k}", f"2024-0{rng.randint(1, 9)}-2{k}", name, code, [_p1(shared, name)]) for k in (0, 1)
        ]
        apps.append(  # held until a reviewer settles it
            _app(
                f"C{e:03d}-R",
                f"2024-0{rng.randint(1, 9)}-05",
                name,
                code,
                [_p2(_patent(e * 100 + 60), name, "650000.00", None)],
            )
        )
        for n, app in enumerate(apps):
            ids.add(app["id"])
            home = n % SCREENS
            files[home].append(app)
            if rng.random() < 0.25:  # also in another file: recorded once all the same
                files[(home + rng.randint(1, SCREENS - 1)) % SCREENS].append(app)
    paths = []
    for i, apps in enumerate(files):
        rng.shuffle(apps)
        path = folder / f"batch-{i}.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in apps), encoding="utf-8")
        paths.append(path)
    return paths, ids, sum(len(apps) for apps in files)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("SUBSIDY_RULES", None)
    return env


SETTLE_LOOP = """
import random, subprocess, sys, time
import engine
db, seed, stop_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
settled = refused = 0
idle = 0
while idle < 3:
    store = engine.open_store(db)
    try:
        queue = [p.decision for p in engine.review_queue(store)]
    finally:
        store.close()
    if not queue:
        import os
        idle += os.path.exists(stop_file)
        time.sleep(0.3)
        continue
    decision = rng.choice(queue)
    base = [sys.executable, "-m", "engine.cli", "settle", decision, "--db", db, "--reviewer", f"loop{seed}"]
    eligible = ["--outcome", "eligible", "--reason", "核实无关联关系"]
    done = subprocess.run(base + eligible, capture_output=True, text=True)
    if done.returncode == 2 and "cap" in done.stderr:
        ineligible = ["--outcome", "ineligible", "--reason", "上限已用尽"]
        done = subprocess.run(base + ineligible, capture_output=True, text=True)
    if done.returncode == 0:
        settled += 1
    elif done.returncode == 2 and "already settled" in done.stderr:
        refused += 1
    else:
        sys.exit(f"settle {decision}: exit {done.returncode}: {done.stderr}")
print(settled, refused)
"""


@dataclass
class Run:
    run: int
    seconds: float = 0.0
    applications: int = 0
    recorded: int = 0
    already_recorded: int = 0
    settled: int = 0
    settle_refused_already: int = 0
    capped: int = 0  # purchase decisions cut or refused by the cap
    patents_refused: int = 0  # second claims on one patent refused
    broken_caps: int = 0
    broken_patents: int = 0
    not_once: int = 0  # applications recorded other than exactly once
    chain_faults: int = 0
    replay_differences: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.broken_caps or self.broken_patents or self.not_once or self.chain_faults) and not (
            self.replay_differences or self.errors
        )


def one_run(n: int, db: str, folder: Path, enterprises: int) -> Run:
    import engine

    out = Run(n)
    paths, ids, lines = workload(folder, enterprises, seed=n)
    out.applications = len(ids)
    engine.open_store(db, create=True).close()  # the schema once, before the race
    stop = folder / "screens-done"
    start = time.monotonic()
    screens = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "engine.cli",
                "screen",
                str(p),
                "--db",
                db,
                "--format",
                "jsonl",
                "--workers",
                "0",
                "--batch",
                "4",
            ],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in paths
    ]
    settlers = [
        subprocess.Popen(
            [sys.executable, "-c", SETTLE_LOOP, db, str(n * 10 + i), str(stop)],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(SETTLERS)
    ]
    for proc in screens:
        _, err = proc.communicate(timeout=600)
        summary = [line for line in err.splitlines() if line.startswith("screened:")]
        if proc.returncode != 0 or not summary:
            out.errors.append(f"screen exit {proc.returncode}: {err.strip()[-500:]}")
            continue
        words = summary[-1].replace(",", "").split()
        out.recorded += int(words[1])
        out.already_recorded += int(words[3])
    stop.touch()
    for proc in settlers:
        got, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            out.errors.append(f"settle loop exit {proc.returncode}: {err.strip()[-500:]}")
            continue
        settled, refused = map(int, got.split())
        out.settled += settled
        out.settle_refused_already += refused
    out.seconds = time.monotonic() - start
    _check(out, db, ids)
    if not out.errors and out.recorded + out.already_recorded != lines:
        out.errors.append(f"{out.recorded} recorded and {out.already_recorded} already recorded of {lines} lines")
    return out


def _check(out: Run, db: str, ids: set[str]) -> None:
    import engine

    store = engine.open_store(db)
    try:
        recorded = Counter(r.application for r in store.records("decision"))
        out.not_once = sum(1 for i in ids if recorded[i] != 1) + sum(1 for i in recorded if i not in ids)
        caps: dict[str, Decimal] = defaultdict(Decimal)
        patents: Counter[str] = Counter()
        for _, award in store.award_index():
            if award.program == P2 and award.amount is not None:
                caps[award.credit_code or ""] += award.amount
            if award.program == P1:
                patents[award.patent or ""] += 1
        out.broken_caps = sum(1 for total in caps.values() if total > CAP)
        out.broken_patents = sum(1 for count in patents.values() if count > 1)
        for found in engine.find_decisions(store, program=P2):
            if found.row.application.split("-")[1] == "P2" and found.row.amount != Decimal("90000.00"):
                out.capped += 1
        out.patents_refused = len(engine.find_decisions(store, program=P1, outcome="ineligible"))
        report = engine.verify(store)
        out.chain_faults = 0 if report.intact else 1
        if not report.intact:
            out.errors.append(f"verify: {report.bad_record}: {report.reason}")
        out.replay_differences = sum(1 for r in engine.replay(store, workers=0) if not r.reproduced)
    finally:
        store.close()
    if out.recorded != len(ids):
        out.errors.append(f"the screens recorded {out.recorded} applications, not {len(ids)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--enterprises", type=int, default=30, help="enterprises per run (7 applications each)")
    parser.add_argument(
        "--server", default=os.environ.get("SUBSIDY_TEST_PG"), help="a PostgreSQL URL (default: start one)"
    )
    parser.add_argument("--sqlite", action="store_true", help="run on an SQLite file instead")
    parser.add_argument("--json", action="store_true", help="one JSON object per run on stdout")
    args = parser.parse_args()

    import pg_cluster

    work = Path(tempfile.mkdtemp(prefix="concurrency-"))
    started = None
    server = args.server
    if not args.sqlite and not server:
        started = work / "cluster"
        server = pg_cluster.start(started, durable=True)
    runs: list[Run] = []
    try:
        for n in range(1, args.runs + 1):
            folder = work / f"run-{n}"
            folder.mkdir()
            if args.sqlite:
                db = str(folder / "store.db")
            else:
                base, _, _ = server.rpartition("/")
                db = f"{base}/concurrency_{os.getpid()}_{n}"
            done = one_run(n, db, folder, args.enterprises)
            runs.append(done)
            if args.json:
                print(json.dumps(asdict(done) | {"ok": done.ok}), flush=True)
            else:
                print(
                    f"run {n:2d}: {done.seconds:5.1f} s · {done.applications} applications, {done.recorded} recorded, "
                    f"{done.already_recorded} already · {done.settled} settled · {done.capped} capped, "
                    f"{done.patents_refused} patent repeats refused · broken caps {done.broken_caps}, "
                    f"patents {done.broken_patents}, not once {done.not_once}, chain faults {done.chain_faults}, "
                    f"replay differences {done.replay_differences}"
                    + (f" · ERRORS {done.errors}" if done.errors else ""),
                    flush=True,
                )
    finally:
        if started is not None:
            pg_cluster.stop(started)
        shutil.rmtree(work, ignore_errors=True)  # every run's files and stores: tens of MB each
    bad = [r for r in runs if not r.ok]
    if not args.json:
        seconds = [r.seconds for r in runs]
        print(
            f"\n{len(runs)} runs on {'SQLite' if args.sqlite else 'PostgreSQL'}: "
            f"{sum(r.broken_caps for r in runs)} broken caps, {sum(r.broken_patents for r in runs)} patents awarded "
            f"twice, {sum(r.not_once for r in runs)} applications not recorded exactly once, "
            f"{sum(r.chain_faults for r in runs)} chain faults, {sum(r.replay_differences for r in runs)} replay "
            f"differences; {sum(r.capped for r in runs)} decisions cut by a cap, {sum(r.settled for r in runs)} "
            f"settlements; {statistics.median(seconds):.1f} s a run (median, {min(seconds):.1f}–{max(seconds):.1f})"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
