"""The branches that can open with almost any word ("\\w+-induced", an e-mail address, a
sentence start): kept out of a matcher's opening tables, where they would be tried at every
word, and found instead by scans of the whole text in C.

Each branch that opens with characters scans the text alone, so that the regex engine's own
search for a required string such as "@" or "-induced" skips most of it; the scan's matches
are then kept to cue starts. A branch that opens with an assertion (a sentence start) has no
such search: the places where its opening holds are scanned for once (branches with the same
opening share the scan), and the branch is matched at each within its cue window.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from time import perf_counter
from typing import TYPE_CHECKING

import regex

from hedgecheck.budget import ScanBudget
from hedgecheck.cuewalk import CUE_STARTS, WINDOW_REACH, CueWindow
from hedgecheck.openings import alternation, leading_assertion, opens_with_assertion
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
    (kept to cue starts), with the branches it opens (or a whole branch whose opening could
    not be told apart, and that branch); and the alternation of all of them (``pattern``, of
    ``branches``), which matches at a start the scans found."""

    scans: list[tuple[regex.Pattern[str], int]]
    openings: list[tuple[regex.Pattern[str], tuple[int, ...]]]
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
            (regex.compile(f"{AT_CUE_START}{opening}"), tuple(indices))
            for opening, indices in grouped.items()
        ]
        pattern = alternation([sources[i] for i in branches]) if branches else None
        return cls(scans, openings, pattern, branches)

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
        for scan, index in self.scans:
            for begin in range(0, len(text), _PIECE):
                started = perf_counter() if timed else 0.0
                starts.update(_scan_piece(scan, text, begin, guarded=False))
                if timed:
                    budget.charge_one(tier, index, perf_counter() - started)
        for opening, indices in self.openings:
            window = CueWindow(text)
            for begin in range(0, len(text), _PIECE):
                started = perf_counter() if timed else 0.0
                found = _scan_piece(opening, text, begin)
                if timed:
                    for index in indices:
                        budget.charge_one(tier, index, (perf_counter() - started) / len(indices))
                for position in found:
                    end = window.end(position)
                    if any(tier.matches_alone(i, text, position, end, budget) for i in indices):
                        starts.add(position)
        return starts


def _scan_piece(
    scan: regex.Pattern[str], text: str, begin: int, *, guarded: bool = True
) -> list[int]:
    """The cue starts in ``text[begin:begin + _PIECE]`` where ``scan`` matches (reading on a
    cue window past the piece), or every cue start there if the scan runs out of time.
    An unguarded scan may match elsewhere too: those starts are dropped."""
    last = min(len(text), begin + _PIECE)
    stop = min(len(text), last + WINDOW_REACH)
    try:
        found = scan.finditer(text, begin, stop, overlapped=True, timeout=_PIECE_SECONDS)
        starts = [m.start() for m in found if m.start() < last]
        if guarded:
            return starts
        return [start for start in starts if _CUE_START_HERE.match(text, start)]
    except TimeoutError:
        return [m.start() for m in CUE_STARTS.finditer(text, begin, last)]
