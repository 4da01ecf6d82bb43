"""Measure a Hyperscan prefilter for the walk over cue starts: built here, not shipped.

The walk (hedgecheck.cuewalk) tries, at every cue start, the branches whose opening fits the
text's first three characters, and most tries fail. This script builds, for every branch of
each rule tier of the default packs, a loose form (a *superset*: lookarounds dropped, long
repeats loosened, each character beyond ASCII read as one placeholder byte, cut after its
first ``--enough`` literal characters or at a lookahead, whose text it then reads), compiles
them into one Hyperscan database per tier with start-of-match reporting, scans every story of
the dev corpus, and counts the cue starts a walk would still have to visit: those from a
reported match's start to its end. It prints, per tier and cut: branches compiled, compile
seconds, database megabytes, cue starts visited, and the CPU seconds of the scans; and checks
that every cue the walk finds starts at a visited place (or one its anywhere-scans find).

    pip install hyperscan    # not a dependency of hedgecheck
    python benchmarks/superset_prefilter.py --enough 8 4

Measured 2026-12-08 on the 768 stories (README, *Matching runs on the regex module alone*):
with ``--enough 8`` the main tier's 961 branches compile in 30 s into 29 MB and leave 22% of
the 614,555 cue starts to visit (no cue missed), the methods tier 1%; the overlay tier does
not compile (two of its patterns are too large for Hyperscan); with 4, the main tier took
14 s, 13 MB and twice the visits.
"""

from __future__ import annotations

import argparse
import bisect
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from typing import Any

import regex
from measuring import DEFAULT_DATA, stories

import hedgecheck
from hedgecheck.budget import ScanBudget
from hedgecheck.cuewalk import CUE_STARTS, find_together
from hedgecheck.literals import parsed_pattern
from hedgecheck.openings import pattern_syntax

try:
    import hyperscan
except ImportError:
    hyperscan = None

# The byte every character beyond ASCII is read as: each superset item that may match such
# a character accepts it, so a text of any script keeps its offsets (one byte a character).
_PLACEHOLDER = 0x80
_BEYOND_ASCII = regex.compile(r"[^\x00-\x7f]")
# A letter property ("\p{Lu}"), which the standard parser cannot read: every letter is a word
# character, so a superset reads it as "\w" (other properties are not told).
_LETTERS = regex.compile(r"(?<!\\)((?:\\\\)*)\\p\{L[ultmo]?\}")
# The ASCII letters that a character beyond ASCII matches regardless of case (U+0130 "i",
# U+017F "s", U+212A "k"; probed over all of Unicode in the tests).
_FOLDED_FROM_BEYOND = "iks"
# Repeats above this count are loosened to "or more": Hyperscan refuses large bounded repeats
# with start-of-match tracking, and a looser repeat still matches all the branch matches.
_MOST_REPEATS = 16
# Literal characters a superset is cut after (see _cut).
_ENOUGH = 8
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
_CATEGORIES = {
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
}


class _Unsupported(Exception):
    """A pattern item the superset cannot stand for."""


def superset(body: str) -> bytes | None:
    """A Hyperscan expression (bytes, one byte a character, see ``text_bytes``) matching at
    least wherever ``body`` matches, from the same start; None when none can be made."""
    readable = _LETTERS.sub(r"\1\\w", _without_lookbehinds(body))
    parsed = parsed_pattern(readable) if "\\p{" not in readable else None
    if parsed is None:
        return None
    items = list(parsed)
    blind = bool(parsed.state.flags & sre.SRE_FLAG_IGNORECASE)
    if len(items) == 1 and items[0][0] is sre.SUBPATTERN:
        _, on, off, inner = items[0][1]
        blind = (blind or bool(on & sre.SRE_FLAG_IGNORECASE)) and not off & sre.SRE_FLAG_IGNORECASE
        items = list(inner)
    try:
        expression = _sequence(_cut(items), blind)
    except _Unsupported:
        return None
    return expression.encode("latin-1") if expression else None


def text_bytes(text: str) -> bytes:
    """``text`` as the bytes the supersets read: each character beyond ASCII as one
    placeholder byte, so that byte offsets are character offsets."""
    if text.isascii():
        return text.encode("ascii")
    return _BEYOND_ASCII.sub(chr(_PLACEHOLDER), text).encode("latin-1")


def _compiled(expressions: list[bytes]) -> Any:
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=expressions,
        ids=list(range(len(expressions))),
        flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * len(expressions),
    )
    return database


def _without_lookbehinds(body: str) -> str:
    """``body`` less its lookbehinds (which the standard parser refuses when their width
    varies): each only ever stops a match, so without them it matches at least as often."""
    kept: list[str] = []
    index = 0
    for at, kind in pattern_syntax(body):
        if kind == "(" and at >= index and body.startswith(("(?<=", "(?<!"), at):
            kept.append(body[index:at])
            index = _group_end(body, at)
    return "".join(kept) + body[index:]


def _group_end(body: str, start: int) -> int:
    """Where the group opening at ``start`` ends (past its closing parenthesis)."""
    depth = 0
    for at, kind in pattern_syntax(body[start:]):
        depth += (kind == "(") - (kind == ")")
        if depth == 0:
            return start + at + 1
    return len(body)


def _cut(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The items a match must begin with, up to the first ``_ENOUGH`` characters that
    every match spells out or up to a lookahead, whose text it then reads (a shorter
    superset is smaller to compile and reports fewer ends), less trailing items that may
    match nothing."""
    kept: list[tuple[Any, Any]] = []
    spelled = 0
    for op, av in items:
        if op is sre.ASSERT and av[0] == 1:
            kept.extend(_cut(list(av[1])))  # what a lookahead reads is text the match needs
            break
        kept.append((op, av))
        spelled += _spelled(op, av)
        if spelled >= _ENOUGH:
            break
    while kept and _may_be_empty(*kept[-1]):
        kept.pop()
    return kept


def _may_be_empty(op: Any, av: Any) -> bool:
    """Whether an item may match no text (a cut superset does not end with one)."""
    if op in _REPEATS:
        return av[0] == 0 or all(_may_be_empty(o, a) for o, a in av[2])
    inner = _alternatives(op, av)
    if inner is not None:
        return any(all(_may_be_empty(o, a) for o, a in items) for items in inner)
    return op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT)


def _spelled(op: Any, av: Any) -> int:
    """How many characters every match of an item spells out (literal characters)."""
    if op is sre.LITERAL:
        return 1
    if op in _REPEATS:
        return min(av[0], 2) * sum(_spelled(o, a) for o, a in av[2])
    inner = _alternatives(op, av)
    if inner is not None:
        return min(sum(_spelled(o, a) for o, a in items) for items in inner)
    return 0


def _alternatives(op: Any, av: Any) -> list[Any] | None:
    """The item sequences a group item matches one of (a group: its own), or None."""
    if op is sre.SUBPATTERN:
        return [av[3]]
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return [av]
    if op is sre.BRANCH:
        return list(av[1])
    return None


def _sequence(items: Iterable[tuple[Any, Any]], blind: bool) -> str:
    return "".join(_item(op, av, blind) for op, av in items)


def _item(op: Any, av: Any, blind: bool) -> str:
    if op is sre.LITERAL:
        return _characters(_literal(av, blind))
    if op is sre.NOT_LITERAL:
        return _characters(_complement(_literal(av, blind)))
    if op is sre.ANY:
        return _characters((frozenset(range(128)), True))
    if op is sre.IN:
        return _characters(_class(av, blind))
    if op is sre.CATEGORY:
        return _characters(_category(av))
    if op is sre.BRANCH:
        return "(?:" + "|".join(_sequence(branch, blind) for branch in av[1]) + ")"
    if op is sre.SUBPATTERN:
        _, on, off, inner = av
        inner_blind = (blind or bool(on & sre.SRE_FLAG_IGNORECASE)) and not (
            off & sre.SRE_FLAG_IGNORECASE
        )
        return "(?:" + _sequence(inner, inner_blind) + ")"
    if op in _REPEATS:
        low, high, inner = av
        low = min(low, _MOST_REPEATS)
        upper = "" if high is sre.MAXREPEAT or high > _MOST_REPEATS else str(high)
        return "(?:" + _sequence(inner, blind) + "){" + f"{low},{upper}" + "}"
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return "(?:" + _sequence(av, blind) + ")"
    if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
        return ""
    raise _Unsupported(str(op))


# A set of characters: the ASCII codes in it, and whether it holds any beyond ASCII.
_Characters = tuple[frozenset[int], bool]


def _literal(code: int, blind: bool) -> _Characters:
    if code >= 128:
        return frozenset(), True
    ch = chr(code)
    if blind and ch.isalpha():
        return frozenset({ord(ch.lower()), ord(ch.upper())}), ch.lower() in _FOLDED_FROM_BEYOND
    return frozenset({code}), False


def _complement(characters: _Characters) -> _Characters:
    return frozenset(range(128)) - characters[0], True


def _class(items: list[tuple[Any, Any]], blind: bool) -> _Characters:
    negated = bool(items) and items[0][0] is sre.NEGATE
    codes: set[int] = set()
    beyond = False
    for op, av in items[1:] if negated else items:
        if op is sre.LITERAL:
            found = _literal(av, blind)
        elif op is sre.RANGE:
            found = _range(av[0], av[1], blind)
        elif op is sre.CATEGORY:
            found = _category(av)
        else:
            raise _Unsupported(str(op))
        codes |= found[0]
        beyond = beyond or found[1]
    return _complement((frozenset(codes), beyond)) if negated else (frozenset(codes), beyond)


def _range(low: int, high: int, blind: bool) -> _Characters:
    codes = set(range(low, min(high, 127) + 1))
    if blind:
        codes |= {ord(chr(c).swapcase()) for c in codes if chr(c).isalpha()}
    folded = blind and any(chr(c).lower() in _FOLDED_FROM_BEYOND for c in codes)
    return frozenset(codes), high >= 128 or folded


def _category(category: Any) -> _Characters:
    escape = _CATEGORIES.get(category)
    if escape is None:
        raise _Unsupported(str(category))
    probe = regex.compile(escape)
    return frozenset(c for c in range(128) if probe.match(chr(c))), True


def _characters(characters: _Characters) -> str:
    codes, beyond = characters
    members = sorted(codes) + ([_PLACEHOLDER] if beyond else [])
    if not members:
        raise _Unsupported("a class that matches nothing")
    if len(members) == 1:
        return f"\\x{members[0]:02x}"
    return "[" + "".join(f"\\x{c:02x}" for c in members) + "]"


def visits(database: Any, data: bytes, starts: Sequence[int]) -> set[int]:
    """The cue starts (``starts``, in order) from each reported match's start to its end."""
    spans: list[tuple[int, int]] = []

    def found(_id: int, begin: int, end: int, _flags: int, _context: object) -> None:
        spans.append((begin, end))

    database.scan(data, match_event_handler=found)
    visited: set[int] = set()
    for begin, end in spans:
        first = bisect.bisect_left(starts, begin)
        last = bisect.bisect_left(starts, max(end, begin + 1), first)
        visited.update(starts[first:last])
    return visited


def measure(texts: list[str], enough: int) -> None:
    global _ENOUGH
    _ENOUGH = enough
    starts = [[m.start() for m in CUE_STARTS.finditer(text)] for text in texts]
    data = [text_bytes(text) for text in texts]
    for number, tier in enumerate(_tiers()):
        tabled = sorted({i for branches in tier._branches.values() for i, _ in branches})
        expressions = {i: superset(tier._branch_bodies[i]) for i in tabled}
        kept = [e for e in expressions.values() if e]
        started = time.process_time()
        try:
            database = _compiled(kept)
        except hyperscan.error as error:
            print(f"| {enough} | {number} | {len(kept)}/{len(tabled)} | {error} | | | |")
            continue
        compiled = time.process_time() - started
        size = len(hyperscan.dumpb(database)) / 1e6
        started = time.process_time()
        visited = [visits(database, d, s) for d, s in zip(data, starts, strict=True)]
        scanned = time.process_time() - started
        missed = _missed(tier, texts, visited) if len(kept) == len(tabled) else "n/a"
        total = sum(map(len, starts))
        count = sum(map(len, visited))
        print(
            f"| {enough} | {number} | {len(kept)}/{len(tabled)} | {compiled:.1f} | {size:.1f} "
            f"| {count} of {total} ({count / total:.0%}) | {scanned:.2f} | {missed} |"
        )


def _tiers() -> list[Any]:
    return [tier for matcher in hedgecheck.default_rules().matchers for tier in matcher.tiers()]


def _missed(tier: Any, texts: list[str], visited: list[set[int]]) -> int:
    """Cues the walk finds at a place neither visited nor found by the anywhere-scans."""
    missed = 0
    for text, places in zip(texts, visited, strict=True):
        anywhere = tier._anywhere_scans().starts(text, tier, ScanBudget())
        (cues,), _ = find_together((tier,), text)
        missed += sum(1 for cue in cues if cue.start not in places | anywhere)
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--enough", type=int, nargs="+", default=[8])
    args = parser.parse_args()
    if hyperscan is None:
        print("needs Hyperscan: pip install hyperscan", file=sys.stderr)
        return 2
    texts = [text for _, text in stories(args.data)]
    print("| cut | tier | compiled | compile s | MB | visited | scan CPU s | cues missed |")
    print("|---|---|---|---|---|---|---|---|")
    for enough in args.enough:
        measure(texts, enough)
    return 0


if __name__ == "__main__":
    sys.exit(main())
