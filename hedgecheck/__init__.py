"""hedgecheck: explainable confidence labels for claims in science and health writing.

>>> import hedgecheck
>>> report = hedgecheck.check("A small study suggests the drug may reduce pain.")
>>> report.claims[0].label.value
'preliminary'
"""

from hedgecheck.api import check
from hedgecheck.errors import HedgecheckError, InputError, OutputError, RuleError, UsageError
from hedgecheck.findings import FindingPolicy
from hedgecheck.model import (
    Claim,
    Contribution,
    Cue,
    Evidence,
    Finding,
    Label,
    Part,
    Report,
    Severity,
    Strength,
)
from hedgecheck.parts import check_parts
from hedgecheck.rules import Rule, RuleSet, Scoring, default_rules, load_rules

__version__ = "0.1.0"

__all__ = [
    "Claim",
    "Contribution",
    "Cue",
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
