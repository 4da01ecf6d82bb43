"""Run rules' own examples, for people writing house packs (``hedgecheck rules test``).

Each match example must be matched at exactly its marked span, each no-match example not
at all, with the whole rule set loaded: a pseudo-cue from another pack may swallow a match,
and that is what the writer of a house rule needs to see. A lexicon entry's examples are
applied as the analysis applies the entry (``hedgecheck.lexicon.applies``). A rule's
rewrite examples must be rewritten as written (``hedgecheck.rewrites``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hedgecheck.lexicon import Lexicon, LexiconEntry, applies, compile_entry
from hedgecheck.overlaps import CueMatch
from hedgecheck.rewrites import applied, marked_cue, rewrite_of
from hedgecheck.ruleset import RuleSet, match_takers
from hedgecheck.schema import Check, Example, Rule

VALIDATED = "validated"
FALSE_POSITIVE = "false-positive"
MISSED = "missed"


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """The outcome of one example: validated, a false positive, or missed; for a missed
    match, the other rules' matches that took it (``taken_by``), if any did."""

    rule: Rule
    example: Example
    expected: bool
    status: str
    found: tuple[str, ...]
    taken_by: tuple[CueMatch, ...] = ()

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
    taken_by = match_takers(rules, rule, example) if expected and status != VALIDATED else ()
    return ExampleResult(rule, example, expected, status, found, taken_by)


@dataclass(frozen=True, slots=True)
class _TextResult:
    """The outcome of one example text that must or must not be found."""

    text: str
    expected: bool
    status: str

    @property
    def ok(self) -> bool:
        return self.status == VALIDATED


def _status(found: bool, expected: bool) -> str:
    return VALIDATED if found == expected else MISSED if expected else FALSE_POSITIVE


@dataclass(frozen=True, slots=True)
class CheckResult(_TextResult):
    """The outcome of one article text of a check: raised where it should be, or not."""

    check: Check


def run_check_examples(rules: RuleSet, *, only: Iterable[Check] | None = None) -> list[CheckResult]:
    """Every raise / pass text of ``only`` (default: all checks), checked with ``rules``."""
    from hedgecheck.api import check as check_text  # the checks need the whole pipeline

    results = []
    for item in only if only is not None else rules.checks:
        for expected, texts in ((True, item.raise_examples), (False, item.pass_examples)):
            for text in texts:
                raised = any(f.code == item.id for f in check_text(text, rules=rules).findings)
                results.append(CheckResult(text, expected, _status(raised, expected), item))
    return results


@dataclass(frozen=True, slots=True)
class LexiconResult(_TextResult):
    """The outcome of one example of a lexicon entry: applied where it should be, or not."""

    entry: LexiconEntry


def run_lexicon_examples(
    lexicon: Lexicon, *, only: Iterable[LexiconEntry] | None = None
) -> list[LexiconResult]:
    """Every match / no-match example of ``only`` (default: every entry of ``lexicon``)."""
    results = []
    for entry in only if only is not None else lexicon.entries:
        term = compile_entry(entry)
        for expected, texts in ((True, entry.match_examples), (False, entry.no_match_examples)):
            for text in texts:
                applied = applies(entry, term, text)
                results.append(LexiconResult(text, expected, _status(applied, expected), entry))
    return results


@dataclass(frozen=True, slots=True)
class RewriteResult(_TextResult):
    """The outcome of one rewrite example of a rule: its text rewritten as the example says
    (``text`` is the example, ``got`` the rewrite made), at a cue the rule does match."""

    rule: Rule
    wanted: str
    got: str


def run_rewrite_examples(
    rules: RuleSet, *, only: Iterable[Rule] | None = None
) -> list[RewriteResult]:
    """Every rewrite example of ``only`` (default: all rules): the marked cue must be one
    the rule matches, with the whole ``rules``, and the rewrite must give the example's text."""
    results = []
    for rule in only if only is not None else rules.rules:
        for rewrite in rule.rewrites:
            for before, wanted in rewrite.examples:
                plain, start, end = marked_cue(before)
                matched = any(
                    (m.start, m.end) == (start, end)
                    for m in rules.matcher_for(rule).find(plain, include_pseudo=True)
                    if m.rule.id == rule.id
                )
                edit = rewrite_of(plain, start, end, rule, lexicon=rules.lexicon)
                got = applied(plain, edit) if matched else "(the rule does not match the cue)"
                status = VALIDATED if got == wanted else MISSED
                results.append(RewriteResult(before, True, status, rule, wanted, got))
    return results
