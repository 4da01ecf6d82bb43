"""The headline of a plain text, among its classified lines (``hedgecheck.pagelines``).

The headline is the first title line (a quoted word may open it: "'Miracle' pill ...")
before the prose starts that is not repeated as the start of a longer one, or a question
standing on its own line there; failing both, a short line opening the text. Furniture and
kickers (a section's name over the title: "HEALTH", "Science news") are never the
headline; a title line right under the headline is its standfirst, read as prose.
"""

from __future__ import annotations

from hedgecheck.lexicon import Lexicon
from hedgecheck.pagelines import (
    INNER_END,
    WORD,
    Line,
    content,
    crumbs,
    rekind,
    stamp_line,
    title_case_ratio,
    words_of,
)

# A headline stands near the top of a page: only its first lines are read for one, so that a
# text of many short lines costs no more than another.
_HEAD_LINES = 40


def pick_headline(text: str, lines: list[Line], lexicon: Lexicon) -> Line | None:
    """The first title line before the prose starts that no later title line extends, or a
    question or exclamation standing on its own line there; failing both, a short line
    opening the text. Furniture (dates, bylines, the page's controls) and kickers are never
    the headline."""
    candidates: list[Line] = []
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if _standing_question(text, lines, i):
            candidates.append(line)
            continue
        if line.kind == "prose" and len(words_of(text, line)) >= 8:
            break
        if line.kind == "title" and not _kicker(text, line, lexicon):
            candidates.append(line)
    normalised = [_normalise(content(text, line)) for line in candidates]
    for line, own in zip(candidates, normalised, strict=True):
        if not any(other != own and other.startswith(own) for other in normalised):
            return line
    return _opening_heading(text, lines, lexicon)


def around_headline(text: str, lines: list[Line], headline: Line, lexicon: Lexicon) -> list[Line]:
    """Kickers above the headline are furniture; a title line right under it (only
    furniture between) is its standfirst, read as prose: it sums the story up."""
    index = lines.index(headline)
    result = list(lines)
    for i in range(index):
        if _kicker(text, lines[i], lexicon):
            result[i] = rekind(lines[i], "furniture")
    under = next((i for i in range(index + 1, len(lines)) if lines[i].kind != "furniture"), None)
    if under is not None and _standfirst(text, lines[under], lexicon):
        result[under] = rekind(lines[under], "standfirst")
    return result


def _standing_question(text: str, lines: list[Line], i: int) -> bool:
    """A question or exclamation ("Can tea help?", "Tea cures all!") alone on its line,
    with more to come under it."""
    line = lines[i]
    body = content(text, line).rstrip("\"'”’)] ")
    if line.kind != "prose" or not body.endswith(("?", "!")) or INNER_END.search(body):
        return False
    return 2 <= len(words_of(text, line)) <= 20 and _stands_alone(lines, i)


def _stands_alone(lines: list[Line], i: int) -> bool:
    """Whether no prose runs on from the line in its paragraph, and text follows it."""
    if not any(lines[j].kind != "furniture" for j in range(i + 1, len(lines))):
        return False
    after = lines[i + 1]
    return after.paragraph != lines[i].paragraph or after.kind != "prose"


def _kicker(text: str, line: Line, lexicon: Lexicon) -> bool:
    """A section label over the headline: a word or two ("Health", "Science news"), an
    all-capitals label, or section names only ("Health and Science News")."""
    if line.kind not in ("heading", "title"):
        return False
    body = content(text, line).strip()
    if body.endswith(":"):
        return False  # a label of what follows it ("MEDIA CONTACT:"), not of the story
    if _section_label(text, line, lexicon):
        return True
    return line.kind == "heading" and (len(WORD.findall(body)) <= 2 or body.isupper())


def _section_label(text: str, line: Line, lexicon: Lexicon) -> bool:
    """One to five words, each a section's name or a small word ("Health and Science")."""
    sections, small = lexicon.term("section-words"), lexicon.term("small-words")
    words = words_of(text, line)
    return 1 <= len(words) <= 5 and all(sections.has(w) or small.has(w) for w in words)


def _opening_heading(text: str, lines: list[Line], lexicon: Lexicon) -> Line | None:
    """A text that opens with a short line of its own ("Drug eases pain") above its prose
    is headed by it, though too short to look like a title line elsewhere in a page; under
    a kicker, so is a short sentence."""
    head = lines[:_HEAD_LINES]
    index = next(
        (
            i
            for i, line in enumerate(head)
            if line.kind != "furniture" and not _kicker(text, line, lexicon)
        ),
        None,
    )
    if index is None or not _stands_alone(lines, index):
        return None
    opening = lines[index]
    body = content(text, opening).strip()
    words = [w for w in WORD.findall(body) if w[0].isalpha()]
    # Two-word labels at the top of scraped pages ("En Español", "HealthDay Reporter") are
    # furniture; a headline says something about something, in three words or more.
    if opening.kind == "heading" and 3 <= len(words) <= 20 and not body.endswith(":"):
        return opening
    # Under a section's name, a short sentence alone on its line is the headline, full stop
    # and all. (Not under any short line: names and outlets stand above a story's lede.)
    above = [line for line in lines[:index] if not stamp_line(content(text, line).strip(), lexicon)]
    if (
        above
        and (_section_label(text, above[-1], lexicon) or crumbs(content(text, above[-1])))
        and opening.kind == "prose"
        and 3 <= len(words) <= 15
    ):
        return opening if not INNER_END.search(body) else None
    return None


def _standfirst(text: str, line: Line, lexicon: Lexicon) -> bool:
    """A sentence under the headline that sums up the story: not a label ("Read more:
    ..."), a caption (it holds the photo credit's clue: a slash or a picture word), a
    capitalised deck or another kicker."""
    body = content(text, line).strip()
    words = WORD.findall(body)
    if line.kind != "title" or len(words) < 5 or ": " in body or _caption_like(body, lexicon):
        return False
    return title_case_ratio(words, lexicon) <= 0.5 and not _kicker(text, line, lexicon)


def _caption_like(body: str, lexicon: Lexicon) -> bool:
    credit = lexicon.term("photo-credit")
    if credit.clue is None:
        return credit.found_in(body)  # a house entry without a clue: the credit itself
    return credit.clue.search(body) is not None


def _normalise(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))
