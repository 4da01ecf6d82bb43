"""Whether a pack's pattern is safe to compile and match: no construct that crashes the regex
engine, recurses without bound, blows up compiling, or backtracks catastrophically in the
common shapes a cheap test can see (the matcher's timeout and the scan budgets catch the rest
in untrusted packs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

from hedgecheck.errors import RuleError
from hedgecheck.openings import pattern_syntax, word_bounded
from hedgecheck.patterns import compiled

# How the loader reports a problem with a key of the entry being checked: it builds the
# error (naming file, rule and key) that is raised.
Fail = Callable[[str, str], RuleError]

# "(a+)+", "(\w+\s?)*": a group opening with an unbounded repeat, itself repeated without
# bound. The matcher's timeout catches what this cheap test misses.
_NESTED_REPEAT = compiled(
    r"\((?:\?:)?(?:\\[wsdWSD]|\[[^\]]+\]|\.|\w)[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\})"
)

# Constructs that crash the regex engine or blow up compiling, none of which a cue needs:
# a call of a group by itself or another ("(?R)?a" runs out of memory on any text); a
# back-reference by \g<...> to the whole match or to a group still open, which the engine
# does not refuse as it refuses "(a\1)"; and repeat counts whose product nests past
# _MAX_REPEAT ("a{4294967294}" or "(?:a{1000}){1000}" takes seconds to minutes and hundreds of
# megabytes to compile).
_RECURSION = compiled(r"\(\?(?:R|[+-]?\d+|&\w+|P>\w+)\)")
_GROUP_REFERENCE = compiled(r"\\g<(\w+)>")
_NUMBERED_REFERENCE = compiled(r"\\([1-9][0-9]?)")
_COUNT = compiled(r"\{(\d*)(?:,(\d*))?\}")
_MAX_REPEAT = 1000
# Parentheses nested deeper than this overflow the Python stack of the engine's parser.
_MAX_NESTING = 100


def checked_patterns(raw: Any, case_sensitive: bool, fail: Fail) -> tuple[str, ...]:
    """A rule's ``patterns``, each refused (``fail(message, key)`` raised) when it is no
    valid pattern, holds a construct that crashes or hangs the regex engine, has named
    groups, matches the empty string or repeats a repeat without bound."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p for p in raw):
        raise fail("expected a non-empty list of regex patterns", "patterns")
    for index, pattern in enumerate(raw):
        refused = _refused_construct(pattern)
        if refused:
            raise fail(f"bad pattern {pattern!r}: {refused}", f"patterns[{index}]")
        try:
            checked = regex.compile(word_bounded(pattern, case_sensitive))
        except regex.error as exc:
            message = _unwrapped(exc, case_sensitive)
            raise fail(f"bad pattern {pattern!r}: {message}", f"patterns[{index}]") from exc
        except (RecursionError, MemoryError, OverflowError) as exc:
            # What the checks above missed: named, not a traceback.
            message = f"the regex engine cannot compile it ({type(exc).__name__})"
            raise fail(f"bad pattern {pattern!r}: {message}", f"patterns[{index}]") from None
        if checked.groupindex:
            raise fail("named groups are reserved for the matcher", f"patterns[{index}]")
        if checked.match(""):
            raise fail("pattern matches the empty string", f"patterns[{index}]")
        nested = _NESTED_REPEAT.search(pattern)
        if nested:
            raise fail(
                f"{nested.group()!r} repeats a group that starts with a repeat, which can "
                "backtrack catastrophically; bound the outer repeat or anchor the group",
                f"patterns[{index}]",
            )
    return tuple(raw)


def _refused_construct(pattern: str) -> str | None:
    """Why ``pattern`` holds a construct that crashes the regex engine or explodes when
    compiled, checked before it is compiled; None when it holds none."""
    events = _pattern_events(pattern)
    open_groups: list[int | None] = []  # the number of each open group (None: not capturing)
    number = 0
    weights = [1]  # per open group: the largest nested repeat count product inside it
    closed = 1  # that product of the group that closed last
    for offset, kind in events:
        if kind == "(":
            if _RECURSION.match(pattern, offset):
                end = _RECURSION.match(pattern, offset).end()  # type: ignore[union-attr]
                return (
                    f"{pattern[offset:end]!r} calls a group recursively, which can recurse "
                    "without bound"
                )
            capturing = not pattern.startswith("(?", offset)
            number += capturing
            open_groups.append(number if capturing else None)
            weights.append(1)
            if len(open_groups) > _MAX_NESTING:
                return f"groups nest deeper than {_MAX_NESTING}"
        elif kind == ")" and open_groups:
            open_groups.pop()
            closed = weights.pop()
            weights[-1] = max(weights[-1], closed)
        elif kind == "\\g":
            reference = _GROUP_REFERENCE.match(pattern, offset)
            if reference and (
                reference.group(1) == "0" or _is_open(reference.group(1), open_groups)
            ):
                return (
                    f"{reference.group()!r} refers back to a group that is still open, which "
                    "the engine cannot match"
                )
            if reference and reference.group(1).isdigit():
                return _numbered_reference(reference.group())
        elif kind == "\\N":
            reference = _NUMBERED_REFERENCE.match(pattern, offset)
            if reference and not _is_open(reference.group(1), open_groups):
                return _numbered_reference(reference.group())  # an open one: the engine says
        elif kind == "{":
            count = _COUNT.match(pattern, offset)
            if count is None:
                continue
            bound = max((int(n) for n in count.groups() if n), default=0)
            after_group = offset > 0 and pattern[offset - 1] == ")"
            product = bound * (closed if after_group else 1)
            if product > _MAX_REPEAT:
                return (
                    f"{count.group()!r} repeats {product:,} times with the counts around it, "
                    f"above {_MAX_REPEAT:,}: compiling that can take minutes and gigabytes, "
                    "and a cue is a phrase"
                )
            weights[-1] = max(weights[-1], product)
    return None


def _numbered_reference(reference: str) -> str:
    # The matcher puts every pattern in one alternation, inside a group naming its rule and
    # after the groups of the patterns before it, so a number points at another group there.
    return (
        f"{reference!r} is a numbered back-reference, whose number shifts when the pattern "
        "joins the others (and named groups are the matcher's own): spell the words out"
    )


def _is_open(reference: str, open_groups: list[int | None]) -> bool:
    return reference.isdigit() and int(reference) in open_groups


def _pattern_events(pattern: str) -> list[tuple[int, str]]:
    """The parentheses, \\g references and braces of a pattern, with their offsets, leaving
    out escaped ones and those inside character classes."""
    return [(index, kind) for index, kind in pattern_syntax(pattern) if kind != "|"]


def _unwrapped(exc: regex.error, case_sensitive: bool) -> str:
    """The engine's message, its position counted in the pattern as written rather than in
    the matcher's wrapping of it."""
    message = getattr(exc, "msg", str(exc))
    where = getattr(exc, "pos", None)
    if where is None:
        return message
    before = len(word_bounded("", case_sensitive)) - len("(?!\\w)") - 1
    return f"{message} at position {max(0, where - before)}"
