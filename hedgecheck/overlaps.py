"""A raw cue match, and how overlapping matches are settled: the longest cue wins, a house
pack's cue over a shipped one, and a pseudo-cue ("in May") swallows the shorter cues it
overlaps."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from hedgecheck.schema import Rule


@dataclass(frozen=True, slots=True)
class CueMatch:
    """A raw match of one rule in the text, before scopes are resolved."""

    rule: Rule
    start: int
    end: int
    text: str


def resolve_overlaps(
    matches: list[CueMatch], include_pseudo: bool, *, house: Sequence[CueMatch] = ()
) -> list[CueMatch]:
    """Longest cue wins among overlapping cues, a ``house`` cue (from a pack outside the
    shipped ones) over every shipped cue; then each pseudo-cue swallows the cues it
    overlaps (all of them, or those its ``swallows`` names) that are no longer than itself.
    A pseudo-cue says no cue is here ("in May"), not which rule wins, so the shipped ones
    swallow house cues too: the loader warns when one does so in a house rule's example."""
    cues = _longest_first(
        [m for m in house if m.rule.category != "pseudo"],
        [m for m in matches if m.rule.category != "pseudo"],
    )
    # Each tier's pseudo-cues are kept apart, so that neither tier's guards drop the other's.
    tiers = [
        _disjoint_by_start(_longest_first([m for m in found if m.rule.category == "pseudo"]))
        for found in (house, matches)
        if found
    ]

    def swallowed(match: CueMatch) -> bool:
        for starts, by_start in tiers:
            index = bisect_left(starts, match.end) - 1
            while index >= 0 and by_start[index].end > match.start:
                if pseudo_swallows(by_start[index], match):
                    return True
                index -= 1
        return False

    result = [m for m in cues if not swallowed(m)]
    if include_pseudo:
        result.extend(m for _, by_start in tiers for m in by_start)
    return sorted(result, key=lambda m: (m.start, m.end))


def _disjoint_by_start(pseudo: list[CueMatch]) -> tuple[list[int], list[CueMatch]]:
    """Disjoint pseudo-cues sorted by start, and their starts: their ends are sorted too,
    so the ones a cue overlaps are a run ending just before the first that starts at its
    end."""
    by_start = sorted(pseudo, key=lambda m: m.start)
    return [p.start for p in by_start], by_start


def _longest_first(*tiers: list[CueMatch]) -> list[CueMatch]:
    """Tier by tier, longest first (then leftmost), each kept unless it overlaps one already
    kept. A match clashes only with matches it overlaps, so each run of overlapping matches
    (of any tier) is settled on its own: one list of every kept start for the whole text
    would shift on each insert, quadratic in a long text."""
    kept: list[tuple[int, CueMatch]] = []
    run: list[tuple[int, CueMatch]] = []
    reach = -1
    ranked = ((rank, match) for rank, tier in enumerate(tiers) for match in tier)
    for rank, match in sorted(ranked, key=lambda item: item[1].start):
        if match.start >= reach:
            kept += _longest_first_in(run)
            run, reach = [], match.end
        run.append((rank, match))
        reach = max(reach, match.end)
    kept += _longest_first_in(run)
    return [match for _, match in sorted(kept, key=_tier_longest_leftmost)]


def _longest_first_in(run: list[tuple[int, CueMatch]]) -> list[tuple[int, CueMatch]]:
    """``_longest_first`` of a run of (tier, match): the kept spans are disjoint, so only
    the last one starting before a match's end can overlap it."""
    kept: list[tuple[int, CueMatch]] = []
    starts: list[int] = []
    ends: list[int] = []
    for rank, match in sorted(run, key=_tier_longest_leftmost):
        index = bisect_left(starts, match.end)
        if index and ends[index - 1] > match.start:
            continue
        kept.append((rank, match))
        starts.insert(index, match.start)
        ends.insert(index, match.end)
    return kept


def _longest_leftmost(match: CueMatch) -> tuple[int, int]:
    return match.start - match.end, match.start


def _tier_longest_leftmost(ranked: tuple[int, CueMatch]) -> tuple[int, int, int]:
    return (ranked[0], *_longest_leftmost(ranked[1]))


def pseudo_swallows(pseudo: CueMatch, match: CueMatch) -> bool:
    """Whether a pseudo-cue swallows a cue it overlaps (one no longer than itself, of the
    rules or categories its ``swallows`` names, or any)."""
    overlaps = pseudo.start < match.end and match.start < pseudo.end
    if not overlaps or match.end - match.start > pseudo.end - pseudo.start:
        return False
    names = pseudo.rule.swallows
    return not names or match.rule.id in names or match.rule.category in names
