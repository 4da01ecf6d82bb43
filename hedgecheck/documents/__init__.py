"""Documents: the prose of a plain-text, Markdown or HTML file, with its structure.

A reader turns a file's text (the *source*) into the prose a careful reader would check,
as a sequence of blocks (headline, headings, paragraphs, list items, quotes, captions), and
keeps a map from every prose offset back into the source, so positions reported to the user
point at the file they opened. Plain text has no markup: its prose is the source and its
structure is found by the line classifier in :mod:`hedgecheck.pagelines`.

Modules: ``blocks`` (the blocks and the document they make), ``sourcemap`` (prose offsets to
source offsets), ``markdown`` and ``html`` (the readers, imported when a file needs one).
"""

from __future__ import annotations

from pathlib import PurePath

from hedgecheck.documents.blocks import Document
from hedgecheck.errors import UsageError

INPUT_FORMATS = ("text", "markdown", "html")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


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


__all__ = ["INPUT_FORMATS", "format_for_path", "read_document"]
