"""Blocks: the structure a reader finds in a file, and the document it assembles from them.

A reader (Markdown, HTML) drafts blocks of prose pieces; :func:`assemble` joins them into one
prose text with a map back into the source. The text segmenter (:mod:`hedgecheck.text`)
takes the blocks as given, so this module imports no reader and nothing that reads text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hedgecheck.documents.sourcemap import Piece, ProseBuilder, SourceMap

# Block kinds a reader may produce; "title" is the headline.
BLOCK_KINDS = frozenset(
    {"title", "heading", "paragraph", "list-item", "quote", "caption", "alt-text"}
)
_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of prose; it ends every sentence and every cue's scope in it."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """The prose of one file: ``text`` to scan, ``blocks`` of it, and the map to ``source``."""

    source: str
    text: str
    format: str
    blocks: tuple[Block, ...] | None = None
    source_map: SourceMap = field(default_factory=SourceMap)


@dataclass(slots=True)
class DraftBlock:
    """A block being read: its kind and its pieces of prose."""

    kind: str
    pieces: list[Piece]

    def has_words(self) -> bool:
        return any(not piece.text.isspace() for piece in self.pieces if piece.text)


def assemble(source: str, format: str, drafts: Iterable[DraftBlock]) -> Document:
    """Join draft blocks into one prose text, a blank line between blocks."""
    builder = ProseBuilder(source)
    blocks: list[Block] = []
    offset = 0
    for draft in drafts:
        if not draft.has_words():
            continue
        if blocks:
            anchor = builder.pieces[-1].end
            builder.emit(_SEPARATOR, anchor, anchor)
            offset += len(_SEPARATOR)
        start = offset
        for piece in draft.pieces:
            if piece.copied:
                builder.copy(piece.start, piece.end)
            else:
                builder.emit(piece.text, piece.start, piece.end)
            offset += len(piece.text)
        blocks.append(Block(draft.kind, start, offset))
    return Document(
        source=source,
        text=builder.text(),
        format=format,
        blocks=tuple(blocks),
        source_map=SourceMap(builder.pieces),
    )
