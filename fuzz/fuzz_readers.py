"""Coverage-guided fuzzing of the readers, the segmenter and the engine with atheris.

Bytes go through ``hedgecheck.reading.decode`` (as a file's would) and, when they are text,
through ``hedgecheck.check`` in each input format. Nothing may raise; every span must lie in
the source (and slice back to its text in plain text); line and column must agree with the
offset (a line ends at CR LF, LF or a lone CR); two runs must agree. See fuzz/README.md.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=300 [-only_ascii=1] [corpus/]
    HEDGECHECK_FUZZ_FORMAT=html .venv/bin/python fuzz/fuzz_readers.py ...   # one format
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from typing import Any

import atheris

with atheris.instrument_imports():
    import hedgecheck
    from hedgecheck.errors import InputError
    from hedgecheck.reading import decode

FORMATS = tuple(os.environ.get("HEDGECHECK_FUZZ_FORMAT", "text,markdown,html").split(","))
RULES = hedgecheck.default_rules()
_BREAK = re.compile(r"\r\n|\r|\n")


def _position(source: str, offset: int) -> tuple[int, int]:
    starts = [0] + [m.end() for m in _BREAK.finditer(source, 0, offset)]
    return len(starts), offset - starts[-1] + 1


def _spans(report: hedgecheck.Report) -> Iterator[tuple[str, Any]]:
    for claim in report.claims:
        yield "claim", claim
        for cue in claim.cues:
            yield "cue", cue
    for cue in report.study_cues:
        yield "study cue", cue
    for finding in report.findings:
        yield "finding", finding
    if report.evidence_tag is not None:
        for mention in report.evidence_tag.basis:
            yield "mention", mention
    for item in report.report_card:
        for mention in item.evidence:
            yield "mention", mention


def check_one(source: str, fmt: str) -> None:
    report = hedgecheck.check(source, format=fmt, rules=RULES)
    assert not report.errors, report.errors
    for kind, span in _spans(report):
        where = f"{fmt}: {kind} {span.text!r} at {span.start}:{span.end} of {len(source)}"
        assert 0 <= span.start <= span.end <= len(source), where
        if fmt == "text":
            assert source[span.start : span.end] == span.text, where
        assert (span.line, span.column) == _position(source, span.start), where
    again = hedgecheck.check(source, format=fmt, rules=RULES)
    assert again.to_dict() == report.to_dict(), f"{fmt}: two runs differ"


def test_one_input(data: bytes) -> None:
    read = decode(data, name="fuzz")
    if isinstance(read, InputError):
        assert str(read), "an input error names its problem"
        return
    for fmt in FORMATS:
        check_one(read.text, fmt)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
