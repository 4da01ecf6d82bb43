"""The rule engine: every cue pattern of a layer, matched POSIX leftmost-longest at each cue
start of a text.

A :class:`Matcher` is built from rules and told which of them come from trusted packs (the
shipped ones); it never reads a pack, a file or the environment. It is shared (between
files, threads and a server's requests) and what it finds never changes: the opening
tables and compiled patterns it fills in on first use are memos, published whole. What a
scan switches off lives in that scan's :class:`~hedgecheck.budget.ScanBudget`, which
derives a matcher without those rules (:meth:`Matcher.without`).
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from time import perf_counter
from typing import Any

import regex

from hedgecheck.anywhere import AnywhereScans
from hedgecheck.budget import ScanBudget
from hedgecheck.cuewalk import CUE_STARTS, find_together
from hedgecheck.openings import (
    SECOND_CHARACTERS,
    alternation,
    guarded,
    opening_key,
    openings,
    opens_anywhere,
    pattern_body,
    third_characters,
    without_leading_lookbehind,
)
from hedgecheck.overlaps import CueMatch
from hedgecheck.schema import Rule

# Seconds one match attempt may take before its pattern is judged pathological; a real cue
# pattern takes microseconds.
MATCH_TIMEOUT = 1.0

# Times a cue opening is met before its branches are compiled into one alternation, and
# the most alternations one matcher compiles: each holds tens of kilobytes, and without a
# bound memory would creep up over a long corpus as more openings pass _COMPILE_AFTER.
_COMPILE_AFTER = 256
_MOST_ALTERNATIONS = 384

# Distinct three-character openings remembered per matcher before the table starts afresh,
# so that memory stays bounded on any input.
_PREFIX_CACHE_SIZE = 200_000


class _BranchesOneByOne:
    """The branches that can open with a three-character prefix, tried one by one, and how
    often the prefix was met (at ``_COMPILE_AFTER`` their alternation is compiled)."""

    __slots__ = ("branches", "seen")

    def __init__(self, branches: tuple[int, ...]) -> None:
        self.branches = branches
        self.seen = 0


# How a matcher matches at a cue start with a given prefix: None (no branch can open with
# it), its branches one by one, or their alternation compiled as one pattern.
PrefixEntry = regex.Pattern[str] | _BranchesOneByOne | None


class Matcher:
    """Every rule pattern, matched POSIX leftmost-longest in one scan of the text.

    At every cue start the branches that can open with the text's first three characters
    are tried, and the longest cue starting there is kept; overlaps
    between positions are then resolved longest-first, so a pseudo-cue ("in May", "could
    not") swallows the shorter cue inside it.

    Rules from outside the shipped packs (a house pack; ``shipped`` tells them) are matched
    by a matcher of their own, walked with this one, so that at every cue start both tiers
    have their say: a house cue then wins over every shipped cue it overlaps, whatever their
    lengths (see resolve_overlaps). With rules of one tier only, there is one matcher.
    """

    def __init__(self, rules: Iterable[Rule], *, shipped: Callable[[Rule], bool]) -> None:
        self._rule_of_group: dict[str, Rule] = {}
        # (first, second) characters -> branches, in rule order so that when two rules match
        # the same text the one defined first wins; "" keys a character the branch does not
        # constrain.
        self._branches: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self._branch_bodies: dict[int, str] = {}
        self._branch_sources: dict[int, str] = {}
        # Per branch, its two-character openings (lower case) and the third characters each
        # can go on with (see openings.third_characters); None when two do not tell them.
        self._third_characters: dict[int, dict[str, frozenset[str] | None] | None] = {}
        # Branches that can open with almost any word ("\w+-induced", an e-mail address, a
        # sentence start): kept out of the opening tables, where they would be tried at
        # every word, and found by scans of the text in C instead (hedgecheck.anywhere).
        self._anywhere: list[int] = []
        rules = list(rules)
        house = [rule for rule in rules if not shipped(rule)]
        # The house tier is a matcher of untrusted rules: a scan's budget charges and
        # switches off its rules as it would those of a matcher of house rules alone.
        self._house: Matcher | None = None
        if house and len(house) < len(rules):
            rules = [rule for rule in rules if shipped(rule)]
            self._house = Matcher(house, shipped=shipped)
        for rule in rules:
            for pattern in rule.patterns:
                group = f"g{len(self._rule_of_group)}"
                self._rule_of_group[group] = rule
                body = pattern_body(pattern, rule.case_sensitive)
                branch = (len(self._rule_of_group), f"(?P<{group}>{guarded(body)})(?!\\w)")
                self._branch_bodies[branch[0]] = body
                self._branch_sources[branch[0]] = branch[1]
                keys = openings(body)
                if opens_anywhere(body, keys):
                    self._anywhere.append(branch[0])
                    continue
                for key in keys:
                    self._branches.setdefault(key, []).append(branch)
                self._third_characters[branch[0]] = third_characters(body, keys)
        # The shipped packs are vetted (nested repeats rejected at load, the hostile-input
        # corpus in the tests) and the cue window bounds what any match reads, so their
        # matches skip the timeout, whose clock reads cost a third of the matching time.
        # Packs from anywhere else are untrusted: with one of their rules every match is
        # timed, and what their branches spend is charged to the scan's budget.
        self._untrusted = frozenset(
            int(group[1:]) + 1 for group, rule in self._rule_of_group.items() if not shipped(rule)
        )
        self._timed = bool(self._untrusted)
        self._rule_ids = frozenset(rule.id for rule in rules)
        self._untrusted_ids = frozenset(self.rule_of(i).id for i in self._untrusted)
        # The text's first three characters at a cue start -> how to match there (PrefixEntry).
        self._by_prefix: dict[str, PrefixEntry] = {}
        self._alternations: dict[tuple[int, ...], regex.Pattern[str]] = {}
        self._branches_alone: dict[int, regex.Pattern[str]] = {}
        # Each branch compiled alone, as pickled bytes (the regex module pickles a pattern
        # with its compiled code): kept in the rule cache, so that a process unpickles a
        # branch in microseconds on first use instead of compiling it in about a third of
        # a millisecond (a third of a second for a corpus, in every worker).
        self._branch_code: dict[int, bytes] = {}
        # The same for the alternations of the openings common in English prose (learned from
        # the packs' own examples by compile_branches): an opening with one of these is
        # matched by one call from its first sighting, and no process spends the half second
        # that compiling them at _COMPILE_AFTER sightings each would cost.
        self._alternation_code: dict[tuple[int, ...], bytes] = {}
        # And the scans for the branches that open anywhere (_anywhere_scans), which every
        # text needs: compiling them is most of a one-line scan's matching time.
        self._anywhere_code: bytes | None = None
        self._openers: dict[int, regex.Pattern[str] | None] = {}
        # The openings _may_open compiles (for the few branches the three-character table
        # cannot tell), pickled like the branches: one costs a one-line scan 10 ms.
        self._opener_code: dict[int, bytes] = {}
        # A two-character opening (lower case) -> its candidate branches, each with the
        # third characters it can go on with (None: any; "": ask _may_open).
        self._candidates_by_opening: dict[str, list[tuple[int, frozenset[str] | str | None]]] = {}
        # The scans and the alternation of the branches that open anywhere, built on first
        # use (see _anywhere_scans), or read from _anywhere_code, and published in one
        # assignment, so that a thread never sees them half built.
        self._anywhere_tables: AnywhereScans | None = None

    def __getstate__(self) -> dict[str, Any]:
        """The opening tables without compiled patterns (those are rebuilt on first use)."""
        state = dict(self.__dict__)
        for name in _MEMOS:
            state[name] = {}
        state["_anywhere_tables"] = None
        return state

    @property
    def timeout(self) -> float:
        """Seconds one timed match may take."""
        return MATCH_TIMEOUT

    @property
    def timed(self) -> bool:
        """Whether its matches are timed and charged to a budget (it has untrusted rules)."""
        return self._timed

    def rule_of(self, index: int) -> Rule:
        """The rule of branch ``index``."""
        return self._rule_of_group[f"g{index - 1}"]

    def rule_ids(self) -> frozenset[str]:
        """The ids of the rules of both tiers."""
        return self._rule_ids | self._house.rule_ids() if self._house else self._rule_ids

    def untrusted_ids(self) -> frozenset[str]:
        """The ids of the rules from packs outside the shipped ones, of both tiers."""
        house = self._house
        return self._untrusted_ids | house.untrusted_ids() if house else self._untrusted_ids

    def is_untrusted(self, index: int) -> bool:
        return index in self._untrusted

    def branches_of(self, key: str | tuple[int, ...]) -> tuple[int, ...]:
        """The branches a timed call tried: given, or those that open with a prefix."""
        return self._branches_for(key) if isinstance(key, str) else key

    def time_alone(
        self, indices: Iterable[int], text: str, position: int, end: int
    ) -> list[tuple[int, float | None]]:
        """Each branch matched alone at ``position``, with the seconds it took (None when
        it ran past the timeout): what a slow or sampled call is charged by."""
        timed: list[tuple[int, float | None]] = []
        for index in indices:
            alone = self._branch_alone(index)
            started = perf_counter()
            try:
                alone.match(text, position, end, timeout=MATCH_TIMEOUT)
            except TimeoutError:
                timed.append((index, None))
                continue
            timed.append((index, perf_counter() - started))
        return timed

    def without(self, off: AbstractSet[str]) -> Matcher:
        """This matcher less the rules whose ids are in ``off`` (switched off by one scan's
        budget), in both tiers: a copy sharing the compiled branches, the opening tables of
        a tier that lost rules rebuilt without their branches (a tier that lost none is
        shared as it is). The shared matcher itself never changes."""
        house = self._house.without(off) if self._house is not None else None
        dropped = {index for index in self._branch_bodies if self.rule_of(index).id in off}
        if not dropped:
            if house is self._house:
                return self
            kept = object.__new__(Matcher)
            kept.__dict__.update(self.__dict__)  # warm tables and all: the same branches
            kept._house = house
            return kept
        kept = copy.copy(self)  # through __getstate__: the tables built from branches emptied
        kept._house = house
        kept._branches = {
            key: [b for b in branches if b[0] not in dropped]
            for key, branches in self._branches.items()
        }
        kept._anywhere = [index for index in self._anywhere if index not in dropped]
        if len(kept._anywhere) < len(self._anywhere):
            kept._anywhere_code = None  # the cached scans would find the dropped branches
        kept._untrusted = self._untrusted - dropped
        kept._timed = bool(kept._untrusted)
        kept._rule_ids = self._rule_ids - off
        kept._untrusted_ids = self._untrusted_ids - off
        kept._branches_alone, kept._openers = self._branches_alone, self._openers
        return kept

    def tiers(self) -> tuple[Matcher, ...]:
        """The matchers walked for this one, the house rules' first (they win overlaps)."""
        return (self._house, self) if self._house is not None else (self,)

    def rules(self) -> list[Rule]:
        """Every rule this matcher matches, of both tiers."""
        return [rule for tier in self.tiers() for rule in tier._rule_of_group.values()]

    def compile_branches(self, prose: str = "") -> None:
        """Compile every branch alone, and the alternation of every opening met in
        ``prose`` (a sample of the language the rules read), ahead of use, to be pickled
        with the rules."""
        if self._house is not None:
            self._house.compile_branches(prose)
        tabled = {index for branches in self._branches.values() for index, _ in branches}
        # The branches that open anywhere too: those behind an assertion are each matched
        # alone where their opening holds, which every text needs.
        for index in sorted(tabled | set(self._anywhere)):
            self._branch_code[index] = _pickled(alternation([self._branch_sources[index]]))
        met = {prose[m.start() : m.start() + 3] for m in CUE_STARTS.finditer(prose)}
        for kept in sorted({self._branches_for(prefix) for prefix in met}):
            if len(kept) > 1:
                branches = [self._branch_sources[i] for i in kept]
                self._alternation_code[kept] = _pickled(alternation(branches))
        for index, thirds in self._third_characters.items():
            opener = self._opener(index) if thirds is None else None
            if opener is not None:
                self._opener_code[index] = _pickled(opener)
        tables = self._anywhere_tables = self._build_anywhere()
        self._anywhere_code = pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL)

    def matches_alone(
        self, index: int, text: str, position: int, end: int, budget: ScanBudget
    ) -> bool:
        """Whether branch ``index`` alone matches at ``position``, ending by ``end``."""
        return self._match_branch(index, text, position, end, budget) is not None

    def find(
        self, text: str, *, include_pseudo: bool = False, budget: ScanBudget | None = None
    ) -> list[CueMatch]:
        """Cues in ``text``; pseudo-cues swallow what they overlap and are dropped unless
        ``include_pseudo`` (for rule tests and explanations). What a budget switched off is
        said by RuleSet.find."""
        found, _ = find_together((self,), text, include_pseudo=include_pseudo, budget=budget)
        return found[0]

    def walk_over(self, text: str, budget: ScanBudget) -> TierWalk:
        """This matcher's part in one walk over ``text`` (see hedgecheck.cuewalk), its
        untrusted rules charged to ``budget``."""
        return TierWalk(self, text, budget)

    def _match_at(
        self,
        entry: regex.Pattern[str] | _BranchesOneByOne,
        prefix: str,
        text: str,
        position: int,
        end: int,
        budget: ScanBudget,
    ) -> regex.Match[str] | None:
        if entry.__class__ is _BranchesOneByOne:
            return self._match_one_by_one(entry, prefix, text, position, end, budget)  # type: ignore[arg-type]
        if self._timed:
            return self._timed_match(entry, prefix, text, position, end, budget)  # type: ignore[arg-type]
        return entry.match(text, position, end)  # type: ignore[union-attr]

    def _entry_for(self, prefix: str) -> PrefixEntry:
        """How to match at a cue opening with ``prefix``: None when no branch can, their
        alternation when it was compiled ahead, else the branches to try one by one."""
        if len(self._by_prefix) >= _PREFIX_CACHE_SIZE:
            self._by_prefix.clear()
        kept = self._branches_for(prefix)
        code = self._alternation_code.get(kept)
        entry: PrefixEntry = _BranchesOneByOne(kept) if kept else None
        if code is not None:
            found = self._alternations.get(kept)
            entry = self._alternations[kept] = found or pickle.loads(code)
        self._by_prefix[prefix] = entry
        return entry

    def _branches_for(self, prefix: str) -> tuple[int, ...]:
        """The branches a match opening with ``prefix`` can come from: the (first, second)
        table's candidates, less those whose pattern cannot begin with these characters.
        Only ever drops branches that cannot match here, in rule order, so the
        leftmost-longest result is unchanged."""
        lower = prefix.lower()
        if len(lower) != 3 or not all(c in SECOND_CHARACTERS for c in lower):
            key = opening_key(prefix)
            return tuple(i for i, _ in self._candidates(key) if self._may_open(i, prefix))
        opening = lower[:2]
        candidates = self._candidates_by_opening.get(opening)
        if candidates is None:
            candidates = self._candidates_by_opening[opening] = self._candidates_of(opening)
        third = lower[2]
        return tuple(
            i
            for i, allowed in candidates
            if allowed is None or (self._may_open(i, prefix) if allowed == "" else third in allowed)
        )

    def _candidates_of(self, opening: str) -> list[tuple[int, frozenset[str] | str | None]]:
        """The candidates for a two-character ``opening``, with what each allows next: the
        three-character table's answer once per opening instead of once per prefix."""
        candidates: list[tuple[int, frozenset[str] | str | None]] = []
        for index, _ in self._candidates(opening_key(opening)):
            thirds = self._third_characters[index]
            if thirds is None:
                candidates.append((index, ""))
            elif opening in thirds:
                candidates.append((index, thirds[opening]))
        return candidates

    def _match_one_by_one(
        self,
        entry: _BranchesOneByOne,
        prefix: str,
        text: str,
        position: int,
        end: int,
        budget: ScanBudget,
    ) -> regex.Match[str] | None:
        """Each branch tried alone, the longest match kept (the first branch on a tie, as
        the alternation would). An opening met ``_COMPILE_AFTER`` times gets its
        alternation compiled instead: a few hundred common openings then cost one call
        each, while the thousands of rare ones never pay for compiling an alternation."""
        entry.seen += 1
        often = entry.seen >= _COMPILE_AFTER
        pattern = self._alternation_of(entry.branches) if often else None
        if pattern is None and often:
            entry.seen = -(2**62)  # the budget is spent: this opening stays one by one
        elif pattern is not None:
            self._by_prefix[prefix] = pattern
            if self._timed:
                return self._timed_match(pattern, entry.branches, text, position, end, budget)
            return pattern.match(text, position, end)
        best = None
        for index in entry.branches:
            found = self._match_branch(index, text, position, end, budget)
            if found is not None and (best is None or found.end() > best.end()):
                best = found
        return best

    def _match_branch(
        self, index: int, text: str, position: int, end: int, budget: ScanBudget
    ) -> regex.Match[str] | None:
        alone = self._branch_alone(index)
        if not self._timed:
            return alone.match(text, position, end)
        started = perf_counter()
        try:
            found = alone.match(text, position, end, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            budget.timed_out(self, (index,), text, position, end)
            return None
        budget.charge_one(self, index, perf_counter() - started)
        return found

    def _branch_alone(self, index: int) -> regex.Pattern[str]:
        alone = self._branches_alone.get(index)
        if alone is None:
            code = self._branch_code.get(index)
            alone = self._branches_alone[index] = (
                pickle.loads(code) if code else alternation([self._branch_sources[index]])
            )
        return alone

    def _alternation_of(self, indices: tuple[int, ...]) -> regex.Pattern[str] | None:
        """The compiled alternation of these branches; None once ``_MOST_ALTERNATIONS`` of
        them are compiled and this one is not among them (one branch is its own
        alternation, compiled once whatever the budget)."""
        if len(indices) == 1:
            return self._branch_alone(indices[0])
        pattern = self._alternations.get(indices)
        if pattern is None and len(self._alternations) >= _MOST_ALTERNATIONS:
            return None
        if pattern is None:
            branches = [self._branch_sources[i] for i in indices]
            pattern = self._alternations[indices] = alternation(branches)
        return pattern

    def _may_open(self, index: int, prefix: str) -> bool:
        """Whether branch ``index`` can match text that starts with ``prefix``: a prefix of
        a longer match, or a whole match of one or two characters. Told from the table of
        three-character openings worked out at load (and cached with the rules) when it
        covers these characters, else by compiling the branch's opening alone."""
        thirds = self._third_characters[index]
        lower = prefix.lower()
        if thirds is not None and len(lower) == 3 and all(c in SECOND_CHARACTERS for c in lower):
            if lower[:2] not in thirds:
                return False
            allowed = thirds[lower[:2]]
            return allowed is None or lower[2] in allowed
        opener = self._opener(index)
        if opener is None:
            return True
        if opener.fullmatch(prefix, partial=True):
            return True
        return any(opener.fullmatch(prefix[:k]) for k in range(1, len(prefix)))

    def _opener(self, index: int) -> regex.Pattern[str] | None:
        """Branch ``index``'s opening compiled alone, or None when it cannot be told alone."""
        if index not in self._openers:
            code = self._opener_code.get(index)
            body = without_leading_lookbehind(self._branch_bodies[index])
            # A lookbehind inside may look at text before the cue: it cannot be told alone.
            self._openers[index] = (
                pickle.loads(code) if code else None if "(?<" in body else regex.compile(body)
            )
        return self._openers[index]

    def _timed_match(
        self,
        pattern: regex.Pattern[str],
        branches: str | tuple[int, ...],
        text: str,
        position: int,
        end: int,
        budget: ScanBudget,
    ) -> regex.Match[str] | None:
        """A timed match at ``position`` ending by ``end``, charged to ``budget`` (the
        branches it tried are given, or told by their prefix, and worked out only when the
        call is to be charged to them). A pattern that runs past the timeout (an untrusted
        pack's catastrophic backtracking) is switched off by the budget, and the walk over
        the text starts again without it."""
        started = perf_counter()
        try:
            found = pattern.match(text, position, end, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            budget.timed_out(self, self.branches_of(branches), text, position, end)
            return None
        budget.charge(self, branches, perf_counter() - started, text, position, end)
        return found

    def _anywhere_scans(self) -> AnywhereScans:
        """The scans for the branches that open anywhere (see hedgecheck.anywhere)."""
        tables = self._anywhere_tables
        if tables is None:
            # Built whole (or read whole from the rule cache), then published: threads
            # sharing the matcher may build it twice, and each sees either none of it or
            # all of it.
            code = self._anywhere_code
            built = pickle.loads(code) if code is not None else self._build_anywhere()
            tables = self._anywhere_tables = built
        return tables

    def _build_anywhere(self) -> AnywhereScans:
        kept = tuple(self._anywhere)
        return AnywhereScans.build(kept, self._branch_bodies, self._branch_sources)

    def _match_anywhere(
        self,
        found: regex.Match[str] | None,
        text: str,
        position: int,
        end: int,
        budget: ScanBudget,
    ) -> regex.Match[str] | None:
        """The longer of ``found`` (from the opening tables) and the match of the branches
        that open anywhere; on a tie the branch defined first, as in one alternation."""
        other = self._anywhere_match(text, position, end, budget)
        if other is None:
            return found
        if found is None or other.end() > found.end():
            return other
        if other.end() == found.end() and _branch_of(other) < _branch_of(found):
            return other
        return found

    def _anywhere_match(
        self, text: str, position: int, end: int, budget: ScanBudget
    ) -> regex.Match[str] | None:
        """The branches that open anywhere, matched at ``position`` (timed in an untrusted
        pack)."""
        tables = self._anywhere_scans()
        if tables.pattern is None:
            return None
        if not self._timed:
            return tables.pattern.match(text, position, end)
        return self._timed_match(tables.pattern, tables.branches, text, position, end, budget)

    def _candidates(self, key: tuple[str, str]) -> list[tuple[int, str]]:
        first = key[0]
        found = {
            *self._branches.get(key, ()),
            *self._branches.get((first, ""), ()),
            *self._branches.get(("", ""), ()),
        }
        return sorted(found)


# The memos a matcher fills in on first use: not pickled (the compiled code is, apart).
_MEMOS = (
    "_by_prefix",
    "_alternations",
    "_branches_alone",
    "_openers",
    "_candidates_by_opening",
)


class TierWalk:
    """One matcher's part in one walk over a text (see hedgecheck.cuewalk): the opening
    table it reads at each cue start (``entries``, filled in by ``entry_for``), the rule of
    each named group, the starts where its branches that open anywhere match, whether a
    compiled entry may be matched directly (``direct``: no rule of it is timed), and the
    matches the walk found for it (``found``)."""

    __slots__ = ("_budget", "_matcher", "_text", "anywhere", "direct", "entries", "found")

    def __init__(self, matcher: Matcher, text: str, budget: ScanBudget) -> None:
        self._matcher, self._text, self._budget = matcher, text, budget
        self.entries: dict[str, PrefixEntry] = matcher._by_prefix
        self.anywhere = matcher._anywhere_scans().starts(text, matcher, budget)
        self.direct = not matcher._timed
        self.found: list[CueMatch] = []

    @property
    def rule_of_group(self) -> dict[str, Rule]:
        return self._matcher._rule_of_group

    def entry_for(self, prefix: str) -> PrefixEntry:
        """How to match at a cue start with ``prefix`` (not in ``entries`` yet)."""
        return self._matcher._entry_for(prefix)

    def match_at(
        self, entry: regex.Pattern[str] | _BranchesOneByOne, prefix: str, position: int, end: int
    ) -> regex.Match[str] | None:
        """The longest match of ``entry``'s branches at ``position``, ending by ``end``."""
        return self._matcher._match_at(entry, prefix, self._text, position, end, self._budget)

    def match_anywhere(
        self, found: regex.Match[str] | None, position: int, end: int
    ) -> regex.Match[str] | None:
        """The longer of ``found`` and the match of the branches that open anywhere."""
        return self._matcher._match_anywhere(found, self._text, position, end, self._budget)


def _branch_of(match: regex.Match[str]) -> int:
    """The branch number of a match: its group is named ``g<number - 1>``."""
    return int(match.lastgroup[1:]) + 1  # type: ignore[index]


def _pickled(pattern: regex.Pattern[str]) -> bytes:
    return pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL)
