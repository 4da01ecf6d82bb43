"""Run rules' own examples, for people writing house packs (``hedgecheck rules test``).

Each match example must be matched at exactly its marked span, each no-match example not
at all, with the whole rule set loaded: a pseudo-cue from another pack may swallow a match,
and that is what the writer of a house rule needs to see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hedgecheck.rules import Example, Rule, RuleSet

VALIDATED = "validated"
FALSE_POSITIVE = "false-positive"
MISSED = "missed"


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """The outcome of one example: validated, a false positive, or missed."""

    rule: Rule
    example: Example
    expected: bool
    status: str
    found: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.status == VALIDATED


def run_examples(rules: RuleSet, *, only: Iterable[Rule] | None = None) -> list[ExampleResult]:
    """Every example of ``only`` (default: all rules), matched against the whole ``rules``."""
    results = []
    for rule in only if only is not None else rules.rules:
        for example in rule.match_examples:
            results.append(_run(rules, rule, example, expected=True))
        for example in rule.no_match_examples:
            results.append(_run(rules, rule, example, expected=False))
    return results


def _run(rules: RuleSet, rule: Rule, example: Example, *, expected: bool) -> ExampleResult:
    spans = sorted(
        (m.start, m.end)
        for m in rules.matcher_for(rule).find(example.text, include_pseudo=True)
        if m.rule.id == rule.id
    )
    found = tuple(example.text[s:e] for s, e in spans)
    if expected:
        status = VALIDATED if spans == sorted(example.spans) else MISSED
        if spans and status == MISSED and not set(spans) & set(example.spans):
            status = FALSE_POSITIVE
    else:
        status = FALSE_POSITIVE if spans else VALIDATED
    return ExampleResult(rule, example, expected, status, found)
