"""Prose into sentences: a sentence ends at a full stop, question or exclamation mark
followed by a capital or a digit, but not after an abbreviation ("Dr.", "et al.": the
lexicon's ``abbreviations``), an initial ("J. Smith") or a dotted acronym ("U.S.").
"""

from __future__ import annotations

import regex

from hedgecheck.lexicon import Lexicon, resolved
from hedgecheck.patterns import compiled

# Matched backwards from a full stop: the word before it, read in the length of that word
# (not of all the text before it, which a long run of abbreviations made quadratic).
_LAST_WORD = compiled(r"[\p{L}.]+", regex.REVERSE)
_NOT_SPACE = compiled(r"\S")
_DOTTED = compiled(r"(?:\p{L}\.)+\p{L}")
_SENTENCE_END = compiled(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[\p{Lu}\d•])""")


def split_sentences(text: str, start: int, end: int, lexicon: Lexicon) -> list[tuple[int, int]]:
    """The spans of the sentences of the prose ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if _is_abbreviation(text, cursor, match.start(), lexicon):
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    return spans


def last_sentence_start(
    text: str, start: int, end: int, *, lexicon: Lexicon | None = None
) -> int | None:
    """The offset of the last sentence in ``text[start:end]`` that follows another one
    ending there, as ``segment`` splits prose (after "Dr." or "J." no sentence starts), or
    None: where a line too long to hold whole may be cut without cutting a sentence.
    ``lexicon`` is the rule set's (default: the default packs')."""
    found = None
    lexicon = resolved(lexicon)
    for match in _SENTENCE_END.finditer(text, start, end):
        if not _is_abbreviation(text, start, match.start(), lexicon):
            found = match.end()
    if found is None:
        return None
    # the white space after the end belongs to neither sentence: the next one starts past it
    return _NOT_SPACE.search(text, found, end).start()  # type: ignore[union-attr]


def _is_abbreviation(text: str, start: int, dot: int, lexicon: Lexicon) -> bool:
    if text[dot] != ".":
        return False
    word = _LAST_WORD.match(text, start, dot)
    if not word:
        return False
    token = word.group().lstrip(".")
    if lexicon.term("abbreviations").has(token):
        return True
    # Initials ("J. Smith") and dotted acronyms ("U.S.", "e.g.") are not sentence ends.
    lowered = token.lower()
    return len(lowered) == 1 or _DOTTED.fullmatch(lowered) is not None
