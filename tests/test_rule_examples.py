"""Layer 1: every rule's own examples, run against the full default rule set."""

from __future__ import annotations

import dataclasses

import pytest

from hedgecheck.lexicon import LexiconEntry
from hedgecheck.loader import default_rules
from hedgecheck.ruletest import FALSE_POSITIVE, MISSED, run_examples, run_lexicon_examples
from hedgecheck.schema import Example, Rule

RULES = default_rules()


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_every_example_of_the_rule_is_validated(rule: Rule) -> None:
    failures = [
        f"{r.status}: {r.example.text!r} expected "
        f"{[r.example.text[s:e] for s, e in r.example.spans]}, found {list(r.found)}"
        for r in run_examples(RULES, only=[rule])
        if not r.ok
    ]
    assert not failures, f"{rule.id} ({rule.file}): " + "; ".join(failures)


@pytest.mark.parametrize("entry", RULES.lexicon.entries, ids=lambda e: e.id)
def test_every_example_of_the_lexicon_entry_is_validated(entry: LexiconEntry) -> None:
    failures = [
        f"{r.status}: {r.text!r}"
        for r in run_lexicon_examples(RULES.lexicon, only=[entry])
        if not r.ok
    ]
    assert not failures, f"{entry.id} {entry.name} ({entry.file}): " + "; ".join(failures)


def test_a_wrong_example_is_reported_as_missed_or_false_positive() -> None:
    rule = RULES.get("HDG001")
    assert rule is not None
    wrong = Example("It may rain.", ((0, 2),))
    broken = dataclasses.replace(rule, match_examples=(wrong,), no_match_examples=(wrong,))
    statuses = [r.status for r in run_examples(RULES, only=[broken])]
    assert statuses == [FALSE_POSITIVE, FALSE_POSITIVE]
    missing = dataclasses.replace(
        rule, match_examples=(Example("Nothing here.", ((0, 7),)),), no_match_examples=()
    )
    assert [r.status for r in run_examples(RULES, only=[missing])] == [MISSED]


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
