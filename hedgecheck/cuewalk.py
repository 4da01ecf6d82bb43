"""One walk over a text's cue starts, shared by every matcher of a rule set.

At each cue start (a word start, or a punctuation mark) each matcher's tiers have their say:
the first pass, the editorial overlay and the method descriptions, each with its house
rules' tier, read the same three-character prefix and the same cue window. Each matcher
takes part through the :class:`~hedgecheck.matcher.TierWalk` it hands out for the text;
the matches of each are then settled by :func:`~hedgecheck.overlaps.resolve_overlaps`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import regex

from hedgecheck.budget import ScanBudget, SwitchedOff
from hedgecheck.overlaps import CueMatch, resolve_overlaps
from hedgecheck.patterns import compiled

if TYPE_CHECKING:
    from hedgecheck.matcher import Matcher


# How far past its start a cue (with what its lookaheads read) may reach. A cue is a phrase
# or, for a pseudo-cue, the rest of a clause; without a bound, patterns that read to the end
# of a clause ("[^.;!?]*") or along a run of word characters and dots (an e-mail address)
# cost the length of the run at every cue start in it: quadratic in a long unpunctuated line.
CUE_REACH = 1000
_SPACE = compiled(r"\s")
_SLACK = 256
# No cue window reaches further past its start: how far a scan reads past its piece.
WINDOW_REACH = 2 * CUE_REACH + _SLACK


class CueWindow:
    """Where a match starting at a position must end: a whitespace between ``CUE_REACH`` and
    ``CUE_REACH + _SLACK`` characters on (so that no word is cut and ``(?!\\w)`` still means
    the end of a word), or ``2 * CUE_REACH`` on inside a longer unbroken run. Starts come in
    order, so each search resumes where the last one stopped: linear in the text overall."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._space = -1  # the last whitespace found
        self._clear_to = 0  # no whitespace in [_clear_from, _clear_to)
        self._clear_from = 0

    def end(self, position: int) -> int:
        text = self._text
        reach = position + CUE_REACH
        if reach >= len(text):
            return len(text)
        hard = min(len(text), reach + CUE_REACH)
        if self._space >= reach:
            return min(self._space, hard)
        begin = reach
        if self._clear_from <= reach < self._clear_to:
            begin = self._clear_to
        ahead = reach + _SLACK
        if begin < ahead < hard:
            # A whitespace a little further on serves the next starts too: one search per
            # _SLACK characters instead of one per word.
            found = _SPACE.search(text, ahead, hard)
            if found is not None:
                self._space = found.start()
                return self._space
        found = _SPACE.search(text, begin, hard) if begin < hard else None
        if found is None:
            self._clear_from, self._clear_to = reach, hard
            return hard
        self._space = found.start()
        return self._space


# Where a cue may begin: a word start, or a punctuation mark such as ";".
CUE_STARTS = compiled(r"(?<!\w)\S|[^\w\s]")


def find_together(
    matchers: Sequence[Matcher],
    text: str,
    *,
    include_pseudo: bool = False,
    budget: ScanBudget | None = None,
) -> tuple[list[list[CueMatch]], tuple[str, ...]]:
    """The cues of each matcher in ``text``, from one walk over its cue starts (the first
    pass and the editorial overlay, and the house rules' tier of each, share the walk, the
    prefixes and the cue window), and what the budget switched off on the way.

    What untrusted rules spend is charged to ``budget`` (a fresh one when None); when one
    of them is switched off the walk starts again without it, so the cues found never
    depend on where in the text a budget ran out."""
    budget = budget if budget is not None else ScanBudget()
    problems: list[str] = []
    while True:
        try:
            active = [budget.active(m) for m in matchers]
            return _walk(active, text, include_pseudo, budget), tuple(problems)
        except SwitchedOff as off:
            problems.extend(off.problems)


_UNSEEN = object()  # a prefix not in a tier's opening table yet


def _walk(
    matchers: Sequence[Matcher], text: str, include_pseudo: bool, budget: ScanBudget
) -> list[list[CueMatch]]:
    tiers = [m.tiers() for m in matchers]
    walks = [tier.walk_over(text, budget) for both in tiers for tier in both]
    tables = [(w, w.entries, w.rule_of_group, w.found, w.anywhere, w.direct) for w in walks]
    window = CueWindow(text)
    pattern = regex.Pattern
    for start in CUE_STARTS.finditer(text):
        position = start.start()
        prefix = text[position : position + 3]
        end = -1
        for walk, entries, rules, raw, anywhere, direct in tables:
            entry = entries.get(prefix, _UNSEEN)
            if entry is _UNSEEN:
                entry = walk.entry_for(prefix)
            opens_anywhere = position in anywhere
            if entry is None and not opens_anywhere:
                continue
            if end < 0:
                end = window.end(position)
            if entry is None:
                found = None
            elif direct and entry.__class__ is pattern:
                # the common case, spelled out: one call into the regex engine
                found = entry.match(text, position, end)  # type: ignore[union-attr]
            else:
                found = walk.match_at(entry, prefix, position, end)
            if opens_anywhere:
                found = walk.match_anywhere(found, position, end)
            if found is not None and found.end() > position:
                raw.append(CueMatch(rules[found.lastgroup], position, found.end(), found.group()))
    result = []
    found_by = iter(walks)
    for both in tiers:
        house = next(found_by).found if len(both) == 2 else []
        result.append(resolve_overlaps(next(found_by).found, include_pseudo, house=house))
    return result
