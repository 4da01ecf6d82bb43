"""Offsets in a document's extracted prose back to offsets in the file it came from.

Readers for Markdown and HTML drop markup and decode entities, so the prose the engine scans
is not the file. Every run of prose remembers the span of the file it stands for: copied runs
map character for character, decoded runs ("&amp;" read as "&") map as a whole.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of prose: ``text`` stands for ``source[start:end]``; ``copied`` when identical."""

    text: str
    start: int
    end: int
    copied: bool


class SourceMap:
    """Maps offsets in extracted prose to offsets in the source text."""

    __slots__ = ("_copied", "_source_ends", "_source_starts", "_text_starts")

    def __init__(self, pieces: list[Piece] | None = None) -> None:
        self._text_starts: list[int] = []
        self._source_starts: list[int] = []
        self._source_ends: list[int] = []
        self._copied: list[bool] = []
        offset = 0
        for piece in pieces or ():
            self._text_starts.append(offset)
            self._source_starts.append(piece.start)
            self._source_ends.append(piece.end)
            self._copied.append(piece.copied)
            offset += len(piece.text)

    @property
    def identity(self) -> bool:
        return not self._text_starts

    def start(self, offset: int) -> int:
        """Source offset where the prose character at ``offset`` begins."""
        if self.identity:
            return offset
        i = max(bisect_right(self._text_starts, offset) - 1, 0)
        if self._copied[i]:
            return self._source_starts[i] + offset - self._text_starts[i]
        return self._source_starts[i]

    def end(self, offset: int) -> int:
        """Source offset where prose ending (exclusively) at ``offset`` ends."""
        if self.identity:
            return offset
        if offset <= 0:
            return self.start(0)
        i = max(bisect_right(self._text_starts, offset - 1) - 1, 0)
        if self._copied[i]:
            return self._source_starts[i] + offset - self._text_starts[i]
        return self._source_ends[i]


class ProseBuilder:
    """Collects pieces of prose in reading order, merging contiguous copied runs."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pieces: list[Piece] = []

    def copy(self, start: int, end: int) -> None:
        """Take ``source[start:end]`` as it is."""
        if end <= start:
            return
        last = self.pieces[-1] if self.pieces else None
        if last is not None and last.copied and last.end == start:
            self.pieces[-1] = Piece(last.text + self.source[start:end], last.start, end, True)
        else:
            self.pieces.append(Piece(self.source[start:end], start, end, True))

    def emit(self, text: str, start: int, end: int) -> None:
        """Add ``text`` standing for ``source[start:end]`` (a decoded entity, a break)."""
        if text:
            self.pieces.append(Piece(text, start, end, False))

    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)
