"""The cheaper scans of the branches that open anywhere find the places the plain scans do.

An opening made of lookbehinds is scanned backwards, and a branch is tried at a sentence start
only where one of the words it needs lies ahead: neither may lose a place where a branch
matches (the matcher's own tests check the cues found end to end).
"""

from __future__ import annotations

import dataclasses
import sys

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

import hedgecheck.anywhere as anywhere_module
import hedgecheck.literals as literals_module
from hedgecheck.anywhere import AT_CUE_START
from hedgecheck.budget import ScanBudget
from hedgecheck.cuewalk import CueWindow
from hedgecheck.literals import WordSearch, lowered, required_literals
from hedgecheck.loader import default_rules
from hedgecheck.openings import lookbehinds

_OPENINGS = [
    r"(?i:(?:(?<=^)|(?<=[.;!?]\s{1,3})|(?<=\n)))",  # the shipped sentence start
    r"(?:(?<=\bis ))",
    r"(?i:(?<=[^.]{0,20}should ))",
    r"(?:(?:(?<=^)|(?<=\d\.\s)))",
]
_PIECES = st.sampled_from(
    ["It", "is", " ", "  ", "    ", ".", "!", "?", ";", "\n", "should", "Study", "1", "-", "a.b"]
)
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


def _forward(opening: str, text: str) -> list[int]:
    scan = regex.compile(f"{AT_CUE_START}{opening}")
    return [m.start() for m in scan.finditer(text, overlapped=True)]


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
@example("Yes.  No!\n\nWhy? 1. It is.    Far")
def test_a_backwards_scan_finds_where_its_lookbehinds_hold(text: str) -> None:
    for opening in _OPENINGS:
        backwards = anywhere_module._backwards(opening)
        assert backwards is not None
        assert list(anywhere_module._behind(backwards, text)) == _forward(opening, text)


def test_only_an_opening_of_lookbehinds_alone_is_scanned_backwards() -> None:
    assert lookbehinds(r"(?i:(?:(?<=^)|(?<=\n)))") == ("(?i:", ["^", r"\n"])
    assert lookbehinds(r"(?:(?<=a))") == ("(?:", ["a"])
    for opening in [r"(?i:(?<!\w))", r"(?i:(?:(?<=^)|(?!x)))", r"(?i:(?=a))", r"(?i:(?<=a)(?<=b))"]:
        assert lookbehinds(opening) is None


def test_a_backwards_scan_past_its_time_tries_every_cue_start_it_did_not_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "One. Two three. Four five six.\nSeven"
    backwards = anywhere_module._backwards(_OPENINGS[0])
    assert backwards is not None
    exact = list(anywhere_module._behind(backwards, text))
    monkeypatch.setattr(anywhere_module, "_PIECE_SECONDS", 1e-9)
    slow = list(anywhere_module._behind(backwards, text))
    assert set(exact) <= set(slow)
    assert slow == sorted(slow)


def test_the_words_a_pattern_needs() -> None:
    assert required_literals(r"(?i:[^.]*?(?=\s+(?:should|must)\s))") == (
        ("must", True),
        ("should", True),
    )
    assert required_literals(r"(?:(?<=whatever )Abc)") == (("Abc", False),)
    assert required_literals(r"(?i:(?:need|needs) (?-i:FDA)x?)") == (("need", True),)
    # a word in a branch that may be left out, or read before the start, is not needed
    for body in [
        r"(?i:(?:should|x)y)",
        r"(?i:(?:should)?y)",
        r"(?i:(?<=should )y)",
        r"(?i:(?!should)y)",
        r"(?i:[[:alpha:]should]y)",  # a POSIX class the standard parser reads otherwise
        r"(?i:(?:should){e<=1})",  # a fuzzy match
        r"(?i:\p{Lu}should)",  # syntax the standard parser cannot read
        r"(?i:in)",  # too short to be worth a search
    ]:
        assert required_literals(body) is None, body


_WORDS = [
    ("should", True),
    ("Study", False),
    ("kin", True),
    ("is-a", True),
    ("ſt", True),
    ("IS", True),
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["sHould", "Study", "study", "K", "ſ", "İ", "ı", "is-A", " ", "k", "s"])
    )
)
def test_words_are_found_where_the_regex_engine_finds_them(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = sorted(
        {
            m.start()
            for word, blind in _WORDS
            for m in regex.finditer(
                f"(?{'i' if blind else '-i'}:{regex.escape(word)})", text, overlapped=True
            )
        }
    )
    search = WordSearch(tuple(_WORDS), text, lowered(text))
    found, at = [], search.next_at(0)
    while at < len(text):
        found.append(at)
        at = search.next_at(at + 1)
    assert found == expected


def test_no_other_character_folds_to_ascii_apart_from_lower_case() -> None:
    # found_at reads a lower-case copy of the text unless it holds one of these.
    ascii_blind = regex.compile(r"(?i)[\x00-\x7f]")
    apart = {
        chr(c)
        for c in range(128, sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF
        and ascii_blind.fullmatch(chr(c))
        and not (len(chr(c).lower()) == 1 and chr(c).lower().isascii())
    }
    assert apart == set(literals_module._FOLDED_APART)
    assert all(len(chr(c).lower()) == 1 for c in range(sys.maxunicode + 1) if c != 0x130)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES | st.sampled_from(["requires", "further", "study", "must"]), max_size=60))
def test_a_branch_is_never_kept_from_a_start_where_it_matches(pieces: list[str]) -> None:
    text = " ".join(pieces)
    for matcher in default_rules().matchers:
        tables = matcher._anywhere_scans()
        for index, words in tables.words.items():
            alone = matcher._branch_alone(index)
            found = WordSearch(words, text, lowered(text))
            window = CueWindow(text)
            for start in regex.finditer(AT_CUE_START, text):
                end = window.end(start.start())
                if alone.match(text, start.start(), end):
                    assert anywhere_module._ahead(found, start.start(), end)


@pytest.mark.parametrize("piece", [64, 16384])
def test_a_scan_run_only_near_the_words_its_branch_needs_finds_the_same_starts(
    piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PUB005 needs a journal's name, REL032 "-induced": their scans run only within a cue
    # window before one, in pieces.
    filler = "The trial went on. " * 150
    text = filler.join(
        [
            "It was reported in the Journal of Medicine.",
            "The study in the New England Journal of Medicine found LPS-induced change.",
            "Findings appeared online in Nature.",
            "",
        ]
    )
    monkeypatch.setattr(anywhere_module, "_PIECE", piece)
    for matcher in default_rules().matchers:
        tables = matcher._anywhere_scans()
        everywhere = dataclasses.replace(tables, words={})
        budget = ScanBudget()
        found = tables.starts(text, matcher, budget)
        assert found == everywhere.starts(text, matcher, budget)
    cues = default_rules().find(text).cues
    assert {"PUB005", "REL032"} <= {cue.rule.id for cue in cues}
