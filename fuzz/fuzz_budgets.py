"""Coverage-guided fuzzing of the rule budgets with atheris: a house rule switched off by its
budget is named in the report's errors and is as if it had never been loaded.

Each input picks a house pack (any of four rule shapes: a fast literal, a nested optional
repeat, a slow pattern opened by a word, a pattern that opens anywhere; with the shipped
packs, the literal and the slow one), a small budget (per file, per run or for the scan), an
input format and a text of up to 2 KB. Then ``check`` must not raise; every rule its budget
switched off must be named in the errors, and every error must name one; the claims (cues
included) must be those of a check with the switched-off rules left out of the pack; and a
second check with a fresh budget must obey the same, so that a switch-off never outlives its
budget in the shared rule set. See fuzz/README.md.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/run.py --only budgets --seconds 60
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from functools import cache
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports():
    from house_pack import HEADER, house_rule

    import hedgecheck
    from hedgecheck.budget import RuleBudget, ScanBudget
    from hedgecheck.loader import load_rules

ROOT = Path(tempfile.mkdtemp(prefix="hedgecheck-fuzz-budgets-"))
os.environ.setdefault("HEDGECHECK_CACHE_DIR", str(ROOT / "cache"))  # never the user's cache

MATCHES = "[[ab\\u0001]] c"
# id -> pattern (a TOML literal string). The slow one takes about 0.1 s at every "the" of
# 2 KB of prose without a \x01, far below the match timeout: only a budget stops it.
SHAPES = {
    "HSE001": "perchance|may",  # "may" is a shipped cue too: the house tier wins it
    "HSE002": r"the(?:\w?\s?)*[\x01\x02]",
    "HSE003": r"the(?:.|\n)*(?:.|\n)*[\x01\x02]",
    "HSE004": r"(?:.|\n)*?[\x01\x02]",
}
BUDGETS = (
    RuleBudget(file=0.05),
    RuleBudget(file=0.05, run=0.02),
    RuleBudget(file=10, run=10, scan=0.05),
    RuleBudget(file=0.2),
)
# With the shipped packs the house pack is these two (a build of each subset is slow).
WITH_DEFAULTS = frozenset({"HSE001", "HSE003"})
FORMATS = ("text", "markdown", "html")
MAX_TEXT = 2048
TAIL = " the ab\x01 c"  # what the slow shapes match, so that they also find cues


def _rule(rule_id: str) -> str:
    example = "[[perchance]] c" if rule_id == "HSE001" else MATCHES
    name = f"house-{rule_id.lower()}"
    return house_rule(rule_id, SHAPES[rule_id], name=name, example=example, source="fuzz")


@cache
def rules_of(ids: frozenset[str], defaults: bool) -> hedgecheck.RuleSet:
    """The rule set of a house pack of ``ids`` (one pack file per subset), loaded once."""
    if defaults and not ids:
        return load_rules()  # the shipped packs alone
    path = ROOT / f"house-{'-'.join(sorted(ids)) or 'empty'}.toml"
    if not path.exists():
        body = "".join(_rule(rule_id) for rule_id in sorted(ids))
        path.write_text(HEADER + body, encoding="utf-8")
    return load_rules(path, include_defaults=defaults)


def _view(report: hedgecheck.Report) -> tuple[object, ...]:
    return (report.label, report.headline, report.claims, report.study_cues)


def _checked(
    text: str, ids: frozenset[str], defaults: bool, limits: RuleBudget, fmt: str
) -> tuple[hedgecheck.Report, frozenset[str]]:
    """A check under a fresh budget, its invariants held; the rules it switched off."""
    budget = ScanBudget(limits)
    report = hedgecheck.check(text, rules=rules_of(ids, defaults), budget=budget, format=fmt)
    spent = any("spent the scan's budget" in error for error in report.errors)
    off = budget.off | (ids if spent else frozenset())
    assert budget.off <= ids, (budget.off, ids)
    for rule_id in budget.off:
        assert any(f"rule {rule_id!r}" in error for error in report.errors), report.errors
    for error in report.errors:
        named = any(f"rule {rule_id!r}" in error for rule_id in budget.off)
        assert named or "spent the scan's budget" in error, error
    # Switched off is as if never loaded: the claims of the pack without those rules.
    expected = hedgecheck.check(text, rules=rules_of(ids - off, defaults), format=fmt)
    assert expected.errors == (), expected.errors
    assert _view(report) == _view(expected), (sorted(off), report.errors)
    return report, off


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    pick = provider.ConsumeIntInRange(0, 255)
    ids = frozenset(rule_id for bit, rule_id in enumerate(SHAPES) if pick >> bit & 1)
    defaults = bool(pick & 16)
    if defaults:
        ids = WITH_DEFAULTS
    setting = provider.ConsumeIntInRange(0, 255)
    limits = BUDGETS[setting % len(BUDGETS)]
    fmt = FORMATS[setting // len(BUDGETS) % len(FORMATS)]
    text = provider.ConsumeUnicodeNoSurrogates(MAX_TEXT)[:MAX_TEXT]
    if pick & 32:
        text = text[: MAX_TEXT - len(TAIL)] + TAIL
    first, first_off = _checked(text, ids, defaults, limits, fmt)
    # The rule set is shared and never changes: a fresh budget starts with every rule on.
    second, second_off = _checked(text, ids, defaults, limits, fmt)
    if not first_off and not second_off:
        assert _view(first) == _view(second)


def main() -> None:
    # Each rule set is built before the fuzzing starts, as one build with the shipped packs
    # takes about 16 s (past libFuzzer's slow-input report) on a loaded 2-core machine.
    for size in range(len(SHAPES) + 1):
        for ids in itertools.combinations(SHAPES, size):
            rules_of(frozenset(ids), False)
            if WITH_DEFAULTS.issuperset(ids):
                rules_of(frozenset(ids), True)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
