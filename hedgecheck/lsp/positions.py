"""A document's lines as LSP counts them, and offsets into its text as LSP positions.

The report's offsets count characters (code points) of the text. LSP counts lines split at
``\\n``, ``\\r\\n`` and ``\\r`` only (Python's ``splitlines`` also splits at form feeds and
U+2028, which would shift every later line), and columns in the code units of the position
encoding the client and server agreed on at initialisation: UTF-16 unless the client offered
UTF-8 or UTF-32. pygls's position codec converts columns; the lines are ours.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex
from lsprotocol import types
from pygls.workspace import PositionCodec

_LINE_END = regex.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Lines:
    """The lines of a text (each with its line break), and the offset each starts at."""

    rows: tuple[str, ...]
    starts: tuple[int, ...]
    length: int

    @classmethod
    def of(cls, text: str) -> Lines:
        rows: list[str] = []
        starts = [0]
        for match in _LINE_END.finditer(text):
            rows.append(text[starts[-1] : match.end()])
            starts.append(match.end())
        rows.append(text[starts[-1] :])  # a text ending in a line break has an empty last line
        return cls(tuple(rows), tuple(starts), len(text))

    def position(self, offset: int, codec: PositionCodec) -> types.Position:
        """The LSP position of a character offset (clamped into the text)."""
        offset = max(0, min(offset, self.length))
        line = bisect_right(self.starts, offset) - 1
        column = offset - self.starts[line]
        return codec.position_to_client_units(self.rows, types.Position(line, column))

    def range(self, start: int, end: int, codec: PositionCodec) -> types.Range:
        return types.Range(self.position(start, codec), self.position(end, codec))

    def offset(self, position: types.Position, codec: PositionCodec) -> int:
        """The character offset of an LSP position; a column past the end of its line is
        the line's end (before its break), a line past the last is the end of the text."""
        if position.line >= len(self.rows):
            return self.length
        row = self.rows[position.line]
        content = len(row.rstrip("\r\n"))  # a row holds one line break, at its end
        if position.character >= codec.client_num_units(row[:content]):
            return self.starts[position.line] + content
        # A copy: the codec moves the character of a position it is given past the line.
        asked = types.Position(line=position.line, character=max(0, position.character))
        column = codec.position_from_client_units(self.rows, asked).character
        return self.starts[position.line] + min(column, content)
