"""Markup with bounded memory: HTML checked in parts, markup the file's end leaves open read
as a browser reads it, and the HTML page written one file's section at a time."""

from __future__ import annotations

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
CUT_BY_THE_END = ["<!", "<!DOCTYPE", "<?php", "<p class=x ", "<img alt=", "</p", "<p", "<a href"]


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


def test_memory_for_html_in_parts_grows_with_the_part_not_the_file() -> None:
    small, big = _page(40), _page(160)
    hedgecheck.check(STORY, format="html")  # rules loaded before anything is measured
    ratio = _peak_of_parts(big, 2000) / _peak_of_parts(small, 2000)
    # the prose blocks of the whole file are held (a fraction of it); the analysis is not
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
    import hedgecheck.formats.html_format as html_format

    monkeypatch.setattr(html_format, "_SPOOL_BYTES", spool)  # 1: every section on disk
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


def test_the_html_stream_holds_no_section_once_the_spool_is_on_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hedgecheck.formats.html_format as html_format

    monkeypatch.setattr(html_format, "_SPOOL_BYTES", 1)
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
