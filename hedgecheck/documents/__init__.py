"""Documents: the prose of a plain-text, Markdown, HTML or Word file, with its structure.

A reader turns a file's text (the *source*) into the prose a careful reader would check,
as a sequence of blocks (headline, headings, paragraphs, list items, quotes, captions), and
keeps a map from every prose offset back into the source, so positions reported to the user
point at the file they opened. Plain text has no markup: its prose is the source and its
structure is found by the line classifier in :mod:`hedgecheck.pagelines`.

A Word document is read from its bytes (``docx``, with the optional python-docx): its source
is the extracted text, one line per paragraph, which is what its report quotes and shows.

Modules: ``blocks`` (the blocks and the document they make), ``sourcemap`` (prose offsets to
source offsets), ``markdown``, ``html`` and ``docx`` (the readers, imported when a file needs
one).
"""

from __future__ import annotations

from pathlib import PurePath

from hedgecheck.documents.blocks import Document
from hedgecheck.errors import UsageError

INPUT_FORMATS = ("text", "markdown", "html", "docx")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".docx": "docx",
}


def format_for_path(path: str | PurePath) -> str:
    """The input format a file's extension implies; plain text when it implies none."""
    return _EXTENSIONS.get(PurePath(path).suffix.lower(), "text")


def read_document(source: str | bytes, *, format: str = "text") -> Document:
    """Read ``source`` as ``format`` ("text", "markdown", "html" or "docx").

    A Word document ("docx") is read from the file's bytes; given text, it is a Word
    document's extracted text (its report's ``source``), each line a paragraph.
    """
    if format == "text":
        return Document(source=source, text=source, format="text")
    if format == "markdown":
        from hedgecheck.documents.markdown import read_markdown

        return read_markdown(source)
    if format == "html":
        from hedgecheck.documents.html import read_html

        return read_html(source)
    if format == "docx":
        from hedgecheck.documents.docx import read_docx, read_docx_text

        return read_docx_text(source) if isinstance(source, str) else read_docx(source)
    raise UsageError(f"unknown input format {format!r}; choose one of {', '.join(INPUT_FORMATS)}")


__all__ = ["INPUT_FORMATS", "format_for_path", "read_document"]
