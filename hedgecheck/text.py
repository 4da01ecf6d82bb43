"""Plain text into paragraphs, lines and sentences, with character offsets.

Scraped pages mix prose with furniture, so each line is classified before sentences are cut:
a date line, a breadcrumb glued from link texts, an all-capitals label or a short line
without end punctuation is not prose; nor is a byline, a caption that ends in its photo
credit, a link behind a label ("MORE: ..."), or the line under a box heading ("More
information", "Corrections"). The first title-like line that is not repeated as the start
of a longer one is the headline.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from hedgecheck.documents import Block

_TERMINAL = regex.compile(r"""[.!?]["'”’)\]]*\s*$|:\s*$""")
_TERMINAL_PROSE = regex.compile(r"""[.!?;]["'”’)\]]*\s*$""")
_INNER_END = regex.compile(r"""\p{Ll}[.!?]["'”’)\]]*\s+\S""")
_BULLET = regex.compile(r"^\s*(?:[-*•·◦▪‣–—]|\d{1,3}[.)]|\([a-z0-9]\))\s+")
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]*|\d+(?:[.,]\d+)*")
_TOKEN = regex.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
_DATE_LINE = regex.compile(
    rf"^\s*(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTH}\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
    rf"(?:\s*(?:at\s+)?\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?)?)?\s*$",
    regex.IGNORECASE,
)
# "HomeNewsHealth": link texts glued together when a breadcrumb loses its separators, seen
# as two places in one word where a lower-case letter runs into a capital. (The characters
# \x1c-\x1f end a word for str.split, not for \s.)
_GLUED = regex.compile(r"\p{Ll}\p{Lu}\p{Ll}[^\s\x1c-\x1f]*\p{Ll}\p{Lu}\p{Ll}")
_DASH_LABEL = regex.compile(r"^\s*[-–—]+\s*\S.*\S\s*[-–—]+\s*$")
# A capitalised name of up to four words, initials allowed ("Jane Q. Public").
_NAME = r"\p{Lu}(?:[\p{L}'’\-]*\.?)(?:\s+\p{Lu}(?:[\p{L}'’\-]*\.?)){0,3}"
# "By Jane Doe", "By Jane Doe and John Roe, Staff Reporter": a byline, not a title.
_BYLINE = regex.compile(
    rf"^(?:[-–—]+\s*)?(?i:(?:written\s+|reported\s+)?by\s+(?:(?:dr|prof)\.?\s+)?){_NAME}"
    rf"(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){_NAME}){{0,3}}(?:\s*[,|/–—]\s*[\p{{L}} ]{{1,40}})?$"
)
# A caption ends with its credit: "... Photo: Jane Doe", "... (Photo by Jane Doe)",
# "... AGENCY/Jane Doe", "Jane Doe / Agency Images". The credit ends the line, no full stop.
_CREDIT_NAME = r"\p{Lu}(?:[\p{L}&'’\-]*|\.)(?:\s+\p{Lu}(?:[\p{L}&'’\-]*|\.)){0,4}"
_CREDIT_TAIL = regex.compile(
    r"(?:(?<![\p{L}\d])(?i:photo(?:graph)?|image|picture|illustration|graphic)s?"
    rf"(?:\s+(?i:by|credit)\s*:?|\s*:)\s*{_CREDIT_NAME}\)?"
    rf"|(?<![\p{{L}}\d/])\p{{Lu}}{{2,}}\s*/\s*\p{{Lu}}\p{{Ll}}+\s+{_CREDIT_NAME}"
    rf"|(?<![\p{{L}}\d/]){_CREDIT_NAME}\s*/\s*(?:{_CREDIT_NAME}\s+)?"
    r"(?:Images|Photos?|Pictures|Photography|Stock|Press))$"
)
# What every credit above contains: a slash or a picture word. The engine has no quick way
# into the credit pattern (its branches open with lookbehinds), so a line without either is
# not searched at all: a tenth of the segmentation time.
_CREDIT_CLUE = regex.compile(r"/|(?i:photo|image|picture|illustration|graphic)")
# "MORE: ...", "Related: ...", "Source: ...": a link or citation behind a label.
_LINK_LABEL = regex.compile(
    r"^(?:more|read\s+more|related|see\s+also|watch|listen|video|photos?|slideshow|sources?)"
    r"\s*:\s*\S",
    regex.IGNORECASE,
)
# The heading of a box the page adds under the story; the line after it is the box's.
_BOX_HEADING = regex.compile(
    r"^(?:(?:for\s+)?more\s+information|further\s+(?:information|reading)|read\s+more"
    r"|related(?:\s+(?:articles?|stories|links|content|coverage))?|see\s+also"
    r"|corrections?(?:\s*(?:&|and)\s*amplifications?)?|clarifications?)\s*:?$",
    regex.IGNORECASE,
)
# Compiled here, not passed as strings to regex.search: the module's cache of compiled
# patterns costs more per lookup than these searches themselves.
_COLON_CAPITAL = regex.compile(r"\S:\s+\p{Lu}")
_LAST_WORD = regex.compile(r"[\p{L}.]+$")
_DOTTED = regex.compile(r"(?:\p{L}\.)+\p{L}")
_SENTENCE_END = regex.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\d•])""")
_ABBREVIATIONS = frozenset(
    [
        "al",
        "e.g",
        "i.e",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "fig",
        "figs",
        "vs",
        "approx",
        "ca",
        "no",
        "nos",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "vol",
        "pp",
        "ref",
        "eq",
        "sec",
        "cf",
        "u.s",
        "u.k",
        "e.u",
        "ph.d",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "dept",
        "univ",
        "gen",
        "gov",
        "rep",
        "sen",
        "est",
        "min",
        "max",
    ]
)
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "from",
        "vs",
        "via",
    ]
)


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


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    content_start: int
    paragraph: int
    kind: str


# A line ends at "\r\n", "\n" or a lone "\r" (old Mac files), as editors, Python's universal
# newlines and markdown-it count lines. Form feeds, U+2028 and U+0085 do not end a line.
LINE_BREAK = regex.compile(r"\r\n?|\n")


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts (see ``LINE_BREAK``)."""
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
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def segment(text: str, *, find_headline: bool = True) -> list[Sentence]:
    """Split ``text`` into sentences with roles (headline, body, heading, furniture)."""
    lines = _classify_lines(text)
    headline = _pick_headline(text, lines) if find_headline else None
    sentences: list[Sentence] = []
    for group in _line_runs(text, lines):
        first = group[0]
        if first is headline:
            role = "headline"
        elif first.kind in ("heading", "furniture", "title"):
            role = "heading" if first.kind == "title" else first.kind
        else:
            role = "body"
        if role == "body":
            spans = _split_sentences(text, first.content_start, group[-1].end)
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


def _classify_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    paragraph = 0
    offset = 0
    previous_blank = True
    box_open = False
    for raw in text.splitlines(keepends=True):
        start, end = offset, offset + len(raw.rstrip("\r\n"))
        offset += len(raw)
        body = text[start:end]
        if not body.strip():
            previous_blank = True
            continue
        if previous_blank and lines:
            paragraph += 1
        previous_blank = False
        bullet = _BULLET.match(body)
        content_start = start + (bullet.end() if bullet else len(body) - len(body.lstrip()))
        content = text[content_start:end]
        kind = "furniture" if _DASH_LABEL.match(body) else _line_kind(content)
        # A box heading ("More information", "Corrections") and the line under it are the
        # page's, not the story's.
        if box_open:
            kind, box_open = "furniture", False
        elif kind != "prose" and _BOX_HEADING.match(content.strip()):
            kind, box_open = "furniture", True
        lines.append(Line(start, end, content_start, paragraph, kind))
    return _rejoin_wrapped(text, lines)


def _rejoin_wrapped(text: str, lines: list[Line]) -> list[Line]:
    """A long unpunctuated line that runs on into a lower-case line is wrapped prose."""
    result = list(lines)
    for i in range(len(result) - 1, 0, -1):
        previous, line = result[i - 1], result[i]
        if (
            previous.kind == "title"
            and previous.paragraph == line.paragraph
            and _wrapped(text, previous, line)
        ):
            result[i - 1] = Line(
                previous.start, previous.end, previous.content_start, previous.paragraph, "prose"
            )
    return result


def _wrapped(text: str, previous: Line, line: Line) -> bool:
    first = text[line.content_start : line.content_start + 1]
    return previous.end - previous.start >= 50 and first.islower()


def _line_kind(body: str) -> str:
    stripped = body.strip()
    words = _WORD.findall(stripped)
    if not words:
        return "furniture"
    if _DATE_LINE.match(stripped) or _DASH_LABEL.match(stripped):
        return "furniture"
    if _GLUED.search(stripped):
        return "furniture"
    if _BYLINE.match(stripped) or _credit_tail(stripped) or _LINK_LABEL.match(stripped):
        return "furniture"
    if len(words) <= 8:
        letters = [ch for ch in stripped if ch.isalpha()]
        if len(letters) > 3 and all(ch.isupper() for ch in letters):
            return "heading"
    if _TERMINAL_PROSE.search(stripped) or _INNER_END.search(stripped):
        return "prose"
    if stripped.endswith(":") or len(words) <= 3:
        return "heading"
    if _COLON_CAPITAL.search(stripped) and _title_case_ratio(words) >= 0.5:
        return "heading"
    if stripped[0].isupper() and len(words) <= 30:
        return "title"
    return "prose"


def _credit_tail(line: str) -> bool:
    return bool(_CREDIT_CLUE.search(line) and _CREDIT_TAIL.search(line))


def _title_case_ratio(words: list[str]) -> float:
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return sum(1 for w in content if w[0].isupper()) / len(content) if content else 0.0


def _pick_headline(text: str, lines: list[Line]) -> Line | None:
    """The first title line before the prose starts that no later title line extends."""
    titles: list[Line] = []
    for line in lines:
        if line.kind == "prose" and len(_WORD.findall(text[line.content_start : line.end])) >= 8:
            break
        if line.kind == "title":
            titles.append(line)
    for line in titles:
        own = _normalise(text[line.content_start : line.end])
        repeated = any(
            other is not line
            and _normalise(text[other.content_start : other.end]).startswith(own)
            and len(_normalise(text[other.content_start : other.end])) > len(own)
            for other in titles
        )
        if not repeated:
            return line
    return _opening_heading(text, lines)


def _opening_heading(text: str, lines: list[Line]) -> Line | None:
    """A text that opens with a short line of its own ("Drug eases pain", "Can tea help?")
    above its prose is headed by it, though too short or too questioning to look like a
    title line elsewhere in a page."""
    opening = next((line for line in lines if line.kind != "furniture"), None)
    if opening is None or opening is lines[-1]:
        return None
    after = lines[lines.index(opening) + 1]
    body = text[opening.content_start : opening.end].strip()
    words = _WORD.findall(body)
    if after.paragraph == opening.paragraph or not 2 <= len(words) <= 20:
        return None
    # Two-word labels at the top of scraped pages ("En Español", "HealthDay Reporter") are
    # furniture; a headline says something about something, in three words or more.
    if opening.kind == "heading" and len(words) >= 3 and not body.isupper():
        return opening if not body.endswith(":") else None
    return opening if opening.kind == "prose" and body.endswith("?") else None


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


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
    return _wrapped(text, previous, line)


def _indent(text: str, line: Line) -> int:
    body = text[line.start : line.end]
    return len(body) - len(body.lstrip())


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if _is_abbreviation(text, cursor, match.start()):
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    return spans


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = _LAST_WORD.search(text[start:dot])
    if not word:
        return False
    token = word.group().lower().lstrip(".")
    if token in _ABBREVIATIONS:
        return True
    # Initials ("J. Smith") and dotted acronyms ("U.S.", "e.g.") are not sentence ends.
    return len(token) == 1 or _DOTTED.fullmatch(token) is not None


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


def segment_blocks(text: str, blocks: Sequence[Block]) -> list[Sentence]:
    """Sentences of a document whose structure a reader already found.

    Each block ends its sentences. A one-line paragraph the line classifier reads as a
    date, a credit or a label is furniture here too: pages put clutter in ``<p>`` tags.
    """
    sentences: list[Sentence] = []
    for number, block in enumerate(blocks):
        role = _BLOCK_ROLES.get(block.kind, "body")
        body = text[block.start : block.end]
        if role == "body" and "\n" not in body.strip():
            kind = _line_kind(body)
            role = kind if kind in ("furniture", "heading") else role
        if role in ("body", "caption"):
            spans = _split_sentences(text, block.start, block.end)
        else:
            spans = [(block.start, block.end)]
        for start, end in spans:
            start, end = _trim(text, start, end)
            if end > start:
                sentences.append(
                    Sentence(len(sentences), start, end, text[start:end], number, role, block.kind)
                )
    return sentences
