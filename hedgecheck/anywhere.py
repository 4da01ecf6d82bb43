"""The branches that can open with almost any word ("\\w+-induced", an e-mail address, a
sentence start): kept out of a matcher's opening tables, where they would be tried at every
word, and found instead by scans of the whole text in C.

Each branch that opens with characters scans the text alone, so that the regex engine's own
search for a required string such as "@" or "-induced" skips most of it; the scan's matches
are then kept to cue starts. A branch that opens with an assertion (a sentence start) has no
such search: the places where its opening holds are scanned for once (branches with the same
opening share the scan), and the branch is matched at each within its cue window. An opening
made of lookbehinds alone is scanned backwards: the engine tries a lookbehind at every
position a forward scan passes (a third of a microsecond a character for a sentence start),
while a backwards scan for what the lookbehinds read finds the same places in a third of the
time.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from time import perf_counter
from typing import TYPE_CHECKING

import regex

from hedgecheck.budget import ScanBudget
from hedgecheck.cuewalk import CUE_STARTS, WINDOW_REACH, CueWindow
from hedgecheck.literals import Literal, WordSearch, lowered, required_literals
from hedgecheck.openings import alternation, leading_assertion, lookbehinds, opens_with_assertion
from hedgecheck.patterns import compiled

if TYPE_CHECKING:
    from hedgecheck.matcher import Matcher

# Characters of text whose starts one scan covers, and the time such a scan may take (a few
# milliseconds on prose) before its piece is matched start by start instead.
_PIECE = 16384
_PIECE_SECONDS = 0.05
# A cue start (as CUE_STARTS finds them), as a condition at the current position.
AT_CUE_START = r"(?:(?<!\w)(?=\S)|(?=[^\w\s]))"
_CUE_START_HERE = compiled(AT_CUE_START)


@dataclass(frozen=True, slots=True)
class AnywhereScans:
    """How a matcher finds its branches that open anywhere: a scan for each branch that
    opens with characters, with that branch; a scan for each assertion that opens branches
    (kept to cue starts), with its backwards scan when it is made of lookbehinds alone (see
    _behind) and the branches it opens (or a whole branch whose opening could not be told
    apart, and that branch); the words one of which each branch so opened needs
    (``words``, see hedgecheck.literals); and the alternation of all of them (``pattern``, of
    ``branches``), which matches at a start the scans found."""

    scans: list[tuple[regex.Pattern[str], int]]
    openings: list[tuple[regex.Pattern[str], regex.Pattern[str] | None, tuple[int, ...]]]
    words: dict[int, tuple[Literal, ...]]
    pattern: regex.Pattern[str] | None
    branches: tuple[int, ...]

    @classmethod
    def build(
        cls, branches: tuple[int, ...], bodies: Mapping[int, str], sources: Mapping[int, str]
    ) -> AnywhereScans:
        """The scans of ``branches`` (each with its body and its source as the matcher
        compiles it). Kept to cue starts by a leading assertion, a branch's scan would lose
        the engine's fast search for its first characters ("\\p{Lu}" before "et al." runs
        ten times slower), which is why those are scanned bare."""
        scans: list[tuple[regex.Pattern[str], int]] = []
        grouped: dict[str, list[int]] = {}
        for index in branches:
            body = bodies[index]
            if not opens_with_assertion(body):
                scans.append((regex.compile(sources[index]), index))
                continue
            opening = leading_assertion(body) or body
            grouped.setdefault(opening, []).append(index)
        openings = [
            (regex.compile(f"{AT_CUE_START}{opening}"), _backwards(opening), tuple(indices))
            for opening, indices in grouped.items()
        ]
        needed = {index: required_literals(bodies[index]) for index in branches}
        words = {index: found for index, found in needed.items() if found is not None}
        pattern = alternation([sources[i] for i in branches]) if branches else None
        return cls(scans, openings, words, pattern, branches)

    def starts(self, text: str, tier: Matcher, budget: ScanBudget) -> set[int]:
        """Where a branch of ``tier`` that can open anywhere matches in ``text``. A start
        found here is then matched within its cue window by the walk, so a cue is found as
        the opening tables would find it.

        Scans run piece by piece. A scan reads past its piece (by a cue window more), so
        on a hostile text it can cost the square of the piece: a piece whose scan takes
        longer than ``_PIECE_SECONDS`` has each of its cue starts tried instead. In an
        untrusted pack each piece's scan is charged to its branches."""
        starts: set[int] = set()
        timed = tier.timed
        lower = lowered(text) if self.words else None
        for scan, index in self.scans:
            words = self.words.get(index)
            pieces = (
                _pieces(text) if words is None else _near(WordSearch(words, text, lower), len(text))
            )
            for begin, last in pieces:
                started = perf_counter() if timed else 0.0
                starts.update(_scan_piece(scan, text, begin, last, guarded=False))
                if timed:
                    budget.charge_one(tier, index, perf_counter() - started)
        for opening, backwards, indices in self.openings:
            words = {i: WordSearch(self.words[i], text, lower) for i in indices if i in self.words}
            starts.update(self._opened(opening, backwards, indices, words, text, tier, budget))
        return starts

    def _opened(
        self,
        opening: regex.Pattern[str],
        backwards: regex.Pattern[str] | None,
        indices: tuple[int, ...],
        words: dict[int, WordSearch],
        text: str,
        tier: Matcher,
        budget: ScanBudget,
    ) -> list[int]:
        """Where ``opening`` holds and one of the branches it opens matches. A branch is
        tried only where one of the words it needs lies ahead within the cue window: most
        sentence starts have none."""
        window = CueWindow(text)
        timed = tier.timed
        scans = (
            [partial(_behind, backwards, text)]
            if backwards is not None
            else [partial(_scan_piece, opening, text, *piece) for piece in _pieces(text)]
        )
        matched: list[int] = []
        for scan in scans:
            started = perf_counter() if timed else 0.0
            found = scan()
            if timed:
                for index in indices:
                    budget.charge_one(tier, index, (perf_counter() - started) / len(indices))
            for position in found:
                end = window.end(position)
                if any(
                    _ahead(words.get(i), position, end)
                    and tier.matches_alone(i, text, position, end, budget)
                    for i in indices
                ):
                    matched.append(position)
        return matched


def _pieces(text: str) -> list[tuple[int, int]]:
    """The pieces of ``text`` its scans run over, one after another."""
    return [(begin, min(len(text), begin + _PIECE)) for begin in range(0, len(text), _PIECE)]


def _near(words: WordSearch, length: int) -> list[tuple[int, int]]:
    """The pieces where a match needing one of ``words`` may start: within a cue window
    before one (each piece at most ``_PIECE`` long)."""
    near: list[tuple[int, int]] = []
    at = words.next_at(0)
    while at < length:
        begin = max(0, at - WINDOW_REACH)
        if near and begin <= near[-1][1]:
            begin = near.pop()[0]
        near.append((begin, at + 1))
        at = words.next_at(at + 1)
    return [
        (begin, min(last, begin + _PIECE))
        for first, last in near
        for begin in range(first, last, _PIECE)
    ]


def _scan_piece(
    scan: regex.Pattern[str], text: str, begin: int, last: int, *, guarded: bool = True
) -> list[int]:
    """The cue starts in ``text[begin:last]`` where ``scan`` matches (reading on a cue
    window past the piece), or every cue start there if the scan runs out of time. An
    unguarded scan may match elsewhere too: those starts are dropped."""
    stop = min(len(text), last + WINDOW_REACH)
    try:
        found = scan.finditer(text, begin, stop, overlapped=True, timeout=_PIECE_SECONDS)
        starts = [m.start() for m in found if m.start() < last]
        if guarded:
            return starts
        return [start for start in starts if _CUE_START_HERE.match(text, start)]
    except TimeoutError:
        return [m.start() for m in CUE_STARTS.finditer(text, begin, last)]


def _backwards(opening: str) -> regex.Pattern[str] | None:
    """``(?i:(?:(?<=^)|(?<=\\n)))`` -> ``(?r)(?i:(?:^|\\n))``: a scan whose matches end
    where the opening holds, when it is made of lookbehinds alone (a lookbehind is matched
    backwards from where it is tried, as a reversed scan is from each position)."""
    behind = lookbehinds(opening)
    if behind is None:
        return None
    flags, reads = behind
    try:
        return regex.compile(f"(?r){flags}(?:{'|'.join(reads)}))")
    except regex.error:
        return None  # what a lookbehind reads may refer to groups outside it


def _behind(backwards: regex.Pattern[str], text: str) -> Iterable[int]:
    """The cue starts where the opening scanned by ``backwards`` holds, in order. The scan
    runs once over the whole text (a backwards scan of a piece could not see what a
    lookbehind reads before it), with the time the pieces would have had; past it, the part
    it has not reached has each of its cue starts tried instead. The starts are kept as
    machine integers: a text of one-word sentences has one every few characters."""
    ends = array("q")
    rest = len(text) + 1  # the scan has tried every position from here on
    seconds = _PIECE_SECONDS * (1 + len(text) // _PIECE)
    try:
        for found in backwards.finditer(text, overlapped=True, timeout=seconds):
            rest = found.end()
            if _CUE_START_HERE.match(text, rest):
                ends.append(rest)
    except TimeoutError:
        untried = array("q", (m.start() for m in CUE_STARTS.finditer(text, 0, rest)))
        ends.extend(reversed(untried))
    return reversed(ends)


def _ahead(words: WordSearch | None, position: int, end: int) -> bool:
    """Whether one of ``words`` (None: no words to look for) starts in [position, end)."""
    return words is None or words.within(position, end)
