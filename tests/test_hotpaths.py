"""The shortcuts on the hot paths give what the plain computations they stand for give."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgecheck.checks._topic import SUFFIXES, stems, topic_words
from hedgecheck.loader import default_rules
from hedgecheck.pagelines import _MANY_WORDS, WORD, _word_count
from hedgecheck.scoring import _grade_table
from hedgecheck.text import LINE_BREAK, line_starts, token_bounds, tokens

# Line ends of every kind, separators that end no line here, letters, marks, digits.
_PIECES = st.sampled_from(
    ["\n", "\r", "\r\n", "\x0b", "\x0c", "\u2028", "\x85", " ", "a", "É", "\u0301", "7", ".", "’"]
)
_TEXT = st.lists(_PIECES, max_size=60).map("".join) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_line_starts_are_the_line_breaks_ends(text: str) -> None:
    assert line_starts(text) == [0, *(m.end() for m in LINE_BREAK.finditer(text))]


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.sampled_from(["word ", "1,5 ", "don't "]), max_size=80).map("".join))
def test_word_count_counts_the_words_up_to_the_most_a_test_needs(line: str) -> None:
    assert _word_count(line) == min(len(WORD.findall(line)), _MANY_WORDS)


def test_stems_are_frozen_so_a_caller_cannot_change_the_cached_ones() -> None:
    first = stems("Coffee drinking reduces the risk of dying")
    assert isinstance(first, frozenset)
    assert stems("Coffee drinking reduces the risk of dying") == {
        "coffe",
        "drink",
        "reduc",
        "risk",
        "dying",
    }


def _stem_by_hand(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.removesuffix("e") if len(word) > 3 else word


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["helps ", "lives ", "reduced ", "The ", "study, ", "eyes ", "e ", "“Tea "])
        | _PIECES,
        max_size=40,
    ).map("".join)
)
def test_stems_are_each_topic_word_cut_by_its_first_suffix(text: str) -> None:
    words = {w.strip(".,;:()“”\"'’").lower() for w in text.split() if len(w) >= 4} - {
        "the",
        "study",
    }
    assert topic_words(text) == words
    assert stems(text) == {_stem_by_hand(w) for w in words}


_ONE_TOKEN = regex.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]")


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(0, 90), st.integers(0, 90))
def test_token_bounds_are_the_tokens_a_search_finds(text: str, start: int, end: int) -> None:
    start, end = min(start, len(text)), min(max(start, end), len(text))
    spans = [m.span() for m in _ONE_TOKEN.finditer(text, start, end)]
    assert token_bounds(text, start, end) == ([s for s, _ in spans], [e for _, e in spans])
    assert tokens(text, start, end) == spans


def test_grade_table_grades_as_the_scoring_does() -> None:
    rules = default_rules()
    table = _grade_table(rules.scoring.grades)
    for rule in rules.rules:
        assert table.get((rule.category, rule.value)) == rules.scoring.grade(rule)
