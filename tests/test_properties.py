"""Layer 3: properties that hold for any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck

WORDS = st.sampled_from(
    [
        "may",
        "May",
        "the",
        "study",
        "in",
        "mice",
        "not",
        "could",
        "suggests",
        "but",
        "linked",
        "to",
        "cancer",
        "reduces",
        "risk",
        "2024",
        "Theresa",
        "clearly",
        "small",
        "trial",
        ".",
        ",",
        "\n",
        "\n\n",
        "peer-reviewed",
        "cure",
        "“",
        "”",
        "e.g.",
        "Dr.",
        "whether",
        "if",
    ]
)
PHRASES = st.lists(WORDS, max_size=60).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=400), PHRASES)


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT)
def test_any_text_gives_a_report_whose_spans_slice_back(text: str) -> None:
    report = hedgecheck.check(text)
    for claim in report.claims:
        assert text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.certainty <= 1.0
        for cue in claim.cues:
            assert text[cue.start : cue.end] == cue.text
            assert cue.scope in ("sentence", "document")


@settings(max_examples=60, deadline=None)
@given(ANY_TEXT)
def test_output_is_deterministic(text: str) -> None:
    assert hedgecheck.check(text).to_dict() == hedgecheck.check(text).to_dict()


SUBJECTS = st.sampled_from(["The drug", "Coffee", "This therapy", "Exercise", "The vaccine"])
VERBS = st.sampled_from(
    [
        ("reduces", "reduce"),
        ("improves", "improve"),
        ("causes", "cause"),
        ("prevents", "prevent"),
        ("treats", "treat"),
        ("increases", "increase"),
        ("protects against", "protect against"),
        ("helps", "help"),
    ]
)
OBJECTS = st.sampled_from(["pain", "the risk of stroke", "depression in adults", "memory loss"])
CONTEXT = st.sampled_from(
    [
        "",
        "A small study in mice found that ",
        "Researchers say ",
        "In a large randomised trial, ",
        "Clearly, ",
        "According to a preprint, ",
    ]
)
HEDGES = st.sampled_from(["may", "might", "could"])


@settings(max_examples=150, deadline=None)
@given(CONTEXT, SUBJECTS, VERBS, OBJECTS, HEDGES)
def test_a_hedge_before_the_main_verb_never_raises_certainty(
    context: str, subject: str, verb: tuple[str, str], obj: str, hedge: str
) -> None:
    lead = subject if not context else subject[0].lower() + subject[1:]
    plain = f"{context}{lead} {verb[0]} {obj}."
    hedged = f"{context}{lead} {hedge} {verb[1]} {obj}."
    before = hedgecheck.check(plain).claims
    after = hedgecheck.check(hedged).claims
    assert after, hedged
    certainty_before = before[0].certainty if before else 1.0
    assert after[0].certainty <= certainty_before
    assert after[0].label.rank <= (before[0].label.rank if before else 3)
