"""Markup with bounded memory: HTML checked in parts, markup the file's end leaves open read
as a browser reads it, and the HTML page written one file's section at a time."""

from __future__ import annotations

import html
import itertools
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck.cli import main
from hedgecheck.documents.html import html_drafts, read_html
from hedgecheck.formats import FORMATS, render
from hedgecheck.parts import check_parts, html_parts
from hedgecheck.text import LineIndex

STORY = (
    "<p>Coffee may protect the liver, a small study suggests.</p>\n"
    "<p>The study of 40 adults was presented at a conference and has not been peer-reviewed."
    "</p>\n<p>In mice, the compound <b>cured</b> liver disease, the researchers said.</p>\n"
)
PAGE = "<html><head><title>Coffee | Site</title></head><body><h1>Coffee cures cancer</h1>\n"
SECRET = "<p>Researchers proved that the secret pill cures every cancer.</p>"


# -- markup the end of the file leaves open ---------------------------------------------------

# A comment or a quoted attribute value runs to the end of the file, markup and all.
TO_THE_END = ["<!--", "<!-- <p>", '<p title="', "<p title='", "<img alt='"]
# The others end at the next ">"; a file that ends before it drops them.
CUT_BY_THE_END = [
    *["<!", "<!DOCTYPE", "<?php", "<p class=x ", "<img alt=", "</p", "<p", "<a href"],
    *["</!", "</!-", "</ ", "</1", "</!--", "</\n"],  # "</" and no letter: a comment
]


@pytest.mark.parametrize(
    ("opener", "rest"),
    [(o, SECRET + " secret words") for o in TO_THE_END]
    + [(o, "secret words, secret claims") for o in CUT_BY_THE_END],
)
@pytest.mark.parametrize("before", ["", PAGE, "<p>Coffee helps.</p>"])
def test_markup_left_open_at_the_end_hides_the_rest_as_a_browser_does(
    opener: str, rest: str, before: str
) -> None:
    source = before + opener + "\n" + rest
    document = read_html(source)
    assert "secret" not in document.text
    assert document.text == read_html(before).text
    report = hedgecheck.check(source, format="html")
    assert all("secret" not in claim.text for claim in report.claims)


@pytest.mark.parametrize(
    "closed",
    ["<!-- a comment -->", '<p title="a > b">', "<!DOCTYPE html>", "<?xml version='1.0'?>"],
)
def test_markup_closed_before_the_end_hides_only_itself(closed: str) -> None:
    text = read_html(closed + SECRET).text
    assert "secret pill" in text


def test_a_text_that_ends_in_a_lone_angle_or_ampersand_keeps_it() -> None:
    assert read_html("<p>a < b").text == "a < b"
    assert read_html("<p>fish &").text == "fish &"
    assert read_html("<p>x &am").text == "x &am"
    assert read_html("<p>a </").text == "a </"


@pytest.mark.parametrize("size", [1 << 16, 1 << 18])
def test_an_unclosed_attribute_costs_memory_in_proportion_to_the_file(size: int) -> None:
    # a 3.6 MB attribute value read as text took 4.9 GB; now it is dropped, in linear time
    source = "<p>Coffee helps.</p>" + '<p title="' + "word may help. " * (size // 15)
    tracemalloc.start()
    drafts = html_drafts(source)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert ["".join(p.text for p in d.pieces) for d in drafts] == ["Coffee helps."]
    assert peak < 4 * len(source) + 200_000


# -- what Python 3.11's tokenizer reads wrongly -------------------------------------------------

# A "&#" that starts no character reference stopped the tokenizer: the rest of the file,
# tags and comments included, was read as text.
LOST_REFERENCES = ["&#", "&#x", "&#X", "&#;", "&#x;", "&#xg", "&# ", "&#-1", "&#65a"]
AFTER_REFERENCE = ["", " ", "<!-- hidden -->", "</p>", "<b>", "<p>", "<br>", "&amp;", "&#"]


@pytest.mark.parametrize("reference", LOST_REFERENCES)
@pytest.mark.parametrize("after", AFTER_REFERENCE)
def test_a_hash_that_starts_no_reference_is_text_and_the_markup_after_it_is_read(
    reference: str, after: str
) -> None:
    source = f"<p>Coffee {reference}{after} may help.</p><p>Tea <i>cures</i> cancer.</p>"
    document = read_html(source)
    assert "<" not in document.text and "hidden" not in document.text
    assert f"Coffee {reference}" in document.text
    assert document.text.endswith("Tea cures cancer.")
    _assert_copied_pieces_are_the_source(source)
    claims = [c for c in hedgecheck.check(source, format="html").claims if "Coffee" in c.text]
    assert claims or after in ("</p>", "<p>")  # "Coffee &#" alone is no claim
    for claim in claims:
        assert reference.strip() in claim.text
        assert reference.strip() in source[claim.start : claim.end]


@pytest.mark.parametrize("reference", LOST_REFERENCES)
def test_a_hash_that_starts_no_reference_at_the_end_of_the_file_is_text(reference: str) -> None:
    source = f"<p>Tea <i>cures</i> cancer.</p><p>Coffee {reference}"
    assert read_html(source).text == f"Tea cures cancer.\n\nCoffee {reference}"
    _assert_copied_pieces_are_the_source(source)


@pytest.mark.parametrize("reference", LOST_REFERENCES)
@pytest.mark.parametrize(
    "tag", ["<p{}>", "<p{}<b>", "<p a{}=b>", "<p{} class=ad>", "</p{}>", "<p title={}x>"]
)
def test_a_hash_that_starts_no_reference_in_a_tag_reads_as_its_escaped_form(
    reference: str, tag: str
) -> None:
    # a browser reads "&#" in a tag name or attribute as it reads "&amp;#"
    page = "<p>Coffee may help.</p>{}Tea <i>cures</i> 10% of cases.<p>It may.</p>"
    escaped = "&amp;" + reference[1:]
    lost, read = (read_html(page.format(tag.format(r))).text for r in (reference, escaped))
    assert lost == read
    _assert_copied_pieces_are_the_source(page.format(tag.format(reference)))


@pytest.mark.parametrize("reference", LOST_REFERENCES)
@pytest.mark.parametrize("attribute", ["title", "class", "alt", "data-x"])
@pytest.mark.parametrize("quote", ['"', "'", ""])
def test_a_hash_that_starts_no_reference_in_an_attribute_leaves_the_page_as_it_was(
    reference: str, attribute: str, quote: str
) -> None:
    value = f"Q{reference.strip()}Q"
    source = (
        f"<p><img {attribute}={quote}{value}{quote}>Coffee may help.</p><p>Tea <i>cures</i>.</p>"
    )
    drafts = html_drafts(source)
    texts = ["".join(p.text for p in d.pieces) for d in drafts]
    assert texts[-2:] == ["Coffee may help.", "Tea cures."]
    if attribute == "alt":
        (alt,) = (d for d in drafts if d.kind == "alt-text")
        # decoded as before ("&#65a" is "Aa", as in a browser), and mapped to the value
        assert [(p.text, source[p.start : p.end]) for p in alt.pieces] == [
            (html.unescape(value), value)
        ]
    _assert_copied_pieces_are_the_source(source)


_TOKENS = [
    "<p>",
    "</p>",
    "<b",
    ">",
    "<!-- c -->",
    "<!-->",
    " may help. ",
    "\n",
    "&amp;",
    "&#65;",
    "%",
]


@settings(max_examples=60, deadline=None)
@given(
    tokens=st.lists(
        st.one_of(
            st.sampled_from(_TOKENS), st.sampled_from(LOST_REFERENCES).map(lambda r: ("lost", r))
        ),
        max_size=20,
    )
)
def test_a_lost_reference_reads_as_the_same_text_escaped(
    tokens: list[str | tuple[str, str]],
) -> None:
    # "&#x" reads as "&amp;#x" does; the tokens after a lost reference start with no digit
    source = "".join(t if isinstance(t, str) else t[1] for t in tokens)
    escaped = "".join(t if isinstance(t, str) else "&amp;" + t[1][1:] for t in tokens)
    assert read_html(source).text == read_html(escaped).text
    _assert_copied_pieces_are_the_source(source)


def _assert_copied_pieces_are_the_source(source: str) -> None:
    for draft in html_drafts(source):
        for piece in draft.pieces:
            if piece.copied:
                assert piece.text == source[piece.start : piece.end], piece


@pytest.mark.parametrize("empty", ["<!-->", "<!--->", "<!---->", "<!-- -->"])
@pytest.mark.parametrize("later", ["", "<!-- hidden -->", "-->", "--!>"])
def test_an_empty_comment_ends_where_a_browser_ends_it(empty: str, later: str) -> None:
    source = f"<p>Coffee{empty} may help.</p><p>Tea{later} cures.</p>"
    assert read_html(source).text.replace("-->", "").replace("--!>", "") == (
        "Coffee may help.\n\nTea cures."
    )
    _assert_copied_pieces_are_the_source(source)


@pytest.mark.parametrize(
    "section",
    ["<![", "<![ b", "<![x!-- y", "<![\x92", "<![CDATA[ x", "<![if !IE", "<![endif", "<![ ]]"],
)
@pytest.mark.parametrize("end", ["", ">", "]]>", "]>"])
def test_a_marked_section_is_a_comment_to_the_next_angle_as_in_a_browser(
    section: str, end: str
) -> None:
    # "<![" and no keyword raised AssertionError out of Python 3.11's tokenizer
    source = f"<p>Coffee may help.{section}{end} Tea cures.</p>"
    text = read_html(source).text
    assert text == ("Coffee may help. Tea cures." if end else "Coffee may help.")
    assert hedgecheck.check(source, format="html").claims


def test_an_empty_comment_inside_a_comment_ends_it_as_in_a_browser() -> None:
    # the "-->" of "<!-->" closes the comment opened before it
    assert read_html("<!-- a <!--> <p>Tea cures.</p>").text == "Tea cures."


@settings(max_examples=60, deadline=None)
@given(
    tokens=st.lists(
        st.sampled_from(
            [
                *_TOKENS,
                *LOST_REFERENCES,
                "<title>Tea | Site</title>",
                "<h1>",
                "</h1>",
                "<img alt=",
                "'x &amp; y'",
                "&#x41",
                "&#65",
                "&am",
                "<!--",
                "-->",
                "<![",
                "]]>",
                '<p title="',
                '"',
                "<script>",
                "</script>",
                "é\r\n",
                "<",
                "&",
            ]
        ),
        max_size=40,
    ),
    chunk=st.integers(min_value=1, max_value=9),
)
def test_html_fed_in_chunks_reads_as_fed_whole(tokens: list[str], chunk: int) -> None:
    import hedgecheck.documents.html as reader

    source = "".join(tokens)
    whole = [(d.kind, "".join(p.text for p in d.pieces)) for d in html_drafts(source)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "_CHUNK", chunk)
        drafts = html_drafts(source)
        _assert_copied_pieces_are_the_source(source)
    assert [(d.kind, "".join(p.text for p in d.pieces)) for d in drafts] == whole


# -- HTML in parts ------------------------------------------------------------------------------


def _page(count: int, *, minified: bool = False) -> str:
    text = PAGE + STORY * count + "</body></html>\n"
    return text.replace("\n", "") if minified else text


def _assert_positions(text: str, reports: list[hedgecheck.Report]) -> None:
    lines = LineIndex(text)
    for report in reports:
        for item in (*report.claims, *report.findings, *report.study_cues):
            if item.line == 0:
                continue  # the separate title
            assert (item.line, item.column) == lines.position(item.start), item
            words = [w for w in item.text.split() if w.isalpha()]
            assert not words or words[0] in text[item.start : item.end], item


@pytest.mark.parametrize("minified", [False, True])
@pytest.mark.parametrize("size", [150, 400, 2000])
def test_a_big_html_file_is_checked_in_parts_that_point_into_the_whole_file(
    minified: bool, size: int
) -> None:
    text = _page(20, minified=minified)
    reports = list(check_parts(text, size=size, format="html"))
    assert len(reports) > 1
    parts = [r.part for r in reports]
    assert all(p is not None for p in parts)
    assert parts[0].start == 0 and parts[-1].end == len(text)  # type: ignore[union-attr]
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))  # type: ignore[union-attr]
    _assert_positions(text, reports)
    whole = hedgecheck.check(text, format="html")
    assert sorted(c.text for r in reports for c in r.claims) == sorted(c.text for c in whole.claims)
    assert [c.headline for c in reports[0].claims][:1] == [True]
    assert not any(c.headline for r in reports[1:] for c in r.claims)


def test_an_html_file_within_the_part_size_is_one_report_as_before() -> None:
    text = _page(3)
    (report,) = check_parts(text, size=len(text), format="html")
    assert report == hedgecheck.check(text, format="html")


def test_no_html_part_ends_inside_a_disable_range_or_beside_an_alt_text() -> None:
    disabled = "<!-- hedgecheck: disable -->\n" + STORY * 6 + "<!-- hedgecheck: enable -->\n"
    image = '<p>Coffee cures cancer <img alt="A pill that cures cancer"> says a study.</p>\n'
    text = PAGE + STORY * 3 + disabled + image * 10 + STORY * 3
    spans = [(start, end) for start, end, _ in html_parts(text, size=100)]
    opened, closed = text.index("hedgecheck: disable"), text.index("hedgecheck: enable")
    assert not any(opened < end < closed for _, end in spans[:-1])
    at = text.find(image)
    while at >= 0:
        prose_end = at + image.index("</p>")
        assert not any(at < end < prose_end for _, end in spans), (at, spans)
        at = text.find(image, at + 1)


@settings(max_examples=40, deadline=None)
@given(
    blocks=st.lists(
        st.sampled_from(
            [STORY, "<li>It may help.</li>", "<nav><p>Menu cures</p></nav>", "<br>", "\r\n"]
        ),
        max_size=30,
    ),
    size=st.integers(min_value=1, max_value=500),
)
def test_html_parts_always_cover_the_file_and_keep_positions(blocks: list[str], size: int) -> None:
    text = PAGE + "".join(blocks)
    reports = list(check_parts(text, size=size, format="html"))
    spans = [(r.part.start, r.part.end) if r.part else (0, len(text)) for r in reports]
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    _assert_positions(text, reports)


def _peak_of_parts(text: str, size: int) -> int:
    tracemalloc.start()
    for _ in check_parts(text, size=size, format="html"):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


@pytest.mark.slow
def test_memory_for_html_in_parts_grows_with_the_part_not_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hedgecheck.documents.html as reader

    monkeypatch.setattr(reader, "_CHUNK", 4096)  # the blocks of a chunk are held: less than a part
    small, big = _page(40), _page(640)
    _peak_of_parts(small, 2000)  # rules loaded and caches warm before anything is measured
    ratio = _peak_of_parts(big, 2000) / _peak_of_parts(small, 2000)
    # neither the blocks of the whole file nor its analysis are held, only one part's
    assert ratio < 2.0, ratio


def test_the_cli_checks_a_big_html_file_in_parts(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_text(_page(200), encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--part-size", "0.005", "-q", str(big)])
    parts = [line for line in result.output.splitlines() if "(part " in line]
    assert len(parts) > 2
    assert f"1 file(s) (1 in {len(parts)} parts)" in result.output


# -- the HTML page, one section at a time ------------------------------------------------------


def _reports() -> list[hedgecheck.Report]:
    reports = [
        hedgecheck.check(f"Study {i} suggests the drug may help. It cures cancer!", path=f"{i}")
        for i in range(3)
    ]
    parted = check_parts(_page(10), size=300, format="html", path="big.html")
    return [*reports, *parted, hedgecheck.check("", path="empty.txt")]


@pytest.mark.parametrize("spool", [1, 8 << 20])
@pytest.mark.parametrize("count", [0, 1, 2, 7])
def test_the_streamed_html_page_is_the_batch_page_byte_for_byte(
    count: int, spool: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hedgecheck.formats._common as common

    monkeypatch.setattr(common, "SPOOL_CHARS", spool)  # 1: every section on disk
    reports = _reports()[:count]
    stream = FORMATS["html"].stream
    assert stream is not None
    writer = stream()
    records = [writer.record(r) for r in reports]  # as a worker makes them
    pieces = [writer.begin(), *(writer.add_record(r) for r in records), *writer.end_pieces()]
    assert "".join(pieces) == render("html", reports)
    again = stream()
    assert again.begin() + "".join(again.add(r) for r in reports) + again.end() == render(
        "html", reports
    )


@pytest.mark.slow
def test_the_html_stream_holds_no_section_once_the_spool_is_on_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hedgecheck.formats._common as common

    monkeypatch.setattr(common, "SPOOL_CHARS", 1)
    stream = FORMATS["html"].stream
    assert stream is not None
    record = stream().record(hedgecheck.check(_page(30), format="html", path="a.html"))

    def held(count: int) -> int:
        writer = stream()
        tracemalloc.start()
        for _ in range(count):
            writer.add_record(record)
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        for _ in writer.end_pieces():
            pass
        return size

    few, many = held(10), held(200)
    assert many < few + 190 * 300, (few, many)  # a few numbers per file, not its section
    assert many < 190 * len(record) // 10


def test_the_cli_html_page_of_many_files_is_the_batch_page(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"{i:02d}.txt").write_text(f"Study {i} proves coffee cures.\n")
    (tmp_path / "big.html").write_text(_page(60), encoding="utf-8")
    args = ["scan", "--format", "html", "--part-size", "0.002", "-q", "--fail-on", "never"]
    one = CliRunner().invoke(main, [*args, str(tmp_path)])
    two = CliRunner().invoke(main, [*args, "-j", "2", str(tmp_path)])
    assert one.exit_code == 0, one.output
    assert one.output == two.output
    assert one.output.count('<section class="file"') > 13
    assert 'id="f14"' in one.output and 'href="#f1-finding-1"' in one.output


# -- Markdown ----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3, 400])
def test_markdown_footnotes_are_blanked_in_one_pass_keeping_every_offset(count: int) -> None:
    from hedgecheck.documents.markdown import _front_matter

    note = "Coffee helps [^{0}].\r\n\r\n[^{0}]: Note {0} cures.\n\n"
    notes = "".join(note.format(i) for i in range(count))
    source = "---\ntitle: Coffee\n---\n" + notes
    title, blanked = _front_matter(source)
    assert title is not None and len(blanked) == len(source)
    assert [i for i, ch in enumerate(blanked) if ch in "\r\n"] == [
        i for i, ch in enumerate(source) if ch in "\r\n"
    ]
    assert "Note" not in blanked and "title" not in blanked
    assert blanked.count("Coffee helps") == count
    prose = hedgecheck.check(source, format="markdown")
    assert not any("Note" in claim.text for claim in prose.claims)
