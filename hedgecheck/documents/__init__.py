"""Documents: the prose of a plain-text, Markdown or HTML file, with its structure.

A reader turns a file's text (the *source*) into the prose a careful reader would check,
as a sequence of blocks (headline, headings, paragraphs, list items, quotes, captions), and
keeps a map from every prose offset back into the source, so positions reported to the user
point at the file they opened. Plain text has no markup: its prose is the source and its
structure is found by the line classifier in :mod:`hedgecheck.pagelines`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from hedgecheck.documents.sourcemap import Piece, ProseBuilder, SourceMap
from hedgecheck.errors import UsageError

INPUT_FORMATS = ("text", "markdown", "html")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}
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


def format_for_path(path: str | PurePath) -> str:
    """The input format a file's extension implies; plain text when it implies none."""
    return _EXTENSIONS.get(PurePath(path).suffix.lower(), "text")


def read_document(source: str, *, format: str = "text") -> Document:
    """Read ``source`` as ``format`` ("text", "markdown" or "html")."""
    if format == "text":
        return Document(source=source, text=source, format="text")
    if format == "markdown":
        from hedgecheck.documents.markdown import read_markdown

        return read_markdown(source)
    if format == "html":
        from hedgecheck.documents.html import read_html

        return read_html(source)
    raise UsageError(f"unknown input format {format!r}; choose one of {', '.join(INPUT_FORMATS)}")


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


__all__ = [
    "BLOCK_KINDS",
    "INPUT_FORMATS",
    "Block",
    "Document",
    "DraftBlock",
    "Piece",
    "SourceMap",
    "assemble",
    "format_for_path",
    "read_document",
]
