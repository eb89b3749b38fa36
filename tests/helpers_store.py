"""Shared helpers for the decision-store tests: building applications, running the
`subsidy` command (in-process or as a real process) and reading the store directly,
the way an auditor with nothing but sqlite3 or psql would (an SQLite path, or a
``postgresql://`` URL: the SQL is written with ``?`` placeholders for both).

Applications are built here rather than copied from the engine: credit codes and
patent numbers get their check characters from the published algorithms
(GB 32100-2015 mod 31; the CNIPA mod 11 check digit), so every file is valid input.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "applications"
RULES = ROOT / "rules"
RULESET_DIR = "puyang-2022-19"

P1 = "local-industrialization-award"
P2 = "patent-purchase-reward"
P3 = "high-value-inventor-grant"

CAP = "200000.00"
CAP_FEN = 20_000_000

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


# ------------------------------------------------------------------ identifiers


def credit_code(serial: int, division: str = "410902") -> str:
    """A valid enterprise (category 91) credit code, distinct per ``serial``."""
    org = ""
    n = serial
    for _ in range(8):
        org = _CREDIT_ALPHABET[n % 31] + org
        n //= 31
    body = "91" + division + "M" + org  # 2 + 6 + 9 = 17 characters
    total = sum(_CREDIT_ALPHABET.index(ch) * w for ch, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return body + _CREDIT_ALPHABET[(31 - total % 31) % 31]


def patent_number(year: int, serial: int, type_digit: str = "1") -> str:
    """A valid patent number ``ZL`` + 12 digits + ``.`` + check (mod 11, X for 10)."""
    digits = f"{year}{type_digit}{serial:07d}"
    total = sum(int(d) * w for d, w in zip(digits, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=True))
    check = total % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


# ------------------------------------------------------------------ applications


def patent(
    number: str, holder: str, *, filed_on: str | None = None, granted_on: str = "2022-08-09", **extra: Any
) -> dict[str, Any]:
    """An invention patent in force, filed in the year its number gives."""
    filed_on = filed_on or f"{number[2:6]}-05-06"
    p: dict[str, Any] = {
        "number": number,
        "kind": "invention",
        "holder": holder,
        "filed_on": filed_on,
        "granted_on": granted_on,
        "in_force": True,
        "abnormal": False,
    }
    p.update(extra)
    return p


def p1_claim(
    number: str,
    holder: str,
    *,
    site: str | None = "410902",
    started_on: str = "2023-06-01",
    **patent_extra: Any,
) -> dict[str, Any]:
    claim: dict[str, Any] = {"program": P1, "patent": patent(number, holder, **patent_extra)}
    if site is not None:
        claim["industrialization"] = {"division": site, "started_on": started_on}
    return claim


def p2_claim(number: str, holder: str, amount: str, **fields: Any) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "program": P2,
        "patent": patent(number, holder),
        "seller": {"type": "university", "name": "郑州大学", "country": "CN"},
        "deal": "assignment",
        "related_party": False,
        "transaction_amount": amount,
        "contract_registered": True,
        "implemented": True,
    }
    for key, value in fields.items():
        if value is None:
            claim.pop(key, None)
        else:
            claim[key] = value
    return claim


def enterprise_app(
    app_id: str, submitted_on: str, name: str, code: str, claims: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "format": 1,
        "id": app_id,
        "submitted_on": submitted_on,
        "applicant": {
            "type": "enterprise",
            "name": name,
            "credit_code": code,
            "division": "410902",
            "infringement_record": False,
        },
        "claims": claims,
    }


def write_yaml(path: Path, app: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(app, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_json(path: Path, app: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(app, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_jsonl(path: Path, apps: Iterable[dict[str, Any] | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for app in apps:
            handle.write((app if isinstance(app, str) else json.dumps(app, ensure_ascii=False)) + "\n")
    return path


def copy_rules(tmp: Path) -> Path:
    """A private copy of the shipped rules folder; returns the copy's root (``--rules`` DIR)."""
    target = tmp / "rules"
    shutil.copytree(RULES, target)
    return target


def set_purchase_rate(rules_root: Path, rate: str) -> None:
    """Change the P2 reward rate in a rules copy's parameters.yaml (a new ruleset version)."""
    params = rules_root / RULESET_DIR / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    old = '- {from: 2022-10-04, value: "0.10"}'
    assert text.count(old) == 1, "the purchase-rate line of parameters.yaml moved; update this helper"
    params.write_text(text.replace(old, f'- {{from: 2022-10-04, value: "{rate}"}}'), encoding="utf-8")


# ------------------------------------------------------------------ running the command


VERIFY_WORKERS = "0"  # `verify --workers` where a test runs it both ways (the fixture verify_workers)


def run(capsys: Any, *argv: str | Path) -> tuple[int, str, str]:
    """Run `subsidy ARGV...` in-process; (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def screened(capsys: Any, db: Path, *samples: str) -> Path:
    """A new store ``db`` with the sample applications named screened into it."""
    code, _, err = run(capsys, "screen", *[SAMPLES / name for name in samples], "--db", db, "--format", "jsonl")
    assert code == 0, err
    return db


def run_proc(*argv: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `subsidy ARGV...` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *map(str, argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=proc_env(),
    )


def proc_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SUBSIDY_RULES", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def decisions_by_id(results: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["decision"]: d for r in results for d in r["decisions"]}


def criterion(decision: dict[str, Any], criterion_id: str) -> dict[str, Any]:
    for c in decision["criteria"]:
        if c["id"] == criterion_id:
            return c
    raise AssertionError(
        f"{decision.get('decision')} has no criterion {criterion_id}: {[c['id'] for c in decision['criteria']]}"
    )


def show_json(capsys: Any, db: str | Path, record_id: str) -> dict[str, Any]:
    code, out, err = run(capsys, "show", "--db", db, record_id, "--format", "json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


# ------------------------------------------------------------------ the store, read directly


def is_pg(db: str | Path) -> bool:
    return str(db).startswith("postgresql://")


def connect(db: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(str(db), isolation_level=None, timeout=30)


def _pg(db: str | Path, sql: str, params: Sequence[Any], rows: bool) -> Any:
    import psycopg

    with psycopg.connect(str(db), autocommit=True) as con:
        cursor = con.execute(sql.replace("?", "%s"), list(params))  # type: ignore[arg-type]
        if rows:
            return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()]
        return cursor.rowcount


def query(db: str | Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    if is_pg(db):
        return _pg(db, sql, params, rows=True)  # type: ignore[no-any-return]
    con = connect(Path(db), readonly=True)
    try:
        return list(con.execute(sql, params))
    finally:
        con.close()


def execute(db: str | Path, sql: str, params: Sequence[Any] = ()) -> int:
    """Alter the store behind the engine's back; returns the number of rows changed."""
    if is_pg(db):
        return _pg(db, sql, params, rows=False)  # type: ignore[no-any-return]
    con = connect(Path(db))
    try:
        cursor = con.execute(sql, params)
        return cursor.rowcount
    finally:
        con.close()


def record_body(db: str | Path, record_id: str) -> dict[str, Any]:
    rows = query(db, "SELECT body FROM records WHERE record_id = ?", (record_id,))
    assert len(rows) == 1, f"{record_id}: {len(rows)} records"
    return json.loads(rows[0][0])  # type: ignore[no-any-return]


def record_hash(db: str | Path, record_id: str) -> str:
    rows = query(db, "SELECT hash FROM records WHERE record_id = ?", (record_id,))
    assert len(rows) == 1
    return str(rows[0][0])


def record_ids(db: str | Path) -> list[str]:
    return [r[0] for r in query(db, "SELECT record_id FROM records ORDER BY seq")]


def award_rows(db: str | Path) -> list[dict[str, Any]]:
    cols = [
        "decision_id",
        "application",
        "ruleset_id",
        "program",
        "patent",
        "credit_code",
        "amount_fen",
        "source",
    ]
    rows = query(db, f"SELECT {', '.join(cols)} FROM awards ORDER BY record_seq, decision_id")
    return [dict(zip(cols, r, strict=True)) for r in rows]


def reword_every_criterion(monkeypatch: Any, added: str = "（新措辞）") -> None:
    """Today's engine words every criterion differently (``added`` at the end), on every face:
    the reference wording and each criterion's prepared words (set per instance), the latter
    on wordings prepared afresh and dropped after the test."""
    import engine.explain.sentences
    from engine.explain import prepared

    said = engine.explain.sentences.explanation
    monkeypatch.setattr(engine.explain.sentences, "explanation", lambda *a, **k: said(*a, **k) + added)
    init = prepared.Prepared.__init__

    def reworded(self: prepared.Prepared, *args: Any) -> None:
        init(self, *args)
        words = self.words
        self.words = lambda fact: words(fact) + added

    monkeypatch.setattr(prepared.Prepared, "__init__", reworded)
    monkeypatch.setattr(prepared, "_WORDINGS", {})
    monkeypatch.setattr(prepared, "_BY_DAY", {})
