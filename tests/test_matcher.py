"""The matcher's two ways of matching at a cue opening give the same cues.

A rarely met opening tries its few branches one by one; a common one gets them compiled into
one leftmost-longest alternation. Which way a position takes depends only on how often its
opening was met before, so the cues found must not depend on it.
"""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest
from house_pack import write_pack
from hypothesis import example, given, settings
from hypothesis import strategies as st

import hedgecheck.anywhere as anywhere_module
import hedgecheck.cuewalk as cuewalk_module
import hedgecheck.loader as loader_module
import hedgecheck.matcher as matcher_module
import hedgecheck.openings as openings_module
import hedgecheck.overlaps as overlaps_module
from hedgecheck.loader import default_rules
from hedgecheck.matcher import Matcher

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


def _fresh(matcher: Matcher, *, ahead: bool = False) -> Matcher:
    """A copy with nothing compiled or counted yet (pickling drops both), which is much
    quicker than building the opening tables again; with ``ahead``, it keeps the
    alternations compiled ahead for the openings common in prose."""
    copy: Matcher = pickle.loads(pickle.dumps(matcher))
    if not ahead:
        copy._alternation_code = {}
    return copy


def _both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ruleset = default_rules()
    for matcher in ruleset.matchers:
        fresh = _fresh(matcher)
        monkeypatch.setattr(matcher_module, "_COMPILE_AFTER", 10**9)
        one_by_one = _cues(fresh, text)
        fresh = _fresh(matcher)
        monkeypatch.setattr(matcher_module, "_COMPILE_AFTER", 1)
        compiled = _cues(fresh, text)
        assert one_by_one == compiled
        # Past its budget of compiled alternations a matcher goes on one by one.
        fresh = _fresh(matcher)
        monkeypatch.setattr(matcher_module, "_MOST_ALTERNATIONS", 2)
        assert _cues(fresh, text) == compiled
        assert len(fresh._alternations) <= 2
        monkeypatch.undo()
        # As shipped: the common openings compiled ahead, the rest one by one.
        assert matcher._alternation_code, "the rule cache compiles common openings ahead"
        assert _cues(_fresh(matcher, ahead=True), text) == compiled


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join))
@example("Exercise helped patients and may help reduce deaths in mice.")
def test_branches_alone_and_compiled_find_the_same_cues(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _both_ways(text, monkeypatch)


@pytest.mark.slow
def test_the_reference_page_reads_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    _both_ways(text, monkeypatch)
    assert _cues(default_rules().matcher, text), "the page has cues"


_SINGLES: dict[tuple[int, int], object] = {}


def _single(matcher: Matcher, index: int):  # type: ignore[no-untyped-def]
    key = (id(matcher), index)
    if key not in _SINGLES:
        _SINGLES[key] = openings_module.alternation([matcher._branch_sources[index]])
    return _SINGLES[key]


def _every_branch_alone(matcher: Matcher, text: str) -> list[tuple[str, int, int]]:
    """The matcher's definition, spelled out slowly: at every cue start every branch is
    tried alone within the cue window, the longest match kept, the first branch on a tie."""
    window = cuewalk_module.CueWindow(text)
    raw = []
    for start in cuewalk_module.CUE_STARTS.finditer(text):
        position = start.start()
        end = window.end(position)
        best = None
        for index in sorted(matcher._branch_sources):
            found = _single(matcher, index).match(text, position, end)  # type: ignore[attr-defined]
            if found is not None and (best is None or found.end() > best.end()):
                best = found
        if best is not None and best.end() > position:
            rule = matcher._rule_of_group[best.lastgroup]
            raw.append(overlaps_module.CueMatch(rule, position, best.end(), best.group()))
    resolved = overlaps_module.resolve_overlaps(raw, include_pseudo=True)
    return [(c.rule.id, c.start, c.end) for c in resolved]


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(WORDS, max_size=30).map(" ".join))
@example("Smith et al. found that LPS-induced polls requires further study; contact a@b.org")
@example("Theresa May said 2-fold more patients in exit polls. Results require further work.")
def test_the_matcher_finds_what_every_branch_alone_finds(text: str) -> None:
    ruleset = default_rules()
    for matcher in ruleset.matchers:
        assert _cues(matcher, text) == _every_branch_alone(matcher, text)


def test_branches_that_open_anywhere_are_kept_out_of_the_opening_tables() -> None:
    # "\w+-induced" and an e-mail address can open with any word: tried at every word they
    # cost a regex call each; they are found by one scan of the text instead.
    matcher = default_rules().matcher
    anywhere = {matcher._rule_of_group[f"g{i - 1}"].id for i in matcher._anywhere}
    assert {"REL032", "CLT006"} <= anywhere
    assert "HDG001" not in anywhere
    tabled = {i for branches in matcher._branches.values() for i, _ in branches}
    assert not tabled & set(matcher._anywhere)


@pytest.mark.parametrize(("piece", "seconds"), [(64, 0.05), (64, 1e-9), (16384, 1e-9)])
def test_pieces_and_slow_scans_find_the_same_cues(
    piece: int, seconds: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small pieces put cue starts near piece ends; a scan past its time has every cue start
    # of its piece tried instead. Neither may change what is found.
    text = REFERENCE.read_text(encoding="utf-8")[:6000]
    text += "\nSmith et al. found LPS-induced changes; write to a@b.org. It requires further study."
    ruleset = default_rules()
    expected = [_cues(m, text) for m in ruleset.matchers]
    monkeypatch.setattr(anywhere_module, "_PIECE", piece)
    monkeypatch.setattr(anywhere_module, "_PIECE_SECONDS", seconds)
    for matcher, cues in zip(ruleset.matchers, expected, strict=True):
        assert _cues(_fresh(matcher), text) == cues
    assert {"CLT006", "REL032", "EDC002"} <= {rule for cues in expected for rule, _, _ in cues}


_AT_SENTENCE_START = r"(?:(?<=^)|(?<=[.!?]\s)|(?<=\n))"


def test_branches_opening_with_one_assertion_share_its_scan(tmp_path: Path) -> None:
    # Two patterns open with the same sentence-start lookbehind and share one scan for it; a
    # third opens with a group that is not an assertion alone and is scanned whole. All
    # find what each branch alone finds.
    patterns = [
        _AT_SENTENCE_START + r"[^.]*?(?=\s+needs\s)",
        _AT_SENTENCE_START + r"(?=[^.]{0,80}?\sshould\s)[^.]*?(?=\s+should)",
        r"(?:(?<=^)|Also )\w+ matters",
    ]
    pack = write_pack(tmp_path / "house.toml", *patterns, example="[[It]] needs care.")
    matcher = loader_module.load_rules(pack).matcher
    text = (
        "Timing matters. The dose needs more work. Also timing matters here.\n"
        "Patients with pain should rest. Nobody should. It needs care."
    )
    found = _cues(matcher, text)
    assert found == _every_branch_alone(matcher, text)
    assert {text[start:end] for _, start, end in found} >= {
        "Timing matters",  # the third pattern
        "The dose",  # the first
        "Patients with pain",  # the second
    }
    openings = matcher._anywhere_scans().openings
    shared = [scan.pattern for scan, _, branches in openings if len(branches) == 2]
    assert shared == [f"{anywhere_module.AT_CUE_START}(?i:{_AT_SENTENCE_START})"]
    assert sorted(len(branches) for _, _, branches in openings) == [1, 2]


def test_the_walk_reads_each_matcher_through_its_tier_walk_only() -> None:
    # find_together and its walk use what a matcher hands out for a text (TierWalk), never
    # a matcher's private fields: the matcher keeps its tables to itself.
    source = Path(cuewalk_module.__file__).read_text(encoding="utf-8")
    private = {
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    }
    assert private <= {"_text", "_space", "_clear_from", "_clear_to"}  # CueWindow's own
