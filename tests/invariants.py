"""Invariants every report must keep, whatever the input: shared by the hostile-input
property tests and the fuzz target (fuzz/fuzz_readers.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import hedgecheck

RULES = hedgecheck.default_rules()

_BREAK = re.compile(r"\r\n|\r|\n")


def expected_position(source: str, offset: int) -> tuple[int, int]:
    """Line and column of ``offset``, from the definition rather than from ``LineIndex``."""
    starts = [0] + [m.end() for m in _BREAK.finditer(source) if m.end() <= offset]
    return len(starts), offset - starts[-1] + 1


def spans(report: hedgecheck.Report) -> Iterator[tuple[str, Any]]:
    """Everything in a report that points into the source."""
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
            yield "tag mention", mention
    for item in report.report_card:
        for mention in item.evidence:
            yield "card mention", mention


def assert_sound(source: str, fmt: str) -> hedgecheck.Report:
    report = hedgecheck.check(source, format=fmt, rules=RULES)
    assert report.errors == (), report.errors
    for kind, span in spans(report):
        where = f"{kind} {span.text!r} at {span.start}:{span.end} in {fmt}"
        assert 0 <= span.start <= span.end <= len(source), where
        if fmt == "text":
            assert source[span.start : span.end] == span.text, where
        assert (span.line, span.column) == expected_position(source, span.start), where
    again = hedgecheck.check(source, format=fmt, rules=RULES)
    assert again.to_dict() == report.to_dict()
    return report
