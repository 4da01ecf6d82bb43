"""Markdown, HTML and plain text read as prose, with positions in the original file."""

from __future__ import annotations

from pathlib import Path

import pytest

import hedgecheck
from hedgecheck import Label, UsageError
from hedgecheck.documents import format_for_path, read_document

KETAMINE = Path(__file__).parent.parent / "examples" / "ketamine"
FORMATS = {"txt": "text", "md": "markdown", "html": "html"}


def _report(ext: str) -> tuple[str, hedgecheck.Report]:
    source = (KETAMINE / f"ketamine-article.{ext}").read_text(encoding="utf-8")
    return source, hedgecheck.check(source, format=FORMATS[ext])


def _located(source: str, line: int, column: int, text: str) -> bool:
    row = source.split("\n")[line - 1]
    return row[column - 1 : column - 1 + len(text)] == text


@pytest.mark.parametrize("ext", ["md", "html"])
def test_the_ketamine_page_reads_the_same_in_every_format(ext: str) -> None:
    _, plain = _report("txt")
    _, other = _report(ext)
    shape = [(c.text, c.label, c.strength, c.headline, c.primary) for c in plain.claims]
    assert [(c.text, c.label, c.strength, c.headline, c.primary) for c in other.claims] == shape
    assert other.label is plain.label is Label.PRELIMINARY
    assert other.headline == plain.headline


@pytest.mark.parametrize("ext", ["txt", "md", "html"])
def test_every_position_points_into_the_original_file(ext: str) -> None:
    source, report = _report(ext)
    assert report.claims
    for claim in report.claims:
        assert source[claim.start : claim.end] == claim.text
        assert _located(source, claim.line, claim.column, claim.text[:20])
        for cue in claim.cues:
            assert source[cue.start : cue.end] == cue.text
            assert _located(source, cue.line, cue.column, cue.text)


@pytest.mark.parametrize("ext", ["md", "html"])
def test_nothing_from_chrome_comments_or_code_is_a_claim(ext: str) -> None:
    _, report = _report(ext)
    texts = " ".join(c.text for c in report.claims)
    for chrome in ("cookies", "Miracle cure", "breakthrough", "Play and Bet", "cured my", "©"):
        assert chrome not in texts


def test_a_code_block_that_says_this_cures_cancer_gives_no_claim() -> None:
    source = (
        "# Notes\n\nThe drug may help.\n\n```\nthis cures cancer\n```\n\n"
        "    indented: this cures cancer\n\nInline `this cures cancer` code.\n"
    )
    report = hedgecheck.check(source, format="markdown")
    assert [c.text for c in report.claims] == ["Notes", "The drug may help."]


def test_markdown_markup_that_is_not_prose() -> None:
    source = (
        "---\ntitle: 'Coffee may protect the liver, study suggests'\nauthor: A. Writer\n---\n\n"
        "# A heading that is not the headline\n\n"
        "<!-- editor: this cures cancer -->\n"
        "Coffee drinkers had lower risk[^1] in [a cohort](https://example.org/cures-cancer).\n\n"
        "| drug | cures cancer |\n|---|---|\n| x | it cures cancer |\n\n"
        "Visit <https://example.org/proves-it>.\n\n"
        "[^1]: This footnote proves that coffee cures cancer.\n"
    )
    report = hedgecheck.check(source, format="markdown")
    assert report.headline == "Coffee may protect the liver, study suggests"
    texts = [c.text for c in report.claims]
    assert "Coffee drinkers had lower risk in a cohort." in texts
    assert not any("cures" in t or "proves" in t for t in texts)
    assert not report.claims[1:] or not report.claims[1].headline


def test_the_first_level_one_heading_is_the_markdown_headline() -> None:
    source = "Intro line that is not prose\n\n## Sub\n\n# Drug cures pain, study proves\n\nBody.\n"
    report = hedgecheck.check(source, format="markdown")
    assert report.headline == "Drug cures pain, study proves"
    claim = report.claims[0]
    assert claim.headline and claim.block == "title"
    assert (claim.line, claim.column) == (5, 3)


def test_alt_text_and_captions_are_checked_but_marked() -> None:
    source = "# T\n\n![The drug may cure pain in mice](x.png)\n\nThe trial reduced pain.\n"
    report = hedgecheck.check(source, format="markdown")
    alt = next(c for c in report.claims if c.block == "alt-text")
    assert alt.text == "The drug may cure pain in mice"
    assert _located(source, alt.line, alt.column, alt.text)
    body = next(c for c in report.claims if c.text == "The trial reduced pain.")
    assert body.block == "paragraph"
    assert not [c for c in body.cues if c.category == "hedge"]


def test_a_hedge_in_a_caption_does_not_leak_into_the_next_paragraph() -> None:
    source = (
        "<h1>Drug trial</h1><figure><img src=x.png alt=''>"
        "<figcaption>The pill may ease pain</figcaption></figure>"
        "<p>The pill reduced pain in the trial.</p>"
    )
    report = hedgecheck.check(source, format="html")
    caption = next(c for c in report.claims if c.block == "caption")
    assert any(c.text == "may" for c in caption.cues)
    body = next(c for c in report.claims if c.text.startswith("The pill reduced"))
    assert not [c for c in body.cues if c.category == "hedge"]


def test_html_entities_and_breaks_keep_positions() -> None:
    source = (
        "<html><head><title>Ignored &amp; replaced | Site</title></head><body>\n"
        "<h1>Tea &amp; toast may lower risk</h1>\n"
        "<p>Researchers&nbsp;say the&#160;drug<br>may help &mdash; in mice.</p>\n"
        "</body></html>"
    )
    report = hedgecheck.check(source, format="html")
    assert report.headline == "Tea & toast may lower risk"
    claim = next(c for c in report.claims if c.text.startswith("Researchers"))
    assert claim.text == "Researchers\xa0say the\xa0drug\nmay help — in mice."
    assert source[claim.start : claim.end].startswith("Researchers&nbsp;say")
    assert source[claim.start : claim.end].endswith("in mice.")
    for cue in claim.cues:
        if cue.scope == "sentence":
            assert source[cue.start : cue.end] == cue.text


def test_the_html_title_is_the_headline_without_the_site_name_when_there_is_no_h1() -> None:
    source = "<title>Coffee may protect the liver | Daily Health</title><p>Body text here.</p>"
    report = hedgecheck.check(source, format="html")
    assert report.headline == "Coffee may protect the liver"


def test_html_site_chrome_is_not_prose() -> None:
    source = (
        "<header><nav>Home News</nav><p>This miracle pill cures cancer.</p></header>"
        "<div class='cookie-banner'><p>This cookie may track you.</p></div>"
        "<div class='advert'><p>Breakthrough pill cures all.</p></div>"
        "<aside><p>Related: a cure for ageing.</p></aside>"
        "<form><p>Subscribe, it may change your life.</p></form>"
        "<script>var s = 'this cures cancer';</script><style>p{}</style>"
        "<article><header><h1>Pill may ease pain</h1></header>"
        "<p>The pill may reduce pain, a small study suggests.</p></article>"
        "<footer><p>It may rain.</p></footer>"
    )
    report = hedgecheck.check(source, format="html")
    assert [c.text for c in report.claims] == [
        "Pill may ease pain",
        "The pill may reduce pain, a small study suggests.",
    ]


def test_quoted_speech_is_kept_and_marked() -> None:
    source = "# Trial\n\n“It may help,” the researcher said of the drug.\n"
    report = hedgecheck.check(source, format="markdown")
    claim = report.claims[-1]
    hedge = next(c for c in claim.cues if c.text == "may")
    assert hedge.quoted


def test_crlf_markdown_keeps_columns() -> None:
    source = "# Title here\r\n\r\nThe drug *may* reduce pain.\r\nIt could help.\r\n"
    report = hedgecheck.check(source, format="markdown")
    for claim in report.claims:
        for cue in claim.cues:
            assert source[cue.start : cue.end] == cue.text
            assert _located(source.replace("\r\n", "\n"), cue.line, cue.column, cue.text)


def test_format_is_chosen_by_extension() -> None:
    assert format_for_path("a/b.MD") == "markdown"
    assert format_for_path("x.markdown") == "markdown"
    assert format_for_path("x.htm") == "html"
    assert format_for_path("x.txt") == format_for_path("README") == "text"


def test_an_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown input format 'pdf'"):
        read_document("x", format="pdf")


def test_plain_text_is_its_own_prose() -> None:
    document = read_document("A may B.\n", format="text")
    assert document.text == document.source
    assert document.blocks is None
    assert document.source_map.start(3) == 3
