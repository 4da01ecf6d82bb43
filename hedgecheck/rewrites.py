"""Rewrites: the edit a rule's finding offers ("a groundbreaking study" → "a study").

A rule may list ``rewrites``, each a pattern tried at the cue (it may look around the cue and
take in the space after it) and what its match becomes. The first that matches over the whole
cue gives the edit; the case of a sentence's first letter is kept, and an "a"/"an" before the
edit is made to agree with the word that now follows it (the lexicon's ``an-openings``). An
editor's tool applies the edit as it stands: the language server's quick fix, SARIF's fixes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import regex

from hedgecheck.lexicon import Lexicon, resolved
from hedgecheck.model import Edit
from hedgecheck.openings import pattern_body
from hedgecheck.patterns import compiled
from hedgecheck.patternsafety import checked_patterns
from hedgecheck.schema import Rewrite, Rule

# A house pack's rewrite pattern runs once per finding; past this it offers no edit rather
# than hold up the check.
_TIMEOUT_SECONDS = 0.05
_KEYS = {"pattern", "to", "examples"}
_MIN_EXAMPLES = 3
_CUE_MARK = compiled(r"\[\[(.+?)\]\]")
_ARTICLE_BEFORE = compiled(r"(?<![\w'’-])(an?)(\s+)$", regex.IGNORECASE)
_FIRST_WORD = compiled(r"\s*(\w[\w'’-]*)")


def rewrite_of(
    text: str, start: int, end: int, rule: Rule, *, lexicon: Lexicon | None = None
) -> Edit | None:
    """The edit ``rule`` offers for its cue at ``text[start:end]``, or None."""
    for rewrite in rule.rewrites:
        try:
            found = _pattern(rewrite.pattern, rule.case_sensitive).match(
                text, start, timeout=_TIMEOUT_SECONDS
            )
        except TimeoutError:
            continue
        if found is None or found.end() < end:
            continue
        edit = _cased(text, _edit(text, found.start(), found.end(), found.expand(rewrite.to)))
        edit = _agreed(text, edit, resolved(lexicon))
        return edit if edit.text != edit.replacement else None
    return None


def applied(text: str, edit: Edit | None) -> str:
    """``text`` with ``edit`` made (unchanged without one)."""
    if edit is None:
        return text
    return text[: edit.start] + edit.replacement + text[edit.end :]


def marked_cue(example: str) -> tuple[str, int, int]:
    """An example's text without its ``[[cue]]`` mark, and the cue's offsets."""
    mark = _CUE_MARK.search(example)
    if mark is None:
        raise ValueError(f"no [[cue]] in {example!r}")
    plain = example[: mark.start()] + mark.group(1) + example[mark.end() :]
    return plain, mark.start(), mark.start() + len(mark.group(1))


@functools.cache
def _pattern(pattern: str, case_sensitive: bool) -> regex.Pattern[str]:
    return regex.compile(pattern_body(pattern, case_sensitive))


def _edit(text: str, start: int, end: int, replacement: str) -> Edit:
    return Edit(start=start, end=end, text=text[start:end], replacement=replacement)


def _cased(text: str, edit: Edit) -> Edit:
    """Keep a capital that opened the replaced words: on the replacement, or (when the words
    are dropped) on the word after them."""
    if not text[edit.start : edit.start + 1].isupper():
        return edit
    if edit.replacement:
        return _edit(
            text, edit.start, edit.end, edit.replacement[:1].upper() + edit.replacement[1:]
        )
    following = text[edit.end : edit.end + 1]
    if following.islower():
        return _edit(text, edit.start, edit.end + 1, following.upper())
    return edit


def _agreed(text: str, edit: Edit, lexicon: Lexicon) -> Edit:
    """Take in an "a"/"an" just before the edit when the word that now follows it wants the
    other one."""
    article = _ARTICLE_BEFORE.search(text, max(0, edit.start - 8), edit.start)
    if article is None:
        return edit
    # the replacement's first word, or (when the words are dropped) the text's next one:
    # matched in place, never by copying the rest of the text (once per finding)
    word = (
        _FIRST_WORD.match(edit.replacement)
        if edit.replacement.strip()
        else _FIRST_WORD.match(text, edit.end)
    )
    if word is None:
        return edit
    wanted = "an" if lexicon.term("an-openings").pattern.fullmatch(word.group(1)) else "a"
    said = article.group(1)
    if said.lower() == wanted:
        return edit
    spelled = wanted.capitalize() if said[0].isupper() else wanted
    return _edit(text, article.start(), edit.end, spelled + article.group(2) + edit.replacement)


# -- reading a pack's rewrites -------------------------------------------------------------


def parse_rewrites(
    entry: Mapping[str, Any], *, severity: str | None, fragments: Mapping[str, str], fail: Any
) -> tuple[Rewrite, ...]:
    """A rule's ``rewrites``: a list of tables, each with ``pattern``, ``to`` and at least
    three ``examples`` pairs ``["… [[cue]] …", "… as rewritten …"]``, one of them rewritten."""
    if "rewrites" not in entry:
        return ()
    raw = entry["rewrites"]
    if severity is None:
        raise fail(
            "only a rule that raises a finding (has a severity) offers a rewrite", "rewrites"
        )
    if not isinstance(raw, list) or not raw:
        raise fail("expected a non-empty list of tables with pattern, to and examples", "rewrites")
    return tuple(
        _rewrite(item, f"rewrites[{index}]", fragments, fail) for index, item in enumerate(raw)
    )


def _rewrite(item: Any, key: str, fragments: Mapping[str, str], fail: Any) -> Rewrite:
    if not isinstance(item, dict):
        raise fail("expected a table with pattern, to and examples", key)
    for name in sorted(set(item) - _KEYS):
        raise fail("unknown key", f"{key}.{name}")
    for name in sorted(_KEYS - set(item)):
        raise fail("missing key", f"{key}.{name}")
    if not isinstance(item["to"], str):
        raise fail("expected a string (empty to drop the words)", f"{key}.to")

    def at(message: str, _: str) -> Any:
        return fail(message, f"{key}.pattern")

    from hedgecheck.packfile import expand_fragments  # which imports this module

    (pattern,) = checked_patterns(expand_fragments([item["pattern"]], fragments, at), True, at)
    rewrite = Rewrite(pattern, item["to"], _examples(item["examples"], f"{key}.examples", fail))
    _check_replacement(rewrite, key, fail)
    return rewrite


def _examples(raw: Any, key: str, fail: Any) -> tuple[tuple[str, str], ...]:
    pairs = raw if isinstance(raw, list) else []
    if len(pairs) < _MIN_EXAMPLES or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(t, str) for t in p) for p in pairs
    ):
        raise fail(f'expected at least {_MIN_EXAMPLES} pairs ["… [[cue]] …", "rewritten"]', key)
    for index, (before, _) in enumerate(pairs):
        if _CUE_MARK.search(before) is None:
            raise fail(f"the text before has no [[cue]]: {before!r}", f"{key}[{index}]")
    if all(marked_cue(before)[0] == after for before, after in pairs):
        raise fail("no example is rewritten", key)
    return tuple((before, after) for before, after in pairs)


def _check_replacement(rewrite: Rewrite, key: str, fail: Any) -> None:
    """``to`` may name only the pattern's own groups: expanded against as many empty groups,
    a reference to any other fails."""
    groups = _pattern(rewrite.pattern, True).groups
    try:
        regex.compile("()" * groups).match("").expand(rewrite.to)
    except (IndexError, regex.error) as exc:
        raise fail(f"bad replacement {rewrite.to!r}: {exc}", f"{key}.to") from None
