"""Big files in parts: where the parts end, and that every position still points into the
whole file."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import hedgecheck
from hedgecheck.cli import main
from hedgecheck.parts import check_parts, part_spans
from hedgecheck.text import LineIndex

ROOT = Path(__file__).parent.parent
REFERENCE = (ROOT / "examples" / "ketamine" / "ketamine-article.txt").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "schema" / "hedgecheck-report.schema.json").read_text())
STORY = (
    "Coffee may protect the liver, a small study suggests.\n\n"
    "The study of 40 adults was presented at a conference and has not been peer-reviewed.\n\n"
    "In mice, the compound cured liver disease, the researchers said.\n\n"
)


def test_a_text_within_the_part_size_is_one_part() -> None:
    assert part_spans(STORY, size=len(STORY)) == [(0, len(STORY))]
    (report,) = check_parts(STORY, size=len(STORY))
    assert report.part is None
    assert report == hedgecheck.check(STORY)


def test_parts_cover_the_text_and_end_after_blank_lines() -> None:
    text = STORY * 30
    spans = part_spans(text, size=500)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    for start, end in spans[:-1]:
        assert end - start >= 500
        assert text[:end].endswith("\n\n")


def test_a_paragraph_with_no_blank_line_is_cut_at_a_line_end() -> None:
    text = "The drug may help.\n" * 400
    spans = part_spans(text, size=400)
    assert len(spans) > 1
    assert all(text[end - 1] == "\n" for _, end in spans)


def test_no_part_ends_inside_a_code_fence() -> None:
    fence = "```\n" + "code may help\n\n" * 50 + "```\n\n"
    text = STORY + fence + STORY * 10
    opening = len(STORY)
    closing = opening + len(fence) - 1  # just after the closing fence's line
    for _, end in part_spans(text, size=100, markdown=True)[:-1]:
        assert not opening < end < closing


def test_no_part_ends_inside_a_disable_range_or_before_an_ignored_paragraph() -> None:
    disabled = "<!-- hedgecheck: disable[HYP] -->\n\n" + STORY * 5 + "hedgecheck: enable[HYP]\n\n"
    ignore = "hedgecheck: ignore\n\nThis miracle cure works.\n\n"
    text = STORY + disabled + ignore + STORY * 5
    guarded = [
        (len(STORY), len(STORY) + len(disabled)),
        (len(STORY) + len(disabled), len(STORY) + len(disabled) + len(ignore) - 2),
    ]
    for _, end in part_spans(text, size=60)[:-1]:
        assert not any(a < end < b for a, b in guarded), end


def test_every_position_in_a_part_points_into_the_whole_file() -> None:
    text = (REFERENCE + "\n\n") * 4
    reports = list(check_parts(text, size=len(REFERENCE) // 2))
    lines = LineIndex(text)
    assert len(reports) > 2
    assert [r.part.index for r in reports if r.part] == list(range(1, len(reports) + 1))
    for report in reports:
        assert report.part is not None and report.part.count == len(reports)
        assert lines.position(report.part.start) == (report.part.line, 1)
        for claim in report.claims:
            assert text[claim.start : claim.end] == claim.text
            assert lines.position(claim.start) == (claim.line, claim.column)
            for cue in claim.cues:
                assert text[cue.start : cue.end] == cue.text
                assert lines.position(cue.start) == (cue.line, cue.column)
        for finding in report.findings:
            assert lines.position(finding.start) == (finding.line, finding.column)
        for item in report.report_card:
            for mention in item.evidence:
                assert lines.position(mention.start) == (mention.line, mention.column)


def test_only_the_first_part_has_a_headline() -> None:
    text = (REFERENCE + "\n\n") * 3
    reports = list(check_parts(text, size=len(REFERENCE)))
    assert reports[0].headline is not None
    assert all(r.headline is None for r in reports[1:])
    # A part is an article of its own: its study cues come from its own text.
    assert all(c.start >= r.part.start for r in reports if r.part for c in r.study_cues)


@pytest.mark.slow
def test_the_cli_writes_one_record_per_part(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text((REFERENCE + "\n\n") * 12, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(STORY, encoding="utf-8")
    files = [str(big), str(small)]
    runs = {}
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            main,
            ["scan", "--format", "jsonl", "--part-size", "0.02", "--jobs", jobs, "-q", *files],
        )
        assert result.exit_code in (0, 1), result.output
        runs[jobs] = result.output
    assert runs["1"] == runs["2"]
    records = [json.loads(line) for line in runs["1"].splitlines()]
    validator = jsonschema.Draft202012Validator(
        {"$defs": SCHEMA["$defs"], "$ref": "#/$defs/record"}
    )
    for record in records:
        validator.validate(record)
    parts = [r["part"] for r in records if r["path"].endswith("big.txt")]
    assert len(parts) >= 3 and [p["index"] for p in parts] == list(range(1, len(parts) + 1))
    assert records[-1]["path"].endswith("small.txt") and "part" not in records[-1]


def test_a_bad_part_size_in_the_config_names_the_key(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text("part-size = -1\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "a.txt")])
    assert result.exit_code == 2
    assert "part-size" in result.output


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_parts_read_the_same_claims_as_the_parts_checked_alone(fmt: str) -> None:
    text = STORY * 20
    for report in check_parts(text, size=400, format=fmt):
        assert report.part is not None
        alone = hedgecheck.check(
            text[report.part.start : report.part.end],
            title=None if report.part.index == 1 else "",
            format=fmt,
        )
        assert [(c.text, c.label) for c in report.claims] == [
            (c.text, c.label) for c in alone.claims
        ]


@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_a_big_file_read_line_by_line_gives_the_reports_of_the_file_read_whole(
    tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks cut "\r\n", multi-byte characters and bad sequences between two reads.
    import hedgecheck.reading as reading
    from hedgecheck.parts import check_stream
    from hedgecheck.reading import open_stream, read_path

    monkeypatch.setattr(reading, "_CHUNK", chunk)
    body = STORY.replace("\n\n", "\r\n\r\n", 3) + "Café lait may—perhaps—help.\r" + STORY * 6
    data = body.encode("utf-8").replace(b"Caf", b"Caf\xff", 1) + b"\xe2\x80"
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    whole = read_path(str(path))
    assert not isinstance(whole, hedgecheck.InputError) and whole.warnings
    stream = open_stream(str(path))
    assert stream is not None and not isinstance(stream, hedgecheck.InputError)
    streamed = list(check_stream(stream, size=300))
    expected = list(check_parts(whole.text, size=300, path=str(path)))
    assert len(expected) > 2
    assert [r.part for r in streamed] == [r.part for r in expected]
    assert streamed[0].warnings == whole.warnings
    assert [r for r in streamed[1:]] == expected[1:]


def test_the_cli_streams_a_big_file_and_names_a_binary_one(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(STORY * 200, encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00" * 30_000)
    result = CliRunner().invoke(
        main, ["scan", "--format", "jsonl", "--part-size", "0.005", "-q", str(big), str(binary)]
    )
    assert result.exit_code == 2
    assert "binary.txt: binary file (NUL bytes at offset 0), skipped" in result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(records) >= 3 and all("part" in r for r in records)


def test_the_text_report_names_each_part_and_counts_the_file_once(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(STORY * 200, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--part-size", "0.005", "-q", str(big)])
    parts = [line for line in result.output.splitlines() if "(part " in line]
    assert parts and parts[0].startswith(f"{big} (part 1 of {len(parts)}, from line 1)")
    assert f"1 file(s) (1 in {len(parts)} parts)" in result.output
