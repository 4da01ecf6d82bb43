"""Layer 1: every rule's own examples, run against the full default rule set."""

from __future__ import annotations

import pytest

from hedgecheck.rules import Rule, default_rules

RULES = default_rules()


def _spans_of(rule: Rule, text: str) -> list[tuple[int, int]]:
    return [
        (m.start, m.end)
        for m in RULES.matcher.find(text, include_pseudo=True)
        if m.rule.id == rule.id
    ]


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_match_examples_hit_exactly_the_marked_span(rule: Rule) -> None:
    for example in rule.match_examples:
        found = _spans_of(rule, example.text)
        assert sorted(found) == sorted(example.spans), (
            f"{rule.id} ({rule.file}) on {example.text!r}: expected "
            f"{[example.text[s:e] for s, e in example.spans]}, got "
            f"{[example.text[s:e] for s, e in found]}"
        )


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_no_match_examples_hit_nothing(rule: Rule) -> None:
    for example in rule.no_match_examples:
        found = _spans_of(rule, example.text)
        assert not found, (
            f"{rule.id} matched {[example.text[s:e] for s, e in found]} in {example.text!r}"
        )


def test_every_rule_has_a_source_and_both_kinds_of_example() -> None:
    for rule in RULES.rules:
        assert rule.source.strip(), rule.id
        assert rule.match_examples and rule.no_match_examples, rule.id


def test_every_category_that_feeds_a_score_has_rules() -> None:
    present = {rule.category for rule in RULES.rules}
    for category in (
        "hedge",
        "booster",
        "negation",
        "relation",
        "design",
        "subject",
        "sample",
        "publication",
        "limitation",
        "study",
        "terminator",
        "pseudo",
        "clutter",
    ):
        assert category in present, category
