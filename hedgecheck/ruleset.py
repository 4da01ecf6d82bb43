"""A rule set: the validated rules and checks of the loaded packs, compiled into the three
matchers of a scan (the first pass, the editorial overlay and the method descriptions).

Rules from the shipped packs (the folder :func:`default_rules_path` names) are trusted;
rules from anywhere else (a house pack) are matched in a tier of their own, timed and
charged to a scan's budget. This module says which is which, and what loading a house pack
beside the shipped ones is worth a warning for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from hedgecheck.budget import ScanBudget
from hedgecheck.cuewalk import find_together
from hedgecheck.lexicon import Lexicon
from hedgecheck.matcher import MATCH_TIMEOUT, Matcher
from hedgecheck.openings import word_bounded
from hedgecheck.overlaps import CueMatch, pseudo_swallows
from hedgecheck.schema import CATEGORIES, Category, Check, Example, Rule, RuleMeta, Scoring


def default_rules_path() -> Path:
    """Folder of the default packs inside the installed package: the folder of the
    hedgecheck.packs package, found as importlib.resources finds it (which imports
    tempfile and shutil, some 10 ms of a warm start, to no use here)."""
    import hedgecheck.packs

    return Path(hedgecheck.packs.__path__[0])


def shipped_packs() -> Callable[[RuleMeta], bool]:
    """Whether a rule or check comes from one of the shipped packs (the folder is looked up
    once, not per rule)."""
    folder = default_rules_path()
    return lambda item: Path(item.file).parent == folder


@dataclass(frozen=True, slots=True)
class FoundCues:
    """What one scan of a text found: the first pass's cues, the editorial and method
    notes (each in text order), and the rules the scan's budget switched off meanwhile, one
    message per rule (or one for the whole scan), which a report lists as its errors."""

    cues: tuple[CueMatch, ...]
    notes: tuple[CueMatch, ...]
    problems: tuple[str, ...] = ()


def layer_of(rule: Rule) -> str:
    """Which matcher a rule's category is matched by: "first", "overlay" or "methods"."""
    return CATEGORIES[rule.category].layer


@dataclass(frozen=True)
class RuleSet:
    """Validated rules from one or more packs, compiled once into a matcher.

    ``warnings`` are what loading found worth saying that is no error: a pack's pseudo rule
    that swallows other packs' cues, a rule cache that was not used. The library says them
    nowhere; the command line prints them on stderr."""

    rules: tuple[Rule, ...]
    scoring: Scoring = field(default_factory=Scoring)
    packs: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    # The words and patterns the analysis reads language by (see hedgecheck.lexicon).
    lexicon: Lexicon = field(default_factory=Lexicon)
    warnings: tuple[str, ...] = field(default=(), compare=False)
    matcher: Matcher = field(init=False, repr=False, compare=False)
    overlay: Matcher = field(init=False, repr=False, compare=False)
    # Descriptions of a study's method ("followed 400,000 adults for 13 years") run over the
    # words of cues and notes alike ("treated", "compared with placebo"): matched apart, so
    # that they neither hide nor are hidden by either.
    methods: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        layers: dict[str, list[Rule]] = {"first": [], "overlay": [], "methods": []}
        for rule in self.rules:
            layers[layer_of(rule)].append(rule)
        shipped = shipped_packs()
        for name, layer in (("matcher", "first"), ("overlay", "overlay"), ("methods", "methods")):
            object.__setattr__(self, name, Matcher(layers[layer], shipped=shipped))

    @property
    def matchers(self) -> tuple[Matcher, Matcher, Matcher]:
        """The first pass, the editorial overlay and the method descriptions."""
        return self.matcher, self.overlay, self.methods

    def example_prose(self) -> str:
        """The rules' and checks' example sentences: a sample of the prose they read."""
        texts = [e.text for r in self.rules for e in (*r.match_examples, *r.no_match_examples)]
        texts += [t for c in self.checks for t in (*c.raise_examples, *c.pass_examples)]
        return "\n".join(texts)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def find(
        self, text: str, *, include_pseudo: bool = False, budget: ScanBudget | None = None
    ) -> FoundCues:
        """The first pass's cues, and the editorial overlay's and the method descriptions'
        notes, in ``text``, in one scan; with ``include_pseudo`` the pseudo-cues that
        swallowed others are kept among them. What the rules of untrusted packs spend is
        charged to ``budget`` (see ``hedgecheck.budget``; a fresh one when None), and what
        it switched off in this call comes back as ``problems``."""
        (cues, notes, described), problems = find_together(
            self.matchers, text, include_pseudo=include_pseudo, budget=budget
        )
        if described:
            notes = sorted([*notes, *described], key=lambda m: (m.start, m.end))
        return FoundCues(tuple(cues), tuple(notes), problems)

    def matcher_for(self, rule: Rule) -> Matcher:
        """The matcher that holds ``rule``: the first pass, the editorial overlay or the
        method descriptions."""
        return {"first": self.matcher, "overlay": self.overlay, "methods": self.methods}[
            layer_of(rule)
        ]

    def check(self, name: str) -> Check | None:
        return next((check for check in self.checks if check.name == name), None)


def match_takers(ruleset: RuleSet, rule: Rule, example: Example) -> tuple[CueMatch, ...]:
    """The other rules' matches that took a match example's marked spans from ``rule``:
    spans the rule matches alone but not among the whole rule set, and the matches there
    that overlap them (cues) or swallow them (pseudo-cues)."""
    own_matcher = Matcher([rule], shipped=shipped_packs())
    alone = {(m.start, m.end) for m in own_matcher.find(example.text, include_pseudo=True)}
    found = ruleset.matcher_for(rule).find(example.text, include_pseudo=True)
    kept = {(m.start, m.end) for m in found if m.rule.id == rule.id}
    takers: dict[CueMatch, None] = {}
    for start, end in example.spans:
        if (start, end) not in alone or (start, end) in kept:
            continue
        own = CueMatch(rule, start, end, example.text[start:end])
        for other in found:
            if other.rule.id == rule.id:
                continue
            if other.rule.category == Category.PSEUDO:
                took = pseudo_swallows(other, own)
            else:
                took = other.start < end and start < other.end
            if took:
                takers[other] = None
    return tuple(takers)


def pattern_of(match: CueMatch, text: str) -> str:
    """Which of its rule's patterns made ``match`` in ``text`` (the first, when none can be
    told alone)."""
    rule = match.rule
    for pattern in rule.patterns:
        compiled = regex.compile(word_bounded(pattern, rule.case_sensitive))
        try:  # a house pack's pattern is untrusted, here as in the matcher
            found = compiled.match(text, match.start, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            continue
        if found is not None and found.end() == match.end:
            return pattern
    return rule.patterns[0]


def shadow_warnings(ruleset: RuleSet) -> tuple[str, ...]:
    """A warning for each house rule whose own match example a shipped rule takes from it.
    A house cue wins over every shipped cue it overlaps, so only a shipped pseudo-cue (a
    guard such as "in May" that says no cue is here) can: the house pack's writer is told
    which, at load, instead of finding the rule silent."""
    shipped = shipped_packs()
    if len({shipped(r) for r in ruleset.rules}) < 2:
        return ()
    found: list[str] = []
    for rule in ruleset.rules:
        if shipped(rule):
            continue
        for example in rule.match_examples:
            for taker in match_takers(ruleset, rule, example):
                if not shipped(taker.rule):
                    continue
                pattern = pattern_of(taker, example.text)
                found.append(
                    f"{rule.file}, rule {rule.id!r}: shipped rule {taker.rule.id!r} "
                    f"({taker.rule.pack}, {taker.rule.category}, pattern {pattern!r}) shadows "
                    f"it in its example {example.text!r}: it takes {taker.text!r}"
                )
    return tuple(found)


def swallow_warnings(rules: Sequence[Rule]) -> tuple[str, ...]:
    """A warning for each pseudo rule from outside the shipped packs that swallows cues of
    other packs (by category, by id, or all of them when it has no ``swallows`` list):
    wherever it matches, their cues and findings leave the report without a trace, so a
    house pack could quietly switch the built-in rules off. The shipped packs' own pseudo
    rules are vetted with them and say nothing."""
    shipped = shipped_packs()
    # A first-pass pseudo-cue swallows first-pass cues only: the editorial overlay and the
    # method descriptions are matched apart from it.
    swallowable = [r for r in rules if r.category != Category.PSEUDO and layer_of(r) == "first"]
    found: list[str] = []
    for rule in rules:
        if rule.category != Category.PSEUDO or shipped(rule):
            continue
        named = set(rule.swallows)
        hit = [
            other
            for other in swallowable
            if other.file != rule.file
            and (not named or other.id in named or other.category in named)
        ]
        if hit:
            found.append(_swallow_warning(rule, hit, shipped))
    return tuple(found)


def _swallow_warning(rule: Rule, hit: Sequence[Rule], shipped: Callable[[Rule], bool]) -> str:
    named = set(rule.swallows)
    categories = sorted({r.category for r in hit if not named or r.category in named})
    ids = sorted({r.id for r in hit if r.id in named})
    what = [f"categories {', '.join(categories)}"] if categories else []
    what += [f"rules {', '.join(ids)}"] if ids else []
    packs = sorted({f"{r.pack} (built in)" if shipped(r) else r.pack for r in hit})
    how = f"swallows = {list(rule.swallows)}" if named else "no swallows list"
    return (
        f"{rule.file}, rule {rule.id!r}: this pseudo rule ({how}) swallows the cues of other "
        f"packs ({'; '.join(what)}; from {', '.join(packs)}): wherever it matches, their "
        "cues and findings are dropped from the report"
    )
