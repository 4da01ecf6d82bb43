"""hedgecheck: explainable confidence labels for claims in science and health writing.

>>> import hedgecheck
>>> report = hedgecheck.check("A small study suggests the drug may reduce pain.")
>>> report.claims[0].label.value
'preliminary'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as type checkers and IDEs see them; imported on first use
    from hedgecheck.api import check
    from hedgecheck.errors import HedgecheckError, InputError, OutputError, RuleError, UsageError
    from hedgecheck.findings import FindingPolicy
    from hedgecheck.loader import default_rules, load_rules
    from hedgecheck.model import (
        Claim,
        Contribution,
        Cue,
        Edit,
        Evidence,
        Finding,
        Label,
        Part,
        Report,
        Severity,
        Strength,
    )
    from hedgecheck.parts import check_parts
    from hedgecheck.ruleset import RuleSet
    from hedgecheck.schema import Rule, Scoring

__version__ = "0.1.0"

# Where each public name lives. Importing the package imports none of them: the command
# line's --help, and the build step that compiles the default packs, need none of the
# analysis modules (whose patterns take a tenth of a second to compile).
_HOMES = {
    "check": "hedgecheck.api",
    "HedgecheckError": "hedgecheck.errors",
    "InputError": "hedgecheck.errors",
    "OutputError": "hedgecheck.errors",
    "RuleError": "hedgecheck.errors",
    "UsageError": "hedgecheck.errors",
    "FindingPolicy": "hedgecheck.findings",
    **dict.fromkeys(
        [
            "Claim",
            "Contribution",
            "Cue",
            "Edit",
            "Evidence",
            "Finding",
            "Label",
            "Part",
            "Report",
            "Severity",
            "Strength",
        ],
        "hedgecheck.model",
    ),
    "check_parts": "hedgecheck.parts",
    "Rule": "hedgecheck.schema",
    "Scoring": "hedgecheck.schema",
    "RuleSet": "hedgecheck.ruleset",
    "default_rules": "hedgecheck.loader",
    "load_rules": "hedgecheck.loader",
}

__all__ = [
    "Claim",
    "Contribution",
    "Cue",
    "Edit",
    "Evidence",
    "Finding",
    "FindingPolicy",
    "HedgecheckError",
    "InputError",
    "Label",
    "OutputError",
    "Part",
    "Report",
    "Rule",
    "RuleError",
    "RuleSet",
    "Scoring",
    "Severity",
    "Strength",
    "UsageError",
    "__version__",
    "check",
    "check_parts",
    "default_rules",
    "load_rules",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'hedgecheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # found once; later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
