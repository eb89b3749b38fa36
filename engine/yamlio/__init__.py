"""Safe YAML and JSON reading that keeps line numbers and never makes a float.

Rule files and application files are data. They are read with PyYAML's safe
parser only (no Python tags), duplicate keys are rejected, every value's line
is kept so that problems can be reported as ``file:line path``, and:

* timestamps are *not* resolved: ``2024-02-30`` stays the text ``"2024-02-30"``
  so that the model, not the parser, reports an impossible date;
* a YAML float such as ``1500000.00`` becomes ``Decimal("1500000.00")`` built
  from the text as written, so no binary float ever holds money;
* what one document may hold is bounded by :class:`Limits` (depth, values, text
  and number length; an alias counts as all it repeats).

:mod:`.located` holds the parsed form, :mod:`.yaml_builder` reads YAML (and JSON
files, for their lines), :mod:`.syntax` says where a malformed file goes wrong,
:mod:`.json_lines` reads one JSON Lines record, and a whole JSON file strictly.
"""

from .json_lines import load_json, load_json_line
from .located import NO_LIMITS, ExponentForm, Limits, LoadProblem, Located, format_path
from .yaml_builder import load_yaml

__all__ = [
    "NO_LIMITS",
    "ExponentForm",
    "Limits",
    "LoadProblem",
    "Located",
    "format_path",
    "load_json",
    "load_json_line",
    "load_yaml",
]
