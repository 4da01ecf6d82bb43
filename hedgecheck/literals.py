"""The words a cue pattern cannot match without: a few literal strings, one of which every
match holds within what it reads from its start on (its lookaheads included).

A branch tried at every sentence start (hedgecheck.anywhere) costs tens of microseconds
there, and matches at few: where none of its words lies ahead within the cue window, it
cannot match, and is not tried. The pattern is read with the standard library's parser,
which reads the syntax the packs use as the regex module does; a pattern it cannot read, or
may read otherwise (a POSIX class, a fuzzy constraint), has no words, and is tried
everywhere as before.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import regex

from hedgecheck.openings import pattern_syntax

# A literal with whether it is matched without regard to case.
Literal = tuple[str, bool]

# Characters a kept literal may hold: those the two parsers never read apart.
_PLAIN = frozenset(" -'@")
_SHORTEST = 3
# A brace the two parsers read alike: a repeat count.
_REPEAT = re.compile(r"\{\d*(?:,\d*)?\}")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def required_literals(body: str) -> tuple[Literal, ...] | None:
    """The words one of which every match of ``body`` holds, or None when no such words
    can be told."""
    parsed = parsed_pattern(body)
    if parsed is None:
        return None
    found = _of_sequence(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    if not found or min(len(word) for word, _ in found) < _SHORTEST:
        return None  # words as short as "in" are in every sentence: no use searching
    return tuple(sorted(_shortest(found)))


def parsed_pattern(body: str) -> Any:
    """``body`` read by the standard library's parser, or None where it may read it
    otherwise than the regex module does (a POSIX class, a fuzzy constraint) or cannot."""
    if "[:" in body or any(
        kind == "{" and not _REPEAT.match(body, at) for at, kind in pattern_syntax(body)
    ):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return _parser.parse(body)
    except (re.error, Warning, RecursionError, OverflowError):
        return None


# The characters that a pattern's ASCII letter matches regardless of case and that
# str.lower() does not turn into it: while a text holds none, a word of ASCII letters is
# found in its lower-case copy where the regex engine would find it, at the same offsets.
_FOLDED_APART = ("\u0130", "\u0131", "\u017f")


class WordSearch:
    """Where the next of a branch's words starts in one text, asked for at positions in
    order (each word's search resumes where it stopped: linear in the text, with nothing
    kept per hit). Words are searched for as plain strings (a regex alternation of twenty
    words costs thirty times as much), in a lower-case copy for words in any case."""

    __slots__ = ("_next", "_searches", "_text")

    def __init__(self, words: tuple[Literal, ...], text: str, lowered: str | None) -> None:
        self._text = text
        self._searches: list[Callable[[int], int]] = [
            _search(word, blind, text, lowered) for word, blind in words
        ]
        self._next = [-1] * len(words)

    def within(self, position: int, end: int) -> bool:
        """Whether one of the words starts in [position, end)."""
        upcoming = self._next
        for k, search in enumerate(self._searches):
            at = upcoming[k]
            if at < position:
                at = upcoming[k] = search(position)
            if at < end:
                return True
        return False

    def next_at(self, position: int) -> int:
        """Where the first word at or after ``position`` starts (the text's length if none)."""
        upcoming = self._next
        for k, search in enumerate(self._searches):
            if upcoming[k] < position:
                upcoming[k] = search(position)
        return min(upcoming, default=len(self._text))


def lowered(text: str) -> str | None:
    """``text`` in lower case, with each character where it was, unless it holds one that
    folds apart (then words in any case are searched for by the regex engine)."""
    return None if any(ch in text for ch in _FOLDED_APART) else text.lower()


def _search(word: str, blind: bool, text: str, lower: str | None) -> Callable[[int], int]:
    """Where ``word`` next starts at or after a position (the text's length if nowhere)."""
    if blind and (lower is None or not word.isascii()):
        pattern = regex.compile(f"(?i:{regex.escape(word)})")

        def found(position: int) -> int:
            match = pattern.search(text, position)
            return len(text) if match is None else match.start()

        return found
    haystack, word = (lower, word.lower()) if blind else (text, word)

    def at(position: int) -> int:
        start = haystack.find(word, position)  # type: ignore[union-attr]
        return len(text) if start < 0 else start

    return at


def _of_sequence(items: list[tuple[Any, Any]], blind: bool) -> set[Literal] | None:
    """The words one of which a match of ``items`` in a row holds: those of the item
    whose shortest word is longest."""
    candidates: list[set[Literal]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        candidates.extend({(word, blind)} for word in _words("".join(run)))
        run = []
        found = _of_item(op, av, blind)
        if found:
            candidates.append(found)
    if not candidates:
        return None
    return max(candidates, key=lambda words: (min(len(w) for w, _ in words), -len(words)))


def _of_item(op: Any, av: Any, blind: bool) -> set[Literal] | None:
    if op is sre.SUBPATTERN:
        _, on, off, inner = av
        return _of_sequence(list(inner), (blind or bool(on & re.I)) and not off & re.I)
    if op is sre.BRANCH:
        each = [_of_sequence(list(branch), blind) for branch in av[1]]
        return None if any(not words for words in each) else set().union(*each)  # type: ignore[arg-type]
    if op in _REPEATS:
        return _of_sequence(list(av[2]), blind) if av[0] >= 1 else None
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _of_sequence(list(av), blind)
    if op is sre.ASSERT and av[0] == 1:  # a lookahead reads within the cue window
        return _of_sequence(list(av[1]), blind)
    return None


def _words(run: str) -> list[str]:
    """The runs of plain characters in a run of literal characters."""
    return [w for w in re.split(r"[^\w" + re.escape("".join(_PLAIN)) + "]", run) if w.strip()]


def _shortest(words: set[Literal]) -> set[Literal]:
    """``words`` less each that holds another found as well ("needs" holds "need")."""
    return {
        (word, blind)
        for word, blind in words
        if not any(
            other != (word, blind) and other[0] in word and (other[1] or not blind)
            for other in words
        )
    }
