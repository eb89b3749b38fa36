"""The house's walls: persistence only in the store, printing and argument parsing only in the
command line, modules small enough to read. Checked on the source itself (its syntax tree)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parent.parent / "engine"
MODULES = sorted(p for p in ENGINE.rglob("*.py") if "migrations" not in p.parts)
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX)|PRAGMA|json_each)\b")
DRIVERS = ("sqlite3", "sqlalchemy", "alembic", "psycopg", "psycopg2")


def _name(path: Path) -> str:
    return str(path.relative_to(ENGINE.parent))


def _in(path: Path, part: str) -> bool:
    return path.relative_to(ENGINE).parts[0] == part


def _imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _code_strings(tree: ast.AST) -> list[str]:
    """String constants that are not docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_only_the_store_knows_sql_or_a_database_driver(path: Path) -> None:
    if _in(path, "store"):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not _imports(tree) & set(DRIVERS), _name(path)
    assert [s for s in _code_strings(tree) if SQL.search(s)] == [], _name(path)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_only_the_command_line_parses_arguments_or_prints(path: Path) -> None:
    if _in(path, "cli"):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert "argparse" not in _imports(tree), _name(path)
    prints = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print"]
    assert prints == [], f"{_name(path)} prints at lines {prints}"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_modules_stay_under_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, _name(path)


def test_services_name_no_command_line_flag() -> None:
    """Service messages speak of the thing, not of a flag of one face (``--amount``)."""
    for path in (ENGINE / "services").glob("*.py"):
        strings = _code_strings(ast.parse(path.read_text(encoding="utf-8")))
        assert [s for s in strings if re.search(r"(^|\s)--[a-z]", s)] == [], _name(path)


# Each room of the house may use only the rooms below it; a face never sits under a service,
# a service never under a face. Imports inside ``if TYPE_CHECKING:`` name types only and are free.
FLOORS = {
    "errors": 0, "privacy": 0, "money": 0, "yamlio": 0, "_exports": 0, "__version__": 0,
    "model": 1, "generate": 2,
    "rulebook": 2,
    "reading": 3, "evaluation": 3,
    "explain": 4, "store": 4,
    "services": 5,
    "cli": 6, "web": 6,
}  # fmt: skip


def _room(path: Path) -> str:
    parts = path.relative_to(ENGINE).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _rooms_used(path: Path, tree: ast.AST) -> set[str]:
    types_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    package = list(path.relative_to(ENGINE).parts[:-1])
    used = set()
    for node in ast.walk(tree):
        if id(node) in types_only or not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - (node.level - 1)]
            target = base + (node.module.split(".") if node.module else [node.names[0].name])
        elif node.module and node.module.startswith("engine."):
            target = node.module.split(".")[1:]
        else:
            continue
        if target and target[0] != _room(path):
            used.add(target[0])
    return used


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "__init__.py" or p.parent != ENGINE], ids=_name)
def test_rooms_import_only_the_floors_below(path: Path) -> None:
    room = _room(path)
    used = _rooms_used(path, ast.parse(path.read_text(encoding="utf-8")))
    above = sorted(u for u in used if FLOORS[u] >= FLOORS[room] and FLOORS[room] > 0)
    assert above == [], f"{_name(path)} ({room}, floor {FLOORS[room]}) imports {above}"
