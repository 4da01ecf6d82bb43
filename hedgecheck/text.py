"""Plain text into sentences with character offsets; offsets into lines and columns.

``segment`` classifies each line (``hedgecheck.pagelines``), finds the headline
(``hedgecheck.headlines``) and cuts prose into sentences (``hedgecheck.sentences``), with
the words and patterns of the rule set's lexicon (``hedgecheck.lexicon``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from hedgecheck.headlines import around_headline, pick_headline
from hedgecheck.lexicon import Lexicon, resolved
from hedgecheck.pagelines import Line, classify_lines, line_kind, wrapped
from hedgecheck.patterns import compiled
from hedgecheck.sentences import split_sentences

if TYPE_CHECKING:
    from hedgecheck.documents.blocks import Block

_TERMINAL = compiled(r"""[.!?]["'”’)\]]*\s*$|:\s*$""")
# Word and punctuation tokens, as a group for a split: the pieces' lengths, added up, are
# the tokens' bounds, and the split and the sums run in C (finditer made a match object per
# token, the dearest part of the scopes).
_TOKEN = compiled(r"(\w+(?:['’\-]\w+)*|[^\w\s])")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence-like unit: a sentence in prose, or a whole non-prose line."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    role: str
    block: str = "paragraph"


# A line ends at "\r\n", "\n" or a lone "\r" (old Mac files), as editors, Python's universal
# newlines and markdown-it count lines. Form feeds, U+2028 and U+0085 do not end a line.
LINE_BREAK = compiled(r"\r\n?|\n")


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts (see ``LINE_BREAK``)."""
    if "\r" not in text:
        # Only "\n" ends a line: split and add up in C rather than a match per line.
        lengths = (len(line) + 1 for line in text.split("\n")[:-1])
        return list(accumulate(lengths, initial=0))
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


class LineIndex:
    """Offset to 1-based line and column; columns count characters (code points)."""

    def __init__(self, text: str) -> None:
        self._starts = line_starts(text)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Word and punctuation tokens of ``text[start:end]`` as absolute offsets."""
    return list(zip(*token_bounds(text, start, len(text) if end is None else end), strict=True))


def token_bounds(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """The starts and the ends of the tokens of ``text[start:end]``, apart. The split
    alternates gaps and tokens, a gap first and last, so every other running total starts a
    token and the next one ends it. No token is empty or looks behind itself, so the slice
    has the tokens a search from ``start`` to ``end`` finds."""
    pieces = _TOKEN.split(text[start:end])
    bounds = list(accumulate(map(len, pieces), initial=start))
    return bounds[1:-1:2], bounds[2::2]


def segment(
    text: str, *, find_headline: bool = True, lexicon: Lexicon | None = None
) -> list[Sentence]:
    """Split ``text`` into sentences with roles (headline, standfirst, body, heading,
    furniture). The standfirst is prose but not the story's lede. ``lexicon`` is the rule
    set's (default: the default packs')."""
    lexicon = resolved(lexicon)
    lines = classify_lines(text, lexicon)
    headline = pick_headline(text, lines, lexicon) if find_headline else None
    if headline is not None:
        lines = around_headline(text, lines, headline, lexicon)
    sentences: list[Sentence] = []
    for group in _line_runs(text, lines):
        first = group[0]
        if first is headline:
            role = "headline"
        elif first.kind in ("heading", "furniture", "title", "standfirst"):
            role = "heading" if first.kind == "title" else first.kind
        else:
            role = "body"
        if role in ("body", "standfirst"):
            spans = split_sentences(text, first.content_start, group[-1].end, lexicon)
        else:
            spans = [(first.content_start, group[-1].end)]
        for start, end in spans:
            start, end = _trim(text, start, end)
            if end > start:
                block = _PLAIN_BLOCKS.get(role, "paragraph")
                sentences.append(
                    Sentence(
                        len(sentences), start, end, text[start:end], first.paragraph, role, block
                    )
                )
    return sentences


def _line_runs(text: str, lines: list[Line]) -> list[list[Line]]:
    """Group lines that continue one piece of prose; any other line stands alone."""
    runs: list[list[Line]] = []
    for line in lines:
        if runs and _continues(text, runs[-1][-1], line):
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _continues(text: str, previous: Line, line: Line) -> bool:
    if previous.paragraph != line.paragraph or previous.kind != "prose" or line.kind != "prose":
        return False
    if line.content_start != line.start + _indent(text, line):
        return False  # a bulleted line starts its own item
    if _TERMINAL.search(text[previous.start : previous.end]):
        return True
    return wrapped(text, previous, line)


def _indent(text: str, line: Line) -> int:
    body = text[line.start : line.end]
    return len(body) - len(body.lstrip())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_PLAIN_BLOCKS = {"headline": "title", "heading": "heading"}
# Block kinds of a structured document and the role their sentences play.
_BLOCK_ROLES = {
    "title": "headline",
    "heading": "heading",
    "caption": "caption",
    "alt-text": "caption",
}


def segment_blocks(
    text: str, blocks: Sequence[Block], *, lexicon: Lexicon | None = None
) -> list[Sentence]:
    """Sentences of a document whose structure a reader already found.

    Each block ends its sentences. A one-line paragraph the line classifier reads as a
    date, a credit or a label is furniture here too: pages put clutter in ``<p>`` tags.
    """
    lexicon = resolved(lexicon)
    sentences: list[Sentence] = []
    for number, block in enumerate(blocks):
        role = _BLOCK_ROLES.get(block.kind, "body")
        body = text[block.start : block.end]
        if role == "body" and "\n" not in body.strip():
            kind = line_kind(body, lexicon)
            role = kind if kind in ("furniture", "heading") else role
        if role in ("body", "caption"):
            spans = split_sentences(text, block.start, block.end, lexicon)
        else:
            spans = [(block.start, block.end)]
        for start, end in spans:
            start, end = _trim(text, start, end)
            if end > start:
                sentences.append(
                    Sentence(len(sentences), start, end, text[start:end], number, role, block.kind)
                )
    return sentences
