"""Sentences, offsets, headlines and page furniture."""

from __future__ import annotations

import hedgecheck
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


def _roles(text: str) -> dict[str, str]:
    return {s.text: s.role for s in segment(text)}


def test_a_byline_is_furniture_and_never_the_headline() -> None:
    text = (
        "By Jane Q. Public and John Roe, Staff Writers\n\n"
        "Tea drinkers slept better in a trial of 300 adults\n\n"
        "By contrast, coffee drinkers slept less, the researchers found in the trial."
    )
    roles = _roles(text)
    assert roles["By Jane Q. Public and John Roe, Staff Writers"] == "furniture"
    assert roles["Tea drinkers slept better in a trial of 300 adults"] == "headline"
    assert roles[
        "By contrast, coffee drinkers slept less, the researchers found in the trial."
    ] == ("body")


def test_a_caption_ending_in_its_credit_is_furniture() -> None:
    captions = [
        "A volunteer wears the sleep monitor at home. Photo: Jane Doe",
        "A nurse checks a monitor in a ward in 2019. AGENCY/Jane Doe",
        "Jane Doe / Example Images",
        "A runner on a track (Photo by Jane Doe)",
    ]
    for caption in captions:
        text = f"{caption}\n\nThe drug lowered blood pressure in the trial, the team said."
        assert segment(text)[0].role == "furniture", caption


def test_a_slash_inside_wrapped_prose_is_not_a_credit() -> None:
    text = (
        "The drug was given to several hundred patients with HIV/AIDS\n"
        "and it lowered their viral load, the researchers reported."
    )
    assert [s.role for s in segment(text)] == ["body"]


def test_a_labelled_link_line_is_furniture() -> None:
    text = (
        "Sleep loss raised blood pressure in the trial, the authors said.\n\n"
        "MORE: Can a Nap Make Up for a Short Night?\n\n"
        "Related: Why teenagers sleep late"
    )
    roles = _roles(text)
    assert roles["MORE: Can a Nap Make Up for a Short Night?"] == "furniture"
    assert roles["Related: Why teenagers sleep late"] == "furniture"


def test_a_box_heading_makes_the_line_under_it_furniture() -> None:
    text = (
        "The vaccine cut infections by half in the trial, the authors said.\n\n"
        "More information\n\n"
        "The Example Health Institute has more on vaccines.\n\n"
        "Corrections & Amplifications\n\n"
        "A chart gave the wrong year for the trial. It began in 2019."
    )
    roles = _roles(text)
    assert roles["The vaccine cut infections by half in the trial, the authors said."] == "body"
    assert roles["More information"] == "furniture"
    assert roles["The Example Health Institute has more on vaccines."] == "furniture"
    assert roles["A chart gave the wrong year for the trial. It began in 2019."] == "furniture"


def test_page_boilerplate_sentences_give_no_claims() -> None:
    boilerplate = [
        "Write to Jo Bloggs about how coffee is linked to sleep at jo.bloggs@example.com.",
        "Jo Bloggs is a health writer at the Daily Example, where she covers how diet is "
        "linked to sleep.",
        "Find her on Twitter, where she explains how diet is linked to sleep.",
        "If you or someone you know has a mood disorder linked to sleep loss, call the crisis "
        "hotline at 555-0100.",
        "An earlier version of this article said that coffee is linked to a longer life.",
        "Science Newsletter Get the latest news on how diet is linked to health.",
        "For more information on how diet is linked to sleep, visit the institute's site.",
    ]
    for line in boilerplate:
        text = f"Coffee may lower the risk of liver disease, a study suggests.\n\n{line}"
        claims = hedgecheck.check(text, title="Coffee and the liver").claims
        assert [c.line for c in claims if c.line] == [1], line


def test_advertising_as_a_subject_of_prose_is_not_clutter() -> None:
    text = "The clinic ran an advertisement saying that the drug is linked to better sleep."
    assert [c.line for c in hedgecheck.check(text, title="Ads").claims if c.line] == [1]


def test_a_short_opening_line_heads_the_text_but_a_two_word_label_does_not() -> None:
    headed = segment("Drug eases pain\n\nThe drug eased pain in a trial of 40 adults.\n")
    assert [s.role for s in headed] == ["headline", "body"]
    question = segment("Can coffee cure cancer?\n\nA study of 5,000 adults found less cancer.\n")
    assert question[0].role == "headline"
    label = segment("En Español\n\nThe drug eased pain in a trial of 40 adults.\n")
    assert label[0].role != "headline"
    single = segment("Drug eases pain\n")
    assert single[0].role != "headline"  # nothing follows it: a line, not a headline
