"""HTML: the article's prose blocks, without site chrome, mapped back to the source.

The standard library's tokenizer is fast enough, tolerant of broken markup and keeps no
tree, so nesting depth costs nothing. ``<h1>`` (or else ``<title>``) is the headline;
paragraphs, list items, block quotes and captions are prose; scripts, styles, code,
tables, forms, navigation, asides, site headers and footers, and elements whose class, id
or role marks them as ads, cookie banners, sharing or related-link widgets are not.
Character references are decoded, each mapped to the span of source it was written as.
Markup the file's end leaves open is read as a browser reads it: an unclosed comment hides
the rest of the file, and an unclosed tag (an attribute value that never ends) is dropped
with all that follows it, so neither is ever read as prose. ``<!-->`` and ``<!--->`` are
empty comments, and ``<![`` starts a comment that ends at the next ``>``, as in a browser.

Python 3.11's tokenizer stops at a ``&#`` that starts no character reference it knows (``&#``,
``&#x``, ``&#;``) and reads the rest of the file, tags and all, as text. Such an ``&`` is
fed to it as a "%", which it reads as it reads "&" anywhere but at the start of a reference
(in a tag name, an attribute, a bare value), so every offset and every tag stays the same;
prose and alt text that hold a "%" are taken back from the source.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import regex

from hedgecheck.documents.blocks import Document, DraftBlock, assemble
from hedgecheck.documents.sourcemap import Piece
from hedgecheck.patterns import compiled

_SKIPPED = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "canvas",
        "video",
        "audio",
        "select",
        "textarea",
        "button",
        "form",
        "nav",
        "aside",
        "menu",
        "dialog",
        "pre",
        "code",
        "kbd",
        "samp",
        "table",
    ]
)
_SITE_CHROME = frozenset({"header", "footer"})
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_KINDS = {
    "figcaption": "caption",
    "li": "list-item",
    "blockquote": "quote",
    "title": "document-title",
}
# Class and id words that mark page furniture rather than the article.
_CHROME_WORDS = compiled(
    r"(?:^|[\s_-])(?:ads?|advert\w*|banner|breadcrumbs?|comments?|cookies?|consent|gdpr"
    r"|menu|modal|nav\w*|newsletter|outbrain|paywall|popup|promo\w*|related|share|sharing"
    r"|sidebar|social|sponsor\w*|subscribe\w*|taboola|toolbar|widget)(?:$|[\s_-])",
    regex.IGNORECASE,
)
_CHROME_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "dialog"}
)
_TITLE_SUFFIX = compiled(r"\s+[|–—-]\s+[^|–—-]+$")
# What the tokenizer holds back at the end of the input when it is left open: a comment, a
# declaration or processing instruction, or a start or end tag. A browser reads the first
# kinds to the end of the file as a comment, and drops a tag cut off by the end; "</" and
# anything but a letter starts a comment too ("</" alone at the end is text).
_OPEN_AT_END = compiled(r"<(?:[!?a-zA-Z]|/[\s\S])")
# A "&#" the tokenizer cannot read as a character reference (its own pattern, negated).
_LOST_CHARREF = compiled(r"&(?=#(?![0-9]+[^0-9a-fA-F]|[xX][0-9a-fA-F]+[^0-9a-fA-F]))")
_CHUNK = 1 << 16
_STAND_IN = "%"  # not "\0": it ends a tag name
# Browsers end these at once; the tokenizer would read on to the next "-->".
_EMPTY_COMMENTS = ("<!-->", "<!--->")
_NEWLINE = compiled(r"\n")


@dataclass(frozen=True, slots=True)
class _Element:
    """An open element; what it inherits is stored so that no lookup walks the stack."""

    tag: str
    skipped: bool
    kind_tag: str | None  # the innermost heading, caption, list item, quote or title
    in_article: bool


def read_html(source: str) -> Document:
    """The prose blocks of an HTML ``source``."""
    return assemble(source, "html", html_drafts(source))


def html_drafts(source: str) -> list[DraftBlock]:
    """The draft blocks of an HTML ``source``, in reading order (the headline first)."""
    blocks = HtmlBlocks(source)
    body = list(blocks)
    return body if blocks.title is None else [blocks.title, *body]


class HtmlBlocks:
    """The prose blocks of an HTML ``source`` in reading order, each given as soon as it is
    complete: the source is fed to the tokenizer ``_CHUNK`` characters at a time, so memory
    holds the blocks not yet taken, not the file's. Once they are all taken, ``title`` is the
    document title to put first (a page without ``<h1>``), else None."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.title: DraftBlock | None = None

    def __iter__(self) -> Iterator[DraftBlock]:
        source = self.source
        reader = _Reader(source)
        lost = _LOST_CHARREF.finditer(source)  # its lookahead reads past a chunk's end
        pending = next(lost, None)
        for start in range(0, len(source), _CHUNK):
            end = min(start + _CHUNK, len(source))
            fed, at = [], start
            while pending is not None and pending.start() < end:
                fed += [source[at : pending.start()], _STAND_IN]
                at = pending.end()
                pending = next(lost, None)
            fed.append(source[at:end])
            reader.feed("".join(fed))
            yield from reader.take_complete()
        if _OPEN_AT_END.match(reader.rawdata):
            # close() would read what is left as text, a 3 MB attribute value as one "word"
            reader.rawdata = ""
        reader.close()
        reader._end_block()
        yield from reader.take_complete()
        self.title = reader.leading_title()


class _Reader(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        # where the tokenizer's line (it counts "\n" alone as a line end) starts
        self.line, self.line_start = 1, 0
        self.current_at: int | None = None  # the current block's index in blocks
        self.stack: list[_Element] = []
        self.open_tags: Counter[str] = Counter()
        self.skipping = 0
        self.blocks: list[DraftBlock] = []
        self.current: DraftBlock | None = None
        self.document_title: DraftBlock | None = None
        self.headline_seen = False

    def take_complete(self) -> list[DraftBlock]:
        """The blocks no later markup can add to (all before the current one), let go."""
        cut = len(self.blocks) if self.current_at is None else self.current_at
        done = self.blocks[:cut]
        del self.blocks[:cut]
        if self.current_at is not None:
            self.current_at -= cut
        return done

    def leading_title(self) -> DraftBlock | None:
        """The document title, as the headline, when no ``<h1>`` was seen."""
        if self.headline_seen or self.document_title is None:
            return None
        _drop_site_name(self.document_title)
        self.document_title.kind = "title"
        return self.document_title

    # Tokenizer callbacks -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag, attrs)
            return
        if tag in _BLOCK:
            self._implied_end(tag)
            self._end_block()
        parent = self.stack[-1] if self.stack else None
        kind_tag = tag if tag in _HEADINGS or tag in _KINDS else parent and parent.kind_tag
        in_article = tag in ("article", "main") or bool(parent and parent.in_article)
        self._push(_Element(tag, self._is_chrome(tag, dict(attrs)), kind_tag, in_article))

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags[tag]:
            return
        while self.stack and self._pop().tag != tag:
            pass
        if tag in _BLOCK:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if self.skipping or not data:
            return
        start = self._offset()
        end = start + len(data)
        text = self.source[start:end] if _STAND_IN in data else data
        self._block().pieces.append(Piece(text, start, end, True))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")

    def parse_comment(self, i: int, report: int = 1) -> int:
        for empty in _EMPTY_COMMENTS:
            if self.rawdata.startswith(empty, i):
                return i + len(empty)
        return super().parse_comment(i, report)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        # Python 3.11 raises AssertionError on "<![" and no keyword; in HTML (outside SVG
        # and MathML, which are skipped) a browser reads any "<![" to the next ">" as a comment
        return self.parse_bogus_comment(i, report)

    # Helpers ---------------------------------------------------------------------------

    def _reference(self, raw: str) -> None:
        if self.skipping:
            return
        start = self._offset()
        end = start + len(raw)
        if self.source.startswith(";", end):
            end += 1
        decoded = html.unescape(self.source[start:end])
        self._block().pieces.append(Piece(decoded, start, end, decoded == self.source[start:end]))

    def _void(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            return
        start = self._offset()
        if tag == "br":
            raw = self.get_starttag_text() or ""
            self._block().pieces.append(Piece("\n", start, start + len(raw), False))
        elif tag == "hr":
            self._end_block()
        elif tag == "img":
            self._alt_text(start, dict(attrs))

    def _alt_text(self, start: int, attrs: dict[str, str | None]) -> None:
        alt = attrs.get("alt")
        raw = self.get_starttag_text() or ""
        found = regex.search(r"""\balt\s*=\s*(["']?)""", raw, regex.IGNORECASE)
        if not alt or not alt.strip() or not found:
            return
        value_start = start + found.end()
        quote = found.group(1)
        value_end = raw.find(quote, found.end()) if quote else found.end() + len(alt)
        end = start + value_end if value_end >= 0 else value_start
        written = self.source[value_start:end]
        if _STAND_IN in alt:
            alt = html.unescape(written)
        # Alt text stands apart from the prose it sits in: its own block, after it.
        self.blocks.append(DraftBlock("alt-text", [Piece(alt, value_start, end, alt == written)]))

    def _implied_end(self, tag: str) -> None:
        """An open <p> ends where a block starts, an open <li> where the next <li> does."""
        closes = {"p"} if tag != "li" else {"p", "li"}
        if tag in ("dt", "dd"):
            closes = {"p", "dt", "dd"}
        while self.stack and self.stack[-1].tag in closes:
            self._pop()

    def _push(self, element: _Element) -> None:
        self.stack.append(element)
        self.open_tags[element.tag] += 1
        self.skipping += element.skipped

    def _pop(self) -> _Element:
        element = self.stack.pop()
        self.open_tags[element.tag] -= 1
        self.skipping -= element.skipped
        return element

    def _is_chrome(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if tag in _SKIPPED:
            return True
        if tag in _SITE_CHROME and not (self.stack and self.stack[-1].in_article):
            return True
        if "hidden" in attrs or attrs.get("aria-hidden") == "true":
            return True
        if (attrs.get("role") or "").lower() in _CHROME_ROLES:
            return True
        marks = " ".join(filter(None, (attrs.get("class"), attrs.get("id"))))
        return bool(marks) and _CHROME_WORDS.search(marks) is not None

    def _block(self) -> DraftBlock:
        if self.current is None:
            kind = self._kind()
            self.current = DraftBlock(kind, [])
            if kind == "document-title":
                if self.document_title is None:
                    self.document_title = self.current
            else:
                self.current_at = len(self.blocks)
                self.blocks.append(self.current)
            self.headline_seen = self.headline_seen or kind == "title"
        return self.current

    def _kind(self) -> str:
        tag = self.stack[-1].kind_tag if self.stack else None
        if tag in _HEADINGS:
            return "title" if tag == "h1" and not self.headline_seen else "heading"
        return _KINDS.get(tag or "", "paragraph")

    def _end_block(self) -> None:
        self.current = None
        self.current_at = None

    def _offset(self) -> int:
        line, column = self.getpos()  # never goes back
        while self.line < line:
            self.line_start = self.source.index("\n", self.line_start) + 1
            self.line += 1
        return self.line_start + column


def _drop_site_name(title: DraftBlock) -> None:
    """ "Study finds X | The Daily Site" — the site's name is not part of the headline."""
    text = "".join(piece.text for piece in title.pieces)
    suffix = _TITLE_SUFFIX.search(text)
    if not suffix or suffix.start() < len(text) / 3:
        return
    keep, kept = suffix.start(), []
    for piece in title.pieces:
        if keep <= 0:
            break
        if len(piece.text) > keep:
            piece = Piece(piece.text[:keep], piece.start, piece.start + keep, piece.copied)
        kept.append(piece)
        keep -= len(piece.text)
    title.pieces[:] = kept
