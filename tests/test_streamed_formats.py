"""Every output format written one file at a time: the pieces a stream writes are, byte for
byte, what ``render`` gives for the same reports, whether each report's record is made here
or in a worker, and what a stream keeps until its end stays flat over any number of files."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
import hedgecheck.formats._common as common
from hedgecheck.cli import main
from hedgecheck.formats import FORMATS, render
from hedgecheck.parts import check_parts

ARTICLE = (
    "# Coffee cures cancer, study proves\n\n"
    "Coffee may protect the liver, a small study in mice suggests. The study was presented "
    "at a conference and has not been peer-reviewed.\n\n"
    "Experts said the drug is a breakthrough that will revolutionise care.\n"
)
# Outside text the guard must treat the same in a piece as in the whole output.
HOSTILE = ["::error::x", "##[set-output]", "\x1b[31mred", "\u202eevil", "\ud800", "a|b*c", "\r\n"]


def _pool() -> list[hedgecheck.Report]:
    reports = [
        hedgecheck.check(ARTICLE, path="article.md", format="markdown"),
        hedgecheck.check("The sky is blue.", path="calm.txt"),
        hedgecheck.check("", path="empty.txt"),
        hedgecheck.check("Study suggests it may help.", path="-"),
        hedgecheck.check("Coffee cures cancer!", path=None),
        hedgecheck.check("Coffee cures cancer!", path="/abs/olute.txt"),
    ]
    reports += [
        hedgecheck.check(f"Coffee cures {text} cancer, experts say.", path=f"{text}.txt")
        for text in HOSTILE
    ]
    page = "<h1>Coffee cures cancer</h1>" + "<p>Tea may protect the liver in mice.</p>\n" * 30
    reports += list(check_parts(page, size=300, format="html", path="big.html"))
    return reports


POOL = _pool()
NAMES = sorted(FORMATS)


def _streamed(name: str, reports: list[hedgecheck.Report], **options: bool) -> str:
    make = FORMATS[name].stream
    assert make is not None, f"{name} has no stream"
    maker, writer = make(**options), make(**options)  # records made apart, as in a worker
    pieces = [writer.begin(), *(writer.add_record(maker.record(r)) for r in reports)]
    return "".join([*pieces, *writer.end_pieces()])


@pytest.mark.parametrize("name", NAMES)
def test_every_format_has_a_stream(name: str) -> None:
    assert FORMATS[name].stream is not None


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("verbose", [False, True])
@pytest.mark.parametrize("count", [0, 1, 2, len(POOL)])
def test_the_streamed_output_is_the_rendered_output_byte_for_byte(
    name: str, color: bool, verbose: bool, count: int
) -> None:
    reports = POOL[-count:] if count else []
    expected = render(name, reports, color=color, verbose=verbose)
    assert _streamed(name, reports, color=color, verbose=verbose) == expected
    # add() and end(), as a library caller writes
    writer = FORMATS[name].stream(color=color, verbose=verbose)  # type: ignore[misc]
    assert writer.begin() + "".join(writer.add(r) for r in reports) + writer.end() == expected


@settings(max_examples=25, deadline=None)
@given(
    picks=st.lists(st.integers(min_value=0, max_value=len(POOL) - 1), max_size=8),
    name=st.sampled_from(NAMES),
    read=st.sampled_from([1, 7, 1 << 16]),
)
def test_a_stream_spooled_to_disk_is_the_rendered_output(
    picks: list[int], name: str, read: int
) -> None:
    reports = [POOL[i] for i in picks]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(common, "SPOOL_CHARS", 1)  # every set-aside piece on disk
        patch.setattr(common, "_READ_CHARS", read)  # read back in pieces of any size
        assert _streamed(name, reports) == render(name, reports)


def test_a_spool_gives_back_whole_lines_and_a_last_piece_without_a_line_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(common, "_READ_CHARS", 4)
    spool = common.Spool()
    spool.write("one\ntwo words\n\r\nthree")
    pieces = list(spool.pieces())
    assert "".join(pieces) == "one\ntwo words\n\r\nthree"
    assert all(p.endswith("\n") for p in pieces[:-1])
    assert list(common.Spool().pieces()) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_a_stream_holds_the_same_memory_for_many_files_as_for_few(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "SPOOL_CHARS", 1)
    make = FORMATS[name].stream
    assert make is not None
    record = make().record(POOL[0])  # a file with claims and findings of several rules

    def held(count: int) -> int:
        writer = make()
        writer.begin()
        tracemalloc.start()
        for _ in range(count):
            writer.add_record(record)
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        for _ in writer.end_pieces():
            pass
        return size

    few, many = held(20), held(1000)
    # every stream keeps totals alone, whatever the number of files
    assert many < few + 20_000, (few, many)


@pytest.mark.parametrize("name", NAMES)
def test_the_cli_writes_every_format_the_same_with_and_without_workers(
    name: str, tmp_path: Path
) -> None:
    for i in range(6):
        (tmp_path / f"{i:02d}.txt").write_text(
            f"Study {i} proves coffee cures cancer::warning::.\n"
        )
    (tmp_path / "06.md").write_text(ARTICLE)
    (tmp_path / "07.html").write_text(
        "<h1>Tea cures</h1>" + "<p>Tea may protect the liver in mice.</p>\n" * 60
    )
    args = ["scan", "--format", name, "-q", "-v", "--fail-on", "never", "--part-size", "0.001"]
    one = CliRunner().invoke(main, [*args, str(tmp_path)])
    two = CliRunner().invoke(main, [*args, "-j", "2", str(tmp_path)])
    assert one.exit_code == 0, one.output
    assert one.output == two.output
    files = sorted(tmp_path.iterdir())
    reports = [
        report
        for path in files
        for report in check_parts(
            path.read_text(),
            size=int(0.001 * 2**20),  # --part-size counts in units of 2**20
            path=str(path),
            format={".md": "markdown", ".html": "html"}.get(path.suffix, "text"),
        )
    ]
    assert one.output == render(name, reports, verbose=True)
