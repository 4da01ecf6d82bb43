"""Layer 3: properties that hold for any input."""

from __future__ import annotations

import html

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck import Label

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


@pytest.mark.slow
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


MARKUP_WORDS = st.sampled_from(
    [
        "may",
        "might",
        "suggests",
        "in mice",
        "small study",
        "not peer-reviewed",
        "cure",
        "linked to",
        "the",
        "drug",
        "reduces",
        "pain",
        "clearly",
        "whether",
        "results",
        "Theresa May",
    ]
)
MARKDOWN_WRAPS = st.sampled_from(
    ["{}", "{}", "{}", "*{}*", "**{}**", "[{}](https://x.org/a(b))", "`code`", "_{}_"]
)
HTML_WRAPS = st.sampled_from(
    [
        "{}",
        "{}",
        "{}",
        "<em>{}</em>",
        "<a href='/x'>{}</a>",
        "&amp;",
        "<br>",
        "&#8212;",
        "<b>{}</b>",
    ]
)


def _paragraphs(wraps: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    word = st.tuples(wraps, MARKUP_WORDS).map(lambda pair: pair[0].format(pair[1]))
    sentence = st.lists(word, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
    return st.lists(st.lists(sentence, min_size=1, max_size=3).map(" ".join), max_size=6)


MARKDOWN_BLOCKS = st.sampled_from(["{}", "# {}", "## {}", "- {}", "> {}", "1. {}"])
HTML_BLOCKS = st.sampled_from(
    ["<p>{}</p>", "<h1>{}</h1>", "<li>{}</li>", "<blockquote>{}</blockquote>", "{}", "<div>{}"]
)


def _without_markup(written: str) -> str:
    """What a reader sees of a stretch of generated source: markup gone, entities decoded."""
    written = written.replace("](https://x.org/a(b))", "").replace("`code`", " ")
    written = html.unescape(regex.sub(r"<[^>]*>", lambda m: "\n" if "br" in m[0] else "", written))
    return " ".join(regex.sub(r"[*_\[]", "", written).split())


def _assert_positions(source: str, report: hedgecheck.Report) -> None:
    rows = source.replace("\r\n", "\n").split("\n")
    for claim in report.claims:
        assert 0 <= claim.start < claim.end <= len(source)
        assert _without_markup(source[claim.start : claim.end]) == " ".join(claim.text.split())
        for cue in claim.cues:
            assert _without_markup(source[cue.start : cue.end]) == " ".join(cue.text.split())
            first_word = cue.text.split()[0]
            assert rows[cue.line - 1][cue.column - 1 :].startswith(first_word)


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(MARKDOWN_BLOCKS, _paragraphs(MARKDOWN_WRAPS)), max_size=6))
def test_markdown_positions_locate_every_cue_in_the_source(blocks: list) -> None:
    parts = [shape.format(p) for shape, paragraphs in blocks for p in paragraphs]
    source = "\n\n".join(parts) + "\n"
    _assert_positions(source, hedgecheck.check(source, format="markdown"))


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.tuples(HTML_BLOCKS, _paragraphs(HTML_WRAPS)), max_size=6),
    st.sampled_from(["\n", "", "\n  ", "\r\n"]),
)
def test_html_positions_locate_every_cue_in_the_source(blocks: list, gap: str) -> None:
    parts = [shape.format(p) for shape, paragraphs in blocks for p in paragraphs]
    source = "<html><body>" + gap + gap.join(parts) + "</body></html>"
    _assert_positions(source, hedgecheck.check(source, format="html"))


RHETORIC = st.sampled_from(
    [
        ("Clearly, {s}", "booster"),
        ("Studies prove that {s}", "booster"),
        ("It is well known that {s}", "booster"),
        ("{s}, experts agree", "booster"),
        ("In a breakthrough, {s}", "hype"),
        ("{s}, a miracle for patients", "hype"),
        ("In a revolutionary, game-changing finding, {s}", "hype"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(CONTEXT, SUBJECTS, VERBS, OBJECTS, RHETORIC)
def test_boosters_and_hype_never_raise_the_evidence_ceiling(
    context: str, subject: str, verb: tuple[str, str], obj: str, rhetoric: tuple[str, str]
) -> None:
    lead = subject if not context else subject[0].lower() + subject[1:]
    plain = f"{context}{lead} {verb[0]} {obj}"
    template, _ = rhetoric
    boosted = template.format(s=plain[0].lower() + plain[1:] if template[0] != "{" else plain)
    before = hedgecheck.check(plain + ".").claims
    (after,) = hedgecheck.check(boosted[0].upper() + boosted[1:] + ".").claims
    grade = Label(after.evidence.grade)
    assert grade.rank <= (Label(before[0].evidence.grade).rank if before else 0)
    assert after.label.rank <= grade.rank
    if not context:
        assert after.label is Label.SPECULATIVE  # rhetoric alone is no evidence


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT)
def test_no_label_is_above_its_evidence_ceiling(text: str) -> None:
    rules = hedgecheck.default_rules()
    for claim in hedgecheck.check(text).claims:
        reachable = Label(claim.evidence.grade)
        assert claim.label.rank <= reachable.rank
        (ceiling,) = [s for s in claim.explanation if s.axis == "ceiling"]
        if ceiling.source == "evidence":
            assert "no evidence stated" in ceiling.note and reachable is Label.SPECULATIVE
            continue
        rule = rules.get(ceiling.source)
        assert rule is not None
        grade = Label(rules.scoring.grade(rule))
        # The ceiling's own grade, held under the lowest cap ("in mice") of the claim's cues.
        caps = [rules.get(c.rule).cap for c in claim.cues if rules.get(c.rule).cap]
        assert reachable.rank == min([grade.rank, *(Label(cap).rank for cap in caps)])
