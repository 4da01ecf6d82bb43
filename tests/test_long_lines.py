"""Text and Markdown with very long lines, or none: read in linear time and bounded memory.

A line longer than a part is read in pieces (``lines_of``) and a part may end inside it
where a sentence starts; every position in a part's report still points into the whole
file. The checks here count work and measure memory with tracemalloc, never time.
"""

from __future__ import annotations

import itertools
import random
import tracemalloc
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
import hedgecheck.overlaps as overlaps_module
import hedgecheck.parts as parts_module
import hedgecheck.reading as reading
from hedgecheck.overlaps import CueMatch
from hedgecheck.parts import check_parts, check_stream, part_spans, spans_of_lines
from hedgecheck.reading import lines_of, open_stream
from hedgecheck.sentences import last_sentence_start
from hedgecheck.text import LineIndex, segment

SENTENCE = "Tea may lower blood pressure, a small study suggests. "
STORY = (
    "Coffee may protect the liver, a small study suggests.\n\n"
    "The study of 40 adults was presented at a conference and has not been peer-reviewed.\n\n"
)
_LINE_ENDS = ("\n", "\r")


def _chunked(text: str, sizes: list[int]) -> list[str]:
    cuts = list(itertools.accumulate(sizes))
    bounds = [0, *(c for c in cuts if c < len(text)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


# ---------------------------------------------------------------- lines_of


@pytest.mark.parametrize(
    "text",
    [
        SENTENCE * 40,  # no line end at all
        STORY + SENTENCE * 40 + "\n" + STORY,  # one long line among normal ones
        ("Short line.\r" + SENTENCE * 30 + "\r") * 3,  # CR-only line ends
        ("x" * 900 + "\r\n") * 2,  # no sentence, no space: cut at the cap
        "word " * 400,  # no sentence end: cut where a word starts
    ],
    ids=["no-newline", "one-long-line", "cr-only", "no-space", "no-sentence"],
)
@pytest.mark.parametrize("longest", [1, 2, 64, 300])
def test_a_long_line_comes_in_pieces_the_same_however_it_is_chunked(
    text: str, longest: int
) -> None:
    pieces = list(lines_of([text], longest=longest))
    assert "".join(pieces) == text
    for piece in pieces:
        ended = piece.endswith(_LINE_ENDS)
        content = piece.rstrip("\r\n") if ended else piece
        assert 0 < len(content) <= longest or (ended and not content)
        assert not regex.search(r"[\r\n]", content)  # a line end only at a piece's end
    rng = random.Random(len(text) * 31 + longest)
    for _ in range(5):
        sizes = [rng.randint(1, 97) for _ in range(len(text))]
        assert list(lines_of(_chunked(text, sizes), longest=longest)) == pieces


def test_a_piece_of_a_long_line_ends_where_a_sentence_starts() -> None:
    text = "Dr. Smith said so. " * 10 + SENTENCE * 20
    pieces = list(lines_of([text], longest=200))
    assert len(pieces) > 3
    for piece in pieces[:-1]:
        # never after "Dr." (not a sentence end for the segmenter), always before a capital
        assert piece.endswith((". ", "so. ")) and not piece.endswith("Dr. ")
    assert [s.text for s in segment(text)] == [
        s.text for piece in pieces for s in segment(piece, find_headline=False)
    ]


@pytest.mark.slow
@given(
    text=st.text(alphabet="ab .\n\rTQ!", max_size=400),
    longest=st.integers(1, 40),
    sizes=st.lists(st.integers(1, 50), min_size=1, max_size=40),
)
@settings(max_examples=300, deadline=None)
def test_pieces_never_depend_on_the_chunks(text: str, longest: int, sizes: list[int]) -> None:
    whole = list(lines_of([text], longest=longest))
    assert "".join(whole) == text
    assert list(lines_of(_chunked(text, sizes * len(text)), longest=longest)) == whole


class _Counting:
    """A pattern that counts the characters it is asked to search."""

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self.pattern = pattern
        self.searched = 0

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        self.searched += (len(text) if endpos is None else endpos) - pos
        return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)


@pytest.mark.parametrize("chunk", [1000, 4096])
def test_a_line_of_any_length_is_searched_in_linear_work(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    counting = _Counting(reading.LINE_BREAK)
    monkeypatch.setattr(reading, "LINE_BREAK", counting)
    searched = []
    for count in (200, 800):
        counting.searched = 0
        text = SENTENCE * count
        pieces = list(lines_of(_chunked(text, [chunk] * len(text)), longest=2000))
        assert "".join(pieces) == text
        searched.append(counting.searched / len(text))
    # each character is searched for line ends about twice (once with the unfinished piece
    # before it), however long the line: once per chunk before, quadratic
    assert searched[1] <= searched[0] * 1.1 and searched[1] < 3


@pytest.mark.slow
def test_a_line_of_megabytes_is_never_held_whole() -> None:
    def chunks():  # 8 MB of one line, made as it is read
        for _ in range(8 * 64):
            yield SENTENCE * 300

    tracemalloc.start()
    try:
        count = sum(1 for _ in lines_of(chunks(), longest=1 << 16))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count > 100
    assert peak < 2_000_000, peak  # a chunk and a piece or two, not 8 MB


def test_the_word_before_a_full_stop_is_read_backwards() -> None:
    old = regex.compile(r"[\p{L}.]+$")
    rng = random.Random(5)
    from hedgecheck.sentences import _LAST_WORD

    for _ in range(2000):
        text = "".join(rng.choice("ab. Dr\u00e9,") for _ in range(rng.randint(0, 30)))
        start = rng.randint(0, len(text))
        dot = rng.randint(start, len(text))
        want = old.search(text[start:dot])
        got = _LAST_WORD.match(text, start, dot)
        assert (want and want.group()) == (got and got.group())


def test_last_sentence_start_skips_abbreviations_and_initials() -> None:
    text = "One. Two. Dr. Who. J. Smith went. x"
    assert last_sentence_start(text, 0, len(text)) == text.index("J.")
    assert last_sentence_start(text, 0, 13) == text.index("Dr.")
    assert last_sentence_start(text, 0, 5) is None  # the next sentence is past the end


# ---------------------------------------------------------------- spans


def _positions_hold(text: str, reports: list[hedgecheck.Report]) -> None:
    lines = LineIndex(text)
    for report in reports:
        for claim in report.claims:
            assert text[claim.start : claim.end] == claim.text
            assert lines.position(claim.start) == (claim.line, claim.column)
            for cue in claim.cues:
                assert text[cue.start : cue.end] == cue.text
                assert lines.position(cue.start) == (cue.line, cue.column)
        for cue in report.study_cues:
            assert lines.position(cue.start) == (cue.line, cue.column)
        for finding in report.findings:
            assert lines.position(finding.start) == (finding.line, finding.column)
        for item in report.report_card:
            for mention in item.evidence:
                assert lines.position(mention.start) == (mention.line, mention.column)


LONG = {
    "no-newline": SENTENCE * 100,
    "one-long-line": STORY * 3 + SENTENCE * 100 + "\n" + STORY * 3,
    "cr-only": STORY.replace("\n", "\r") * 2 + SENTENCE * 100 + "\r" + "Short line.\r" * 3,
    "markdown-paragraph": "# Tea\n\n" + SENTENCE * 100 + "\n\n- item\n",
}


@pytest.mark.parametrize("name", LONG)
def test_a_line_longer_than_a_part_is_cut_at_sentence_starts(name: str) -> None:
    text, size = LONG[name], 600
    spans = part_spans(text, size=size, markdown=name.startswith("markdown"))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert len(spans) >= len(SENTENCE) * 100 // (2 * size)
    inside = [end for _, end in spans[:-1] if text[end - 1] not in "\r\n"]
    assert inside  # some parts end inside the long line
    for end in inside:
        assert text[end - 2 : end] == ". " and text[end] == "T"  # where a sentence starts
    for start, end in spans:
        # the lines before it, the part of the line before it may be cut, and a piece
        assert end - start <= 2 * size + parts_module.piece_chars(size)


@pytest.mark.parametrize("name", LONG)
def test_every_position_of_a_part_inside_a_line_points_into_the_file(name: str) -> None:
    text = LONG[name]
    fmt = "markdown" if name.startswith("markdown") else "text"
    reports = list(check_parts(text, size=600, format=fmt))
    assert len(reports) > 3
    assert sum(len(r.claims) for r in reports) >= 100
    mid_line = [
        r for r in reports if r.part and r.part.start and text[r.part.start - 1] not in "\r\n"
    ]
    assert mid_line and all(r.claims for r in mid_line)
    for report in mid_line:
        line, column = LineIndex(text).position(report.part.start)
        assert report.part.line == line and column > 1
        assert report.claims[0].column == column  # the part's first claim opens it
    _positions_hold(text, reports)


@pytest.mark.parametrize("name", LONG)
@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_a_long_line_streamed_gives_the_reports_of_the_text_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, chunk: int
) -> None:
    monkeypatch.setattr(reading, "_CHUNK", chunk)
    text = LONG[name]
    fmt = "markdown" if name.startswith("markdown") else "text"
    path = tmp_path / "long.txt"
    path.write_bytes(text.encode("utf-8"))
    stream = open_stream(str(path))
    assert stream is not None and not isinstance(stream, hedgecheck.InputError)
    streamed = list(check_stream(stream, size=600, format=fmt))
    expected = list(check_parts(text, size=600, path=str(path), format=fmt))
    assert len(expected) > 3 and streamed == expected


def test_lines_no_longer_than_a_part_end_parts_only_at_line_ends() -> None:
    # a line as long as a part, or shorter, is never cut: files of such lines part as before
    text = (SENTENCE * 11).strip() + "\n"
    assert len(text) - 1 <= 600
    spans = part_spans(text * 12, size=600)
    assert len(spans) > 1
    assert all((text * 12)[end - 1] == "\n" for _, end in spans)


def test_no_part_ends_inside_a_disable_range_within_a_long_line() -> None:
    opening, closing = "hedgecheck: disable[HYP] ", "hedgecheck: enable[HYP] "
    text = SENTENCE * 30 + opening + SENTENCE * 30 + closing + SENTENCE * 30
    spans = part_spans(text, size=600)
    inside = [end for _, end in spans[:-1]]
    assert len(inside) >= 2
    assert not any(text.index(opening) < end <= text.index(closing) for end in inside)


def test_a_fence_mark_inside_a_line_opens_no_fence() -> None:
    pieces = ["Tea. ", "```Tea. ", "Tea. ", "Tea. ", "Tea.\n"]
    assert spans_of_lines(pieces, size=5, markdown=True) == [(0, 13), (13, 18), (18, 23), (23, 28)]
    # the same mark opening a line opens a fence that holds the part open
    pieces = ["Tea. ", "Tea.\n", "```Tea. ", "Tea. ", "Tea. ", "Tea.\n"]
    assert spans_of_lines(pieces, size=5, markdown=True) == [(0, 33)]


def test_a_blank_piece_of_a_long_line_is_no_blank_line() -> None:
    # a line that opens with spaces ends no paragraph there: it is cut only once it has run
    # longer than a part, where a piece of it ends
    pieces = ["Tea.\n", "   ", "Tea. ", "Tea.\n"]
    assert spans_of_lines(pieces, size=5) == [(0, 13), (13, 18)]


def test_a_stream_checks_one_part_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text(SENTENCE * 400, encoding="utf-8")  # 21,600 characters, no line end
    checked: list[int] = []
    real = parts_module.check

    def counting_check(text: str, **kwargs: object) -> hedgecheck.Report:
        checked.append(len(text))
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parts_module, "check", counting_check)
    stream = open_stream(str(path))
    assert stream is not None and not isinstance(stream, hedgecheck.InputError)
    reports = list(check_stream(stream, size=2000))
    assert len(reports) == len(checked) >= 5
    assert sum(checked) == 400 * len(SENTENCE)
    assert max(checked) <= 2000 + parts_module.piece_chars(2000)


@pytest.mark.slow
def test_the_first_pass_holds_a_piece_of_a_one_line_file_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text(SENTENCE * 100_000, encoding="utf-8")  # 5.4 MB, no line end
    stream = open_stream(str(path))
    assert stream is not None and not isinstance(stream, hedgecheck.InputError)
    tracemalloc.start()
    try:
        spans = spans_of_lines(stream.lines(longest=1 << 16), size=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(spans) == 5 and spans[-1][1] == 100_000 * len(SENTENCE)
    assert peak < 6_000_000, peak  # a chunk of bytes, its text and a piece: not 5.4 MB twice


# ---------------------------------------------------------------- cue overlaps


def _match(start: int, end: int, category: str = "hedge") -> CueMatch:
    rule = next(r for r in hedgecheck.default_rules().rules if r.category == category)
    return CueMatch(rule, start, end, "x" * (end - start))


def _greedy(matches: list[CueMatch]) -> list[CueMatch]:
    kept: list[CueMatch] = []
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if all(k.end <= match.start or match.end <= k.start for k in kept):
            kept.append(match)
    return kept


@pytest.mark.slow
@given(st.lists(st.tuples(st.integers(0, 80), st.integers(1, 15)), max_size=40))
@settings(max_examples=300, deadline=None)
def test_overlaps_settled_run_by_run_keep_what_the_whole_list_keeps(
    spans: list[tuple[int, int]],
) -> None:
    matches = [_match(start, start + length) for start, length in spans]
    assert [id(m) for m in overlaps_module._longest_first(matches)] == [
        id(m) for m in _greedy(matches)
    ]


def test_overlaps_are_settled_in_runs_not_over_the_whole_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs: list[int] = []
    real = overlaps_module._longest_first_in

    def counting(matches: list[CueMatch]) -> list[CueMatch]:
        runs.append(len(matches))
        return real(matches)

    monkeypatch.setattr(overlaps_module, "_longest_first_in", counting)
    # 20,000 cues, each overlapping only its neighbour in pairs: the work is per pair
    matches = [_match(10 * i + d, 10 * i + d + 3) for i in range(10_000) for d in (0, 2)]
    kept = overlaps_module._longest_first(matches)
    assert len(kept) == 10_000 and max(runs) == 2
