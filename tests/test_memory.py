"""Memory per claim, by structure (the figures are benchmarks, never timed tests): a report is
written a few claims at a time, in the same bytes as its whole dict dumped at once; a study
cue is one object shared by every claim it governs; a ``--jobs`` run keeps a bounded number
of chunks in flight and lets each go once read."""

from __future__ import annotations

import json
from concurrent.futures import Future
from typing import Any

import pytest

from hedgecheck.api import check
from hedgecheck.formats import FORMATS
from hedgecheck.formats._common import PIECE_CHARS
from hedgecheck.formats._safe import JSON, guard
from hedgecheck.model import Cue, Report
from hedgecheck.parts import check_parts
from hedgecheck.workers import _Ahead

STUDY = (
    "The study in mice was not peer reviewed. The study found tea may lower blood pressure. "
    "The study found coffee may raise it.\n\n"
)
HOSTILE = 'Tea "may" cure \\ colds ##[cmd] ::warning x\x1b[31m \u202e “quoted”, the study says.\n\n'
STREAMED = ("jsonl", "json", "text")


@pytest.fixture(scope="module")
def big() -> Report:
    """A report whose JSON is several pieces long, with findings and hostile text."""
    return check((STUDY + HOSTILE) * 60, path="big\x1b.txt")


def _whole(name: str, report: Report) -> str:
    """The record as the formats wrote it before they wrote it in pieces."""
    if name == "jsonl":
        record = {**report.to_dict(), "schema_version": 1}
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    dumped = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    return "\n".join("    " + line for line in dumped.split("\n"))


@pytest.mark.parametrize("name", ["jsonl", "json"])
def test_json_pieces_are_the_whole_dump(big: Report, name: str) -> None:
    stream = FORMATS[name].stream()
    pieces = list(stream.pieces(big))
    assert len(pieces) > 1  # written a few claims at a time, not at once
    assert all(len(p) < 2 * PIECE_CHARS for p in pieces)
    assert "".join(pieces) == stream.record(big) == guard(_whole(name, big), JSON)


@pytest.mark.parametrize("name", ["jsonl", "json"])
def test_json_pieces_of_a_report_without_claims(name: str) -> None:
    report = check("", path="empty.txt")
    stream = FORMATS[name].stream()
    assert "".join(stream.pieces(report)) == _whole(name, report)


def test_json_pieces_in_bytes_as_before() -> None:
    # outside text without characters a guard rewrites: the pieces are the dump exactly
    report = check(STUDY * 200 + "Tea cures colds, the study shows.", path="plain.txt")
    for name in ("jsonl", "json"):
        stream = FORMATS[name].stream()
        assert len(list(stream.pieces(report))) > 1
        assert "".join(stream.pieces(report)) == _whole(name, report)


@pytest.mark.parametrize("name", STREAMED)
@pytest.mark.parametrize("verbose", [False, True])
def test_added_in_pieces_as_whole(big: Report, name: str, verbose: bool) -> None:
    small = check(STUDY, path="small.txt")
    options = {"verbose": verbose}
    whole, streamed, joined = (FORMATS[name].stream(**options) for _ in range(3))
    expected = whole.begin() + whole.add(big) + whole.add(small) + whole.end()
    # in pieces, as the CLI writes a report made in its own process
    pieces = [streamed.begin()]
    for report in (big, small):
        pieces.extend(streamed.add_pieces(streamed.pieces(report)))
    pieces.extend(streamed.end_pieces())
    assert "".join(pieces) == expected
    # one piece, as a worker sends it
    one = [joined.begin()]
    for report in (big, small):
        one.extend(joined.add_pieces((joined.record(report),)))
    assert "".join([*one, joined.end()]) == expected
    assert expected == FORMATS[name].render([big, small], verbose=verbose)


def test_text_pieces_end_at_line_ends(big: Report) -> None:
    pieces = list(FORMATS["text"].stream(verbose=True).pieces(big))
    assert len(pieces) > 2
    assert all(piece.endswith("\n") for piece in pieces)


def test_study_cues_are_shared_not_copied() -> None:
    report = check(STUDY * 3)
    governed = [c for claim in report.claims for c in claim.cues if c.scope == "document"]
    assert len(governed) > len(report.study_cues) >= 2
    _assert_shared(governed)


def _assert_shared(cues: list[Cue]) -> None:
    """Every study cue of the same place and weight is one object."""
    first: dict[tuple[str, int, float], Cue] = {}
    for cue in cues:
        assert cue is first.setdefault((cue.rule, cue.start, cue.weight), cue)
    assert len(first) < len(cues)


def test_study_cues_stay_shared_in_a_part() -> None:
    parts = list(check_parts(STUDY * 200, size=2000))
    assert len(parts) > 2
    later = parts[1]
    governed = [c for claim in later.claims for c in claim.cues if c.scope == "document"]
    _assert_shared([*later.study_cues, *governed])
    assert later.study_cues[0].start >= later.part.start  # moved into the file


class _Pool:
    """A pool that runs each chunk at once, counting what was given to it."""

    def __init__(self) -> None:
        self.given = 0

    def submit(self, function: Any, *args: Any) -> Future[Any]:
        self.given += 1
        future: Future[Any] = Future()
        future.set_result(function(*args))
        return future


class _Bell:
    def ring(self, chunk: Future[Any]) -> None:
        pass

    def result(self, chunk: Future[Any]) -> Any:
        return chunk.result()


def test_chunks_given_a_few_ahead_and_let_go() -> None:
    pool = _Pool()
    chunks = iter([[n, n + 1] for n in range(0, 40, 2)])
    ahead = _Ahead(pool, _Bell(), str, chunks, 3)  # type: ignore[arg-type]
    ahead.submit()
    assert pool.given == 3
    results = ahead.results()
    assert next(results) == "0"
    assert pool.given == 4  # one read, one more given: three are pending
    assert len(ahead._pending) == 3
    assert [*results] == [str(n) for n in range(1, 40)]
    assert pool.given == 20 and not ahead._pending
