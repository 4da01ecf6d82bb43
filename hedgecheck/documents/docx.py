"""Word documents: the prose of a ``.docx``, read with python-docx (``hedgecheck[docx]``).

A ``.docx`` is a zip archive of XML parts. Its prose is the body's paragraphs in the order
Word shows them, the paragraphs of table cells included (row by row, cell by cell). The
``source`` of a Word document is its extracted text, one line per body paragraph, empty
paragraphs included as empty lines: a position's line is the paragraph's number and its
column the character in that paragraph (both 1-based), and a report's source is text every
output format can quote and show.

Prose is the text as it reads with every tracked change accepted: insertions and moves into
place (``w:ins``, ``w:moveTo``) are prose, deletions and moves away (``w:del``,
``w:moveFrom``) are not. Nor are comments, footnotes, endnotes, headers and footers (other
parts of the archive, never read), field codes (``w:instrText``; a field's shown result is
prose), hidden text, text boxes and drawings, or a table of contents (its line is left
empty). A tab is kept; a line, page or column break inside a paragraph is read as a space,
so that a paragraph stays one line.

Paragraph styles, and the styles they are based on, give the blocks: Title is the headline
(or, in a document without one, the first Heading 1); Heading 1-9, and any paragraph with an
outline level, are headings; Quote and Intense Quote are quotes; Caption is a caption; List
styles and numbered or bulleted paragraphs are list items; the rest are paragraphs. Word
names its built-in styles in English whatever the language of its interface (a German
document's "Überschrift 1" is ``heading 1`` with the id ``berschrift1``); the style's id is
read too, for documents written by other tools.

python-docx reads every part of the archive into memory, so the archive's members are
first weighed by the sizes its directory declares (the zip reader never unpacks more than a
member declares): a document whose parts unpack to more than the size limit is refused
before it is parsed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hedgecheck.documents.blocks import Document, DraftBlock, assemble
from hedgecheck.documents.sourcemap import Piece
from hedgecheck.errors import InputError
from hedgecheck.patterns import compiled
from hedgecheck.reading import DEFAULT_MAX_BYTES
from hedgecheck.text import LINE_BREAK

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import BaseStyle

INSTALL = "pip install 'hedgecheck[docx]'"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH, _RUN, _TEXT, _VAL = _W + "p", _W + "r", _W + "t", _W + "val"
# Where a body's paragraphs are: tables, their rows and cells, content controls.
_PARAGRAPH_HOLDERS = frozenset(
    _W + tag for tag in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
# What holds a paragraph's shown text; anything else in a paragraph (deletions, properties,
# drawings and text boxes, field codes, comment marks) is skipped with all it holds.
_TEXT_HOLDERS = frozenset(
    _W + tag
    for tag in (
        "r",
        "ins",
        "moveTo",
        "hyperlink",
        "smartTag",
        "sdt",
        "sdtContent",
        "fldSimple",
        "customXml",
        "dir",
        "bdo",
    )
)
_CHARACTERS = {
    _W + "tab": "\t",
    _W + "ptab": "\t",
    _W + "br": " ",
    _W + "cr": " ",
    _W + "noBreakHyphen": "-",
}
_OFF = frozenset({"0", "false", "off"})
_HEADING = compiled(r"heading ?([1-9])")
_NAMED = {
    "title": "title",
    "quote": "quote",
    "intense quote": "quote",
    "intensequote": "quote",
    "caption": "caption",
    "toc heading": "contents",
    "tocheading": "contents",
}
_CONTENTS = compiled(r"toc ?[1-9]")
_LIST = compiled(r"list(?: .*|paragraph|bullet\d?|number\d?|continue\d?)?")
_MOST_BASES = 16  # styles based on styles: a chain this long is a loop or a hostile file


@dataclass(frozen=True, slots=True)
class _Style:
    """What a paragraph style says of its paragraphs: a block kind ("contents" for a table
    of contents, "" for none), its heading level, and whether it numbers them."""

    kind: str
    level: int | None
    numbered: bool


def read_docx(data: bytes, *, name: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The prose blocks of the Word document in ``data``; its source is the extracted text.

    A file that is not a Word document, or whose parts unpack to more than ``max_bytes``,
    is an :class:`InputError` naming ``name``; so is a missing python-docx, with the
    command that installs it.
    """
    word = _open(data, name, max_bytes)
    body = word.element.find(_W + "body")
    styles = _Styles(word, name)
    lines: list[str] = []
    kinds: list[str] = []
    levels: list[int | None] = []
    for paragraph in _paragraphs(body) if body is not None else ():
        kind, level = _kind(paragraph, styles)
        lines.append("" if kind == "contents" else _text(paragraph))
        kinds.append(kind)
        levels.append(level)
    worded = [bool(line.strip()) for line in lines]
    return _document(lines, _headline(kinds, levels, worded))


def read_docx_text(source: str) -> Document:
    """A Word document's extracted text (a report's ``source``) read back, each line a
    paragraph: the prose and its map are the document's own, which is what showing a report
    needs, though every block is a paragraph."""
    lines = LINE_BREAK.split(source)
    return _document(lines, ["paragraph"] * len(lines), ends=LINE_BREAK.findall(source))


def _document(lines: list[str], kinds: list[str], *, ends: list[str] | None = None) -> Document:
    """The document whose source is ``lines``, each ended by its line end ("\n" unless
    ``ends`` are given; the last has none), each line a block of its kind."""
    ends = [*(ends if ends is not None else ["\n"] * len(lines[1:])), ""][: len(lines)]
    drafts: list[DraftBlock] = []
    start = 0
    for line, kind, end in zip(lines, kinds, ends, strict=True):
        drafts.append(DraftBlock(kind, [Piece(line, start, start + len(line), True)]))
        start += len(line) + len(end)
    source = "".join(line + end for line, end in zip(lines, ends, strict=True))
    return assemble(source, "docx", drafts)


def _open(data: bytes, name: str, max_bytes: int) -> WordDocument:
    try:
        import docx
    except ImportError:
        raise InputError(
            f"reading a Word document needs python-docx: {INSTALL}", path=name
        ) from None
    _check_archive(data, name, max_bytes)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:
        # python-docx lets through whatever its zip, package and XML layers raise on a
        # damaged file (BadZipFile, KeyError, ValueError, XMLSyntaxError…): each one means
        # this file cannot be read, and a scan goes on with the next.
        raise _unreadable(exc, name) from None


def _check_archive(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse what is not a zip archive, or unpacks to more than ``max_bytes``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise InputError(f"not a Word document (not a zip archive: {exc})", path=name) from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_bytes:
        raise InputError(
            f"a Word document whose parts unpack to {unpacked:,} bytes, more than the limit "
            f"of {max_bytes:,} bytes (--max-file-size); not read",
            path=name,
        )


def _unreadable(exc: Exception, name: str) -> InputError:
    text = str(exc).strip().strip("\"'")
    reason = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return InputError(f"not a readable Word document ({reason})", path=name)


def _walk(root: Any, enters: Callable[[Any], bool]) -> Iterator[Any]:
    """The elements under ``root`` in document order, going into those ``enters`` accepts;
    a loop, not recursion, so that nesting cannot exhaust the stack."""
    stack = [iter(root)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        yield element
        if enters(element):
            stack.append(iter(element))


def _paragraphs(body: Any) -> Iterator[Any]:
    """The body's paragraphs, those in tables and content controls included, in order."""
    for element in _walk(body, lambda e: e.tag in _PARAGRAPH_HOLDERS):
        if element.tag == _PARAGRAPH:
            yield element


def _text(paragraph: Any) -> str:
    """A paragraph's shown text on one line."""
    pieces: list[str] = []
    for element in _walk(paragraph, _shows_text):
        if element.tag == _TEXT:
            pieces.append(element.text or "")
        else:
            pieces.append(_CHARACTERS.get(element.tag, ""))
    return LINE_BREAK.sub(" ", "".join(pieces))


def _shows_text(element: Any) -> bool:
    if element.tag not in _TEXT_HOLDERS:
        return False
    return element.tag != _RUN or not _switched_on(element.find(f"{_W}rPr/{_W}vanish"))


def _switched_on(toggle: Any) -> bool:
    """Whether a toggle property (``<w:vanish/>``, ``<w:vanish w:val="0"/>``) is on."""
    return toggle is not None and toggle.get(_VAL, "true").lower() not in _OFF


def _kind(paragraph: Any, styles: _Styles) -> tuple[str, int | None]:
    """The paragraph's block kind and heading level, from its style and its own properties."""
    properties = paragraph.find(_W + "pPr")
    style_id = None
    if properties is not None:
        named = properties.find(_W + "pStyle")
        style_id = named.get(_VAL) if named is not None else None
    style = styles.of(style_id)
    if style.kind:
        return style.kind, style.level
    level = _outline_level(properties)
    if level is not None:
        return "heading", level
    if style.level is not None:
        return "heading", style.level
    if _numbered(properties) or style.numbered:
        return "list-item", None
    return "paragraph", None


def _outline_level(properties: Any) -> int | None:
    """The heading level an outline level (0 to 8; 9 is body text) gives, if any."""
    if properties is None:
        return None
    outline = properties.find(_W + "outlineLvl")
    value = outline.get(_VAL, "") if outline is not None else ""
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


def _numbered(properties: Any) -> bool:
    """Whether paragraph properties number or bullet it (numbering id 0 switches that off)."""
    if properties is None:
        return False
    number = properties.find(f"{_W}numPr/{_W}numId")
    return number is not None and number.get(_VAL, "0") != "0"


def _headline(kinds: list[str], levels: list[int | None], worded: list[bool]) -> list[str]:
    """The first Title paragraph with words is the headline, other ones headings; without
    one, the first Heading 1 is (as a Markdown file's first level-1 heading is)."""
    first = next((i for i, k in enumerate(kinds) if k == "title" and worded[i]), None)
    if first is None:
        first = next((i for i, n in enumerate(levels) if n == 1 and worded[i]), None)
    kinds = ["heading" if kind == "title" else kind for kind in kinds]
    if first is not None:
        kinds[first] = "title"
    return kinds


class _Styles:
    """Paragraph styles by id, each read once."""

    def __init__(self, word: WordDocument, name: str) -> None:
        self._word = word
        self._name = name
        self._read: dict[str | None, _Style] = {}

    def of(self, style_id: str | None) -> _Style:
        found = self._read.get(style_id)
        if found is None:
            found = self._read[style_id] = _style(self._lookup(style_id))
        return found

    def _lookup(self, style_id: str | None) -> BaseStyle:
        from docx.enum.style import WD_STYLE_TYPE

        try:
            return self._word.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
        except Exception as exc:
            # The styles are read when first asked for: a damaged package (a styles part
            # of another content type) fails here, as it would have at opening.
            raise _unreadable(exc, self._name) from None


def _style(style: BaseStyle) -> _Style:
    """What a style, or the first style it is based on that says anything, says."""
    kind, level, numbered = "", None, False
    seen: set[str] = set()
    current: BaseStyle | None = style
    while current is not None and len(seen) < _MOST_BASES and current.style_id not in seen:
        seen.add(current.style_id)
        properties = current.element.find(_W + "pPr")
        numbered = numbered or _numbered(properties)
        if level is None:
            level = _outline_level(properties)
        if not kind:
            kind, named_level = _named_kind(current)
            level = level if level is not None else named_level
        current = current.base_style
    return _Style(kind, level if kind in ("", "heading") else None, numbered)


def _named_kind(style: BaseStyle) -> tuple[str, int | None]:
    """The kind a style's name or id says (lower case, as Word names built-in styles)."""
    for key in ((style.name or "").lower(), (style.style_id or "").lower()):
        heading = _HEADING.fullmatch(key)
        if heading:
            return "heading", int(heading.group(1))
        if key in _NAMED:
            return _NAMED[key], None
        if _CONTENTS.fullmatch(key):
            return "contents", None
        if _LIST.fullmatch(key):
            return "list-item", None
    return "", None
