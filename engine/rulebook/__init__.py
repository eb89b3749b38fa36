"""Rules as data: the rule-file schema, the loader, the compiler and the oracle."""

from .loader import load_ruleset, load_ruleset_files, ruleset_version
from .rulebook import Rulebook, default_rules_dir, load_rulebook
from .ruleset import Criterion, Derived, Parameter, Period, Program, Ruleset

__all__ = [
    "Criterion",
    "Derived",
    "Parameter",
    "Period",
    "Program",
    "Rulebook",
    "Ruleset",
    "default_rules_dir",
    "load_rulebook",
    "load_ruleset",
    "load_ruleset_files",
    "ruleset_version",
]
