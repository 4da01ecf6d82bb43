"""Plain text into paragraphs, lines and sentences, with character offsets.

Scraped pages mix prose with furniture, so each line is classified before sentences are cut:
a date or time stamp ("Updated 9:05 AM ET, Tue July 8", "3 hours ago", "4 min read"), a
breadcrumb, the page's controls ("Skip to main content", "Sign in"), a cookie notice, an
all-capitals label or a short line without end punctuation is not prose; nor is a byline, a
caption that ends in its photo credit, a link behind a label ("MORE: ..."), or the line
under a box heading ("More information", "Corrections").

The headline is the first title line (a quoted word may open it: "'Miracle' pill ...")
before the prose starts that is not repeated as the start of a longer one, or a question
standing on its own line there; failing both, a short line opening the text. Furniture and
kickers (a section's name over the title: "HEALTH", "Science news") are never the
headline; a title line right under the headline is its standfirst, read as prose.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from hedgecheck.patterns import compiled

if TYPE_CHECKING:
    from hedgecheck.documents.blocks import Block

_TERMINAL = compiled(r"""[.!?]["'”’)\]]*\s*$|:\s*$""")
_TERMINAL_PROSE = compiled(r"""[.!?;]["'”’)\]]*\s*$""")
_INNER_END = compiled(r"""\p{Ll}[.!?]["'”’)\]]*\s+\S""")
_BULLET = compiled(r"^\s*(?:[-*•·◦▪‣–—]|\d{1,3}[.)]|\([a-z0-9]\))\s+")
_WORD = compiled(r"\p{L}[\p{L}\p{M}'’\-]*|\d+(?:[.,]\d+)*")
_TOKEN = compiled(r"\w+(?:['’\-]\w+)*|[^\w\s]")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
# A date/time stamp: a line made only of dates, times, zones, "3 hours ago" or "4 min read",
# behind an optional label ("Updated", "Last modified on", "Published:"), in segments split
# by "|" or "·" (a byline may be one of them), with a number or a relative time somewhere.
# (No two runs of white space meet in these patterns, so a long run costs linear time.)
_STAMP_LABEL = compiled(
    r"(?:(?:last|first|originally|date)\s+)?(?:updated|modified|published|posted|edited"
    r"|reviewed|created|released|dated?|embargoed(?:\s+(?:for\s+release|until))?)"
    r"(?:\s+(?:on|at|until))?[\s:]*",
    regex.IGNORECASE,
)
_CLOCK = r"\d{1,2}(?:[:.]\d{2}){1,2}(?:\s*[ap]\.?\s?m\b\.?)?|\d{1,2}\s*[ap]\.?m\b\.?"
_ZONE = (
    r"\(?(?-i:(?:GMT|UTC|BST|[ECMP][SD]T|[ECMP]T|CES?T|IST|AE[SD]T|JST|HKT|SGT)"
    r"(?:[+-]\d{1,2}(?::?\d{2})?)?)\)?"
)
_CALENDAR = (
    rf"{_WEEKDAY}\.?|{_MONTH}\.?|\d{{4}}-\d{{2}}-\d{{2}}(?:T[\d:.]+Z?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,4}(?:st|nd|rd|th)?|of|at|on"
)
_AGO = (
    r"(?:about\s+|over\s+)?(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|months?|years?)\s+ago"
    r"|just\s+now|yesterday|today"
)
_READ_TIME = (
    r"\d+[\s\-]*min(?:ute)?s?\.?(?:\s+(?:read|reading(?:\s+time)?|watch|listen))?"
    r"|(?:reading|read)\s+time[\s:]*\d+[\s\-]*min(?:ute)?s?\.?"
)
_STAMP_PART = rf"(?:{_AGO}|{_ZONE}|{_CLOCK}|{_CALENDAR})"
_STAMP = compiled(
    rf"{_STAMP_PART}(?:(?:\s*,\s*|\s+){_STAMP_PART})*,?|{_READ_TIME}", regex.IGNORECASE
)
_STAMP_DATED = compiled(rf"\d|{_AGO}", regex.IGNORECASE)
# Separators are found as single characters (the parts are stripped after): white space
# around them in the pattern would be tried from every space of a long run of spaces.
_STAMP_SEPARATOR = compiled(r"[|·•]|(?<=\s)[-–—](?=\s)")
# "This article is more than 2 years old": the page's note of the story's age.
_AGE_NOTE = compiled(
    r"this\s+(?:article|story|page|post)\s+is\s+(?:more\s+than\s+|over\s+)?\S+\s+"
    r"(?:years?|months?|weeks?|days?)\s+old\.?",
    regex.IGNORECASE,
)
# "BOSTON, May 3, 2016 /Wire/ --" alone on its line: a release's dateline cut from its text.
_DATELINE = compiled(r"\p{Lu}{2}[\p{Lu}\s.'’\-]*,[^!?]{0,80}?\d[^!?]{0,40}?\s(?:--|—|–)")
# The controls of the page around a story: a line made only of them ("Skip to main content",
# "Menu", "Sign in | Subscribe", "Share this article") is no part of the story.
_CHROME_ITEM = (
    r"advertisements?|advertising|ad|sponsored(?:\s+content)?"
    r"|skip\s+(?:to\s+)?(?:(?:the\s+)?main\s+)?(?:content|navigation|menu|search|footer)"
    r"|jump\s+to\s+(?:(?:the\s+)?main\s+)?content|(?:main|open|close|toggle)\s+(?:menu|navigation)"
    r"|menu|navigation|search(?:\s+(?:this|the)\s+site)?|sign\s+(?:in|up|out)|log\s*(?:in|out)"
    r"|register|subscribe(?:\s+(?:now|today|here))?|(?:my\s+)?account|home(?:page)?"
    r"|(?:go\s+)?back(?:\s+to\s+(?:the\s+)?(?:top|previous\s+page|home(?:page)?))?|close"
    r"|share(?:\s+(?:this|on))?(?:\s+(?:article|story|page|post))?"
    r"|tweet|e-?mail|print|save|(?:\d+\s+)?comments?|listen(?:\s+to\s+(?:this\s+)?(?:article|story))?"
    r"|follow(?:\s+us)?|donate|newsletters?|accept(?:\s+all)?(?:\s+cookies)?|reject(?:\s+all)?"
    r"|manage\s+(?:cookies|preferences|settings)|cookie\s+(?:settings|preferences)|got\s+it"
    r"|continue\s+reading|read\s+more|more|next|previous|loading"
)
_CHROME = compiled(
    rf"(?:{_CHROME_ITEM})(?:(?:\s*[|·•/,])?\s*(?:{_CHROME_ITEM}))*[.…]*", regex.IGNORECASE
)
# A cookie notice, in whatever words the site chose around these.
_COOKIE_NOTICE = compiled(
    r"\b(?:we|(?:this|our)\s+(?:web)?site|(?:this|our)\s+(?:page|service))\s+"
    r"(?:uses?|is\s+using|are\s+using)\s+cookies\b"
    r"|\bby\s+(?:continuing|using|clicking|browsing|scrolling)\b.{0,80}?"
    r"\byou\s+(?:agree|accept|consent)"
    r"|\bcookie\s+(?:policy|settings|preferences|consent|notice|statement)\b"
    r"|\b(?:accept|reject|allow|manage)\s+(?:all\s+)?cookies\b",
    regex.IGNORECASE,
)
# "Home > Health > Nutrition", "Science | Health": link texts in a row, each a word or three.
_CRUMB_SEPARATOR = compiled(r"[›»]|(?<=\s)[>|/](?=\s)")
# A section label set above a headline ("Health", "EXCLUSIVE", "Science & Tech News").
_SECTION_WORDS = frozenset(
    [
        "news",
        "health",
        "science",
        "medicine",
        "medical",
        "wellness",
        "wellbeing",
        "well-being",
        "lifestyle",
        "living",
        "life",
        "style",
        "fitness",
        "nutrition",
        "diet",
        "food",
        "tech",
        "technology",
        "environment",
        "climate",
        "world",
        "us",
        "uk",
        "national",
        "local",
        "business",
        "opinion",
        "analysis",
        "exclusive",
        "breaking",
        "latest",
        "live",
        "feature",
        "features",
        "research",
        "mental",
        "family",
        "parenting",
        "politics",
        "policy",
        "home",
        "video",
        "podcast",
        "sport",
        "sports",
        "culture",
        "education",
        "space",
        "nature",
        "society",
        "top",
        "stories",
        "story",
        "update",
        "updates",
    ]
)
# "HomeNewsHealth": link texts glued together when a breadcrumb loses its separators, seen
# as two places in one word where a lower-case letter runs into a capital. (The characters
# \x1c-\x1f end a word for str.split, not for \s.)
_GLUED = compiled(r"\p{Ll}\p{Lu}\p{Ll}[^\s\x1c-\x1f]*\p{Ll}\p{Lu}\p{Ll}")
_DASH_LABEL = compiled(r"^\s*[-–—]+\s*\S.*\S\s*[-–—]+\s*$")
# A capitalised name of up to four words, initials allowed ("Jane Q. Public").
_NAME = r"\p{Lu}(?:[\p{L}'’\-]*\.?)(?:\s+\p{Lu}(?:[\p{L}'’\-]*\.?)){0,3}"
# "By Jane Doe", "By Jane Doe and John Roe, Staff Reporter": a byline, not a title.
_BYLINE = compiled(
    rf"^(?:[-–—]+\s*)?(?i:(?:written\s+|reported\s+)?by\s+(?:(?:dr|prof)\.?\s+)?){_NAME}"
    rf"(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){_NAME}){{0,3}}(?:\s*[,|/–—]\s*[\p{{L}} ]{{1,40}})?$"
)
# A caption ends with its credit: "... Photo: Jane Doe", "... (Photo by Jane Doe)",
# "... AGENCY/Jane Doe", "Jane Doe / Agency Images". The credit ends the line, no full stop.
_CREDIT_NAME = r"\p{Lu}(?:[\p{L}&'’\-]*|\.)(?:\s+\p{Lu}(?:[\p{L}&'’\-]*|\.)){0,4}"
_CREDIT_TAIL = compiled(
    r"(?:(?<![\p{L}\d])(?i:photo(?:graph)?|image|picture|illustration|graphic)s?"
    rf"(?:\s+(?i:by|credit)\s*:?|\s*:)\s*{_CREDIT_NAME}\)?"
    rf"|(?<![\p{{L}}\d/])\p{{Lu}}{{2,}}\s*/\s*\p{{Lu}}\p{{Ll}}+\s+{_CREDIT_NAME}"
    rf"|(?<![\p{{L}}\d/]){_CREDIT_NAME}\s*/\s*(?:{_CREDIT_NAME}\s+)?"
    r"(?:Images|Photos?|Pictures|Photography|Stock|Press))$"
)
# What every credit above contains: a slash or a picture word. The engine has no quick way
# into the credit pattern (its branches open with lookbehinds), so a line without either is
# not searched at all: a tenth of the segmentation time.
_CREDIT_CLUE = compiled(r"/|(?i:photo|image|picture|illustration|graphic)")
# "MORE: ...", "Related: ...", "Source: ...": a link or citation behind a label.
_LINK_LABEL = compiled(
    r"^(?:more|read\s+more|related|see\s+also|watch|listen|video|photos?|slideshow|sources?)"
    r"\s*:\s*\S",
    regex.IGNORECASE,
)
# The heading of a box the page adds under the story; the line after it is the box's.
_BOX_HEADING = compiled(
    r"^(?:(?:for\s+)?more\s+information|further\s+(?:information|reading)|read\s+more"
    r"|related(?:\s+(?:articles?|stories|links|content|coverage))?|see\s+also"
    r"|corrections?(?:\s*(?:&|and)\s*amplifications?)?|clarifications?)\s*:?$",
    regex.IGNORECASE,
)
# Compiled here, not passed as strings to regex.search: the module's cache of compiled
# patterns costs more per lookup than these searches themselves.
_COLON_CAPITAL = compiled(r"\S:\s+\p{Lu}")
# Matched backwards from a full stop: the word before it, read in the length of that word
# (not of all the text before it, which a long run of abbreviations made quadratic).
_LAST_WORD = compiled(r"[\p{L}.]+", regex.REVERSE)
_NOT_SPACE = compiled(r"\S")
_DOTTED = compiled(r"(?:\p{L}\.)+\p{L}")
_SENTENCE_END = compiled(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\d•])""")
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
_QUOTE_MARKS = "\"'“”‘’«»„‚"
# A quote mark that closes a quotation rather than one inside a word ("I'll").
_CLOSING_QUOTE = compiled(r"""(?<=\S)["'”’»“‘](?!\p{L})""")
_INNER_PUNCTUATION = compiled(r"[,.!?;:]")
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
LINE_BREAK = compiled(r"\r\n?|\n")


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
    """Split ``text`` into sentences with roles (headline, standfirst, body, heading,
    furniture). The standfirst is prose but not the story's lede."""
    lines = _classify_lines(text)
    headline = _pick_headline(text, lines) if find_headline else None
    if headline is not None:
        lines = _around_headline(text, lines, headline)
    sentences: list[Sentence] = []
    for group in _line_runs(text, lines):
        first = group[0]
        if first is headline:
            role = "headline"
        elif first.kind in ("heading", "furniture", "title", "standfirst"):
            role = "heading" if first.kind == "title" else first.kind
        else:
            role = "body"
        if role in ("body", "standfirst"):
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
    if _DASH_LABEL.match(stripped) or _page_furniture(stripped, len(words)):
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
    if _starts_capital(stripped) and len(words) <= 30:
        return "title"
    return "prose"


def _page_furniture(line: str, words: int) -> bool:
    """A date stamp, the page's controls, a cookie notice or a breadcrumb trail."""
    # Every cookie notice names cookies: looking for the word first spares most lines the
    # notice's search, which costs more than all the other tests here together.
    if ("ookie" in line or "OOKIE" in line) and _COOKIE_NOTICE.search(line):
        return True
    if words > 24:
        return False
    if _AGE_NOTE.fullmatch(line) or _DATELINE.fullmatch(line) or _CHROME.fullmatch(line):
        return True
    return _stamp_line(line) or _crumbs(line)


def _stamp_line(line: str) -> bool:
    segments = [part.strip() for part in _STAMP_SEPARATOR.split(line) if part.strip()]
    dated = False
    for part in segments:
        label = _STAMP_LABEL.match(part)
        if _STAMP.fullmatch(part, label.end() if label else 0):
            dated = dated or bool(_STAMP_DATED.search(part))
        elif not (len(segments) > 1 and _BYLINE.match(part)):
            return False
    return dated


def _crumbs(line: str) -> bool:
    items = _CRUMB_SEPARATOR.split(line)
    return len(items) >= 2 and all(1 <= len(_WORD.findall(item)) <= 3 for item in items)


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
    return len(_WORD.findall(quoted)) <= 4 and not _INNER_PUNCTUATION.search(quoted)


def _credit_tail(line: str) -> bool:
    return bool(_CREDIT_CLUE.search(line) and _CREDIT_TAIL.search(line))


def _title_case_ratio(words: list[str]) -> float:
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return sum(1 for w in content if w[0].isupper()) / len(content) if content else 0.0


# A headline stands near the top of a page: only its first lines are read for one, so that a
# text of many short lines costs no more than another.
_HEAD_LINES = 40


def _pick_headline(text: str, lines: list[Line]) -> Line | None:
    """The first title line before the prose starts that no later title line extends, or a
    question or exclamation standing on its own line there; failing both, a short line
    opening the text. Furniture (dates, bylines, the page's controls) and kickers are never
    the headline."""
    candidates: list[Line] = []
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if _standing_question(text, lines, i):
            candidates.append(line)
            continue
        if line.kind == "prose" and len(_words(text, line)) >= 8:
            break
        if line.kind == "title" and not _kicker(text, line):
            candidates.append(line)
    normalised = [_normalise(_content(text, line)) for line in candidates]
    for line, own in zip(candidates, normalised, strict=True):
        if not any(other != own and other.startswith(own) for other in normalised):
            return line
    return _opening_heading(text, lines)


def _standing_question(text: str, lines: list[Line], i: int) -> bool:
    """A question or exclamation ("Can tea help?", "Tea cures all!") alone on its line,
    with more to come under it."""
    line = lines[i]
    body = _content(text, line).rstrip("\"'”’)] ")
    if line.kind != "prose" or not body.endswith(("?", "!")) or _INNER_END.search(body):
        return False
    return 2 <= len(_words(text, line)) <= 20 and _stands_alone(lines, i)


def _stands_alone(lines: list[Line], i: int) -> bool:
    """Whether no prose runs on from the line in its paragraph, and text follows it."""
    if not any(lines[j].kind != "furniture" for j in range(i + 1, len(lines))):
        return False
    after = lines[i + 1]
    return after.paragraph != lines[i].paragraph or after.kind != "prose"


def _kicker(text: str, line: Line) -> bool:
    """A section label over the headline: a word or two ("Health", "Science news"), an
    all-capitals label, or section names only ("Health and Science News")."""
    if line.kind not in ("heading", "title"):
        return False
    body = _content(text, line).strip()
    if body.endswith(":"):
        return False  # a label of what follows it ("MEDIA CONTACT:"), not of the story
    if _section_label(text, line):
        return True
    return line.kind == "heading" and (len(_WORD.findall(body)) <= 2 or body.isupper())


def _section_label(text: str, line: Line) -> bool:
    words = [w.lower() for w in _words(text, line)]
    return 1 <= len(words) <= 5 and all(w in _SECTION_WORDS or w in _SMALL_WORDS for w in words)


def _opening_heading(text: str, lines: list[Line]) -> Line | None:
    """A text that opens with a short line of its own ("Drug eases pain") above its prose
    is headed by it, though too short to look like a title line elsewhere in a page; under
    a kicker, so is a short sentence."""
    head = lines[:_HEAD_LINES]
    index = next(
        (i for i, line in enumerate(head) if line.kind != "furniture" and not _kicker(text, line)),
        None,
    )
    if index is None or not _stands_alone(lines, index):
        return None
    opening = lines[index]
    body = _content(text, opening).strip()
    words = [w for w in _WORD.findall(body) if w[0].isalpha()]
    # Two-word labels at the top of scraped pages ("En Español", "HealthDay Reporter") are
    # furniture; a headline says something about something, in three words or more.
    if opening.kind == "heading" and 3 <= len(words) <= 20 and not body.endswith(":"):
        return opening
    # Under a section's name, a short sentence alone on its line is the headline, full stop
    # and all. (Not under any short line: names and outlets stand above a story's lede.)
    above = [line for line in lines[:index] if not _stamp_line(_content(text, line).strip())]
    if (
        above
        and (_section_label(text, above[-1]) or _crumbs(_content(text, above[-1])))
        and opening.kind == "prose"
        and 3 <= len(words) <= 15
    ):
        return opening if not _INNER_END.search(body) else None
    return None


def _around_headline(text: str, lines: list[Line], headline: Line) -> list[Line]:
    """Kickers above the headline are furniture; a title line right under it (only
    furniture between) is its standfirst, read as prose: it sums the story up."""
    index = lines.index(headline)
    result = list(lines)
    for i in range(index):
        if _kicker(text, lines[i]):
            result[i] = _rekind(lines[i], "furniture")
    under = next((i for i in range(index + 1, len(lines)) if lines[i].kind != "furniture"), None)
    if under is not None and _standfirst(text, lines[under]):
        result[under] = _rekind(lines[under], "standfirst")
    return result


def _standfirst(text: str, line: Line) -> bool:
    """A sentence under the headline that sums up the story: not a label ("Read more:
    ..."), a caption, a capitalised deck or another kicker."""
    body = _content(text, line).strip()
    words = _WORD.findall(body)
    if line.kind != "title" or len(words) < 5 or ": " in body or _CREDIT_CLUE.search(body):
        return False
    return _title_case_ratio(words) <= 0.5 and not _kicker(text, line)


def _rekind(line: Line, kind: str) -> Line:
    return Line(line.start, line.end, line.content_start, line.paragraph, kind)


def _content(text: str, line: Line) -> str:
    return text[line.content_start : line.end]


def _words(text: str, line: Line) -> list[str]:
    return _WORD.findall(_content(text, line))


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


def last_sentence_start(text: str, start: int, end: int) -> int | None:
    """The offset of the last sentence in ``text[start:end]`` that follows another one
    ending there, as ``segment`` splits prose (after "Dr." or "J." no sentence starts), or
    None: where a line too long to hold whole may be cut without cutting a sentence."""
    found = None
    for match in _SENTENCE_END.finditer(text, start, end):
        if not _is_abbreviation(text, start, match.start()):
            found = match.end()
    if found is None:
        return None
    # the white space after the end belongs to neither sentence: the next one starts past it
    return _NOT_SPACE.search(text, found, end).start()


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = _LAST_WORD.match(text, start, dot)
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
