"""Markdown: prose blocks from markdown-it-py's token stream, mapped back to the source.

Front matter, code (fenced, indented, inline), raw HTML and comments, link destinations,
autolinks, tables and footnotes are not prose. Image alt text is kept as its own
``alt-text`` block. The front matter's ``title``, or else the first level-1 heading, is the
headline. markdown-it-py gives line ranges for blocks but no offsets inside them, so each
inline token is located in the source by searching forward from a cursor.
"""

from __future__ import annotations

import html
from functools import cache

import regex
from markdown_it import MarkdownIt
from markdown_it.token import Token

from hedgecheck.documents.blocks import Document, DraftBlock, assemble
from hedgecheck.documents.sourcemap import Piece
from hedgecheck.patterns import compiled
from hedgecheck.text import LINE_BREAK, line_starts

_FRONT_MATTER = compiled(
    r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n(.*?)^\1[ \t]*(?:\r?\n|\Z)", regex.S | regex.M
)
_TITLE_KEY = compiled(r"""^title\s*[:=]\s*(?:(["'])(?P<t>.*?)\1|(?P<t>[^\r\n#]*?))\s*$""", regex.M)
_FOOTNOTE_DEFINITION = compiled(
    r"^\[\^[^\]\s]+\]:.*(?:\r?\n(?:[ \t]+\S.*|[ \t]*)(?=\r?\n[ \t]|\Z|\r?\n\r?\n[ \t]))*", regex.M
)
_FOOTNOTE_REFERENCE = compiled(r"\[\^[^\]\s]+\]")
_ENTITY = compiled(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
_WORD_CHARACTER = compiled(r"[\p{L}\p{N}]")
_CONTAINERS = {"blockquote_open": "quote", "list_item_open": "list-item", "table_open": "table"}


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def read_markdown(source: str) -> Document:
    """The prose blocks of a Markdown ``source``."""
    title, parse_source = _front_matter(source)
    reader = _Reader(source, parse_source)
    drafts = reader.read(_parser().parse(parse_source), has_title=title is not None)
    if title is not None:
        drafts.insert(0, title)
    return assemble(source, "markdown", drafts)


def _front_matter(source: str) -> tuple[DraftBlock | None, str]:
    """The front matter's title as a draft block, and the source with it blanked out.

    Blanking (spaces for every character but line breaks) keeps every offset of the rest.
    """
    title = None
    match = _FRONT_MATTER.match(source)
    if match:
        found = _TITLE_KEY.search(match.group(2))
        if found and found.group("t").strip():
            start, end = found.span("t")
            offset = match.start(2)
            title = DraftBlock(
                "title", [Piece(found.group("t"), offset + start, offset + end, True)]
            )
    hidden = [match.span()] if match else []
    hidden += [definition.span() for definition in _FOOTNOTE_DEFINITION.finditer(source)]
    return title, _blank(source, hidden)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span blanked, in one pass: blanking one span at a time copied
    the whole text once per footnote."""
    pieces: list[str] = []
    at = 0
    for start, end in sorted(spans):
        start = max(start, at)
        if end <= start:
            continue
        pieces.append(text[at:start])
        pieces.append(_BLANKS.sub(" ", text[start:end]))
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


_BLANKS = compiled(r"[^\r\n]")


class _Reader:
    """Walks the token stream keeping a cursor in the source."""

    def __init__(self, source: str, parse_source: str) -> None:
        self.source = source
        self.parse_source = parse_source
        # markdown-it's line numbers count "\r\n", "\r" and "\n" as line ends.
        self.line_starts = line_starts(parse_source)

    def read(self, tokens: list[Token], *, has_title: bool) -> list[DraftBlock]:
        drafts: list[DraftBlock] = []
        containers: list[str] = []
        heading: str | None = None
        title_taken = has_title
        for token in tokens:
            if token.type in _CONTAINERS:
                containers.append(_CONTAINERS[token.type])
            elif token.type in ("blockquote_close", "list_item_close", "table_close"):
                if containers:
                    containers.pop()
            elif token.type == "heading_open":
                heading = token.tag
            elif token.type == "heading_close":
                heading = None
            elif token.type == "inline" and token.map and "table" not in containers:
                kind = self._kind(heading, containers, title_taken)
                title_taken = title_taken or kind == "title"
                drafts.extend(self._inline(token, kind))
        return drafts

    @staticmethod
    def _kind(heading: str | None, containers: list[str], title_taken: bool) -> str:
        if heading is not None:
            return "title" if heading == "h1" and not title_taken else "heading"
        return containers[-1] if containers else "paragraph"

    def _inline(self, token: Token, kind: str) -> list[DraftBlock]:
        first, last = token.map or (0, 0)
        cursor = self.line_starts[first]
        limit = self.line_starts[last] if last < len(self.line_starts) else len(self.source)
        prose = DraftBlock(kind, [])
        alt_texts: list[DraftBlock] = []
        skipping_autolink = False
        for child in token.children or ():
            kind_of = child.type
            if kind_of == "text":
                if not skipping_autolink:
                    cursor = self._text(child.content, cursor, limit, prose.pieces)
            elif kind_of in ("softbreak", "hardbreak"):
                newline = LINE_BREAK.search(self.parse_source, cursor, limit)
                if newline:
                    prose.pieces.append(Piece("\n", newline.start(), newline.end(), False))
                    cursor = newline.end()
            elif kind_of == "code_inline":
                cursor = self._skip_code(child, cursor, limit)
                prose.pieces.append(Piece(" ", cursor, cursor, False))
            elif kind_of == "html_inline":
                found = self.parse_source.find(child.content, cursor, limit)
                cursor = found + len(child.content) if found >= 0 else cursor
            elif kind_of == "image":
                alt = DraftBlock("alt-text", [])
                cursor = self._image(child, cursor, limit, alt.pieces)
                alt_texts.append(alt)
            elif kind_of == "link_open":
                skipping_autolink = child.markup == "autolink"
                opener = "<" if skipping_autolink else "["
                found = self.parse_source.find(opener, cursor, limit)
                cursor = found + 1 if found >= 0 else cursor
            elif kind_of == "link_close":
                if skipping_autolink:
                    found = self.parse_source.find(">", cursor, limit)
                    cursor = found + 1 if found >= 0 else cursor
                    skipping_autolink = False
                else:
                    cursor = self._skip_link_tail(cursor, limit)
        return [prose, *alt_texts]

    def _text(self, content: str, cursor: int, limit: int, pieces: list[Piece]) -> int:
        """Locate ``content`` from ``cursor``; footnote references in it are not prose."""
        position = 0
        for reference in _FOOTNOTE_REFERENCE.finditer(content):
            cursor = self._align(content[position : reference.start()], cursor, limit, pieces)
            cursor = self._align(reference.group(), cursor, limit, [])
            position = reference.end()
        return self._align(content[position:], cursor, limit, pieces)

    def _align(self, content: str, cursor: int, limit: int, pieces: list[Piece]) -> int:
        """Pieces for ``content`` found in the source from ``cursor``; the new cursor.

        The quick path finds it verbatim with only markup before it; otherwise each
        character is matched in turn, reading backslash escapes and entities as what they
        stand for.
        """
        if not content:
            return cursor
        source = self.parse_source
        found = source.find(content, cursor, limit)
        if found >= 0 and not _WORD_CHARACTER.search(source, cursor, found):
            pieces.append(Piece(content, found, found + len(content), True))
            return found + len(content)
        for ch in content:
            position = cursor
            while position < limit:
                if source[position] == ch:
                    pieces.append(Piece(ch, position, position + 1, True))
                    cursor = position + 1
                    break
                span = self._escape_at(position, limit)
                if span and _unescaped(source[position:span]) == ch:
                    pieces.append(Piece(ch, position, span, False))
                    cursor = span
                    break
                position += 1
            else:
                # Not in the source as written: keep the character, pointing at the cursor.
                pieces.append(Piece(ch, cursor, cursor, False))
        return cursor

    def _escape_at(self, position: int, limit: int) -> int | None:
        source = self.parse_source
        if source[position] == "\\" and position + 1 < limit:
            return position + 2
        if source[position] == "&":
            entity = _ENTITY.match(source, position, limit)
            if entity:
                return entity.end()
        return None

    def _skip_code(self, token: Token, cursor: int, limit: int) -> int:
        source = self.parse_source
        opening = source.find(token.markup, cursor, limit)
        if opening < 0:
            return cursor
        closing = source.find(token.markup, opening + len(token.markup), limit)
        return closing + len(token.markup) if closing >= 0 else opening + len(token.markup)

    def _image(self, token: Token, cursor: int, limit: int, pieces: list[Piece]) -> int:
        opening = self.parse_source.find("![", cursor, limit)
        if opening < 0:
            return cursor
        cursor = self._align(token.content, opening + 2, limit, pieces)
        return self._skip_link_tail(cursor, limit)

    def _skip_link_tail(self, cursor: int, limit: int) -> int:
        """Past the "]" that closes a link's text and the destination or label after it."""
        source = self.parse_source
        closing = source.find("]", cursor, limit)
        if closing < 0:
            return cursor
        position = closing + 1
        if position < limit and source[position] == "(":
            depth = 0
            while position < limit:
                if source[position] == "\\":
                    position += 2
                    continue
                if source[position] == "(":
                    depth += 1
                elif source[position] == ")":
                    depth -= 1
                    if depth == 0:
                        return position + 1
                position += 1
            return limit
        if position < limit and source[position] == "[":
            label_end = source.find("]", position, limit)
            return label_end + 1 if label_end >= 0 else position
        return position


def _unescaped(raw: str) -> str:
    return raw[1:] if raw.startswith("\\") else html.unescape(raw)
