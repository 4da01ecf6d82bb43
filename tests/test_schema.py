"""The schema: categories are typed specs named by a string enum whose members equal the
names packs write, and rules and checks share one metadata base."""

from __future__ import annotations

from dataclasses import fields

import pytest

from hedgecheck.loader import default_rules
from hedgecheck.schema import (
    CATEGORIES,
    DIRECTIONS,
    GRADED_CATEGORIES,
    SEVERITIES,
    Category,
    Check,
    Rule,
    RuleMeta,
)


def test_every_category_has_a_spec_and_its_members_equal_the_pack_names() -> None:
    assert list(CATEGORIES) == list(Category)
    for category in Category:
        assert category == category.value and hash(category) == hash(category.value)
        assert CATEGORIES[category.value] is CATEGORIES[category]
    assert Category("disease-mongering") is Category.DISEASE_MONGERING
    assert (
        ", ".join(sorted(GRADED_CATEGORIES))
        == "design, method, publication, sample, study, subject"
    )


@pytest.mark.parametrize("category", list(Category))
def test_each_spec_is_consistent(category: Category) -> None:
    spec = CATEGORIES[category]
    assert spec.layer in {"first", "overlay", "methods"}
    assert spec.direction in DIRECTIONS and 0 <= spec.max_scope <= 100
    assert spec.severity is None or spec.severity in SEVERITIES
    assert spec.kinds is None or spec.kinds  # no empty set: None means it takes none
    assert spec.values is None or spec.values
    if spec.axis == "editorial":
        assert spec.layer == "overlay"


def test_rules_and_checks_share_their_metadata_fields() -> None:
    shared = [f.name for f in fields(RuleMeta)]
    assert {"id", "name", "summary", "why", "source", "severity", "pack", "file"} <= set(shared)
    assert [f.name for f in fields(Rule)][: len(shared)] == shared
    assert [f.name for f in fields(Check)][: len(shared)] == shared
    rules = default_rules()
    assert all(isinstance(item, RuleMeta) for item in (*rules.rules, *rules.checks))
    # A rule keeps the category its pack wrote, a plain string equal to the enum member.
    assert all(type(rule.category) is str and rule.category in CATEGORIES for rule in rules.rules)
