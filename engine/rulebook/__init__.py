"""Rules as data: the rule-file schema, the loader, the compiler and the oracle."""

from typing import TYPE_CHECKING

from .._exports import lazy_exports

# imported on first use (see engine/_exports.py): the types of a ruleset without its loader
_EXPORTS = {
    "loader": ("load_ruleset", "load_ruleset_files"),
    "rulebook": ("Rulebook", "default_rules_dir", "load_rulebook"),
    "ruleset": ("Criterion", "Derived", "Parameter", "Period", "Program", "Ruleset"),
    "version": ("ruleset_version",),
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .loader import load_ruleset, load_ruleset_files
    from .rulebook import Rulebook, default_rules_dir, load_rulebook
    from .ruleset import Criterion, Derived, Parameter, Period, Program, Ruleset
    from .version import ruleset_version

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
