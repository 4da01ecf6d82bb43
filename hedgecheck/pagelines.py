"""Each line of a plain text classified before sentences are cut: prose, a title, a
heading, or the page's furniture.

Scraped pages mix prose with furniture: a date or time stamp ("Updated 9:05 AM ET, Tue July
8", "3 hours ago", "4 min read"), a breadcrumb, the page's controls ("Skip to main content",
"Sign in"), a cookie notice, an all-capitals label or a short line without end punctuation
is not prose; nor is a byline, a caption that ends in its photo credit, a link behind a
label ("MORE: ..."), or the line under a box heading ("More information", "Corrections").
The words and patterns that tell them are the lexicon's (``hedgecheck.lexicon``); the
shapes (punctuation, capitals, bullets) are this module's.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from hedgecheck.lexicon import Lexicon
from hedgecheck.patterns import compiled

_TERMINAL_PROSE = compiled(r"""[.!?;]["'”’)\]]*\s*$""")
INNER_END = compiled(r"""\p{Ll}[.!?]["'”’)\]]*\s+\S""")
_BULLET = compiled(r"^\s*(?:[-*•·◦▪‣–—]|\d{1,3}[.)]|\([a-z0-9]\))\s+")
WORD = compiled(r"\p{L}[\p{L}\p{M}'’\-]*|\d+(?:[.,]\d+)*")
_DIGIT = compiled(r"\d")
# A date/time stamp line: dates, times, zones, "3 hours ago" or "4 min read", behind an
# optional label ("Updated", "Last modified on", "Published:"), in segments split by "|" or
# "·" (a byline may be one of them), with a number or a relative time somewhere. Separators
# are found as single characters (the parts are stripped after): white space around them in
# the pattern would be tried from every space of a long run of spaces.
_STAMP_SEPARATOR = compiled(r"[|·•]|(?<=\s)[-–—](?=\s)")
# "BOSTON, May 3, 2016 /Wire/ --" alone on its line: a release's dateline cut from its text.
_DATELINE = compiled(r"\p{Lu}{2}[\p{Lu}\s.'’\-]*,[^!?]{0,80}?\d[^!?]{0,40}?\s(?:--|—|–)")
# "Home > Health > Nutrition", "Science | Health": link texts in a row, each a word or three.
_CRUMB_SEPARATOR = compiled(r"[›»]|(?<=\s)[>|/](?=\s)")
# "HomeNewsHealth": link texts glued together when a breadcrumb loses its separators, seen
# as two places in one word where a lower-case letter runs into a capital. (The characters
# \x1c-\x1f end a word for str.split, not for \s.)
_GLUED = compiled(r"\p{Ll}\p{Lu}\p{Ll}[^\s\x1c-\x1f]*\p{Ll}\p{Lu}\p{Ll}")
_DASH_LABEL = compiled(r"^\s*[-–—]+\s*\S.*\S\s*[-–—]+\s*$")
# Compiled here, not passed as strings to regex.search: the module's cache of compiled
# patterns costs more per lookup than these searches themselves.
_COLON_CAPITAL = compiled(r"\S:\s+\p{Lu}")
_QUOTE_MARKS = "\"'“”‘’«»„‚"
# A quote mark that closes a quotation rather than one inside a word ("I'll").
_CLOSING_QUOTE = compiled(r"""(?<=\S)["'”’»“‘](?!\p{L})""")
_INNER_PUNCTUATION = compiled(r"[,.!?;:]")


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line: its span, where its content starts, its paragraph and its kind."""

    start: int
    end: int
    content_start: int
    paragraph: int
    kind: str


def classify_lines(text: str, lexicon: Lexicon) -> list[Line]:
    """The non-blank lines of ``text``, each with its paragraph and kind: "prose",
    "title", "heading" or "furniture"."""
    lines: list[Line] = []
    paragraph = 0
    offset = 0
    previous_blank = True
    box_open = False
    box_heading = lexicon.term("box-heading").pattern
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
        kind = "furniture" if _DASH_LABEL.match(body) else line_kind(content, lexicon)
        # A box heading ("More information", "Corrections") and the line under it are the
        # page's, not the story's.
        if box_open:
            kind, box_open = "furniture", False
        elif kind != "prose" and box_heading.match(content.strip()):
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
            and wrapped(text, previous, line)
        ):
            result[i - 1] = rekind(previous, "prose")
    return result


def wrapped(text: str, previous: Line, line: Line) -> bool:
    """Whether ``line`` goes on from a long ``previous`` line: it starts in lower case."""
    first = text[line.content_start : line.content_start + 1]
    return previous.end - previous.start >= 50 and first.islower()


def line_kind(body: str, lexicon: Lexicon) -> str:
    """The kind of one line read alone: "prose", "title", "heading" or "furniture"."""
    stripped = body.strip()
    words = _word_count(stripped)
    if not words:
        return "furniture"
    if _DASH_LABEL.match(stripped) or _page_furniture(stripped, words, lexicon):
        return "furniture"
    if _GLUED.search(stripped):
        return "furniture"
    if (
        lexicon.term("byline").pattern.match(stripped)
        or lexicon.term("photo-credit").found_in(stripped)
        or lexicon.term("link-label").pattern.match(stripped)
    ):
        return "furniture"
    if words <= 8:
        letters = [ch for ch in stripped if ch.isalpha()]
        if len(letters) > 3 and all(ch.isupper() for ch in letters):
            return "heading"
    if _TERMINAL_PROSE.search(stripped) or INNER_END.search(stripped):
        return "prose"
    if stripped.endswith(":") or words <= 3:
        return "heading"
    if _COLON_CAPITAL.search(stripped) and title_case_ratio(WORD.findall(stripped), lexicon) >= 0.5:
        return "heading"
    if _starts_capital(stripped) and words <= 30:
        return "title"
    return "prose"


# More words than any test of a line's kind counts up to ("len(words) <= 30").
_MANY_WORDS = 31


def _word_count(line: str) -> int:
    """The line's words, counted up to ``_MANY_WORDS``: a paragraph on one line has
    hundreds, and listing them all was the dearest step of reading a line."""
    return len(list(islice(WORD.finditer(line), _MANY_WORDS)))


def _page_furniture(line: str, words: int, lexicon: Lexicon) -> bool:
    """A date stamp, the page's controls, a cookie notice or a breadcrumb trail."""
    # The notice's clue (the word "cookie") is looked for first: it spares most lines the
    # notice's search, which costs more than all the other tests here together.
    if lexicon.term("cookie-notice").found_in(line):
        return True
    if words > 24:
        return False
    if (
        lexicon.term("age-note").pattern.fullmatch(line)
        or _DATELINE.fullmatch(line)
        or lexicon.term("page-controls").pattern.fullmatch(line)
    ):
        return True
    return stamp_line(line, lexicon) or crumbs(line)


def stamp_line(line: str, lexicon: Lexicon) -> bool:
    """Whether the line is a date stamp: each of its parts a date, a time or a reading time
    behind an optional label (or a byline beside them), one of them dated."""
    segments = [part.strip() for part in _STAMP_SEPARATOR.split(line) if part.strip()]
    label = lexicon.term("stamp-label").pattern
    stamp = lexicon.term("date-stamp").pattern
    reading = lexicon.term("reading-time").pattern
    dated = False
    for part in segments:
        labelled = label.match(part)
        after = labelled.end() if labelled else 0
        if stamp.fullmatch(part, after) or reading.fullmatch(part, after):
            dated = dated or _dated(part, lexicon)
        elif not (len(segments) > 1 and lexicon.term("byline").pattern.match(part)):
            return False
    return dated


def _dated(part: str, lexicon: Lexicon) -> bool:
    """A number, or a time counted back from now ("3 hours ago", "yesterday")."""
    return bool(_DIGIT.search(part) or lexicon.term("relative-time").pattern.search(part))


def crumbs(line: str) -> bool:
    items = _CRUMB_SEPARATOR.split(line)
    return len(items) >= 2 and all(1 <= len(WORD.findall(item)) <= 3 for item in items)


def _starts_capital(line: str) -> bool:
    """Whether the line starts with a capital, or with a capitalised word or short phrase in
    quote marks that the line goes on from: "'Miracle' pill ..." and "“Game changer” jab
    ..." are titles; a quotation ("‘It was hard,’ she said", "“It was hard to watch")
    is not."""
    body = line.lstrip(_QUOTE_MARKS)
    if not body[:1].isupper():
        return False
    if len(body) == len(line):
        return True
    close = _CLOSING_QUOTE.search(body)
    if close is None or not body[close.end() :].strip():
        return False
    quoted = body[: close.start()]
    return len(WORD.findall(quoted)) <= 4 and not _INNER_PUNCTUATION.search(quoted)


def title_case_ratio(words: list[str], lexicon: Lexicon) -> float:
    """The share of capitalised words among those that are not small words ("of", "the")."""
    small = lexicon.term("small-words")
    content = [w for w in words if not small.has(w)]
    return sum(1 for w in content if w[0].isupper()) / len(content) if content else 0.0


def rekind(line: Line, kind: str) -> Line:
    return Line(line.start, line.end, line.content_start, line.paragraph, kind)


def content(text: str, line: Line) -> str:
    """The line's text after its indent or bullet."""
    return text[line.content_start : line.end]


def words_of(text: str, line: Line) -> list[str]:
    return WORD.findall(content(text, line))
