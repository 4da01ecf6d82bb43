"""Sentences, offsets, headlines and page furniture."""

from __future__ import annotations

from hedgecheck.text import LineIndex, segment


def _texts(text: str) -> list[str]:
    return [s.text for s in segment(text)]


def test_abbreviations_decimals_and_initials_do_not_end_sentences() -> None:
    text = (
        "Smith et al. found a 2.5-fold rise in the U.S. population. Dr. Jones, e.g. in Fig. 2, "
        "disagreed. J. Smith agreed."
    )
    assert _texts(text) == [
        "Smith et al. found a 2.5-fold rise in the U.S. population.",
        "Dr. Jones, e.g. in Fig. 2, disagreed.",
        "J. Smith agreed.",
    ]


def test_quotes_close_the_sentence_they_end() -> None:
    assert _texts('He said "it works." She did not agree.') == [
        'He said "it works."',
        "She did not agree.",
    ]


def test_blank_line_and_unpunctuated_line_end_sentences() -> None:
    text = (
        "The drug was tested in mice and rats\nIt worked well.\n\nA second paragraph follows here."
    )
    assert _texts(text) == [
        "The drug was tested in mice and rats",
        "It worked well.",
        "A second paragraph follows here.",
    ]


def test_hard_wrapped_prose_is_rejoined() -> None:
    text = (
        "The results of the trial, which enrolled several hundred adults over two\n"
        "years, were published today."
    )
    assert len(segment(text)) == 1


def test_headline_is_the_first_title_line_not_repeated_as_a_prefix() -> None:
    text = (
        "Monday, March 3, 2025\n\nCoffee linked to longer life\n\n"
        "Coffee linked to longer life in a large cohort study\n\n"
        "People who drink coffee live longer, according to a large new cohort study of adults."
    )
    roles = {s.text: s.role for s in segment(text)}
    assert roles["Coffee linked to longer life in a large cohort study"] == "headline"
    assert roles["Coffee linked to longer life"] == "heading"
    assert roles["Monday, March 3, 2025"] == "furniture"


def test_breadcrumbs_and_dash_labels_are_furniture() -> None:
    text = (
        "HomeHealthNewsCoffee linked to life\n\n- Advertisement -\n\nSome prose follows here today."
    )
    roles = [s.role for s in segment(text)]
    assert roles[:2] == ["furniture", "furniture"]


def test_offsets_slice_back_to_sentence_text() -> None:
    text = "  First one here.  Second one?\n\n• A bullet point item.\n"
    for sentence in segment(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_line_index_is_one_based() -> None:
    index = LineIndex("ab\ncd\n\nef")
    assert index.position(0) == (1, 1)
    assert index.position(4) == (2, 2)
    assert index.position(7) == (4, 1)
