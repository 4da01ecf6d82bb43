"""Which selectors name something: a rule id or id prefix, a rule name, a category, or "ALL".

Selectors choose findings in ``select``, ``ignore`` and ``[severity]`` (config and command
line) and in inline ``hedgecheck: ignore[…]`` directives. A selector that names nothing
loaded (a typo, ``HYP999``) would silently choose nothing, so it is an error naming it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hedgecheck.gate import BUILTIN
from hedgecheck.ruleset import RuleSet

EDITORIAL_CATEGORY = "editorial"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The ids, names and categories of every rule, check and built-in finding loaded."""

    ids: frozenset[str]
    words: frozenset[str]  # names and categories, lower case

    @classmethod
    def of(cls, rules: RuleSet) -> Vocabulary:
        ids = {r.id for r in rules.rules} | {c.id for c in rules.checks} | set(BUILTIN)
        words = {r.name.lower() for r in rules.rules} | {r.category.lower() for r in rules.rules}
        words |= {c.name.lower() for c in rules.checks} | {EDITORIAL_CATEGORY}
        words |= {b.name for b in BUILTIN.values()} | {b.category for b in BUILTIN.values()}
        return cls(frozenset(ids), frozenset(words))

    def names(self, selector: str) -> bool:
        """Whether ``selector`` chooses anything, read as findings read it (an id prefix is
        matched case-blind, as are names and categories)."""
        wanted = selector.strip()
        upper = wanted.upper()
        if upper == "ALL" or wanted.lower() in self.words:
            return True
        return bool(upper) and any(code.startswith(upper) for code in self.ids)

    def unknown(self, selectors: Iterable[str]) -> list[str]:
        """The selectors that name nothing, in order, without repeats."""
        return list(dict.fromkeys(s for s in selectors if not self.names(s)))
