"""The matcher's two ways of matching at a cue opening give the same cues.

A rarely met opening tries its few branches one by one; a common one gets them compiled into
one leftmost-longest alternation. Which way a position takes depends only on how often its
opening was met before, so the cues found must not depend on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import hedgecheck.rules as rules_module
from hedgecheck.rules import Matcher, default_rules

REFERENCE = Path(__file__).parent.parent / "examples" / "ketamine" / "ketamine-article.txt"

# Cue words, pseudo-cue phrases and the openings where two rules match the same text
# ("reduce", "helped": ties the first rule must win).
_VOCABULARY = """may May the The study in mice not could suggests but linked to associated with
    reduces reduce help helped deaths patients risk 2,400 Theresa clearly small trial
    peer-reviewed cure breakthrough et al. Smith University 2-fold more than -induced
    requires polls three weeks later . , ; experts say first show likely a randomized
    controlled"""
WORDS = st.sampled_from([*_VOCABULARY.split(), "in May", "could not", "\n", "\n\n"])


def _cues(matcher: Matcher, text: str) -> list[tuple[str, int, int]]:
    return [(c.rule.id, c.start, c.end) for c in matcher.find(text, include_pseudo=True)]


def _both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ruleset = default_rules()
    for overlay in (False, True):
        rules = [
            r
            for r in ruleset.rules
            if ruleset.matcher_for(r) is (ruleset.overlay if overlay else ruleset.matcher)
        ]
        fresh = Matcher(rules)
        monkeypatch.setattr(rules_module, "_OFTEN", 10**9)
        one_by_one = _cues(fresh, text)
        fresh = Matcher(rules)
        monkeypatch.setattr(rules_module, "_OFTEN", 1)
        compiled = _cues(fresh, text)
        assert one_by_one == compiled
        # Past its budget of compiled alternations a matcher goes on one by one.
        fresh = Matcher(rules)
        monkeypatch.setattr(rules_module, "_COMPILED_BUDGET", 2)
        assert _cues(fresh, text) == compiled
        assert len(fresh._by_branches) <= 2
        monkeypatch.undo()


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join))
@example("Exercise helped patients and may help reduce deaths in mice.")
def test_branches_alone_and_compiled_find_the_same_cues(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _both_ways(text, monkeypatch)


def test_the_reference_page_reads_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    _both_ways(text, monkeypatch)
    assert _cues(default_rules().matcher, text), "the page has cues"
