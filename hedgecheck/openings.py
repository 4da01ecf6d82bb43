"""How a cue pattern opens: the characters a match can begin with, worked out once at load.

The matcher tries, at each cue start, only the branches that can open with the text's first
three characters. These functions probe a pattern's body with every character that may come
first, second and third (``openings``, ``third_characters``), tell the patterns that can
open with almost any word (``opens_anywhere``) or with a zero-width assertion, and wrap a
pack's pattern as the matcher compiles it (``pattern_body``, ``guarded``, ``word_bounded``).
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable, Iterator

import regex

from hedgecheck.patterns import compiled


def opens_with_assertion(body: str) -> bool:
    """Whether a pattern's first item is a zero-width assertion (a lookaround, ``\\b``,
    ``^``), looking inside its inline flags and non-capturing groups."""
    rest = body
    while True:
        flags = regex.match(r"\(\?[a-zA-Z-]*:", rest)
        if flags is None:
            break
        rest = rest[flags.end() :]
    return rest.startswith(("(?<=", "(?<!", "(?=", "(?!", "\\b", "^", "\\A"))


def leading_assertion(body: str) -> str | None:
    """``(?i:(?<=^|\\n)[^.]*?...)`` -> ``(?i:(?<=^|\\n))``: the zero-width item a pattern
    opens with, inside its flags; None when it opens otherwise or cannot be told."""
    wrapper = regex.match(r"\(\?[a-zA-Z-]*:", body)
    if wrapper is None:
        return None
    item = _first_group(body[wrapper.end() :])
    if item is None or not _zero_width(item):
        return None
    return f"{wrapper.group()}{item})"


def lookbehinds(opening: str) -> tuple[str, list[str]] | None:
    """``(?i:(?:(?<=^)|(?<=\\n)))`` -> ``("(?i:", ["^", "\\n"])``: the flags an opening (as
    leading_assertion gives it) is wrapped in and what each of its lookbehinds reads; None
    unless it is nothing but positive lookbehinds."""
    wrapper = regex.match(r"\(\?[a-zA-Z-]*:", opening)
    if wrapper is None or not opening.endswith(")"):
        return None
    item = opening[wrapper.end() : -1]
    alternatives = [item]
    if item.startswith("(?:") and _first_group(item) == item:
        alternatives = _top_level_alternatives(item[3:-1])
    if not all(a.startswith("(?<=") and _first_group(a) == a for a in alternatives):
        return None
    return wrapper.group(), [a[4:-1] for a in alternatives]


def _zero_width(item: str) -> bool:
    """Whether a group is a lookaround, or a group of alternatives that all are."""
    if item.startswith(("(?<=", "(?<!", "(?=", "(?!")):
        return True
    if not item.startswith("(?:"):
        return False
    alternatives = _top_level_alternatives(item[3:-1])
    return all(_first_group(a) == a and _zero_width(a) for a in alternatives)


def _first_group(pattern: str) -> str | None:
    """The parenthesised group ``pattern`` opens with, or None."""
    if not pattern.startswith("("):
        return None
    depth = 0
    for index, ch in _syntax(pattern):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return pattern[: index + 1]
    return None


def _top_level_alternatives(pattern: str) -> list[str]:
    """``a|(b|c)|d`` -> ``["a", "(b|c)", "d"]``."""
    cuts, depth = [-1], 0
    for index, ch in _syntax(pattern):
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            cuts.append(index)
    cuts.append(len(pattern))
    return [pattern[a + 1 : b] for a, b in itertools.pairwise(cuts)]


_GROUPING = frozenset("()|")
_DIGITS = frozenset("123456789")


def _syntax(pattern: str) -> Iterator[tuple[int, str]]:
    """The parentheses and bars of a pattern with their offsets."""
    return ((index, kind) for index, kind in pattern_syntax(pattern) if kind in _GROUPING)


def pattern_syntax(pattern: str) -> Iterator[tuple[int, str]]:
    """The parentheses, bars and braces of a pattern with their offsets, leaving out escaped
    ones and those inside character classes; and, outside classes, its ``\\g<`` references
    (``"\\g"``) and numbered back-references (``"\\N"``)."""
    index, in_class = 0, False
    while index < len(pattern):
        ch = pattern[index]
        if ch == "\\":
            if not in_class and pattern.startswith("\\g<", index):
                yield index, "\\g"
            elif not in_class and pattern[index + 1 : index + 2] in _DIGITS:
                yield index, "\\N"
            index += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "]":
                index += 1  # "[]...]": a literal "]" first
        elif ch in "()|{":
            yield index, ch
        index += 1


def opens_anywhere(body: str, keys: list[tuple[str, str]]) -> bool:
    """Whether a branch can open with almost any word: its first characters are not told
    (``keys`` has no first character) and its opening accepts letters that begin no
    English word, or cannot be told apart from the text before it (a lookbehind inside)."""
    if ("", "") not in keys:
        return False
    opening = without_leading_lookbehind(body)
    if "(?<=" in opening or "(?<!" in opening:
        return True
    compiled = regex.compile(opening)
    return any(compiled.fullmatch(probe, partial=True) for probe in ("xqz", "Xqz", "qzx"))


def opening_key(prefix: str) -> tuple[str, str]:
    """The (first, second) opening-table key of a cue that starts with ``prefix``."""
    return prefix[0].lower(), _second_character(prefix, 1)


# Currency signs beyond "$" are here so that a cue may open with one ("£30", "€20 a dose").
_FIRST_CHARACTERS = string.ascii_lowercase + string.digits + string.punctuation + "“”‘’–—•£€"
SECOND_CHARACTERS = _FIRST_CHARACTERS + " "


def _second_character(text: str, position: int) -> str:
    """The character after a cue's first, as the opening table keys it."""
    if position >= len(text):
        return "$"
    ch = text[position].lower()
    if ch.isspace():
        return " "
    return ch if ch in SECOND_CHARACTERS else "?"


def openings(body: str) -> list[tuple[str, str]]:
    """The (first, second) character keys a match of ``body`` can open with; "" where a
    character cannot be told cheaply (a leading lookbehind, a one-character cue, a class
    that accepts almost anything)."""
    firsts = first_characters(body)
    if firsts is None:
        return [("", "")]
    compiled = regex.compile(without_leading_lookbehind(body))
    cased = _cased(body)
    keys: list[tuple[str, str]] = []
    for first in sorted(firsts):
        variants = cased(first)
        if any(compiled.fullmatch(v) for v in variants) or any(
            compiled.fullmatch(v + other, partial=True) for v in variants for other in "é?"
        ):
            keys.append((first, ""))
            continue
        seconds = [
            ch
            for ch in SECOND_CHARACTERS
            if any(compiled.fullmatch(v + c, partial=True) for v in variants for c in cased(ch))
        ]
        keys.extend((first, ch) for ch in seconds)
    return keys


def third_characters(
    body: str, keys: list[tuple[str, str]]
) -> dict[str, frozenset[str] | None] | None:
    """For each two-character opening of ``body`` (lower case), the third characters a
    match can go on with (None: any, the two already being a whole match); None when the
    openings are not all told by two characters."""
    if not keys or any(not first or not second for first, second in keys):
        return None
    stripped = without_leading_lookbehind(body)
    if "(?<" in stripped:
        return None
    compiled = regex.compile(stripped)
    cased = _cased(body)
    table: dict[str, frozenset[str] | None] = {}
    for first, second in keys:
        opening = first + second
        variants = cased(opening, first + second.upper())
        if any(compiled.fullmatch(v) or compiled.fullmatch(v[0]) for v in variants):
            table[opening] = None
            continue
        table[opening] = frozenset(
            ch
            for ch in SECOND_CHARACTERS
            if any(
                compiled.fullmatch(v + c, partial=True) or compiled.fullmatch(v + c)
                for v in variants
                for c in cased(ch)
            )
        )
    return table


def first_characters(body: str) -> set[str] | None:
    """Lower-case characters a match of ``body`` can begin with, or None when that cannot
    be told cheaply (a lookbehind first, or a start that accepts almost anything)."""
    body = without_leading_lookbehind(body)
    if "(?<" in body:
        return None  # a lookbehind inside may let a branch start anywhere
    compiled = regex.compile(body)
    cased = _cased(body)
    firsts = {
        ch
        for ch in _FIRST_CHARACTERS
        if any(compiled.fullmatch(c, partial=True) for c in cased(ch))
    }
    if not firsts or len(firsts) > 24 or compiled.fullmatch("é", partial=True):
        return None
    return firsts


def _cased(body: str) -> Callable[..., tuple[str, ...]]:
    """How to probe ``body`` with a lower-case string (and, for an opening, its mixed-case
    form): in every case it can take, or, when the whole body matches without regard to
    case, in lower case alone. The opening tables are worked out by probing each pattern
    with every character that may follow; done in every case, that was half the time of
    building the default packs' rules."""
    if case_blind(body):
        return lambda text, *_: (text,)
    return lambda text, *mixed: tuple(
        {text, text.upper(), text.capitalize(), *mixed, *(m.upper() for m in mixed)}
    )


def case_blind(body: str) -> bool:
    """Whether ``body`` matches a text whatever the case of its ASCII letters: it is
    wrapped case-insensitive, the wrapper holds all of it (a pattern such as ``a)(?:b``
    would close it early), and nothing in it can switch that off again (an inline flag
    group that removes a flag, such as ``(?-i:FDA)``, is taken to switch it off)."""
    return body.startswith("(?i:") and _FLAG_OFF.search(body) is None and _first_group(body) == body


# An inline flag group that turns a flag off ("(?-i:", "(?s-i)", "(?^"), escaped or not.
_FLAG_OFF = compiled(r"\(\?[a-zA-Z]*[-^]")


def without_leading_lookbehind(body: str) -> str:
    """``(?i:(?<=is )risk)`` -> ``(?i:risk)``: a leading lookbehind consumes nothing, so the
    match still starts with what follows it."""
    prefix = body[: body.index(":") + 1] if body.startswith("(?") else ""
    rest = body[len(prefix) :]
    while rest.startswith(("(?<=", "(?<!")):
        depth = 0
        for index, ch in enumerate(rest):
            if ch == "\\":
                continue
            if ch == "(" and (index == 0 or rest[index - 1] != "\\"):
                depth += 1
            elif ch == ")" and rest[index - 1] != "\\":
                depth -= 1
                if depth == 0:
                    rest = rest[index + 1 :]
                    break
        else:
            return body
    return prefix + rest


def guarded(body: str) -> str:
    """``(?<!X)Y`` as ``(?=Y)(?<!X)Y``: the same matches, but the lookbehind is tried only
    where the cue itself is. In an alternation the engine tests a leading lookbehind at every
    position it tries; one that reads back to the last full stop (``[^.;]*``) then costs the
    length of the clause at every word, quadratic in a long unpunctuated line."""
    rest = without_leading_lookbehind(body)
    return body if rest == body else f"(?={rest}){body}"


def pattern_body(pattern: str, case_sensitive: bool) -> str:
    return f"(?:{pattern})" if case_sensitive else f"(?i:{pattern})"


def word_bounded(pattern: str, case_sensitive: bool) -> str:
    return rf"(?:(?<!\w)|(?=[^\w\s])){pattern_body(pattern, case_sensitive)}(?!\w)"


def alternation(branches: list[str]) -> regex.Pattern[str]:
    """Branches as one POSIX (leftmost-longest) alternation."""
    return regex.compile("(?p)(?:" + "|".join(branches) + ")")
