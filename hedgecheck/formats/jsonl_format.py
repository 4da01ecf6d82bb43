"""JSON lines, for corpora: one compact report per line, each carrying ``schema_version``.

Every line validates against ``#/$defs/record`` of ``schema/hedgecheck-report.schema.json``;
a consumer can stream a large run and read each file's report on its own. The CLI writes
each line as soon as its file is checked (see :class:`Stream`), so a scan of any number of
files holds one report at a time, and writes a report a few claims at a time
(:mod:`hedgecheck.formats._json_pieces`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from hedgecheck.formats._common import ReportStream
from hedgecheck.formats._json_pieces import report_pieces
from hedgecheck.formats.json_format import SCHEMA_VERSION
from hedgecheck.model import Report
from hedgecheck.ruleset import RuleSet


class Stream(ReportStream):
    """One record per report, written as soon as its file is checked."""

    def record(self, report: Report) -> str:
        return "".join(self.pieces(report))

    def pieces(self, report: Report) -> Iterator[str]:
        return report_pieces(report, {"schema_version": SCHEMA_VERSION}, end="\n")

    def add_pieces(self, pieces: Iterable[str]) -> Iterator[str]:
        return iter(pieces)


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    return Stream.render(reports)
